import * as v from 'valibot';
import { quotaPeriodStart } from '../../core/settings';
import type { Handler, Services } from '../context';
import { json } from '../http';

/** The quota document: the limit, how many counted scans this month, and when the month began. */
export const QuotaResponse = v.object({
  monthly_scan_limit: v.nullable(v.number()),
  used: v.number(),
  remaining: v.nullable(v.number()),
  period_start: v.string(),
});

/** Returns the monthly limit and its use. */
export const getQuota: Handler = (_request, { services }) => {
  return json(describeQuota(services));
};

/** The quota as both quota routes answer it. */
export function describeQuota(services: Services) {
  const { monthly_scan_limit } = services.settings.read('quota');
  const start = quotaPeriodStart(services.clock());
  const used = services.scanRecords.countTowardQuota(start);
  return {
    monthly_scan_limit,
    used,
    remaining: monthly_scan_limit === null ? null : Math.max(0, monthly_scan_limit - used),
    period_start: start.toISOString(),
  };
}
