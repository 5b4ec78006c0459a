import type { AuditRepository, Durability, SettingsRepository } from '../repositories';
import { CwsError } from '../errors';
import type { EventBus, ScanProgressSnapshot } from '../events';
import { newId } from '../ids';
import { nextTurn } from '../turns';
import type { Provider, ProviderScanner, ScanAccount } from '../model';
import type { PriceTable } from '../pricing/price';
import { quotaPeriodStart, resolveScanPolicy } from '../settings';
import { Limiter } from './limiter';
import { planScan } from './plan';
import { priceDrafts } from './price-findings';
import { runChecks, type RunOutcome } from './run';
import {
  resourceKey,
  TERMINAL_STATUSES,
  type FindingRepository,
  type ScanRecord,
  type ScanRepository,
  type ScanRequest,
  type StoredFinding,
  type TriggerSource,
} from './types';

/** Everything the scan lifecycle needs, injected by runtime/ (or by tests). */
export interface ScanServiceDependencies {
  scans: ScanRepository;
  findings: FindingRepository;
  settings: SettingsRepository;
  audit: AuditRepository;
  bus: EventBus;
  clock: () => Date;
  listAccounts: () => Promise<ScanAccount[]>;
  demoAccounts: ScanAccount[];
  /** Builds the cluster account of a request; throws CwsError k8s.* when it cannot. */
  kubernetesAccount: (request: ScanRequest) => ScanAccount;
  scannerFor: (account: ScanAccount) => ProviderScanner | undefined;
  priceTables: Partial<Record<Provider, PriceTable>>;
  limits: { maxActiveScans: number; checksPerAccount: number; checksPerProvider: number };
  /** Hands a stored, queued scan to the job queue. */
  enqueue: (scanId: string) => void;
  /** Findings of how many completed scans to keep (older ones are pruned). */
  retainScans: number;
}

/** The scan lifecycle: start (plan, quota, queue), execute, cancel, progress and recovery. */
export interface ScanService {
  /** `durability` says whether a caller answers once the scan is stored (an API call does). */
  start(request: ScanRequest, trigger: TriggerSource, durability?: Durability): Promise<ScanRecord>;
  execute(scanId: string, signal: AbortSignal): Promise<void>;
  cancel(scanId: string): Promise<ScanRecord>;
  progress(scanId: string): ScanProgressSnapshot | undefined;
  /** After a restart: running scans end failed `interrupted`; queued ones are returned to re-queue. */
  recover(): Promise<string[]>;
  /** Signals cancellation to a running scan; set by the job queue. */
  onCancelRequested(listener: (scanId: string) => void): void;
}

