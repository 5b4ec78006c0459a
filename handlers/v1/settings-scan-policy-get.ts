import * as v from 'valibot';
import type { Handler } from '../context';
import { json } from '../http';

const PolicyFields = {
  stopped_instance_days: v.number(),
  snapshot_age_days: v.number(),
  ami_age_days: v.number(),
  grace_period_hours: v.number(),
  excluded_tags: v.array(v.string()),
};

/** The scan-policy document: thresholds and per-provider overrides. */
export const ScanPolicyResponse = v.object({
  ...PolicyFields,
  providers: v.record(v.string(), v.partial(v.object(PolicyFields))),
});

/** Returns the thresholds every rule reads. */
export const getScanPolicy: Handler = (_request, { services }) => {
  return json(services.settings.read('scan_policy'));
};
