import * as v from 'valibot';
import type { Handler } from '../context';
import { json } from '../http';
import { requireScan } from './scans-get';

/** Real progress: checks done of checks planned. */
export const ScanProgressSchema = v.object({
  scan_id: v.string(),
  status: v.string(),
  phase: v.string(),
  checks_total: v.number(),
  checks_done: v.number(),
  progress_percent: v.number(),
});

/** Returns a scan's progress. */
export const getScanProgress: Handler = (_request, { params, services }) => {
  const scan = requireScan(services, params.id as string);

  const progress = services.scans.progress(scan.id);

  return json({ scan_id: scan.id, status: scan.status, ...progress });
};
