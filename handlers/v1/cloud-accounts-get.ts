import type { Handler } from '../context';
import { json } from '../http';

/** One cloud account; credentials only masked. */
export const getCloudAccount: Handler = (_request, { params, services }) => {
  const account = services.cloudAccounts.get(params.id as string);

  return json(account);
};
