import { describe, expect, it } from 'bun:test';
import { buildCsvReport, defuseFormula, quoteCsv } from '../../../core/reports/csv';
import { FINDING_FIELDS } from '../../../core/reports/summary';
import { bulkFindings, SAMPLE_FINDINGS, sampleSource } from '../../fixtures/reports/sample';

/** An RFC 4180 reader, strict about quotes, so the test does not trust the writer's own view. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let index = 0;
  let quoted = false;
  while (index < text.length) {
    const char = text[index] as string;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 2;
        continue;
      }
      if (char === '"') {
        quoted = false;
        index += 1;
        continue;
      }
      cell += char;
      index += 1;
      continue;
    }
    if (char === '"') {
      if (cell !== '') throw new Error(`quote inside an unquoted cell at ${index}`);
      quoted = true;
    } else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index += 1;
    } else if (char === '\n' || char === '\r') {
      throw new Error(`bare line break outside quotes at ${index}`);
    } else {
      cell += char;
    }
    index += 1;
  }
  if (quoted) throw new Error('unterminated quote');
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

function records(csv: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(csv.slice(1));
  return rows.map((row) =>
    Object.fromEntries((header ?? []).map((name, i) => [name, row[i] ?? ''])),
  );
}

describe('buildCsvReport', () => {
  it('starts with a UTF-8 BOM and a header of the findings API field names', () => {
    const csv = buildCsvReport(sampleSource());
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [header] = parseCsv(csv.slice(1));
    expect(header).toEqual([...FINDING_FIELDS]);
  });

  it('writes one CRLF-terminated row per finding, costliest first', () => {
    const csv = buildCsvReport(sampleSource());
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = records(csv);
    expect(rows.map((row) => row.id)).toEqual([
      'fnd_0003',
      'fnd_0001',
      'fnd_0002',
      'fnd_0005',
      'fnd_0004',
    ]);
  });

  it('quotes commas, quotes and line breaks and keeps non-ASCII text intact', () => {
    const rows = records(buildCsvReport(sampleSource()));
    const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
    expect(byId.fnd_0002?.resource_name).toBe('nat "legacy", east');
    expect(byId.fnd_0002?.details).toBe('No route table routes to it.\nIt still bills hourly.');
    expect(byId.fnd_0001?.resource_name).toBe('backup-volume-Zürich-数据');
    const raw = buildCsvReport(sampleSource());
    expect(raw).toContain('"nat ""legacy"", east"');
  });

  it('keeps evidence as JSON text and absent fields empty', () => {
    const byId = Object.fromEntries(records(buildCsvReport(sampleSource())).map((r) => [r.id, r]));
    expect(JSON.parse(byId.fnd_0001?.evidence ?? '')).toEqual({
      State: 'available',
      Size: 1024,
      VolumeType: 'gp3',
    });
    expect(byId.fnd_0002?.fix_command).toBe('');
    expect(byId.fnd_0004?.handled).toBe('true');
    expect(byId.fnd_0001?.estimated_monthly_cost).toBe('81.92');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    const byId = Object.fromEntries(records(buildCsvReport(sampleSource())).map((r) => [r.id, r]));
    expect(byId.fnd_0003?.resource_name).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(byId.fnd_0004?.resource_name).toBe("'@ops-eip");
  });

  it('converts money to the report currency and says which', () => {
    const byId = Object.fromEntries(
      records(buildCsvReport(sampleSource({ currency: 'EUR' }))).map((r) => [r.id, r]),
    );
    expect(byId.fnd_0001?.estimated_monthly_cost).toBe('75.37');
    expect(byId.fnd_0001?.estimated_monthly_cost_usd).toBe('81.92');
    expect(byId.fnd_0001?.currency).toBe('EUR');
  });

  it('writes 10,000 findings in under half a second', () => {
    const source = sampleSource({ findings: [...SAMPLE_FINDINGS, ...bulkFindings(10_000)] });
    const started = performance.now();
    const csv = buildCsvReport(source);
    expect(performance.now() - started).toBeLessThan(500);
    expect(records(csv).length).toBe(10_005);
  });
});

describe('defuseFormula', () => {
  it('prefixes =, +, -, @, tab and carriage return with an apostrophe', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) {
      expect(defuseFormula(`${lead}SUM(A1)`)).toBe(`'${lead}SUM(A1)`);
    }
  });

  it('leaves other text alone', () => {
    expect(defuseFormula('vol-123=x')).toBe('vol-123=x');
    expect(defuseFormula('')).toBe('');
  });
});

describe('quoteCsv', () => {
  it('quotes only when needed and doubles inner quotes', () => {
    expect(quoteCsv('plain')).toBe('plain');
    expect(quoteCsv('a,b')).toBe('"a,b"');
    expect(quoteCsv('say "hi"')).toBe('"say ""hi"""');
    expect(quoteCsv('line\r\nbreak')).toBe('"line\r\nbreak"');
  });
});
