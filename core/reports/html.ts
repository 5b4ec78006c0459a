import type { Finding } from '../model';
import {
  actionLabel,
  collapseGroups,
  describeCarbonMethod,
  describeCurrency,
  formatCount,
  formatKg,
  formatMoney,
  formatTimestamp,
  OTHER_GROUP_KEY,
  prepareReport,
  providerLabel,
  type ReportSource,
  type SummaryGroup,
} from './summary';

/**
 * One self-contained HTML page with the PDF's content: totals, bar charts (CSS bars), the findings
 * table and the ESG section when asked. No script, no external asset (a Content-Security-Policy
 * forbids them too), and every value is HTML-escaped, so a hostile resource name stays text.
 */
export function buildHtmlReport(source: ReportSource): string {
  const { summary, findings } = prepareReport(source);
  const { currency } = source;
  const money = (value: number) => formatMoney(value, currency);
  const { scan } = source;
  const sections = [
    `<header><h1>Cloud Waste Report</h1><p>Scan ${esc(scan.id)} &middot; finished ${esc(
      formatTimestamp(scan.finished_at),
    )} &middot; generated ${esc(formatTimestamp(source.generated_at))}</p></header>`,
    `<section class="total"><div class="label">Total monthly waste</div>` +
      `<div class="amount">${esc(money(summary.estimated_monthly_savings))}</div>` +
      `<p>About ${esc(money(summary.estimated_annual_savings))} a year if nothing changes, across ` +
      `${esc(formatCount(summary.findings))} findings.</p></section>`,
    tiles([
      ['Findings', formatCount(summary.findings)],
      ['Resources scanned', formatCount(summary.resources_scanned)],
      ['Accounts in scope', formatCount(summary.accounts)],
      source.include_esg
        ? ['Carbon per month', formatKg(summary.carbon_kg_monthly)]
        : ['Handled findings', formatCount(summary.handled)],
    ]),
    `<section><h2>Scan</h2><dl>${(
      [
        ['Scan ID', scan.id],
        ['Status', scan.status],
        ['Triggered by', scan.trigger_source],
        ['Started', formatTimestamp(scan.created_at)],
        ['Finished', formatTimestamp(scan.finished_at)],
        ['Currency', describeCurrency(source)],
        [
          `Scope (${formatCount(scan.selected_accounts.length)})`,
          scan.selected_accounts.length ? scan.selected_accounts.join(', ') : 'Every account',
        ],
      ] as [string, string][]
    )
      .map(([term, value]) => `<dt>${esc(term)}</dt><dd>${esc(value)}</dd>`)
      .join('')}</dl></section>`,
    `<section><h2>Where the money goes</h2>` +
      `<p class="muted">Estimated monthly waste in ${esc(source.currency)}, from list prices. ` +
      `Numbers in brackets count findings.</p>` +
      chart('Waste by provider', summary.by_provider, money, 'provider') +
      chart(
        'Waste by rule',
        collapseGroups(summary.by_rule, CHART_BARS, 'rules', currency),
        money,
      ) +
      chart(
        'Waste by account',
        collapseGroups(summary.by_account, CHART_BARS, 'accounts', currency),
        money,
      ) +
      chart('Waste by action', summary.by_action, money) +
      `</section>`,
  ];
  if (source.include_esg) {
    const carbonGroups: SummaryGroup[] = summary.carbon_by_provider.map((entry) => ({
      key: entry.provider,
      label: providerLabel(entry.provider),
      findings: entry.findings,
      estimated_monthly_savings: entry.carbon_kg_monthly,
      carbon_kg_monthly: entry.carbon_kg_monthly,
    }));
    sections.push(
      `<section class="esg"><h2>Carbon footprint (ESG)</h2>` +
        `<div class="label">Avoidable emissions per month</div>` +
        `<div class="amount carbon">${esc(formatKg(summary.carbon_kg_monthly))}</div>` +
        chart('Carbon by provider', carbonGroups, formatKg, 'carbon') +
        `<h3>Method</h3><p>${esc(describeCarbonMethod(source.coefficients))}</p></section>`,
    );
  }
  sections.push(findingsTable(findings, money));
  return page(`Cloud Waste Report - scan ${scan.id}`, sections.join('\n'));
}

/** Bars per chart before the rest are summed into one. */
const CHART_BARS = 15;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] as string);
}

function tiles(entries: [string, string][]): string {
  return `<section class="tiles">${entries
    .map(
      ([label, value]) =>
        `<div class="tile"><div class="label">${esc(label)}</div><div class="value">${esc(
          value,
        )}</div></div>`,
    )
    .join('')}</section>`;
}

