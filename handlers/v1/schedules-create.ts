import * as v from 'valibot';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';
import { boundedInteger } from '../schemas';
import { ScanCreateBody } from './scans-create';
import { presentSchedule } from './schedules-get';

/** The longest interval: a leap year of minutes. */
const MAX_INTERVAL_MINUTES = 527_040;

/** Schedule fields shared by POST and PATCH (before defaults). */
export const ScheduleFields = {
  name: v.pipe(
    v.string('must be a string'),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(200, 'must be at most 200 characters'),
  ),
  enabled: v.boolean('must be true or false'),
  run_at: v.nullable(
    v.pipe(
      v.number('must be unix seconds'),
      v.integer('must be whole unix seconds'),
      v.minValue(0, 'must be unix seconds'),
      v.maxValue(253_402_300_799, 'must be before the year 10000'),
      v.description('First run, unix seconds.'),
    ),
  ),
  interval_minutes: v.nullable(
    v.pipe(
      boundedInteger(1, MAX_INTERVAL_MINUTES),
      v.description(
        'Minutes between runs from run_at; absent or null runs once. Whole days keep the wall-clock time of run_at in timezone across daylight-saving changes.',
      ),
    ),
  ),
  timezone: v.pipe(
    v.string('must be an IANA time zone name'),
    v.trim(),
    v.minLength(1, 'must be an IANA time zone name'),
    v.maxLength(64),
    v.description('IANA time zone name such as UTC or Europe/Berlin.'),
  ),
  cron: v.nullable(
    v.pipe(
      v.string('must be a cron pattern'),
      v.trim(),
      v.minLength(1, 'must be a cron pattern'),
      v.maxLength(200),
      v.description(
        'Cron pattern (5 or 6 fields, croner syntax) read in timezone; instead of run_at. At most one run a minute.',
      ),
    ),
  ),
  scan: ScanCreateBody,
};

/** POST /v1/schedules body: run_at (+ interval_minutes) or cron; `scan` is a POST /v1/scans body. */
export const ScheduleCreateBody = v.strictObject(
  {
    name: ScheduleFields.name,
    enabled: v.optional(ScheduleFields.enabled, true),
    run_at: v.optional(ScheduleFields.run_at, null),
    interval_minutes: v.optional(ScheduleFields.interval_minutes, null),
    timezone: v.optional(ScheduleFields.timezone, 'UTC'),
    cron: v.optional(ScheduleFields.cron, null),
    scan: v.optional(ScheduleFields.scan, {}),
  },
  'is not a schedule field',
);

/** Creates a schedule and answers 201 with it, next_run_at included. */
export const createSchedule: Handler = async (request, { services }) => {
  const body = await readJsonBody(request);

  const input = validate(ScheduleCreateBody, body);

  const schedule = await services.schedules.create(input);

  return json(presentSchedule(schedule), 201, { location: `/v1/schedules/${schedule.id}` });
};
