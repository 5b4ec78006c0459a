import * as v from 'valibot';
import type { ScheduleRecord } from '../../core/schedules/types';
import type { Handler } from '../context';
import { json } from '../http';
import { AnyObject } from '../schemas';

/** A schedule as the API shows it; run times are unix seconds. */
export const ScheduleSchema = v.object({
  id: v.string(),
  name: v.string(),
  enabled: v.boolean(),
  run_at: v.nullable(v.number()),
  interval_minutes: v.nullable(v.number()),
  timezone: v.string(),
  cron: v.nullable(v.string()),
  scan: AnyObject,
  next_run_at: v.nullable(v.number()),
  last_run_at: v.nullable(v.number()),
  last_scan_id: v.nullable(v.string()),
  last_error: v.nullable(v.string()),
  created_at: v.string(),
  updated_at: v.string(),
});

/** The response form of a schedule (every stored field is public). */
export function presentSchedule(schedule: ScheduleRecord): v.InferOutput<typeof ScheduleSchema> {
  return { ...schedule, scan: { ...schedule.scan } };
}

/** Returns one schedule. */
export const getSchedule: Handler = (_request, { params, services }) => {
  const id = params.id as string;

  const schedule = services.schedules.get(id);

  return json(presentSchedule(schedule));
};
