import { jsPDF } from 'jspdf';
import type { Finding, Provider } from '../model';
import {
  actionLabel,
  collapseGroups,
  describeCarbonMethod,
  describeCurrency,
  formatCount,
  formatKg,
  formatMoney,
  formatTimestamp,
  isEstimatedPrice,
  OTHER_GROUP_KEY,
  prepareReport,
  providerLabel,
  type PreparedReport,
  type ReportSource,
  type SummaryGroup,
} from './summary';

/**
 * A finance-ready PDF of one scan: a title page with the total monthly waste, bar charts of waste
 * by provider, rule and account, the ESG section when asked, and every finding in a table sorted
 * by cost that runs over as many pages as it needs (header row repeated). Each page says
 * "Page N of M". It prints finding fields only.
 *
 * jsPDF's built-in Helvetica is encoded WinAnsi (Windows-1252); any other character would come out
 * as garbage, so all text passes through `toWinAnsi`, which keeps what the font can show, strips
 * accents it cannot (ő → o), transliterates a few letters (Ł → L) and prints `?` for the rest
 * (CJK names become `?`; the CSV, JSON and HTML reports keep them intact).
 */
export function buildPdfReport(source: ReportSource): Uint8Array {
  const prepared = prepareReport(source);
  const doc = new jsPDF({ unit: 'pt', format: 'a4', compress: true });
  doc.setProperties({
    title: `Cloud Waste Report - scan ${toWinAnsi(source.scan.id)}`,
    subject: 'Cloud waste findings and estimated monthly savings',
    creator: 'Cloud Waste Scanner',
  });
  const page: Page = { doc, y: MARGIN, money: pdfMoney(source.currency) };

  // 1. Title page: what a finance lead reads first.
  drawTitlePage(page, source, prepared);
  // 2. Where the money goes, and the carbon when asked.
  newPage(page);
  drawCharts(page, prepared);
  if (source.include_esg) drawEsg(page, source, prepared);
  // 3. Every finding, paginated.
  newPage(page);
  drawFindingsTable(page, prepared.findings);
  // 4. Footers last, once the page count is known.
  drawFooters(doc, source);
  return new Uint8Array(doc.output('arraybuffer'));
}

const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Letters that Unicode decomposition does not reduce to an encodable base letter. */
const TRANSLITERATIONS: Record<string, string> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  Ŀ: 'L',
  ŀ: 'l',
  Ŋ: 'N',
  ŋ: 'n',
  ſ: 's',
  Ŧ: 'T',
  ŧ: 't',
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '−': '-',
  '′': "'",
  '″': '"',
  '₹': 'INR ',
  '₩': 'KRW ',
  '₽': 'RUB ',
  '₺': 'TRY ',
  '✓': 'v',
};

/**
 * Rewrites text into what jsPDF's WinAnsi fonts can print (see buildPdfReport). Whitespace and
 * control characters become spaces so a name cannot break the table layout.
 */
export function toWinAnsi(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  let out = '';
  for (const char of text) {
    if (isWinAnsi(char)) {
      out += char;
      continue;
    }
    const mapped = TRANSLITERATIONS[char];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    if (/[\s\p{Cc}]/u.test(char)) {
      out += ' ';
      continue;
    }
    const base = char.normalize('NFKD').replace(/\p{M}/gu, '');
    out += base !== '' && [...base].every(isWinAnsi) ? base : '?';
  }
  return out;
}

