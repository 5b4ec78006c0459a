import * as v from 'valibot';
import { tunnelTarget } from '../../core/accounts/proxy-check';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';
import { boundedInteger } from '../schemas';
import { ProxyFields } from './proxies-create';

const HttpUrl = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.url('must be a URL'),
  v.regex(/^https?:\/\//i, 'must be an http or https URL'),
);

/**
 * POST /v1/proxies/test body: a stored profile (`proxy_profile_id`) or an unsaved one (`url`,
 * `username`, `password`), and where to tunnel: `target_url`, or the endpoint a cloud account's
 * scan calls first (`account_id`).
 */
export const ProxyTestBody = v.pipe(
  v.strictObject(
    {
      proxy_profile_id: v.optional(v.pipe(v.string('must be a string'), v.trim())),
      url: v.optional(ProxyFields.url),
      username: ProxyFields.username,
      password: ProxyFields.password,
      target_url: v.optional(HttpUrl),
      account_id: v.optional(v.pipe(v.string('must be a string'), v.trim())),
      timeout_seconds: v.optional(boundedInteger(1, 120)),
    },
    'is not a proxy test field',
  ),
  v.forward(
    v.check((body) => !!body.proxy_profile_id || !!body.url, 'give proxy_profile_id or url'),
    ['url'],
  ),
  v.forward(
    v.check((body) => !!body.target_url || !!body.account_id, 'give target_url or account_id'),
    ['target_url'],
  ),
);

/** The diagnostics of a proxy test. */
export const ProxyTestResponse = v.object({
  ok: v.boolean(),
  stage: v.picklist(['connect', 'tunnel']),
  reason_code: v.string(),
  message: v.string(),
  duration_ms: v.number(),
  target: v.string(),
  proxy_url: v.string(),
  status_code: v.optional(v.number()),
});

/**
 * Asks the proxy for a CONNECT tunnel to the target, as the SDKs would, and answers with where it
 * stopped (`stage`, `reason_code`). Never counts toward the scan quota.
 */
export const testProxy: Handler = async (request, { services }) => {
  const body = await readJsonBody(request);

  const input = validate(ProxyTestBody, body);
  const target = tunnelTarget(
    input.target_url ?? services.cloudAccounts.endpointOf(input.account_id as string),
  );

  const result = await services.proxies.test({
    proxy: input.proxy_profile_id
      ? { proxy_profile_id: input.proxy_profile_id }
      : { url: input.url as string, username: input.username, password: input.password },
    target,
    timeout_ms: (input.timeout_seconds ?? 10) * 1000,
  });

  return json(result);
};
