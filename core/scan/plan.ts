import { CwsError } from '../errors';
import type { ScanAccount } from '../model';
import type { ScanRequest } from './types';

/** What a scan will visit. */
export interface ScanPlan {
  accounts: ScanAccount[];
  regions: string[];
}

/** Where the accounts of a plan come from. */
export interface PlanSources {
  /** Every scannable account: AWS profiles, cloud accounts, demo accounts when the server runs --demo. */
  accounts: ScanAccount[];
  /** The embedded demo cloud's accounts. */
  demoAccounts: ScanAccount[];
  /** The cluster account for include_kubernetes, or the reason it cannot be had. */
  kubernetesAccount?: () => ScanAccount;
}

/**
 * Resolves a scan request into accounts (ARCHITECTURE.md "The way of a scan", step 1). Unknown ids
 * are refused with the list; a plan that visits nothing is `scan.no_active_checks`.
 */
export function planScan(request: ScanRequest, sources: PlanSources): ScanPlan {
  const regions = request.regions ?? [];
  let accounts: ScanAccount[];
  if (request.selected_accounts?.length) {
    // In demo mode only the demo accounts can be chosen; otherwise any account (demo ones too).
    const candidates = request.demo_mode
      ? sources.demoAccounts
      : [...sources.accounts, ...sources.demoAccounts];
    accounts = selectAccounts(request.selected_accounts, candidates, request.demo_mode === true);
  } else if (request.demo_mode) {
    accounts = sources.demoAccounts;
  } else if (request.include_kubernetes || request.kubeconfig_path) {
    accounts = [];
  } else {
    accounts = sources.accounts;
  }
  if ((request.include_kubernetes || request.kubeconfig_path) && sources.kubernetesAccount) {
    accounts = [
      ...accounts.filter((a) => a.provider !== 'kubernetes' || a.source === 'demo'),
      sources.kubernetesAccount(),
    ];
  }
  accounts = accounts.map((account) => ({
    ...account,
    regions: regions.length && account.provider !== 'kubernetes' ? regions : account.regions,
  }));
  if (!accounts.length) {
    throw new CwsError(
      'scan.no_active_checks',
      'nothing to scan: no account resolves (add an AWS profile or a cloud account, or use demo_mode or include_kubernetes)',
    );
  }
  return { accounts, regions };
}

/** The selected accounts in request order; unknown ids are refused, each named in the details. */
function selectAccounts(ids: string[], candidates: ScanAccount[], isDemo: boolean): ScanAccount[] {
  const byId = new Map(candidates.map((account) => [account.id, account]));
  const details = ids
    .map((id, index) => ({
      path: `selected_accounts.${index}`,
      message: `no ${isDemo ? 'demo ' : ''}account ${id}`,
      id,
    }))
    .filter(({ id }) => !byId.has(id));
  if (details.length) {
    throw new CwsError(
      'scan.unknown_accounts',
      `unknown ${isDemo ? 'demo ' : ''}account ids: ${details.map((d) => d.id).join(', ')}`,
      details.map(({ path, message }) => ({ path, message })),
    );
  }
  return [...new Set(ids)].map((id) => byId.get(id) as ScanAccount);
}
