import type { Finding } from '../core/model';
import { presentFinding, presentScan } from '../core/scan/present';
import type { ScanRequest } from '../core/scan/types';
import { CwsError } from '../core/errors';
import { buildCsvReport } from '../core/reports/csv';
import { REPORT_COEFFICIENTS } from '../core/reports/summary';
import type { App } from './app';

/** Output formats of `cws scan`. */
export const SCAN_FORMATS = ['table', 'json', 'csv'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

/**
 * Runs one scan in-process and prints its findings. Progress goes to stderr (a bar on a TTY, plain
 * lines otherwise) so stdout stays clean for json/csv. Resolves to the exit code: 0 when the scan
 * completed, 1 when it failed or was refused.
 */
export async function runScanCommand(
  app: App,
  request: ScanRequest,
  format: ScanFormat,
): Promise<number> {
  const { services } = app;
  let scanId: string;
  try {
    scanId = (await services.scans.start(request, 'cli')).id;
  } catch (error) {
    if (error instanceof CwsError) {
      process.stderr.write(`cws: ${error.code}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const isTty = process.stderr.isTTY === true;
  let lastLine = '';
  const unsubscribe = services.bus.subscribe('scan.progress', ({ scan_id, progress }) => {
    if (scan_id !== scanId) return;
    const line = `${progress.phase} ${progress.checks_done}/${progress.checks_total} checks`;
    if (isTty) {
      const width = 30;
      const filled = Math.round((progress.progress_percent / 100) * width);
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(progress.progress_percent).padStart(3)}% ${line}   `,
      );
    } else if (line !== lastLine) {
      process.stderr.write(`${line}\n`);
    }
    lastLine = line;
  });
  await app.queue.whenIdle();
  unsubscribe();
  if (isTty) process.stderr.write('\n');

  const money = services.settings.read('general');
  const scan = presentScan(services.scanRecords.get(scanId)!, money);
  const findings = services.findings
    .listAll(scanId)
    .map((finding) => presentFinding(finding, money));
  process.stdout.write(render(format, scan, findings));
  for (const account of scan.accounts) {
    for (const error of account.errors) {
      process.stderr.write(
        `warning: ${account.account_id} ${error.region}: ${error.code}: ${error.message}\n`,
      );
    }
  }
  return scan.status === 'completed' ? 0 : 1;
}

function render(
  format: ScanFormat,
  scan: ReturnType<typeof presentScan>,
  findings: Finding[],
): string {
  if (format === 'json') return `${JSON.stringify({ scan, findings }, null, 2)}\n`;
  if (format === 'csv') {
    return buildCsvReport({
      scan,
      findings,
      currency: scan.currency,
      generated_at: new Date(),
      include_esg: false,
      coefficients: REPORT_COEFFICIENTS,
    });
  }
  return toTable(scan, findings);
}

const COLUMNS: Array<[string, (f: Finding) => string]> = [
  ['MONTHLY', (f) => f.estimated_monthly_cost.toFixed(2)],
  ['ACTION', (f) => f.action_type],
  ['RULE', (f) => f.rule_id],
  ['ACCOUNT', (f) => f.account_id],
  ['REGION', (f) => f.region],
  ['RESOURCE', (f) => f.resource_name || f.resource_id],
];

function toTable(scan: ReturnType<typeof presentScan>, findings: Finding[]): string {
  const rows = findings.map((finding) => COLUMNS.map(([, cell]) => cell(finding)));
  const widths = COLUMNS.map(([title], i) =>
    Math.min(48, Math.max(title.length, ...rows.map((row) => (row[i] as string).length))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === 0
          ? cell.padStart(widths[i] as number)
          : cell.slice(0, widths[i]).padEnd(widths[i] as number),
      )
      .join('  ')
      .trimEnd();
  const body = [line(COLUMNS.map(([title]) => title)), ...rows.map(line)].join('\n');
  const total = `${findings.length} findings, ${scan.estimated_monthly_savings.toFixed(2)} ${scan.currency}/month, ${scan.carbon_kg_monthly} kg CO2e/month; scan ${scan.id} ${scan.status}`;
  return `${findings.length ? `${body}\n\n` : ''}${total}\n`;
}
