import * as v from 'valibot';
import { presentScan } from '../../core/scan/present';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';

const Name = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(256),
);

/** The fields of a scan request, shared by POST /v1/scans, schedules and MCP run_scan. */
export const ScanRequestFields = {
  selected_accounts: v.optional(
    v.pipe(v.array(Name, 'must be a list of account ids'), v.maxLength(1000)),
  ),
  report_emails: v.optional(
    v.pipe(
      v.array(
        v.pipe(v.string(), v.trim(), v.email('must be an e-mail address')),
        'must be a list of addresses',
      ),
      v.maxLength(5, 'must list at most 5 addresses'),
    ),
  ),
  demo_mode: v.optional(v.boolean('must be true or false')),
  include_kubernetes: v.optional(v.boolean('must be true or false')),
  kubeconfig_path: v.optional(Name),
  kube_context: v.optional(Name),
  namespaces: v.optional(v.pipe(v.array(Name), v.maxLength(500))),
  regions: v.optional(
    v.pipe(
      v.array(
        v.pipe(v.string(), v.regex(/^[a-z0-9-]{2,40}$/, 'must be a region name like us-east-1')),
      ),
      v.maxLength(100),
    ),
  ),
};

/** POST /v1/scans body: optional; no body or `{}` scans every account. */
export const ScanCreateBody = v.strictObject(ScanRequestFields, 'is not a scan field');

/** The accepted answer. */
export const ScanAccepted = v.object({
  scan_id: v.string(),
  status: v.literal('queued'),
  message: v.string(),
});

/** Queues a scan and answers 202 with its id. */
export const createScan: Handler = async (request, { services }) => {
  const body = (await readJsonBody(request)) ?? {};

  const scanRequest = validate(ScanCreateBody, body);

  const scan = await services.scans.start(scanRequest, 'api');

  return json(
    {
      scan_id: scan.id,
      status: scan.status,
      message: `scan queued for ${scan.selected_accounts.length} account(s); poll GET /v1/scans/${scan.id}`,
      scan: presentScan(scan, services.settings.read('general')),
    },
    202,
    { location: `/v1/scans/${scan.id}` },
  );
};
