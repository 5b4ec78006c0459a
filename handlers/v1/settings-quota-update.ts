import * as v from 'valibot';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';
import { boundedInteger } from '../schemas';
import { describeQuota } from './settings-quota-get';

/** PATCH body: the monthly limit, or null for unlimited. */
export const QuotaPatch = v.strictObject(
  { monthly_scan_limit: v.nullable(boundedInteger(0, 1_000_000)) },
  'is not a quota field',
);

/** Sets the monthly scan limit. */
export const updateQuota: Handler = async (request, { services }) => {
  const body = await readJsonBody(request);

  const patch = validate(QuotaPatch, body);

  await services.settings.write('quota', patch);
  await services.audit.record({
    action: 'settings.updated',
    target: 'settings/quota',
    details: patch,
  });

  return json(describeQuota(services));
};