function isWinAnsi(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (
    (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(char)
  );
}

// Layout, in points on A4 portrait.
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = 42;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const FOOTER_SPACE = 34;
const BOTTOM = PAGE_HEIGHT - MARGIN - FOOTER_SPACE;

type Rgb = [number, number, number];
const INK: Rgb = [33, 37, 41];
const MUTED: Rgb = [108, 117, 125];
const BRAND: Rgb = [22, 58, 94];
const ACCENT: Rgb = [0, 122, 204];
const CARBON: Rgb = [46, 139, 87];
const RULE_LINE: Rgb = [222, 226, 230];
const ZEBRA: Rgb = [245, 247, 250];
const PROVIDER_COLORS: Record<Provider, Rgb> = {
  aws: [255, 153, 0],
  azure: [0, 120, 212],
  alibaba: [229, 72, 46],
  kubernetes: [110, 84, 200],
};

interface Page {
  doc: jsPDF;
  /** Top of the next thing to draw. */
  y: number;
  money: (value: number) => string;
}

/**
 * Currency symbols outside WinAnsi (₹, ₩) would be transliterated mid-number; such currencies
 * print their ISO code instead (`INR 1,234.50`).
 */
function pdfMoney(currency: string): (value: number) => string {
  const sample = formatMoney(1234.5, currency);
  if (toWinAnsi(sample) === sample) return (value) => formatMoney(value, currency);
  const byCode = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    currencyDisplay: 'code',
  });
  return (value) => byCode.format(value);
}

function newPage(page: Page): void {
  page.doc.addPage();
  page.y = MARGIN;
}

/** Starts a new page when `height` more points would run into the footer. */
function ensureSpace(page: Page, height: number): boolean {
  if (page.y + height <= BOTTOM) return false;
  newPage(page);
  return true;
}

function write(
  doc: jsPDF,
  text: string,
  x: number,
  y: number,
  options: { align?: 'left' | 'right' | 'center' } = {},
): void {
  doc.text(toWinAnsi(text), x, y, { baseline: 'top', ...options });
}

function style(doc: jsPDF, size: number, color: Rgb, weight: 'normal' | 'bold' = 'normal'): void {
  doc.setFont('helvetica', weight);
  doc.setFontSize(size);
  doc.setTextColor(...color);
}

/** Shortens one line to `width` points with a trailing ellipsis. */
function fitText(doc: jsPDF, text: string, width: number): string {
  const safe = toWinAnsi(text);
  if (doc.getTextWidth(safe) <= width) return safe;
  let low = 0;
  let high = safe.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (doc.getTextWidth(`${safe.slice(0, middle)}...`) <= width) low = middle;
    else high = middle - 1;
  }
  return `${safe.slice(0, low)}...`;
}

/** Wraps text to `width` at the current font, as lines ready to print. */
function wrap(doc: jsPDF, text: string, width: number): string[] {
  return doc.splitTextToSize(toWinAnsi(text), width) as string[];
}

function heading(page: Page, text: string): void {
  ensureSpace(page, 60);
  style(page.doc, 15, BRAND, 'bold');
  write(page.doc, text, MARGIN, page.y);
  page.y += 20;
  page.doc.setDrawColor(...RULE_LINE);
  page.doc.setLineWidth(0.8);
  page.doc.line(MARGIN, page.y, MARGIN + CONTENT_WIDTH, page.y);
  page.y += 10;
}

function subheading(page: Page, text: string): void {
  ensureSpace(page, 44);
  style(page.doc, 11, INK, 'bold');
  write(page.doc, text, MARGIN, page.y);
  page.y += 17;
}

function paragraph(page: Page, text: string, size = 9, color: Rgb = INK): void {
  style(page.doc, size, color);
  const lineHeight = size * 1.35;
  for (const line of wrap(page.doc, text, CONTENT_WIDTH)) {
    ensureSpace(page, lineHeight);
    write(page.doc, line, MARGIN, page.y);
    page.y += lineHeight;
  }
}