/** Builds the scan service over its dependencies. */
export function createScanService(deps: ScanServiceDependencies): ScanService {
  const live = new Map<string, ScanProgressSnapshot>();
  // Plans of queued scans, kept so a scan visits exactly what it was admitted with.
  const plannedAccounts = new Map<string, ScanAccount[]>();
  const limiters = new Map<string, Limiter>();
  const cancelListeners: Array<(scanId: string) => void> = [];
  const providerLimiter = (provider: string) => {
    let limiter = limiters.get(provider);
    if (!limiter) limiters.set(provider, (limiter = new Limiter(deps.limits.checksPerProvider)));
    return limiter;
  };
  const setProgress = (scanId: string, progress: ScanProgressSnapshot) => {
    live.set(scanId, progress);
    deps.bus.publish('scan.progress', { scan_id: scanId, progress });
  };

  return {
    async start(request, trigger, durability = 'acknowledged') {
      // 1. Resolve the plan; refusals here never count toward the quota. Listing the accounts and
      // what follows it each run in a turn of their own, so requests get in between.
      await nextTurn();
      const accounts = await deps.listAccounts();
      await nextTurn();
      const plan = planScan(request, {
        accounts,
        demoAccounts: deps.demoAccounts,
        kubernetesAccount:
          request.include_kubernetes || request.kubeconfig_path
            ? () => deps.kubernetesAccount(request)
            : undefined,
      });
      // 2. Admission: active scans and the monthly quota.
      const now = deps.clock();
      const active = deps.scans.countActive();
      if (active >= deps.limits.maxActiveScans) {
        throw new CwsError(
          'scan.too_many_active',
          `${active} scans are queued or running (limit ${deps.limits.maxActiveScans})`,
        );
      }
      const { monthly_scan_limit } = deps.settings.read('quota');
      if (
        monthly_scan_limit !== null &&
        !isDemoOnly(plan.accounts) &&
        deps.scans.countTowardQuota(quotaPeriodStart(now)) + active >= monthly_scan_limit
      ) {
        throw new CwsError(
          'quota.exceeded',
          `monthly scan quota of ${monthly_scan_limit} is used up`,
        );
      }
      // 3. Store it queued and hand it to the queue.
      const scan: ScanRecord = {
        id: newId('scan', now.getTime()),
        status: 'queued',
        trigger_source: trigger,
        request: {
          ...request,
          ...(request.include_kubernetes || request.kubeconfig_path
            ? { include_kubernetes: true }
            : {}),
        },
        selected_accounts: plan.accounts.map((a) => a.id),
        created_at: now.toISOString(),
        started_at: null,
        finished_at: null,
        resources_scanned: 0,
        resources_found: 0,
        estimated_monthly_savings_usd: 0,
        carbon_kg_monthly: 0,
        accounts: [],
        inventory: null,
        includes_kubernetes: plan.accounts.some((a) => a.provider === 'kubernetes'),
        error: null,
        report_email_status: request.report_emails?.length
          ? { status: 'pending', recipients: request.report_emails }
          : null,
        counted_toward_quota: false,
      };
      plannedAccounts.set(scan.id, plan.accounts);
      // The scan and its audit entry share one flush.
      const stored = deps.scans.create(scan, durability);
      const audited = deps.audit.record(
        {
          action: 'scan.started',
          target: `scans/${scan.id}`,
          details: { trigger, accounts: scan.selected_accounts },
        },
        durability,
      );
      await Promise.all([stored, audited]);
      setProgress(scan.id, {
        phase: 'queued',
        checks_total: 0,
        checks_done: 0,
        progress_percent: 0,
      });
      deps.enqueue(scan.id);
      return scan;
    },

    async execute(scanId, signal) {
      // The queue starts a scan as the previous one ends: not in that scan's turn.
      await nextTurn();
      const scan = deps.scans.get(scanId);
      if (!scan || scan.status !== 'queued') return;
      const accounts = plannedAccounts.get(scanId) ?? (await replan(scan));
      plannedAccounts.delete(scanId);
      const startedAt = deps.clock().toISOString();
      // From here on no one waits to answer: the scan's writes share flushes with others'.
      await deps.scans.update(scanId, { status: 'running', started_at: startedAt }, 'background');
      deps.bus.publish('scan.started', { scan_id: scanId });
      await nextTurn();

      const policySettings = deps.settings.read('scan_policy');
      const general = deps.settings.read('general');
      const outcome = await runChecks(accounts, {
        scannerFor: deps.scannerFor,
        policyFor: (account) => resolveScanPolicy(policySettings, account.provider, account.policy),
        timeoutFor: (account) => (account.timeout_seconds ?? general.api_timeout_seconds) * 1000,
        providerLimiter,
        checksPerAccount: deps.limits.checksPerAccount,
        clock: deps.clock,
        signal,
        onProgress: (progress) => setProgress(scanId, progress),
      });

      await nextTurn();
      await finish(scanId, outcome, general.currency, general.currency_rates, isDemoOnly(accounts));
    },

    async cancel(scanId) {
      const scan = deps.scans.get(scanId);
      if (!scan) throw new CwsError('resource.not_found', `no scan ${scanId}`);
      if (TERMINAL_STATUSES.includes(scan.status)) {
        throw new CwsError('scan.not_cancelable', `scan ${scanId} is already ${scan.status}`);
      }
      if (scan.status === 'queued') {
        const finishedAt = deps.clock().toISOString();
        await deps.scans.update(scanId, {
          status: 'canceled',
          finished_at: finishedAt,
          error: 'canceled before it started',
        });
        plannedAccounts.delete(scanId);
        setProgress(scanId, { ...terminalProgress(scanId), phase: 'canceled' });
        deps.bus.publish('scan.canceled', { scan_id: scanId });
        await deps.audit.record({ action: 'scan.canceled', target: `scans/${scanId}` });
      }
      for (const listener of cancelListeners) listener(scanId);
      return deps.scans.get(scanId) as ScanRecord;
    },

    progress(scanId) {
      const current = live.get(scanId);
      if (current) return current;
      const scan = deps.scans.get(scanId);
      if (!scan) return undefined;
      return progressFromRecord(scan);
    },

    async recover() {
      for (const scan of deps.scans.listByStatus('running')) {
        await deps.scans.update(scan.id, {
          status: 'failed',
          finished_at: deps.clock().toISOString(),
          error: 'interrupted',
          counted_toward_quota: false,
        });
        await deps.audit.record({
          action: 'scan.failed',
          target: `scans/${scan.id}`,
          details: { error: 'interrupted' },
        });
      }
      return deps.scans.listByStatus('queued').map((scan) => scan.id);
    },

    onCancelRequested(listener) {
      cancelListeners.push(listener);
    },
  };

  async function replan(scan: ScanRecord): Promise<ScanAccount[]> {
    try {
      return planScan(scan.request, {
        accounts: await deps.listAccounts(),
        demoAccounts: deps.demoAccounts,
        kubernetesAccount: scan.request.include_kubernetes
          ? () => deps.kubernetesAccount(scan.request)
          : undefined,
      }).accounts;
    } catch {
      return [];
    }
  }

  function terminalProgress(scanId: string): ScanProgressSnapshot {
    return (
      live.get(scanId) ?? { phase: 'queued', checks_total: 0, checks_done: 0, progress_percent: 0 }
    );
  }

  async function finish(
    scanId: string,
    outcome: RunOutcome,
    currency: string,
    rates: Record<string, number>,
    demoOnly: boolean,
  ) {
    const now = deps.clock();
    setProgress(scanId, { ...terminalProgress(scanId), phase: 'saving' });
    const findings: StoredFinding[] = outcome.canceled
      ? []
      : price(scanId, outcome, now, currency, rates);
    await nextTurn();
    const succeeded = outcome.checks_total - outcome.checks_failed;
    const status = outcome.canceled ? 'canceled' : succeeded > 0 ? 'completed' : 'failed';
    const firstError = outcome.accounts.flatMap((a) => a.errors)[0];
    // The final state, the pruning and the audit entry share one flush. Each write's transaction
    // runs when it is called, so they apply in this order.
    const saved = deps.scans.finish(
      scanId,
      {
        status,
        finished_at: now.toISOString(),
        accounts: outcome.accounts,
        resources_scanned: outcome.resources_scanned,
        resources_found: findings.length,
        estimated_monthly_savings_usd: round(
          findings.reduce((sum, f) => sum + f.estimated_monthly_cost_usd, 0),
          100,
        ),
        carbon_kg_monthly: round(
          findings.reduce((sum, f) => sum + f.carbon_kg_monthly, 0),
          1000,
        ),
        inventory: Object.keys(outcome.inventory).length ? outcome.inventory : null,
        error:
          status === 'failed'
            ? firstError
              ? `every check failed; first: ${firstError.code}: ${firstError.message}`
              : 'no check ran'
            : status === 'canceled'
              ? 'canceled'
              : null,
        counted_toward_quota: succeeded > 0 && !outcome.canceled && !demoOnly,
      },
      findings,
      'background',
    );
    const pruned = deps.scans.pruneFindings(deps.retainScans, 'background');
    const audited = deps.audit.record(
      {
        action: `scan.${status}`,
        target: `scans/${scanId}`,
        details: { findings: findings.length, checks_failed: outcome.checks_failed },
      },
      'background',
    );
    await Promise.all([saved, pruned, audited]);
    await nextTurn();
    const done = deps.scans.get(scanId) as ScanRecord;
    live.set(scanId, progressFromRecord(done));
    deps.bus.publish('scan.progress', { scan_id: scanId, progress: progressFromRecord(done) });
    live.delete(scanId);
    if (status === 'completed') deps.bus.publish('scan.completed', { scan_id: scanId });
    else if (status === 'canceled') deps.bus.publish('scan.canceled', { scan_id: scanId });
    else deps.bus.publish('scan.failed', { scan_id: scanId, error: done.error ?? 'failed' });
  }

  function price(
    scanId: string,
    outcome: RunOutcome,
    now: Date,
    currency: string,
    rates: Record<string, number>,
  ) {
    const keys = outcome.drafts.map(resourceKey);
    return priceDrafts(outcome.drafts, {
      scanId,
      now,
      currency,
      currencyRates: rates,
      priceTables: deps.priceTables,
      handled: deps.findings.handledFingerprints(),
      firstSeen: deps.findings.firstSeen(keys),
    });
  }
}

