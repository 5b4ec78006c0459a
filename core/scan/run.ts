import type { ScanProgressSnapshot } from '../events';
import type {
  CallOptions,
  CheckResult,
  CheckSpec,
  FindingDraft,
  Outcome,
  ProviderScanner,
  ScanAccount,
  ScanPolicy,
} from '../model';
import { Limiter, mapLimited } from './limiter';
import type { AccountResult, CheckError } from './types';

/** What running a scan's checks needs. */
export interface RunDependencies {
  scannerFor: (account: ScanAccount) => ProviderScanner | undefined;
  policyFor: (account: ScanAccount) => ScanPolicy;
  /** Per-call bound in milliseconds for an account (its own timeout, else the global setting). */
  timeoutFor: (account: ScanAccount) => number;
  /** Shared across scans: how many checks of one provider run at once. */
  providerLimiter: (provider: string) => Limiter;
  /** Checks of one account in flight at once. */
  checksPerAccount: number;
  clock: () => Date;
  signal: AbortSignal;
  onProgress: (progress: ScanProgressSnapshot) => void;
}

/** Everything the checks of a scan produced. */
export interface RunOutcome {
  accounts: AccountResult[];
  drafts: FindingDraft[];
  inventory: Record<string, unknown>;
  resources_scanned: number;
  checks_total: number;
  checks_failed: number;
  canceled: boolean;
}

/**
 * Plans and runs every check of every account (ARCHITECTURE.md steps 2–4). A failed check is
 * recorded against that check only; an abort stops work at the next call and marks the run canceled.
 */
export async function runChecks(
  accounts: ScanAccount[],
  deps: RunDependencies,
): Promise<RunOutcome> {
  const progress = { total: 0, done: 0, phase: 'planning' as ScanProgressSnapshot['phase'] };
  const report = () =>
    deps.onProgress({
      phase: progress.phase,
      checks_total: progress.total,
      checks_done: progress.done,
      progress_percent: progress.total ? Math.floor((progress.done / progress.total) * 100) : 0,
    });
  const results = accounts.map(emptyResult);
  const drafts: FindingDraft[] = [];
  const inventory: Record<string, unknown> = {};
  report();

  // 1. Plan each account's checks; an account whose plan fails counts as one failed check.
  const planned = await Promise.all(
    accounts.map(async (account, index) => {
      const result = results[index] as AccountResult;
      const scanner = deps.scannerFor(account);
      if (!scanner) {
        countInstantCheck(result, progress);
        fail(
          result,
          { id: 'plan', account_id: account.id, region: '-', label: 'plan' },
          {
            code: 'provider.unavailable',
            message: `no scanner for provider ${account.provider}`,
            category: 'invalid',
          },
        );
        return [];
      }
      const outcome = await guard(() =>
        deps
          .providerLimiter(account.provider)
          .run(() => scanner.planChecks(account, callOptions(account, deps))),
      );
      if (!outcome.ok) {
        countInstantCheck(result, progress);
        fail(
          result,
          { id: 'plan', account_id: account.id, region: '-', label: 'plan' },
          outcome.reason,
        );
        return [];
      }
      result.checks_total = outcome.value.length;
      progress.total += outcome.value.length;
      for (const region of unavailableRegions(account, outcome.value)) {
        countInstantCheck(result, progress);
        fail(
          result,
          { id: `${account.id}:${region}`, account_id: account.id, region, label: region },
          {
            code: 'region.unavailable',
            message: `region ${region} is not enabled for this account or does not exist`,
            category: 'invalid',
          },
        );
      }
      report();
      return outcome.value;
    }),
  );
  progress.phase = 'collecting';
  report();

  // 2. Run the checks, bounded per account and per provider.
  await Promise.all(
    accounts.map(async (account, index) => {
      const result = results[index] as AccountResult;
      const scanner = deps.scannerFor(account);
      const checks = planned[index] ?? [];
      if (!scanner || !checks.length) return;
      result.status = 'running';
      await mapLimited(checks, deps.checksPerAccount, async (check) => {
        if (deps.signal.aborted) return;
        const outcome = await guard(() =>
          deps
            .providerLimiter(account.provider)
            .run(() => scanner.runCheck(account, check, callOptions(account, deps))),
        );
        result.checks_run += 1;
        progress.done += 1;
        if (outcome.ok) absorb(result, outcome.value, drafts, inventory, account, check);
        else fail(result, check, outcome.reason);
        report();
      });
    }),
  );

  // 3. Settle each account's status.
  const canceled = deps.signal.aborted;
  for (const result of results) settle(result, canceled);
  return {
    accounts: results,
    drafts,
    inventory,
    resources_scanned: results.reduce((sum, r) => sum + r.resources_scanned, 0),
    checks_total: results.reduce((sum, r) => sum + Math.max(r.checks_total, r.checks_run), 0),
    checks_failed: results.reduce((sum, r) => sum + r.checks_failed, 0),
    canceled,
  };
}

