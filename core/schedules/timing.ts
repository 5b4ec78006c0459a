import { Cron } from 'croner';
import type { ScheduleTiming } from './types';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
/** Scans are heavy: no schedule may run more often than once a minute. */
const MIN_GAP_MS = MINUTE_MS;

/** A checked timing, or the field at fault and why. */
export type TimingCheck =
  { ok: true; value: ScheduleTiming } | { ok: false; field: string; message: string };

/**
 * Checks a timing and returns it with the time zone in its canonical spelling. Exactly one of
 * `cron` and `run_at` is given; the zone must be an IANA name; a cron pattern must parse, run at
 * least once more, and fire no more than once a minute. Failures name the field at fault.
 */
export function checkTiming(timing: ScheduleTiming): TimingCheck {
  const zone = canonicalTimeZone(timing.timezone);
  if (!zone) return invalid('timezone', `${timing.timezone} is not an IANA time zone name`);
  const checked = { ...timing, timezone: zone };
  if (checked.cron !== null) {
    if (checked.run_at !== null || checked.interval_minutes !== null) {
      return invalid('cron', 'give either cron or run_at (with interval_minutes), not both');
    }
    return checkCron(checked);
  }
  if (checked.run_at === null) {
    return invalid('run_at', 'give run_at (unix seconds) or a cron pattern');
  }
  return { ok: true, value: checked };
}

/**
 * The first run at or after `from` (`inclusive`) or strictly after it, in unix seconds; null when
 * the schedule has no run left (a one-off whose time has passed, a cron pattern that ended).
 * Intervals that are whole days keep run_at's wall-clock time in the zone across daylight-saving
 * changes (a nightly 02:00 stays 02:00); other intervals are fixed lengths of time.
 */
export function nextRunAt(timing: ScheduleTiming, from: Date, inclusive: boolean): number | null {
  const fromMs = from.getTime();
  if (timing.cron !== null) {
    // croner searches strictly after its reference; one millisecond back makes `from` eligible.
    const next = cronOf(timing).nextRun(new Date(inclusive ? fromMs - 1 : fromMs));
    return next ? Math.floor(next.getTime() / 1000) : null;
  }
  const startMs = (timing.run_at as number) * 1000;
  const isDue = (ms: number) => (inclusive ? ms >= fromMs : ms > fromMs);
  if (timing.interval_minutes === null) return isDue(startMs) ? startMs / 1000 : null;
  const intervalMs = timing.interval_minutes * MINUTE_MS;
  // Start one step early: a daylight-saving shift can move a calendar step by an hour.
  let step = Math.max(0, Math.floor((fromMs - startMs) / intervalMs) - 1);
  const runOf =
    timing.interval_minutes % DAY_MINUTES === 0
      ? (k: number) =>
          addZonedDays(startMs, (k * timing.interval_minutes!) / DAY_MINUTES, timing.timezone)
      : (k: number) => startMs + k * intervalMs;
  while (!isDue(runOf(step))) step += 1;
  return Math.floor(runOf(step) / 1000);
}

/** The zone's canonical IANA name, or undefined when the runtime does not know it. */
export function canonicalTimeZone(name: string): string | undefined {
  // Building a DateTimeFormat costs far more than a lookup, and every run asks again.
  if (!canonicalZones.has(name)) {
    let canonical: string | undefined;
    try {
      canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    } catch {
      canonical = undefined;
    }
    if (canonicalZones.size < MAX_REMEMBERED_ZONES) canonicalZones.set(name, canonical);
    return canonical;
  }
  return canonicalZones.get(name);
}

/** Zone names already resolved (bounded: the names come from requests). */
const canonicalZones = new Map<string, string | undefined>();
const MAX_REMEMBERED_ZONES = 1000;

function checkCron(timing: ScheduleTiming): TimingCheck {
  let runs: Date[];
  try {
    runs = cronOf(timing).nextRuns(3);
  } catch (error) {
    return invalid('cron', `is not a valid cron pattern: ${(error as Error).message}`);
  }
  if (!runs.length) return invalid('cron', 'never runs again');
  for (let index = 1; index < runs.length; index += 1) {
    if (runs[index]!.getTime() - runs[index - 1]!.getTime() < MIN_GAP_MS) {
      return invalid('cron', 'must not run more often than once a minute');
    }
  }
  return { ok: true, value: timing };
}

function cronOf(timing: ScheduleTiming): Cron {
  // Without a callback croner only computes times: no timer is started.
  return new Cron(timing.cron as string, { timezone: timing.timezone, paused: true });
}

/** `startMs` moved by whole calendar days in `zone`, keeping its wall-clock time there. */
function addZonedDays(startMs: number, days: number, zone: string): number {
  const wall = wallClock(startMs, zone);
  const shifted = Date.UTC(
    wall.year,
    wall.month - 1,
    wall.day + days,
    wall.hour,
    wall.minute,
    wall.second,
  );
  // Interpret the shifted wall time in the zone: subtract the zone's offset, twice so that a
  // change of offset between the guess and the answer is taken into account.
  let guess = shifted - zoneOffsetMs(shifted, zone);
  guess = shifted - zoneOffsetMs(guess, zone);
  return guess;
}

function zoneOffsetMs(instantMs: number, zone: string): number {
  const wall = wallClock(instantMs, zone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(instantMs: number, zone: string) {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instantMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year as number,
    month: parts.month as number,
    day: parts.day as number,
    hour: parts.hour as number,
    minute: parts.minute as number,
    second: parts.second as number,
  };
}

function invalid(field: string, message: string): TimingCheck {
  return { ok: false, field, message };
}
