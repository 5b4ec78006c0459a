import * as v from 'valibot';
import { presentScan } from '../../core/scan/present';
import { SCAN_STATUSES } from '../../core/scan/types';
import type { Handler } from '../context';
import { listResponse, readPage, validate } from '../http';

/** Filters of GET /v1/scans. */
export const ScanListQuery = v.object({
  status: v.optional(v.picklist(SCAN_STATUSES, `must be one of ${SCAN_STATUSES.join(', ')}`)),
});

/** Lists scans, newest first. */
export const listScans: Handler = (_request, { query, services }) => {
  const { page, envelope } = readPage(query);

  const { status } = validate(ScanListQuery, { status: query.get('status') ?? undefined });

  const result = services.scanRecords.list({ status }, page);
  const money = services.settings.read('general');

  return listResponse(
    { ...result, items: result.items.map((scan) => presentScan(scan, money)) },
    page.limit,
    envelope,
  );
};