function drawTitlePage(page: Page, source: ReportSource, prepared: PreparedReport): void {
  const { doc } = page;
  const { summary } = prepared;
  const { scan } = source;

  doc.setFillColor(...BRAND);
  doc.rect(0, 0, PAGE_WIDTH, 140, 'F');
  style(doc, 28, [255, 255, 255], 'bold');
  write(doc, 'Cloud Waste Report', MARGIN, 44);
  style(doc, 11, [205, 218, 232]);
  write(doc, `Scan ${scan.id} - finished ${formatTimestamp(scan.finished_at)}`, MARGIN, 84);
  write(
    doc,
    `Generated ${formatTimestamp(source.generated_at)} by Cloud Waste Scanner`,
    MARGIN,
    101,
  );

  page.y = 172;
  style(doc, 10, MUTED, 'bold');
  write(doc, 'TOTAL MONTHLY WASTE', MARGIN, page.y);
  style(doc, 34, BRAND, 'bold');
  write(doc, page.money(summary.estimated_monthly_savings), MARGIN, page.y + 16);
  style(doc, 11, INK);
  write(
    doc,
    `About ${page.money(summary.estimated_annual_savings)} a year if nothing changes, ` +
      `across ${formatCount(summary.findings)} findings.`,
    MARGIN,
    page.y + 58,
  );
  page.y += 88;

  const tiles: [string, string][] = [
    ['Findings', formatCount(summary.findings)],
    ['Resources scanned', formatCount(summary.resources_scanned)],
    ['Accounts in scope', formatCount(summary.accounts)],
    source.include_esg
      ? ['Carbon per month', formatKg(summary.carbon_kg_monthly)]
      : ['Handled findings', formatCount(summary.handled)],
  ];
  drawTiles(page, tiles);

  subheading(page, 'Scan');
  const details: [string, string][] = [
    ['Scan ID', scan.id],
    ['Status', scan.status],
    ['Triggered by', scan.trigger_source],
    ['Started', formatTimestamp(scan.created_at)],
    ['Finished', formatTimestamp(scan.finished_at)],
    ['Currency', describeCurrency(source)],
  ];
  for (const [label, value] of details) drawKeyValue(page, label, value);
  drawScope(page, source);

  page.y += 10;
  subheading(page, 'Waste by action');
  drawActionTable(page, summary.by_action);
  // The title page stands alone: the costliest findings fill the room left, never a new page.
  if (summary.top_findings.length > 0 && page.y + 14 + 17 + TOP_ROW <= BOTTOM) {
    page.y += 14;
    subheading(page, 'Costliest findings');
    drawTopFindings(page, summary.top_findings.slice(0, TITLE_PAGE_TOP));
  }
}

/** How many of the costliest findings the title page names, and the height of each. */
const TITLE_PAGE_TOP = 5;
const TOP_ROW = 28;

function drawTopFindings(page: Page, findings: Finding[]): void {
  const { doc } = page;
  const costWidth = 90;
  let hasEstimate = false;
  for (const finding of findings) {
    if (page.y + TOP_ROW > BOTTOM) break;
    hasEstimate ||= isEstimatedPrice(finding);
    style(doc, 9, INK, 'bold');
    write(doc, costText(page, finding), MARGIN + costWidth - 12, page.y, { align: 'right' });
    style(doc, 9, INK);
    write(doc, fitText(doc, finding.title, CONTENT_WIDTH - costWidth), MARGIN + costWidth, page.y);
    style(doc, 8, MUTED);
    const where = `${finding.resource_name || finding.resource_id} - ${providerLabel(
      finding.provider,
    )} ${finding.account_id}, ${finding.region}`;
    write(doc, fitText(doc, where, CONTENT_WIDTH - costWidth), MARGIN + costWidth, page.y + 12);
    page.y += TOP_ROW;
  }
  if (hasEstimate && page.y + 12 <= BOTTOM) {
    style(doc, 8, MUTED);
    write(doc, ESTIMATE_LEGEND, MARGIN, page.y + 2);
    page.y += 12;
  }
}

/** Marks money that is an estimate (see isEstimatedPrice); ESTIMATE_LEGEND explains the mark. */
const ESTIMATE_MARK = '†';
const ESTIMATE_LEGEND =
  `${ESTIMATE_MARK} Estimated: no list price for the resource in its region, so another ` +
  "region's price or a per-unit default stands in.";

