import type { Finding } from '../model';
import { convertFromUsd } from '../pricing/currency';
import type { GeneralSettings } from '../settings';
import type { ScanRecord } from './types';

/** A scan as the API shows it: money in the configured currency, USD kept alongside. */
export function presentScan(
  scan: ScanRecord,
  money: Pick<GeneralSettings, 'currency' | 'currency_rates'>,
) {
  return {
    scan_id: scan.id,
    id: scan.id,
    status: scan.status,
    trigger_source: scan.trigger_source,
    created_at: scan.created_at,
    started_at: scan.started_at,
    finished_at: scan.finished_at,
    selected_accounts: scan.selected_accounts,
    demo_mode: scan.request.demo_mode === true,
    include_kubernetes: scan.includes_kubernetes,
    regions: scan.request.regions ?? [],
    resources_scanned: scan.resources_scanned,
    resources_found: scan.resources_found,
    estimated_monthly_savings: convertFromUsd(
      scan.estimated_monthly_savings_usd,
      money.currency,
      money.currency_rates,
    ),
    estimated_monthly_savings_usd: scan.estimated_monthly_savings_usd,
    currency: money.currency,
    carbon_kg_monthly: scan.carbon_kg_monthly,
    accounts: scan.accounts.map((account) => ({
      account_id: account.account_id,
      provider: account.provider,
      name: account.name,
      status: account.status,
      checks_run: account.checks_run,
      checks_failed: account.checks_failed,
      resources_scanned: account.resources_scanned,
      findings: account.findings,
      errors: account.errors,
      warnings: account.warnings,
    })),
    error: scan.error,
    report_email_status: scan.report_email_status,
    counted_toward_quota: scan.counted_toward_quota,
  };
}

/** A finding with its money in the configured currency (the USD figure never changes). */
export function presentFinding(
  finding: Finding,
  money: Pick<GeneralSettings, 'currency' | 'currency_rates'>,
): Finding {
  if (finding.currency === money.currency && !Object.keys(money.currency_rates).length)
    return finding;
  return {
    ...finding,
    estimated_monthly_cost: convertFromUsd(
      finding.estimated_monthly_cost_usd,
      money.currency,
      money.currency_rates,
    ),
    currency: money.currency,
  };
}
