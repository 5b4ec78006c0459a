import { esc } from '../reports/html';
import {
  actionLabel,
  formatCount,
  formatKg,
  formatMoney,
  formatTimestamp,
  prepareReport,
  type ReportSource,
} from '../reports/summary';

/** What every notification says about a finished scan: the channel payloads are built from it. */
export interface ScanNotice {
  scan_id: string;
  status: string;
  trigger_source: string;
  started_at: string;
  finished_at: string | null;
  selected_accounts: string[];
  resources_scanned: number;
  findings: number;
  estimated_monthly_savings: number;
  estimated_monthly_savings_usd: number;
  currency: string;
  carbon_kg_monthly: number;
  by_provider: {
    provider: string;
    label: string;
    findings: number;
    estimated_monthly_savings: number;
  }[];
  top_findings: NoticeFinding[];
}

/** The few fields of a finding a notification names. */
export interface NoticeFinding {
  id: string;
  title: string;
  rule_id: string;
  provider: string;
  account_id: string;
  region: string;
  resource_id: string;
  resource_name: string;
  action_type: string;
  estimated_monthly_cost: number;
}

/** How many findings a notification lists. */
export const NOTICE_TOP_FINDINGS = 5;

/** Condenses a report source into a notice, money in the report currency. */
export function buildScanNotice(source: ReportSource): ScanNotice {
  const { summary } = prepareReport(source);
  const { scan } = source;
  return {
    scan_id: scan.id,
    status: scan.status,
    trigger_source: scan.trigger_source,
    started_at: scan.created_at,
    finished_at: scan.finished_at,
    selected_accounts: scan.selected_accounts,
    resources_scanned: scan.resources_scanned,
    findings: summary.findings,
    estimated_monthly_savings: summary.estimated_monthly_savings,
    estimated_monthly_savings_usd: summary.estimated_monthly_savings_usd,
    currency: summary.currency,
    carbon_kg_monthly: summary.carbon_kg_monthly,
    by_provider: summary.by_provider.map((group) => ({
      provider: group.key,
      label: group.label,
      findings: group.findings,
      estimated_monthly_savings: group.estimated_monthly_savings,
    })),
    top_findings: summary.top_findings.slice(0, NOTICE_TOP_FINDINGS).map((finding) => ({
      id: finding.id,
      title: finding.title,
      rule_id: finding.rule_id,
      provider: finding.provider,
      account_id: finding.account_id,
      region: finding.region,
      resource_id: finding.resource_id,
      resource_name: finding.resource_name,
      action_type: finding.action_type,
      estimated_monthly_cost: finding.estimated_monthly_cost,
    })),
  };
}

/** One line that names the scan's outcome: the chat headline and the e-mail subject. */
export function noticeHeadline(notice: ScanNotice): string {
  if (notice.findings === 0) return `CWS scan ${notice.scan_id} completed: no waste found`;
  return (
    `CWS scan ${notice.scan_id}: ${formatMoney(notice.estimated_monthly_savings, notice.currency)}` +
    ` monthly waste in ${formatCount(notice.findings)} findings`
  );
}

/** The notice as an e-mail body, plain text and HTML (every value escaped). */
export function renderNoticeEmail(
  notice: ScanNotice,
  attachmentName: string | null = null,
): { subject: string; text: string; html: string } {
  const attached = attachmentName ? `The full report is attached (${attachmentName}).` : '';
  const money = (value: number) => formatMoney(value, notice.currency);
  const facts: [string, string][] = [
    ['Total monthly waste', money(notice.estimated_monthly_savings)],
    ['Findings', formatCount(notice.findings)],
    ['Resources scanned', formatCount(notice.resources_scanned)],
    ['Carbon per month', formatKg(notice.carbon_kg_monthly)],
    ['Finished', formatTimestamp(notice.finished_at)],
    [
      'Scope',
      notice.selected_accounts.length ? notice.selected_accounts.join(', ') : 'every account',
    ],
  ];
  const top = notice.top_findings.map(
    (finding) =>
      `${money(finding.estimated_monthly_cost)}  ${finding.title} - ${
        finding.resource_name || finding.resource_id
      } (${finding.account_id}, ${finding.region}) - ${actionLabel(finding.action_type)}`,
  );
  const text = [
    noticeHeadline(notice),
    '',
    ...facts.map(([label, value]) => `${label}: ${value}`),
    ...(top.length ? ['', 'Costliest findings:', ...top.map((line) => `- ${line}`)] : []),
    ...(attached ? ['', attached] : []),
  ].join('\n');
  const html =
    `<!DOCTYPE html><html><body style="font-family:Helvetica,Arial,sans-serif;color:#212529">` +
    `<h2 style="color:#163a5e">${esc(noticeHeadline(notice))}</h2><table>` +
    facts
      .map(
        ([label, value]) =>
          `<tr><td style="color:#6c757d;padding-right:12px">${esc(label)}</td><td>${esc(value)}</td></tr>`,
      )
      .join('') +
    `</table>` +
    (top.length
      ? `<h3>Costliest findings</h3><ul>${top.map((line) => `<li>${esc(line)}</li>`).join('')}</ul>`
      : '') +
    (attached ? `<p>${esc(attached)}</p>` : '') +
    `</body></html>`;
  return { subject: noticeHeadline(notice), text, html };
}