/** A finding's monthly cost as printed, marked when the price is an estimate. */
function costText(page: Page, finding: Finding): string {
  const money = page.money(finding.estimated_monthly_cost);
  return isEstimatedPrice(finding) ? `${money} ${ESTIMATE_MARK}` : money;
}

function drawTiles(page: Page, tiles: [string, string][]): void {
  const { doc } = page;
  const gap = 10;
  const width = (CONTENT_WIDTH - gap * (tiles.length - 1)) / tiles.length;
  const height = 54;
  tiles.forEach(([label, value], index) => {
    const x = MARGIN + index * (width + gap);
    doc.setFillColor(...ZEBRA);
    doc.setDrawColor(...RULE_LINE);
    doc.setLineWidth(0.6);
    doc.rect(x, page.y, width, height, 'FD');
    style(doc, 8, MUTED, 'bold');
    write(doc, label.toUpperCase(), x + 9, page.y + 10);
    style(doc, 15, INK, 'bold');
    write(doc, fitText(doc, value, width - 18), x + 9, page.y + 26);
  });
  page.y += height + 22;
}

/** Width of the label column of the title page's key-value lines. */
const KEY_WIDTH = 100;

function drawKeyValue(page: Page, label: string, value: string): void {
  const { doc } = page;
  style(doc, 9, INK);
  const lines = wrap(doc, value, CONTENT_WIDTH - KEY_WIDTH);
  ensureSpace(page, lines.length * 12.5);
  style(doc, 9, MUTED, 'bold');
  write(doc, label, MARGIN, page.y);
  style(doc, 9, INK);
  for (const line of lines) {
    write(doc, line, MARGIN + KEY_WIDTH, page.y);
    page.y += 12.5;
  }
}

/** How many lines of account ids the title page lists before it summarises the rest. */
const SCOPE_LINES = 6;

function drawScope(page: Page, source: ReportSource): void {
  const accounts = source.scan.selected_accounts;
  if (accounts.length === 0) {
    drawKeyValue(page, 'Scope', 'Every configured account');
    return;
  }
  style(page.doc, 9, INK);
  const width = CONTENT_WIDTH - KEY_WIDTH;
  let text = '';
  let shown = 0;
  for (const account of accounts) {
    const candidate = shown === 0 ? account : `${text}, ${account}`;
    const hidden = accounts.length - shown - 1;
    const withTail = hidden > 0 ? `${candidate} and ${formatCount(hidden)} more` : candidate;
    if (shown > 0 && wrap(page.doc, withTail, width).length > SCOPE_LINES) break;
    text = candidate;
    shown += 1;
  }
  if (shown < accounts.length) text += ` and ${formatCount(accounts.length - shown)} more`;
  drawKeyValue(page, `Scope (${formatCount(accounts.length)})`, text);
}

function drawActionTable(page: Page, groups: SummaryGroup[]): void {
  const { doc } = page;
  const columns = [
    { x: MARGIN + 6, align: 'left' as const },
    { x: MARGIN + 300, align: 'right' as const },
    { x: MARGIN + CONTENT_WIDTH - 6, align: 'right' as const },
  ];
  const row = (cells: string[], bold: boolean, fill: Rgb | null) => {
    ensureSpace(page, 18);
    if (fill) {
      doc.setFillColor(...fill);
      doc.rect(MARGIN, page.y, CONTENT_WIDTH, 18, 'F');
    }
    style(doc, 9, INK, bold ? 'bold' : 'normal');
    cells.forEach((cell, index) => {
      const column = columns[index];
      if (column) write(doc, cell, column.x, page.y + 5, { align: column.align });
    });
    page.y += 18;
  };
  row(['Action', 'Findings', 'Monthly waste'], true, RULE_LINE);
  if (groups.length === 0) row(['No findings: nothing to act on.', '', ''], false, null);
  groups.forEach((group, index) =>
    row(
      [group.label, formatCount(group.findings), page.money(group.estimated_monthly_savings)],
      false,
      index % 2 === 1 ? ZEBRA : null,
    ),
  );
}