/**
 * True when every account a scan visits is the embedded demo cloud. The quota meters scans of real
 * clouds: a demo scan (`demo_mode`, demo account ids, the `--demo` start-up scan) calls no cloud
 * API, so it neither counts toward the monthly quota nor is refused by it. A scan that mixes demo
 * and real accounts counts like any other.
 */
export function isDemoOnly(accounts: ScanAccount[]): boolean {
  return accounts.length > 0 && accounts.every((account) => account.source === 'demo');
}

/** Progress of a stored scan that is not running in this process. */
export function progressFromRecord(scan: ScanRecord): ScanProgressSnapshot {
  const total = scan.accounts.reduce((sum, a) => sum + Math.max(a.checks_total, a.checks_run), 0);
  const done = scan.accounts.reduce((sum, a) => sum + a.checks_run, 0);
  const terminal = TERMINAL_STATUSES.includes(scan.status);
  return {
    phase: terminal
      ? (scan.status as 'completed' | 'failed' | 'canceled')
      : scan.status === 'queued'
        ? 'queued'
        : 'collecting',
    checks_total: total,
    checks_done: done,
    progress_percent: terminal ? 100 : total ? Math.floor((done / total) * 100) : 0,
  };
}

function round(value: number, scale: number): number {
  return Math.round(value * scale) / scale;
}
