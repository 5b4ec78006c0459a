import * as v from 'valibot';
import { CwsError } from '../../core/errors';
import { presentScan } from '../../core/scan/present';
import { SCAN_STATUSES } from '../../core/scan/types';
import type { Handler, Services } from '../context';
import { json } from '../http';

const CheckErrorSchema = v.object({
  check: v.string(),
  region: v.string(),
  code: v.string(),
  message: v.string(),
  category: v.string(),
});

/** A scan as GET /v1/scans/{id} returns it. */
export const ScanSchema = v.object({
  scan_id: v.string(),
  id: v.string(),
  status: v.picklist(SCAN_STATUSES),
  trigger_source: v.string(),
  created_at: v.string(),
  started_at: v.nullable(v.string()),
  finished_at: v.nullable(v.string()),
  selected_accounts: v.array(v.string()),
  demo_mode: v.boolean(),
  include_kubernetes: v.boolean(),
  regions: v.array(v.string()),
  resources_scanned: v.number(),
  resources_found: v.number(),
  estimated_monthly_savings: v.number(),
  estimated_monthly_savings_usd: v.number(),
  currency: v.string(),
  carbon_kg_monthly: v.number(),
  accounts: v.array(
    v.object({
      account_id: v.string(),
      provider: v.string(),
      name: v.string(),
      status: v.string(),
      checks_run: v.number(),
      checks_failed: v.number(),
      resources_scanned: v.number(),
      findings: v.number(),
      errors: v.array(CheckErrorSchema),
      warnings: v.array(v.string()),
    }),
  ),
  error: v.nullable(v.string()),
  report_email_status: v.nullable(
    v.object({
      status: v.string(),
      reason: v.optional(v.string()),
      recipients: v.array(v.string()),
    }),
  ),
  counted_toward_quota: v.boolean(),
});

/** Returns one scan with its per-account results. */
export const getScan: Handler = (_request, { params, services }) => {
  return json(
    presentScan(requireScan(services, params.id as string), services.settings.read('general')),
  );
};

/** The stored scan or resource.not_found. */
export function requireScan(services: Services, id: string) {
  const scan = services.scanRecords.get(id);
  if (!scan) throw new CwsError('resource.not_found', `no scan ${id}`);
  return scan;
}