/** Bars shown per chart; the rest are summed into one "other" bar. */
const CHART_BARS = 12;

function drawCharts(page: Page, prepared: PreparedReport): void {
  const { summary } = prepared;
  heading(page, 'Where the money goes');
  paragraph(
    page,
    `Estimated monthly waste in ${summary.currency}, from list prices. Removing or resizing ` +
      'the resources below stops the charge; the table at the end lists each one. Numbers in ' +
      'brackets count findings.',
    9,
    MUTED,
  );
  page.y += 8;
  const money = (group: SummaryGroup) => group.estimated_monthly_savings;
  const byProvider = summary.by_provider.map((group) => ({
    label: group.label,
    value: money(group),
    caption: `${page.money(money(group))}  (${formatCount(group.findings)})`,
    color: PROVIDER_COLORS[group.key as Provider] ?? ACCENT,
  }));
  const byRule = groupBars(page, summary.by_rule, 'rules', summary.currency);
  const byAccount = groupBars(page, summary.by_account, 'accounts', summary.currency);
  // One label column for the three charts, wide enough for rule names, so their bars line up.
  const labelWidth = chartLabelWidth(page.doc, [...byProvider, ...byRule, ...byAccount]);
  subheading(page, 'Waste by provider');
  drawBarChart(page, byProvider, labelWidth);
  subheading(page, 'Waste by rule');
  drawBarChart(page, byRule, labelWidth);
  subheading(page, 'Waste by account');
  drawBarChart(page, byAccount, labelWidth);
}

/** Bar-chart label columns grow with their labels between these widths, in points. */
const CHART_LABEL_MIN = 150;
const CHART_LABEL_MAX = 230;

function chartLabelWidth(doc: jsPDF, bars: Bar[]): number {
  style(doc, CHART_LABEL_SIZE, INK);
  const widest = Math.max(0, ...bars.map((bar) => doc.getTextWidth(toWinAnsi(bar.label))));
  return Math.min(CHART_LABEL_MAX, Math.max(CHART_LABEL_MIN, Math.ceil(widest) + 4));
}

interface Bar {
  label: string;
  value: number;
  caption: string;
  color: Rgb;
}

function groupBars(page: Page, groups: SummaryGroup[], otherNoun: string, currency: string): Bar[] {
  return collapseGroups(groups, CHART_BARS, otherNoun, currency).map((group) => ({
    label: group.label,
    value: group.estimated_monthly_savings,
    caption: `${page.money(group.estimated_monthly_savings)}  (${formatCount(group.findings)})`,
    color: group.key === OTHER_GROUP_KEY ? MUTED : ACCENT,
  }));
}

const CHART_LABEL_SIZE = 8.5;

/** Horizontal bars: label, bar scaled to the largest value, caption after the bar. */
function drawBarChart(page: Page, bars: Bar[], labelWidth = CHART_LABEL_MIN): void {
  const { doc } = page;
  const captionWidth = 110;
  const barX = MARGIN + labelWidth + 8;
  const barSpace = CONTENT_WIDTH - labelWidth - 8 - captionWidth;
  const rowHeight = 17;
  const largest = Math.max(0, ...bars.map((bar) => bar.value));
  if (bars.length === 0) {
    paragraph(page, 'No findings.', 9, MUTED);
    page.y += 10;
    return;
  }
  for (const bar of bars) {
    ensureSpace(page, rowHeight);
    style(doc, CHART_LABEL_SIZE, INK);
    write(doc, fitText(doc, bar.label, labelWidth), MARGIN, page.y + 3);
    const width = largest > 0 ? Math.max(1.5, (barSpace * bar.value) / largest) : 1.5;
    doc.setFillColor(...bar.color);
    doc.rect(barX, page.y + 2, width, rowHeight - 6, 'F');
    style(doc, 8, MUTED);
    write(doc, fitText(doc, bar.caption, captionWidth - 6), barX + width + 6, page.y + 3);
    page.y += rowHeight;
  }
  page.y += 16;
}

