import { DEMO_ACCOUNT_IDS } from '../demo/accounts';
import { CwsError, type ErrorDetail } from '../errors';
import { newId } from '../ids';
import type { ScanAccount } from '../model';
import type { Page, PageRequest } from '../pagination';
import type { AuditRepository, Durability } from '../repositories';
import type { ScanRecord, ScanRequest, ScanStatus } from '../scan/types';
import { checkTiming, nextRunAt } from './timing';
import type { ScheduleRecord, ScheduleRepository, ScheduleTiming } from './types';

/** Due schedules started at once in one pass. */
export const RUNS_AT_ONCE = 8;
/** Due schedules read per query in a pass: a burst of due runs is read in pieces, not at once. */
const DUE_PAGE = RUNS_AT_ONCE;
/** Schedules read per page when looking for those that target an account. */
const TARGETING_PAGE = 250;

/** What the schedule lifecycle needs, injected by runtime/ (or by tests). */
export interface ScheduleServiceDependencies {
  schedules: ScheduleRepository;
  audit: AuditRepository;
  clock: () => Date;
  /** Starts a scan on behalf of a schedule; throws CwsError when the scan is refused. */
  startScan: (request: ScanRequest, durability: Durability) => Promise<ScanRecord>;
  /** The status of a scan, to skip a run while the previous one is still going. */
  scanStatus: (scanId: string) => ScanStatus | undefined;
  /**
   * Every scannable account (GET /v1/accounts), to refuse a `scan.selected_accounts` id when the
   * schedule is saved rather than at its first run. Demo account ids are always known.
   */
  listAccounts: () => Promise<ScanAccount[]>;
  /**
   * Waits until another due run may start and returns the call that reports its end; the runtime
   * paces runs by the event loop's lag so a burst of due schedules does not starve requests.
   * Absent: up to RUNS_AT_ONCE at once, unpaced.
   */
  admitRun?: () => Promise<() => void>;
}

/** A new schedule, after schema validation. */
export interface ScheduleInput {
  name: string;
  enabled: boolean;
  run_at: number | null;
  interval_minutes: number | null;
  cron: string | null;
  timezone: string;
  scan: ScanRequest;
}

/** What one run did, for the one log line per scheduled run. */
export interface ScheduleRunReport {
  schedule_id: string;
  scan_id: string | null;
  /** `<code>: <message>` when the scan was refused, `skipped: …` when the run was skipped. */
  error: string | null;
  /** The unexpected failure behind an `internal.error`, for the log only. */
  cause?: unknown;
}

/** Schedules: their definitions, their next runs, and starting their scans. */
export interface ScheduleService {
  create(input: ScheduleInput): Promise<ScheduleRecord>;
  /** Changes the named fields; a change of timing or `enabled` recomputes the next run from now. */
  update(id: string, patch: Partial<ScheduleInput>): Promise<ScheduleRecord>;
  remove(id: string): Promise<void>;
  get(id: string): ScheduleRecord;
  list(page: PageRequest): Page<ScheduleRecord>;
  /** Starts the schedule's scan now; its next run stays. A refused scan is recorded, then thrown. */
  runNow(id: string): Promise<ScanRecord>;
  /** Runs every schedule that is due, each once however many of its runs were missed. */
  runDue(): Promise<ScheduleRunReport[]>;
  /** After a restart: next runs still ahead are recomputed; missed ones stay due for runDue. */
  recover(): Promise<void>;
  /** Unix milliseconds of the soonest next run, if any. */
  nextWakeAt(): number | undefined;
  /** Schedules whose scan names the account in `selected_accounts`, oldest first. */
  targeting(accountId: string): ScheduleRecord[];
  /** Called after every change that can move the soonest next run. */
  onChange(listener: () => void): void;
}

