import type { Handler } from '../context';
import { json } from '../http';

/** One proxy profile. */
export const getProxy: Handler = (_request, { params, services }) => {
  const proxy = services.proxies.get(params.id as string);

  return json(proxy);
};
