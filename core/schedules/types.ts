import type { Page, PageRequest } from '../pagination';
import type { Durability } from '../repositories';
import type { ScanRequest } from '../scan/types';

/**
 * When a schedule runs: from `run_at` every `interval_minutes` (once when there is no interval),
 * or on a cron pattern; both read in an IANA time zone.
 */
export interface ScheduleTiming {
  /** Unix seconds of the first run; null for cron schedules. */
  run_at: number | null;
  interval_minutes: number | null;
  cron: string | null;
  timezone: string;
}

/** A schedule as stored; times of runs are unix seconds, record times RFC 3339. */
export interface ScheduleRecord extends ScheduleTiming {
  id: string;
  name: string;
  enabled: boolean;
  /** The POST /v1/scans body each run starts. */
  scan: ScanRequest;
  /** Null when disabled or when a one-off schedule has run. */
  next_run_at: number | null;
  last_run_at: number | null;
  last_scan_id: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** Schedules as stored: every change resolves once it is on disk. */
export interface ScheduleRepository {
  create(schedule: ScheduleRecord): Promise<void>;
  get(id: string): ScheduleRecord | undefined;
  list(page: PageRequest): Page<ScheduleRecord>;
  /** Enabled schedules with a next run, soonest first. */
  listArmed(): ScheduleRecord[];
  /**
   * Up to `limit` enabled schedules due at or before `dueBy` (unix seconds), soonest first, after
   * the (next_run_at, id) key `after` when given.
   */
  listDue(dueBy: number, limit: number, after?: { at: number; id: string }): ScheduleRecord[];
  /** Unix seconds of the soonest next run of an enabled schedule. */
  soonestRunAt(): number | undefined;
  update(id: string, patch: Partial<ScheduleRecord>, durability?: Durability): Promise<void>;
  remove(id: string): Promise<boolean>;
}