/** Builds the schedule service over its dependencies. */
export function createScheduleService(deps: ScheduleServiceDependencies): ScheduleService {
  const admitRun = deps.admitRun ?? (async () => () => {});
  const listeners: Array<() => void> = [];
  const changed = () => listeners.forEach((listener) => listener());
  const get = (id: string) => {
    const schedule = deps.schedules.get(id);
    if (!schedule) throw new CwsError('resource.not_found', `no schedule ${id}`);
    return schedule;
  };

  return {
    async create(input) {
      const now = deps.clock();
      const timing = checked(input);
      await checkAccounts(input.scan);
      const next = input.enabled ? nextRunAt(timing, now, true) : null;
      if (input.enabled && next === null) throw pastOneOff();
      const schedule: ScheduleRecord = {
        id: newId('sch', now.getTime()),
        name: input.name,
        enabled: input.enabled,
        ...timing,
        scan: input.scan,
        next_run_at: next,
        last_run_at: null,
        last_scan_id: null,
        last_error: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      };
      await deps.schedules.create(schedule);
      await deps.audit.record({
        action: 'schedule.created',
        target: `schedules/${schedule.id}`,
        details: { name: schedule.name, enabled: schedule.enabled },
      });
      changed();
      return schedule;
    },

    async update(id, patch) {
      const current = get(id);
      const now = deps.clock();
      const timing = checked(mergeTiming(current, patch));
      if (patch.scan !== undefined) await checkAccounts(patch.scan);
      const enabled = patch.enabled ?? current.enabled;
      const retime =
        enabled !== current.enabled ||
        (Object.keys(timing) as Array<keyof ScheduleTiming>).some((k) => timing[k] !== current[k]);
      const next = !enabled ? null : retime ? nextRunAt(timing, now, true) : current.next_run_at;
      if (enabled && retime && next === null) throw pastOneOff();
      const changes: Partial<ScheduleRecord> = {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.scan !== undefined ? { scan: patch.scan } : {}),
        ...timing,
        enabled,
        next_run_at: next,
        updated_at: now.toISOString(),
      };
      await deps.schedules.update(id, changes);
      await deps.audit.record({
        action: 'schedule.updated',
        target: `schedules/${id}`,
        details: { fields: Object.keys(patch) },
      });
      changed();
      return get(id);
    },

    async remove(id) {
      if (!(await deps.schedules.remove(id))) {
        throw new CwsError('resource.not_found', `no schedule ${id}`);
      }
      await deps.audit.record({ action: 'schedule.deleted', target: `schedules/${id}` });
      changed();
    },

    get,

    list(page) {
      return deps.schedules.list(page);
    },

    async runNow(id) {
      const schedule = get(id);
      const outcome = await run(schedule, deps.clock(), false);
      if (outcome.failure) throw outcome.failure;
      return outcome.scan as ScanRecord;
    },

    async runDue() {
      const dueBy = deps.clock().getTime() / 1000;
      const reports: ScheduleRunReport[] = [];
      // Read in pages along (next_run_at, id): a run moves its schedule past `dueBy`, so the key
      // of the last one taken is where the next page starts.
      let page: ScheduleRecord[] = [];
      let isExhausted = false;
      let after: { at: number; id: string } | undefined;
      const takeDue = (): ScheduleRecord | undefined => {
        if (!page.length && !isExhausted) {
          page = deps.schedules.listDue(dueBy, DUE_PAGE, after);
          isExhausted = page.length < DUE_PAGE;
        }
        const schedule = page.shift();
        if (schedule) after = { at: schedule.next_run_at as number, id: schedule.id };
        return schedule;
      };
      // A few runs at a time: their durable writes then share file flushes. Admission stays exact
      // because a scan is counted and stored in one synchronous step.
      const runner = async () => {
        for (let schedule = takeDue(); schedule; schedule = takeDue()) {
          const ended = await admitRun();
          try {
            reports.push((await run(schedule, deps.clock(), true)).report);
          } finally {
            ended();
          }
        }
      };
      await Promise.all(Array.from({ length: RUNS_AT_ONCE }, runner));
      if (reports.length) changed();
      return reports;
    },

    async recover() {
      const now = deps.clock();
      for (const schedule of deps.schedules.listArmed()) {
        if ((schedule.next_run_at as number) * 1000 <= now.getTime()) continue;
        const next = nextRunAt(schedule, now, true);
        if (next !== schedule.next_run_at) {
          await deps.schedules.update(schedule.id, { next_run_at: next });
        }
      }
      changed();
    },

    nextWakeAt() {
      const soonest = deps.schedules.soonestRunAt();
      return soonest === undefined ? undefined : soonest * 1000;
    },

    targeting(accountId) {
      const found: ScheduleRecord[] = [];
      let page: PageRequest = { limit: TARGETING_PAGE };
      for (;;) {
        const { items, next } = deps.schedules.list(page);
        found.push(...items.filter((s) => s.scan.selected_accounts?.includes(accountId)));
        if (!next) return found;
        page = { limit: TARGETING_PAGE, after: next };
      }
    },

    onChange(listener) {
      listeners.push(listener);
    },
  };

  /**
   * Refuses `selected_accounts` ids no scan could resolve, the way POST /v1/scans does: any
   * scannable account or demo account, and only demo accounts in demo mode.
   */
  async function checkAccounts(scan: ScanRequest): Promise<void> {
    const ids = scan.selected_accounts ?? [];
    if (ids.length === 0) return;
    const isDemo = scan.demo_mode === true;
    const known = new Set<string>(Object.values(DEMO_ACCOUNT_IDS));
    if (!isDemo) for (const account of await deps.listAccounts()) known.add(account.id);
    const unknown: (ErrorDetail & { id: string })[] = ids
      .map((id, index) => ({
        path: `scan.selected_accounts.${index}`,
        message: `no ${isDemo ? 'demo ' : ''}account ${id} (see GET /v1/accounts)`,
        id,
      }))
      .filter(({ id }) => !known.has(id));
    if (unknown.length === 0) return;
    throw new CwsError(
      'scan.unknown_accounts',
      `unknown ${isDemo ? 'demo ' : ''}account ids: ${unknown.map((d) => d.id).join(', ')}`,
      unknown.map(({ path, message }) => ({ path, message })),
    );
  }

  /**
   * One run: skip while the previous scan of a scheduled run is still going, otherwise start the
   * scan; either way record the outcome, and for a scheduled run move to the first run after now.
   */
  async function run(
    schedule: ScheduleRecord,
    now: Date,
    scheduled: boolean,
  ): Promise<{ report: ScheduleRunReport; scan?: ScanRecord; failure?: CwsError }> {
    let scan: ScanRecord | undefined;
    let error: string | null = null;
    let failure: CwsError | undefined;
    let cause: unknown;
    // A run the timer fired answers no one; a run-now call answers once the run is recorded.
    const durability: Durability = scheduled ? 'background' : 'acknowledged';
    const previous = schedule.last_scan_id ? deps.scanStatus(schedule.last_scan_id) : undefined;
    const isSkipped = scheduled && (previous === 'queued' || previous === 'running');
    if (isSkipped) {
      error = `skipped: scan ${schedule.last_scan_id} is still ${previous}`;
    } else {
      try {
        scan = await deps.startScan(schedule.scan, durability);
      } catch (thrown) {
        failure =
          thrown instanceof CwsError ? thrown : new CwsError('internal.error', 'unexpected error');
        if (!(thrown instanceof CwsError)) cause = thrown;
        error = `${failure.code}: ${failure.message}`;
      }
    }
    await deps.schedules.update(
      schedule.id,
      {
        last_run_at: Math.floor(now.getTime() / 1000),
        last_scan_id: scan?.id ?? (isSkipped ? schedule.last_scan_id : null),
        last_error: error,
        ...(scheduled ? { next_run_at: nextRunAt(schedule, now, false) } : {}),
      },
      durability,
    );
    return {
      report: { schedule_id: schedule.id, scan_id: scan?.id ?? null, error, cause },
      scan,
      failure,
    };
  }
}

