import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPdfReport, toWinAnsi } from '../../../core/reports/pdf';
import type { Finding } from '../../../core/model';
import { formatMoney } from '../../../core/reports/summary';
import { bulkFindings, SAMPLE_FINDINGS, sampleSource } from '../../fixtures/reports/sample';

const money = (value: number) => formatMoney(value, 'USD');

const PDFTOTEXT = '/usr/bin/pdftotext';
const PDFTOPPM = '/usr/bin/pdftoppm';
const PDFINFO = '/usr/bin/pdfinfo';

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cws-pdf-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a poppler tool; a missing tool fails the test with the package to install. */
function poppler(tool: string, args: string[]): string {
  if (!existsSync(tool)) {
    throw new Error(`${tool} is missing: install Debian's poppler-utils to run the PDF tests`);
  }
  const run = Bun.spawnSync([tool, ...args], { stdout: 'pipe', stderr: 'pipe' });
  if (run.exitCode !== 0) throw new Error(`${tool} failed: ${run.stderr.toString()}`);
  return run.stdout.toString();
}

function writePdf(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function pdfText(path: string): string {
  return poppler(PDFTOTEXT, ['-enc', 'UTF-8', path, '-']);
}

function pageCount(path: string): number {
  const match = /Pages:\s+(\d+)/.exec(poppler(PDFINFO, [path]));
  return Number(match?.[1]);
}

describe('buildPdfReport', () => {
  it('writes a PDF whose text has the title, the total, a resource name and page numbers', () => {
    const bytes = buildPdfReport(sampleSource());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const path = writePdf('sample.pdf', bytes);
    const text = pdfText(path);
    expect(text).toContain('Cloud Waste Report');
    expect(text).toContain('TOTAL MONTHLY WASTE');
    expect(text).toContain('$414.74');
    expect(text).toContain('nat "legacy", east');
    expect(text).toContain('Page 1 of 3');
    expect(text).toContain('Page 3 of 3');
    expect(text).toContain('profile_prod, acc_azure_finance, acc_ali_cn, kube_prod-cluster');
    expect(text).toContain('1,842');
  });

  it('prints the ESG section with the method and the coefficient date when asked', () => {
    const text = pdfText(writePdf('esg.pdf', buildPdfReport(sampleSource({ include_esg: true }))));
    expect(text).toContain('Carbon footprint (ESG)');
    expect(text).toContain('Cloud Carbon Footprint method');
    expect(text).toContain('Coefficients dated 2026-11-30');
    expect(text).toContain('21.7 kg CO2e');
    expect(text.replace(/\s+/g, ' ')).toContain(
      'Stopped machines that are still billed for reserved capacity',
    );
    expect(text.replace(/\s+/g, ' ')).toContain('they count embodied emissions only');
  });

  it('leaves the ESG section out when not asked', () => {
    const text = pdfText(
      writePdf('no-esg.pdf', buildPdfReport(sampleSource({ include_esg: false }))),
    );
    expect(text).not.toContain('Carbon footprint');
    expect(text).not.toContain('Cloud Carbon Footprint');
  });

  it('shows money in the configured currency, converted from the USD figures', () => {
    const text = pdfText(writePdf('eur.pdf', buildPdfReport(sampleSource({ currency: 'EUR' }))));
    expect(text).toContain('€381.56');
    expect(text).toContain('ECB reference rates of 2026-11-30');
  });

  it('prints currency codes where the font has no symbol', () => {
    const text = pdfText(writePdf('krw.pdf', buildPdfReport(sampleSource({ currency: 'KRW' }))));
    expect(text).toMatch(/KRW\s578,562/);
  });

  it('replaces characters the WinAnsi font cannot show instead of printing garbage', () => {
    const text = pdfText(writePdf('names.pdf', buildPdfReport(sampleSource())));
    expect(text).toContain('backup-volume-Zürich-??');
    expect(text).not.toContain('数据');
  });

  it('labels the waste-by-rule chart with readable rule names, not rule ids', () => {
    const path = writePdf('rules.pdf', buildPdfReport(sampleSource({ include_esg: false })));
    const charts = poppler(PDFTOTEXT, ['-enc', 'UTF-8', '-f', '2', '-l', '2', path, '-']);
    expect(charts).toContain('Waste by rule');
    expect(charts).toContain('Unattached EBS volumes (AWS)');
    expect(charts).toContain('Stopped, not deallocated VMs (Azure)');
    expect(charts).toContain('Unused NAT gateways (AWS)');
    expect(charts).not.toContain('aws.ebs.unattached');
    expect(charts).not.toContain('azure.vm.stopped_not_deallocated');
  });

  it('marks estimated prices in the findings table and explains the mark', () => {
    const [first, second, ...rest] = SAMPLE_FINDINGS as [Finding, Finding, ...Finding[]];
    const findings = [
      { ...first, price_source: 'fallback:ap-east-2' },
      { ...second, price_source: 'unit-default' },
      ...rest,
    ];
    const text = pdfText(writePdf('estimated.pdf', buildPdfReport(sampleSource({ findings }))));
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(`${money(first.estimated_monthly_cost)} †`);
    expect(flat).toContain(`${money(second.estimated_monthly_cost)} †`);
    expect(flat).toContain('† Estimated: no list price for the resource in its region');
    expect((text.match(/†/g) ?? []).length).toBeGreaterThanOrEqual(4);
    const plain = pdfText(writePdf('listed.pdf', buildPdfReport(sampleSource())));
    expect(plain).not.toContain('†');
  });

  it('prints no evidence and no fix commands, only the fields a reader needs', () => {
    const text = pdfText(writePdf('fields.pdf', buildPdfReport(sampleSource())));
    expect(text).not.toContain('VolumeType');
    expect(text).not.toContain('aws ec2 delete-volume');
  });

  it('renders page 1 to a non-trivial PNG', () => {
    const path = writePdf('render.pdf', buildPdfReport(sampleSource()));
    const prefix = join(dir, 'page');
    poppler(PDFTOPPM, ['-png', '-r', '50', '-f', '1', '-l', '1', path, prefix]);
    const png = [`${prefix}-1.png`, `${prefix}-01.png`].find((candidate) => existsSync(candidate));
    expect(png).toBeDefined();
    const bytes = readFileSync(png as string);
    expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
    // A4 at 50 dpi is about 413 x 585 pixels.
    expect(Math.abs(bytes.readUInt32BE(16) - 413)).toBeLessThanOrEqual(2);
    expect(Math.abs(bytes.readUInt32BE(20) - 585)).toBeLessThanOrEqual(2);
    expect(statSync(png as string).size).toBeGreaterThan(5000);
  });

  it('paginates 3,000 findings with the header row and page numbers on every page', () => {
    const findings = bulkFindings(3000);
    const bytes = buildPdfReport(sampleSource({ findings, include_esg: false }));
    const path = writePdf('bulk.pdf', bytes);
    const pages = pageCount(path);
    expect(pages).toBeGreaterThan(50);
    const text = pdfText(path);
    const rows = text.match(/^id bulk_\d{5}$/gm) ?? [];
    expect(rows.length).toBe(3000);
    expect(new Set(rows).size).toBe(3000);
    const cheapest = [...findings].sort(
      (a, b) => a.estimated_monthly_cost - b.estimated_monthly_cost || (a.id < b.id ? 1 : -1),
    )[0];
    expect(rows.at(-1)).toBe(`id ${cheapest?.id}`);
    const tablePages = pages - 2;
    expect((text.match(/^Monthly cost$/gm) ?? []).length).toBe(tablePages);
    for (const number of [1, Math.ceil(pages / 2), pages]) {
      expect(text).toContain(`Page ${number} of ${pages}`);
    }
  });

  it('builds 10,000 findings in under 5 seconds', () => {
    const source = sampleSource({ findings: [...SAMPLE_FINDINGS, ...bulkFindings(10_000)] });
    const started = performance.now();
    const bytes = buildPdfReport(source);
    const elapsed = performance.now() - started;
    expect(bytes.length).toBeGreaterThan(100_000);
    expect(elapsed).toBeLessThan(5000);
  });

  it('says so when the scan found nothing', () => {
    const text = pdfText(writePdf('empty.pdf', buildPdfReport(sampleSource({ findings: [] }))));
    expect(text).toContain('$0.00');
    expect(text).toContain('The scan found no waste.');
  });
});

describe('toWinAnsi', () => {
  it('keeps Latin-1 and the Windows-1252 extras', () => {
    expect(toWinAnsi('Zürich café € – “q” …')).toBe('Zürich café € – “q” …');
  });

  it('strips accents the font lacks and transliterates letters without a base form', () => {
    expect(toWinAnsi('Łódź Kőszeg İstanbul ğ')).toBe('Lódz Koszeg Istanbul g');
  });

  it('prints a question mark for scripts the font cannot show', () => {
    expect(toWinAnsi('数据-Данные')).toBe('??-??????');
  });

  it('turns line breaks and tabs into spaces', () => {
    expect(toWinAnsi('a\nb\tc\r\nd')).toBe('a b c  d');
  });
});
