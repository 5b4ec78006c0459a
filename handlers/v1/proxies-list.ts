import type { Handler } from '../context';
import { listResponse, readPage } from '../http';

/** Lists proxy profiles, oldest first. */
export const listProxies: Handler = (_request, { query, services }) => {
  const { page, envelope } = readPage(query);

  const result = services.proxies.list(page);

  return listResponse(result, page.limit, envelope);
};