function checked(timing: ScheduleTiming): ScheduleTiming {
  const result = checkTiming(timing);
  if (result.ok) return result.value;
  const text = /^(must|is|has|needs|never) /.test(result.message)
    ? `${result.field} ${result.message}`
    : result.message;
  throw new CwsError('request.validation_failed', text, [
    { path: result.field, message: result.message },
  ]);
}

function pastOneOff(): CwsError {
  return new CwsError(
    'request.validation_failed',
    'run_at is in the past and there is no interval_minutes: the schedule would never run',
    [{ path: 'run_at', message: 'is in the past for a schedule that runs once' }],
  );
}

/**
 * The timing after a PATCH. Naming `cron` switches to a cron schedule and naming `run_at` to an
 * interval one, so a PATCH never leaves both set by accident; naming both is refused by the check.
 */
function mergeTiming(current: ScheduleTiming, patch: Partial<ScheduleInput>): ScheduleTiming {
  const next: ScheduleTiming = {
    run_at: current.run_at,
    interval_minutes: current.interval_minutes,
    cron: current.cron,
    timezone: patch.timezone ?? current.timezone,
  };
  if (patch.cron !== undefined && patch.cron !== null && patch.run_at === undefined) {
    next.run_at = null;
    next.interval_minutes = null;
  }
  if (patch.run_at !== undefined && patch.run_at !== null && patch.cron === undefined) {
    next.cron = null;
  }
  if (patch.cron !== undefined) next.cron = patch.cron;
  if (patch.run_at !== undefined) next.run_at = patch.run_at;
  if (patch.interval_minutes !== undefined) next.interval_minutes = patch.interval_minutes;
  return next;
}
