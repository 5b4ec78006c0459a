import type { Finding } from '../model';
import {
  groupFindings,
  localizeFinding,
  providerLabel,
  roundCurrency,
  roundKg,
  type SummaryGroup,
} from './summary';

/** A scan in the overview window with its findings (storage loads them; zero findings is fine). */
export interface OverviewScan {
  id: string;
  status: string;
  finished_at: string | null;
  /** Accounts the scan covered (those its findings name count as covered too). */
  accounts: string[];
  findings: Finding[];
}

/** One day of the trend: the latest completed scan that finished that day, or nulls. */
export interface TrendPoint {
  /** UTC calendar day, `YYYY-MM-DD`. */
  date: string;
  scan_id: string | null;
  findings: number | null;
  estimated_monthly_savings: number | null;
}

/** GET /v1/reports/overview. */
export interface Overview {
  window_days: number;
  from: string;
  to: string;
  currency: string;
  totals: {
    findings: number;
    estimated_monthly_savings: number;
    carbon_kg_monthly: number;
    accounts: number;
    scans_completed: number;
    last_scan_id: string | null;
    last_scan_at: string | null;
  };
  by_provider: SummaryGroup[];
  by_account: SummaryGroup[];
  by_rule: SummaryGroup[];
  daily_trend: TrendPoint[];
}

/** Options of buildOverview: the currency to show and the operator's rate overrides. */
export interface OverviewOptions {
  currency?: string;
  currency_rates?: Record<string, number>;
}

const DAY_MS = 86_400_000;

/**
 * Waste over the last `windowDays` UTC days (today included). Totals and slices describe the
 * current state: for each account, the findings of the latest completed scan that covered it, so
 * a partial scan of one account neither drops nor double-counts the others. The trend has one
 * point per day: findings and savings of that day's latest completed scan (nulls on days without
 * one, which differ from a scan that found nothing).
 */
export function buildOverview(
  scans: OverviewScan[],
  windowDays: number,
  now: Date,
  options: OverviewOptions = {},
): Overview {
  const currency = options.currency ?? 'USD';
  const days = Math.max(1, Math.floor(windowDays));
  const firstDay = startOfUtcDay(now) - (days - 1) * DAY_MS;
  const completed = scans
    .filter((scan) => scan.status === 'completed' && scan.finished_at !== null)
    .map((scan) => ({ scan, at: Date.parse(scan.finished_at as string) }))
    .filter(({ at }) => Number.isFinite(at) && at >= firstDay && at <= now.getTime())
    .sort((a, b) => a.at - b.at || (a.scan.id < b.scan.id ? -1 : 1));
  const localize = (finding: Finding) => localizeFinding(finding, currency, options.currency_rates);

  // 1. Current state: each account's findings from the latest scan that covered it.
  const latestByAccount = new Map<string, OverviewScan>();
  for (const { scan } of completed) {
    for (const account of coveredAccounts(scan)) latestByAccount.set(account, scan);
  }
  const current: Finding[] = [];
  for (const [account, scan] of latestByAccount) {
    for (const finding of scan.findings) {
      if (finding.account_id === account) current.push(localize(finding));
    }
  }

  // 2. Trend: the last completed scan of each day wins.
  const byDay = new Map<string, OverviewScan>();
  for (const { scan, at } of completed) byDay.set(isoDay(at), scan);
  const trend: TrendPoint[] = [];
  for (let index = 0; index < days; index += 1) {
    const date = isoDay(firstDay + index * DAY_MS);
    const scan = byDay.get(date);
    trend.push({
      date,
      scan_id: scan?.id ?? null,
      findings: scan ? scan.findings.length : null,
      estimated_monthly_savings: scan
        ? roundCurrency(
            scan.findings.reduce((sum, f) => sum + localize(f).estimated_monthly_cost, 0),
            currency,
          )
        : null,
    });
  }

  const last = completed.at(-1);
  return {
    window_days: days,
    from: new Date(firstDay).toISOString(),
    to: now.toISOString(),
    currency,
    totals: {
      findings: current.length,
      estimated_monthly_savings: roundCurrency(
        current.reduce((sum, f) => sum + f.estimated_monthly_cost, 0),
        currency,
      ),
      carbon_kg_monthly: roundKg(current.reduce((sum, f) => sum + f.carbon_kg_monthly, 0)),
      accounts: latestByAccount.size,
      scans_completed: completed.length,
      last_scan_id: last?.scan.id ?? null,
      last_scan_at: last ? new Date(last.at).toISOString() : null,
    },
    by_provider: groupFindings(current, currency, (f) => f.provider, providerLabel),
    by_account: groupFindings(current, currency, (f) => f.account_id),
    by_rule: groupFindings(current, currency, (f) => f.rule_id),
    daily_trend: trend,
  };
}

function coveredAccounts(scan: OverviewScan): Set<string> {
  return new Set([...scan.accounts, ...scan.findings.map((finding) => finding.account_id)]);
}

function startOfUtcDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
