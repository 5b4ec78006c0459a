import { presentScan } from '../../core/scan/present';
import type { Handler } from '../context';
import { json } from '../http';
import { requireScan } from './scans-get';

/** Cancels a queued or running scan; running work stops at its next cloud call. */
export const cancelScan: Handler = async (_request, { params, services }) => {
  const scan = requireScan(services, params.id as string);

  const updated = await services.scans.cancel(scan.id);

  return json(presentScan(updated, services.settings.read('general')), 202);
};
