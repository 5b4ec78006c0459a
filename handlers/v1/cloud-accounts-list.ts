import type { Handler } from '../context';
import { listResponse, readPage } from '../http';

/** Lists cloud accounts, oldest first; credentials only masked. */
export const listCloudAccounts: Handler = (_request, { query, services }) => {
  const { page, envelope } = readPage(query);

  const result = services.cloudAccounts.list(page);

  return listResponse(result, page.limit, envelope);
};