function drawEsg(page: Page, source: ReportSource, prepared: PreparedReport): void {
  const { summary } = prepared;
  ensureSpace(page, 220);
  heading(page, 'Carbon footprint (ESG)');
  style(page.doc, 10, MUTED, 'bold');
  write(page.doc, 'AVOIDABLE EMISSIONS PER MONTH', MARGIN, page.y);
  style(page.doc, 22, CARBON, 'bold');
  write(page.doc, formatKg(summary.carbon_kg_monthly), MARGIN, page.y + 14);
  page.y += 46;
  paragraph(
    page,
    `About ${formatKg(summary.carbon_kg_monthly * 12)} a year that removing these resources ` +
      'would avoid.',
  );
  page.y += 8;
  subheading(page, 'Carbon by provider');
  drawBarChart(
    page,
    summary.carbon_by_provider.map((entry) => ({
      label: providerLabel(entry.provider),
      value: entry.carbon_kg_monthly,
      caption: `${formatKg(entry.carbon_kg_monthly)}  (${formatCount(entry.findings)})`,
      color: CARBON,
    })),
  );
  subheading(page, 'Method');
  paragraph(page, describeCarbonMethod(source.coefficients), 8.5, INK);
}

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
}

const TABLE_COLUMNS: Column[] = [
  { title: 'Resource', width: 134, align: 'left' },
  { title: 'Finding', width: 146, align: 'left' },
  { title: 'Account / region', width: 100, align: 'left' },
  { title: 'Action', width: 67, align: 'left' },
  { title: 'Monthly cost', width: CONTENT_WIDTH - 447, align: 'right' },
];
const CELL_PAD_X = 4;
const CELL_PAD_Y = 4;
const TABLE_FONT = 7.5;
const TABLE_LINE = 9.2;
/** A cell never grows past this many lines, so one absurd name cannot outgrow a page. */
const MAX_CELL_LINES = 12;

interface CellLine {
  text: string;
  muted: boolean;
}

function drawFindingsTable(page: Page, findings: Finding[]): void {
  heading(page, `Findings (${formatCount(findings.length)}), costliest first`);
  if (findings.length === 0) {
    paragraph(page, 'The scan found no waste.', 10, MUTED);
    return;
  }
  if (findings.some(isEstimatedPrice)) {
    paragraph(page, ESTIMATE_LEGEND, 8.5, MUTED);
    page.y += 6;
  }
  drawTableHeader(page);
  findings.forEach((finding, index) => {
    const cells = layoutCells(page, finding);
    const lines = Math.max(...cells.map((cell) => cell.length));
    const height = lines * TABLE_LINE + 2 * CELL_PAD_Y;
    if (ensureSpace(page, height)) drawTableHeader(page);
    drawTableRow(page, cells, height, index % 2 === 1);
  });
}

function drawTableHeader(page: Page): void {
  const { doc } = page;
  const height = TABLE_LINE + 2 * CELL_PAD_Y + 2;
  doc.setFillColor(...BRAND);
  doc.rect(MARGIN, page.y, CONTENT_WIDTH, height, 'F');
  style(doc, TABLE_FONT, [255, 255, 255], 'bold');
  let x = MARGIN;
  for (const column of TABLE_COLUMNS) {
    const textX = column.align === 'right' ? x + column.width - CELL_PAD_X : x + CELL_PAD_X;
    write(doc, column.title, textX, page.y + CELL_PAD_Y + 1, { align: column.align });
    x += column.width;
  }
  page.y += height;
}