/**
 * Requested regions that a regional provider did not plan a check for: a typo or a region the
 * account has not enabled. Providers that plan one account-wide check (an Azure subscription, a
 * cluster) filter by region themselves.
 */
function unavailableRegions(account: ScanAccount, checks: CheckSpec[]): string[] {
  if (!account.regions.length) return [];
  const planned = new Set(checks.map((check) => check.region));
  if ([...planned].some((region) => ACCOUNT_WIDE_CHECKS.has(region))) return [];
  return account.regions.filter((region) => !planned.has(region));
}

const ACCOUNT_WIDE_CHECKS = new Set(['global', 'cluster', 'subscription']);

/** A check that failed before it could run (planning, an unavailable region) still counts as one. */
function countInstantCheck(result: AccountResult, progress: { total: number; done: number }): void {
  result.checks_total += 1;
  result.checks_run += 1;
  progress.total += 1;
  progress.done += 1;
}

function emptyResult(account: ScanAccount): AccountResult {
  return {
    account_id: account.id,
    provider: account.provider,
    name: account.name,
    status: 'pending',
    checks_total: 0,
    checks_run: 0,
    checks_failed: 0,
    resources_scanned: 0,
    findings: 0,
    errors: [],
    warnings: [],
  };
}

function callOptions(account: ScanAccount, deps: RunDependencies): CallOptions {
  return {
    signal: deps.signal,
    timeout_ms: deps.timeoutFor(account),
    policy: deps.policyFor(account),
    now: deps.clock(),
  };
}

/**
 * Runs a scanner call and turns an unexpected throw into a failed outcome, so one broken check never
 * ends the scan. Aborts are reported the same way; the caller reads the signal.
 */
async function guard<T>(call: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await call();
  } catch (error) {
    const name = (error as Error)?.name;
    const aborted = name === 'AbortError';
    return {
      ok: false,
      reason: {
        code: aborted ? 'canceled' : 'internal',
        message: aborted ? 'canceled' : describe(error),
        category: aborted ? 'timeout' : 'internal',
      },
    };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function absorb(
  result: AccountResult,
  value: CheckResult,
  drafts: FindingDraft[],
  inventory: Record<string, unknown>,
  account: ScanAccount,
  check: CheckSpec,
): void {
  result.resources_scanned += value.resources_scanned;
  result.findings += value.drafts.length;
  result.warnings.push(...(value.warnings ?? []));
  drafts.push(...value.drafts);
  if (value.inventory) inventory[`${account.id}:${check.region}`] = value.inventory;
}

function fail(
  result: AccountResult,
  check: CheckSpec,
  reason: { code: string; message: string; category: CheckError['category'] },
): void {
  result.checks_failed += 1;
  result.errors.push({ check: check.id, region: check.region, ...reason });
}

function settle(result: AccountResult, canceled: boolean): void {
  if (canceled) result.status = 'canceled';
  else if (result.checks_failed === 0) result.status = 'completed';
  else if (result.checks_failed < Math.max(result.checks_run, 1) || result.resources_scanned > 0)
    result.status = 'partial';
  else result.status = 'failed';
}
