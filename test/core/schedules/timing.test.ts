import { describe, expect, it } from 'bun:test';
import { checkTiming, nextRunAt } from '../../../core/schedules/timing';
import type { ScheduleTiming } from '../../../core/schedules/types';

const at = (iso: string) => Date.parse(iso) / 1000;
const interval = (run_at: number, minutes: number | null, timezone = 'UTC'): ScheduleTiming => ({
  run_at,
  interval_minutes: minutes,
  cron: null,
  timezone,
});

describe('nextRunAt', () => {
  it('finds the first run_at + k·interval at or after now, or strictly after', () => {
    const timing = interval(at('2026-01-01T00:00:00Z'), 90);
    const now = new Date('2026-01-01T03:00:00Z');
    expect(nextRunAt(timing, now, true)).toBe(at('2026-01-01T03:00:00Z'));
    expect(nextRunAt(timing, now, false)).toBe(at('2026-01-01T04:30:00Z'));
    expect(nextRunAt(timing, new Date('2025-12-01T00:00:00Z'), true)).toBe(timing.run_at);
  });

  it('runs a one-off schedule once', () => {
    const timing = interval(at('2026-01-01T00:00:00Z'), null);
    expect(nextRunAt(timing, new Date('2025-12-31T00:00:00Z'), true)).toBe(timing.run_at);
    expect(nextRunAt(timing, new Date('2026-01-01T00:00:00Z'), false)).toBeNull();
  });

  it('steps whole days in the zone, keeping the wall-clock time over DST changes', () => {
    // 09:00 in New York; DST starts 2026-03-08 and ends 2026-11-01.
    const timing = interval(at('2026-03-06T14:00:00Z'), 1440, 'America/New_York');
    expect(nextRunAt(timing, new Date('2026-03-08T00:00:00Z'), true)).toBe(
      at('2026-03-08T13:00:00Z'),
    );
    expect(nextRunAt(timing, new Date('2026-11-01T00:00:00Z'), true)).toBe(
      at('2026-11-01T14:00:00Z'),
    );
    const weekly = interval(at('2026-03-06T14:00:00Z'), 10080, 'America/New_York');
    expect(nextRunAt(weekly, new Date('2026-03-07T00:00:00Z'), true)).toBe(
      at('2026-03-13T13:00:00Z'),
    );
  });

  it('keeps fixed lengths for intervals that are not whole days', () => {
    const timing = interval(at('2026-03-08T05:00:00Z'), 360, 'America/New_York');
    expect(nextRunAt(timing, new Date('2026-03-08T06:00:00Z'), true)).toBe(
      at('2026-03-08T11:00:00Z'),
    );
  });

  it('reads cron patterns in the zone', () => {
    const timing: ScheduleTiming = {
      run_at: null,
      interval_minutes: null,
      cron: '0 9 * * 1',
      timezone: 'Asia/Tokyo',
    };
    expect(nextRunAt(timing, new Date('2026-12-01T00:00:00Z'), true)).toBe(
      at('2026-12-07T00:00:00Z'),
    );
    expect(nextRunAt(timing, new Date('2026-12-07T00:00:00Z'), true)).toBe(
      at('2026-12-07T00:00:00Z'),
    );
    expect(nextRunAt(timing, new Date('2026-12-07T00:00:00Z'), false)).toBe(
      at('2026-12-14T00:00:00Z'),
    );
  });
});

describe('checkTiming', () => {
  it('canonicalises the zone name', () => {
    const checked = checkTiming({ ...interval(0, 60), timezone: 'europe/paris' });
    expect(checked).toEqual({ ok: true, value: { ...interval(0, 60), timezone: 'Europe/Paris' } });
  });

  it.each([
    [{ ...interval(0, 60), timezone: 'Nowhere/City' }, 'timezone'],
    [{ run_at: null, interval_minutes: null, cron: null, timezone: 'UTC' }, 'run_at'],
    [{ run_at: 0, interval_minutes: null, cron: '* * * * *', timezone: 'UTC' }, 'cron'],
    [{ run_at: null, interval_minutes: null, cron: '* * *', timezone: 'UTC' }, 'cron'],
    [{ run_at: null, interval_minutes: null, cron: '* * * * * *', timezone: 'UTC' }, 'cron'],
  ])('refuses %j naming %s', (timing, field) => {
    const checked = checkTiming(timing as ScheduleTiming);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.field).toBe(field);
  });
});