function layoutCells(page: Page, finding: Finding): CellLine[][] {
  const { doc } = page;
  style(doc, TABLE_FONT, INK);
  const resource =
    finding.resource_name && finding.resource_name !== finding.resource_id
      ? [
          { text: finding.resource_name, muted: false },
          { text: finding.resource_id, muted: true },
        ]
      : [{ text: finding.resource_id, muted: false }];
  const parts: { text: string; muted: boolean }[][] = [
    [...resource, { text: finding.resource_type, muted: true }],
    [
      { text: finding.title, muted: false },
      { text: finding.rule_id, muted: true },
      { text: `id ${finding.id}`, muted: true },
    ],
    [
      { text: `${providerLabel(finding.provider)} ${finding.account_id}`, muted: false },
      { text: finding.region, muted: true },
    ],
    [
      { text: actionLabel(finding.action_type), muted: false },
      { text: finding.handled ? 'handled' : `${finding.confidence} confidence`, muted: true },
    ],
    [{ text: costText(page, finding), muted: false }],
  ];
  return parts.map((cellParts, index) => {
    const width = (TABLE_COLUMNS[index]?.width ?? 0) - 2 * CELL_PAD_X;
    const lines: CellLine[] = [];
    for (const part of cellParts) {
      if (part.text === '') continue;
      for (const text of wrap(doc, part.text, width)) lines.push({ text, muted: part.muted });
    }
    return capLines(doc, lines, width);
  });
}

function capLines(doc: jsPDF, lines: CellLine[], width: number): CellLine[] {
  if (lines.length <= MAX_CELL_LINES) return lines;
  const kept = lines.slice(0, MAX_CELL_LINES);
  const last = kept[MAX_CELL_LINES - 1] as CellLine;
  kept[MAX_CELL_LINES - 1] = { ...last, text: fitText(doc, `${last.text}...`, width) };
  return kept;
}

function drawTableRow(page: Page, cells: CellLine[][], height: number, striped: boolean): void {
  const { doc } = page;
  if (striped) {
    doc.setFillColor(...ZEBRA);
    doc.rect(MARGIN, page.y, CONTENT_WIDTH, height, 'F');
  }
  let x = MARGIN;
  cells.forEach((lines, index) => {
    const column = TABLE_COLUMNS[index] as Column;
    const textX = column.align === 'right' ? x + column.width - CELL_PAD_X : x + CELL_PAD_X;
    const weight = column.align === 'right' ? 'bold' : 'normal';
    // One text call per run of same-coloured lines: jsPDF's per-call overhead dominates big tables.
    let start = 0;
    while (start < lines.length) {
      const muted = (lines[start] as CellLine).muted;
      let end = start + 1;
      while (end < lines.length && (lines[end] as CellLine).muted === muted) end += 1;
      style(doc, TABLE_FONT, muted ? MUTED : INK, weight);
      doc.text(
        lines.slice(start, end).map((line) => line.text),
        textX,
        page.y + CELL_PAD_Y + start * TABLE_LINE,
        { baseline: 'top', align: column.align, lineHeightFactor: TABLE_LINE / TABLE_FONT },
      );
      start = end;
    }
    x += column.width;
  });
  doc.setDrawColor(...RULE_LINE);
  doc.setLineWidth(0.4);
  doc.line(MARGIN, page.y + height, MARGIN + CONTENT_WIDTH, page.y + height);
  page.y += height;
}

function drawFooters(doc: jsPDF, source: ReportSource): void {
  const total = doc.getNumberOfPages();
  const left = `Cloud Waste Scanner - scan ${source.scan.id} - ${formatTimestamp(source.generated_at)}`;
  for (let number = 1; number <= total; number += 1) {
    doc.setPage(number);
    doc.setDrawColor(...RULE_LINE);
    doc.setLineWidth(0.6);
    const y = PAGE_HEIGHT - MARGIN - 10;
    doc.line(MARGIN, y - 6, MARGIN + CONTENT_WIDTH, y - 6);
    style(doc, 8, MUTED);
    write(doc, fitText(doc, left, CONTENT_WIDTH - 90), MARGIN, y);
    write(doc, `Page ${number} of ${total}`, MARGIN + CONTENT_WIDTH, y, { align: 'right' });
  }
}
