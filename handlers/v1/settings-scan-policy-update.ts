import * as v from 'valibot';
import { PROVIDERS } from '../../core/model';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';
import { boundedInteger, nonEmptyPatch } from '../schemas';

const TagPair = v.pipe(
  v.string(),
  v.regex(/^[^=\s][^=]*(=.*)?$/, 'must be key or key=value'),
  v.maxLength(256, 'must be at most 256 characters'),
);

/** The thresholds a policy may set; cloud accounts' `policy_custom` takes the same fields. */
export const PolicyPatchFields = {
  stopped_instance_days: v.optional(boundedInteger(1, 3650)),
  snapshot_age_days: v.optional(boundedInteger(1, 3650)),
  ami_age_days: v.optional(boundedInteger(1, 3650)),
  grace_period_hours: v.optional(boundedInteger(0, 8760)),
  excluded_tags: v.optional(
    v.pipe(v.array(TagPair), v.maxLength(100, 'must list at most 100 tags')),
  ),
};

/** PATCH body: thresholds, and per-provider overrides that replace that provider's whole override. */
export const ScanPolicyPatch = nonEmptyPatch(
  v.strictObject(
    {
      ...PolicyPatchFields,
      providers: v.optional(
        v.record(
          v.picklist(PROVIDERS, `must be one of ${PROVIDERS.join(', ')}`),
          v.strictObject(PolicyPatchFields, 'is not a policy field'),
        ),
      ),
    },
    'is not a policy field',
  ),
);

/** Changes thresholds and returns the whole policy. */
export const updateScanPolicy: Handler = async (request, { services }) => {
  const body = await readJsonBody(request);

  const patch = validate(ScanPolicyPatch, body);

  const current = services.settings.read('scan_policy');
  const next = { ...current, ...patch, providers: { ...current.providers, ...patch.providers } };
  await services.settings.write('scan_policy', next);
  await services.audit.record({
    action: 'settings.updated',
    target: 'settings/scan-policy',
    details: patch,
  });

  return json(next);
};
