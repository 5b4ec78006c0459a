import * as v from 'valibot';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';
import { nonEmptyPatch } from '../schemas';
import { AccountName, CloudAccountOptionalFields, CredentialsInput } from './cloud-accounts-create';

/**
 * PATCH body: name, credentials (replaced whole, checked and sealed again), timeout_seconds,
 * policy_custom, proxy_profile_id (`null` clears the last three). The provider never changes: it
 * may be sent (a GET record sent back) but must be the account's own.
 */
export const CloudAccountPatchBody = nonEmptyPatch(
  v.strictObject(
    {
      provider: v.optional(v.pipe(v.string('must be a string'), v.trim())),
      name: v.optional(AccountName),
      credentials: v.optional(CredentialsInput),
      ...CloudAccountOptionalFields,
    },
    'is not a field that can change',
  ),
);

/** Changes a cloud account and returns it. */
export const updateCloudAccount: Handler = async (request, { params, services }) => {
  const body = await readJsonBody(request);

  const patch = validate(CloudAccountPatchBody, body);

  const account = await services.cloudAccounts.update(params.id as string, patch);

  return json(account);
};
