import * as v from 'valibot';
import YAML from 'yaml';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';
import { AnyObject, boundedInteger } from '../schemas';
import { PolicyPatchFields } from './settings-scan-policy-update';

/** A display name. */
export const AccountName = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(256, 'must be at most 256 characters'),
);

/** Credentials as a JSON string (what the playbooks send) or an object; checked per provider. */
export const CredentialsInput = v.union(
  [v.pipe(v.string(), v.maxLength(65_536)), v.record(v.string(), v.unknown())],
  'must be a JSON object, or a string holding one',
);

/**
 * An account's own scan-policy thresholds: YAML or JSON text, or an object, with the fields of
 * PATCH /v1/settings/scan-policy. Stored and returned as an object.
 */
export const PolicyCustom = v.pipe(
  v.union(
    [v.pipe(v.string(), v.maxLength(65_536)), v.record(v.string(), v.unknown())],
    'must be YAML or JSON text, or an object',
  ),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    let value: unknown = dataset.value;
    if (typeof value === 'string') {
      try {
        // JSON is YAML, so one parser reads both.
        value = value.trim() === '' ? {} : YAML.parse(value);
      } catch (error) {
        addIssue({ message: `is not valid YAML or JSON: ${(error as Error).message}` });
        return NEVER;
      }
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      addIssue({ message: 'must be a mapping of policy thresholds' });
      return NEVER;
    }
    return value as Record<string, unknown>;
  }),
  v.strictObject(PolicyPatchFields, 'is not a policy field'),
);

/** Optional account fields shared by create and update; `null` clears on update. */
export const CloudAccountOptionalFields = {
  timeout_seconds: v.optional(v.nullable(boundedInteger(1, 600))),
  policy_custom: v.optional(v.nullable(PolicyCustom)),
  proxy_profile_id: v.optional(v.nullable(v.pipe(v.string('must be a string'), v.trim()))),
};

/** POST /v1/cloud-accounts body. */
export const CloudAccountCreateBody = v.strictObject(
  {
    provider: v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty')),
    name: AccountName,
    credentials: CredentialsInput,
    ...CloudAccountOptionalFields,
  },
  'is not a cloud account field',
);

/** A cloud account as every route returns it: the credentials only masked. */
export const CloudAccountSchema = v.object({
  id: v.string(),
  provider: v.picklist(['azure', 'alibaba']),
  name: v.string(),
  source: v.literal('cloud_account'),
  credentials_masked: v.record(v.string(), v.union([v.string(), v.array(v.string())])),
  timeout_seconds: v.nullable(v.number()),
  policy_custom: v.nullable(AnyObject),
  proxy_profile_id: v.nullable(v.string()),
  created_at: v.string(),
  updated_at: v.string(),
});

/** Creates a cloud account with its credentials sealed; answers 201 with the masked record. */
export const createCloudAccount: Handler = async (request, { services }) => {
  const body = await readJsonBody(request);

  const input = validate(CloudAccountCreateBody, body);

  const account = await services.cloudAccounts.create(input);

  return json(account, 201, { location: `/v1/cloud-accounts/${account.id}` });
};
