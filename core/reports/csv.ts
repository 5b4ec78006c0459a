import type { Finding } from '../model';
import { FINDING_FIELDS, prepareReport, type ReportSource } from './summary';

/**
 * Excel reads a CSV without a byte-order mark as the machine's ANSI code page and garbles every
 * non-ASCII name; the BOM makes it read UTF-8. Other tools (pandas, csvkit, Numbers) skip it.
 */
const BOM = '\uFEFF';

/** RFC 4180 ends records with CRLF. */
const EOL = '\r\n';

/**
 * One header row and one row per finding, costliest first, RFC 4180 quoting, UTF-8 with a BOM,
 * money in the report currency; `evidence` is JSON text. Text cells that a spreadsheet would run
 * as a formula are defused with a leading apostrophe.
 */
export function buildCsvReport(source: ReportSource): string {
  const { findings } = prepareReport(source);
  const lines: string[] = [FINDING_FIELDS.join(',')];
  for (const finding of findings) lines.push(csvRow(finding));
  return BOM + lines.join(EOL) + EOL;
}

function csvRow(finding: Finding): string {
  const cells: string[] = [];
  for (const field of FINDING_FIELDS) {
    const value = finding[field];
    if (typeof value === 'number' || typeof value === 'boolean') cells.push(String(value));
    else if (value === undefined || value === null) cells.push('');
    else if (typeof value === 'string') cells.push(quoteCsv(defuseFormula(value)));
    else cells.push(quoteCsv(JSON.stringify(value)));
  }
  return cells.join(',');
}

/**
 * Cells starting with `=`, `+`, `-`, `@`, a tab or a carriage return are formulas to Excel and
 * LibreOffice (OWASP "CSV injection"); a resource name an attacker chose must stay text.
 */
export function defuseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Quotes a field when it holds a comma, a quote, CR or LF, doubling inner quotes (RFC 4180). */
export function quoteCsv(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
