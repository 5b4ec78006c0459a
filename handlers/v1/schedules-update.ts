import * as v from 'valibot';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';
import { nonEmptyPatch } from '../schemas';
import { ScheduleFields } from './schedules-create';
import { presentSchedule } from './schedules-get';

/**
 * PATCH body: any subset of the schedule fields. Naming `cron` turns the schedule into a cron
 * schedule (run_at and interval_minutes are cleared), naming `run_at` into an interval one.
 */
export const SchedulePatch = nonEmptyPatch(
  v.strictObject(
    {
      name: v.optional(ScheduleFields.name),
      enabled: v.optional(ScheduleFields.enabled),
      run_at: v.optional(ScheduleFields.run_at),
      interval_minutes: v.optional(ScheduleFields.interval_minutes),
      timezone: v.optional(ScheduleFields.timezone),
      cron: v.optional(ScheduleFields.cron),
      scan: v.optional(ScheduleFields.scan),
    },
    'is not a schedule field',
  ),
);

/** Changes a schedule; a new timing or enabled state recomputes next_run_at from now. */
export const updateSchedule: Handler = async (request, { params, services }) => {
  const body = await readJsonBody(request);

  const patch = validate(SchedulePatch, body);

  const schedule = await services.schedules.update(params.id as string, patch);

  return json(presentSchedule(schedule));
};
