import * as v from 'valibot';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';
import { boundedInteger } from '../schemas';
import { CredentialsInput } from './cloud-accounts-create';

/**
 * POST /v1/cloud-accounts/test body. Other fields of a create body (name …) are ignored, so the
 * same document can be tested and then created.
 */
export const ConnectionTestBody = v.object({
  provider: v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty')),
  credentials: CredentialsInput,
  region: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'must be a region id like cn-hangzhou'),
    ),
  ),
  proxy_profile_id: v.optional(v.pipe(v.string('must be a string'), v.trim())),
  timeout_seconds: v.optional(v.nullable(boundedInteger(1, 600))),
});

/** The diagnostics a connection test answers with. */
export const ConnectionTestResponse = v.object({
  ok: v.boolean(),
  provider: v.string(),
  implemented: v.boolean(),
  message: v.string(),
  checks: v.array(
    v.object({ name: v.string(), ok: v.boolean(), message: v.string(), duration_ms: v.number() }),
  ),
  category: v.optional(v.string()),
  code: v.optional(v.string()),
  duration_ms: v.number(),
});

/**
 * Tests credentials without storing them: a token and one cheap read for Azure, one signed
 * DescribeRegions for Alibaba; for any other provider only the format. Never counts toward the
 * scan quota.
 */
export const testCloudAccountConnection: Handler = async (request, { services }) => {
  const body = await readJsonBody(request);

  const input = validate(ConnectionTestBody, body);
  const timeoutSeconds =
    input.timeout_seconds ?? services.settings.read('general').api_timeout_seconds;

  const answer = await services.cloudAccounts.testConnection({
    provider: input.provider,
    credentials: input.credentials,
    region: input.region,
    proxy_profile_id: input.proxy_profile_id || undefined,
    timeout_ms: timeoutSeconds * 1000,
  });

  return json(answer);
};
