import type { Handler } from '../context';
import { listResponse, readPage } from '../http';
import { presentWebhook } from './webhooks-get';

/** Lists webhooks, oldest first. */
export const listWebhooks: Handler = (_request, { query, services }) => {
  const { page, envelope } = readPage(query);

  const result = services.webhooks.list(page);

  return listResponse({ ...result, items: result.items.map(presentWebhook) }, page.limit, envelope);
};
