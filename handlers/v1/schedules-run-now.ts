import * as v from 'valibot';
import type { Handler } from '../context';
import { json } from '../http';

/** The accepted answer of run-now. */
export const ScheduleRunAccepted = v.object({
  scan_id: v.string(),
  status: v.string(),
  schedule_id: v.string(),
  message: v.string(),
});

/**
 * Starts the schedule's scan now (its next run stays) and answers 202. A refused scan answers
 * with the scan's own error (scan.no_active_checks, quota.exceeded …), also kept in last_error.
 */
export const runScheduleNow: Handler = async (_request, { params, services }) => {
  const id = params.id as string;

  const scan = await services.schedules.runNow(id);

  return json(
    {
      scan_id: scan.id,
      status: scan.status,
      schedule_id: id,
      message: `scan queued for ${scan.selected_accounts.length} account(s); poll GET /v1/scans/${scan.id}`,
    },
    202,
    { location: `/v1/scans/${scan.id}` },
  );
};