function chart(
  title: string,
  groups: SummaryGroup[],
  format: (value: number) => string,
  palette: 'provider' | 'carbon' | 'default' = 'default',
): string {
  const largest = Math.max(0, ...groups.map((group) => group.estimated_monthly_savings));
  const rows = groups.map((group) => {
    const percent = largest > 0 ? (100 * group.estimated_monthly_savings) / largest : 0;
    const tone =
      group.key === OTHER_GROUP_KEY
        ? ' o'
        : palette === 'provider'
          ? ` p-${esc(group.key)}`
          : palette === 'carbon'
            ? ' c'
            : '';
    return (
      `<div class="row"><span class="name" title="${esc(group.label)}">${esc(group.label)}</span>` +
      `<span class="track"><span class="bar${tone}" style="width:${percent.toFixed(2)}%"></span>` +
      `</span><span class="figure">${esc(format(group.estimated_monthly_savings))} (${esc(
        formatCount(group.findings),
      )})</span></div>`
    );
  });
  const body = rows.length ? rows.join('') : '<p class="muted">No findings.</p>';
  return `<h3>${esc(title)}</h3><div class="chart">${body}</div>`;
}

function findingsTable(findings: Finding[], money: (value: number) => string): string {
  const rows = findings.map(
    (finding) =>
      `<tr><td>${esc(finding.resource_name || finding.resource_id)}` +
      `<div class="muted">${esc(finding.resource_id)}<br>${esc(finding.resource_type)}</div></td>` +
      `<td>${esc(finding.title)}<div class="muted">${esc(finding.rule_id)}<br>id ${esc(
        finding.id,
      )}</div></td>` +
      `<td>${esc(providerLabel(finding.provider))} ${esc(finding.account_id)}<div class="muted">${esc(
        finding.region,
      )}</div></td>` +
      `<td>${esc(actionLabel(finding.action_type))}<div class="muted">${esc(
        finding.handled ? 'handled' : `${finding.confidence} confidence`,
      )}</div></td>` +
      `<td>${esc(finding.recommendation)}${
        finding.fix_command ? `<code>${esc(finding.fix_command)}</code>` : ''
      }</td>` +
      `<td class="num">${esc(money(finding.estimated_monthly_cost))}</td></tr>`,
  );
  const body = rows.length
    ? `<table><thead><tr><th>Resource</th><th>Finding</th><th>Account / region</th><th>Action</th>` +
      `<th>Recommendation</th><th class="num">Monthly cost</th></tr></thead><tbody>${rows.join(
        '\n',
      )}</tbody></table>`
    : '<p class="muted">The scan found no waste.</p>';
  return `<section><h2>Findings (${esc(formatCount(findings.length))}), costliest first</h2>${body}</section>`;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#212529;background:#fff}
main{max-width:1100px;margin:0 auto;padding:0 24px 48px}
header{background:#163a5e;color:#fff;padding:28px 24px;margin:0 -24px 24px}
header h1{margin:0 0 6px;font-size:30px}
header p{margin:0;color:#cddae8}
h2{color:#163a5e;border-bottom:1px solid #dee2e6;padding-bottom:6px;margin-top:36px}
h3{font-size:15px;margin:22px 0 8px}
.label{font-size:12px;font-weight:700;color:#6c757d;text-transform:uppercase;letter-spacing:.04em}
.amount{font-size:40px;font-weight:700;color:#163a5e}
.amount.carbon{color:#2e8b57;font-size:30px}
.muted{color:#6c757d;font-size:12px}
.tiles{display:flex;gap:12px;flex-wrap:wrap;margin:20px 0}
.tile{flex:1 1 180px;background:#f5f7fa;border:1px solid #dee2e6;padding:10px 12px}
.tile .value{font-size:20px;font-weight:700}
dl{display:grid;grid-template-columns:160px 1fr;gap:4px 12px;margin:0}
dt{font-weight:700;color:#6c757d}
dd{margin:0;overflow-wrap:anywhere}
.chart .row{display:flex;align-items:center;gap:10px;margin:4px 0}
.chart .name{flex:0 0 220px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-size:13px}
.chart .track{flex:1 1 auto;height:12px}
.chart .bar{display:block;height:12px;min-width:2px;background:#007acc}
.chart .figure{flex:0 0 170px;font-size:12px;color:#6c757d}
.bar.p-aws{background:#ff9900}.bar.p-azure{background:#0078d4}
.bar.p-alibaba{background:#e5482e}.bar.p-kubernetes{background:#6e54c8}.bar.c{background:#2e8b57}.bar.o{background:#adb5bd}
table{width:100%;border-collapse:collapse;font-size:13px}
th{background:#163a5e;color:#fff;text-align:left;padding:6px 8px;position:sticky;top:0}
td{padding:6px 8px;border-bottom:1px solid #dee2e6;vertical-align:top;overflow-wrap:anywhere}
tbody tr:nth-child(even){background:#f5f7fa}
.num{text-align:right;white-space:nowrap;font-weight:700}
code{display:block;margin-top:4px;font-size:11px;color:#495057;white-space:pre-wrap}
@media print{header{margin:0 0 16px}th{position:static}}
`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}
