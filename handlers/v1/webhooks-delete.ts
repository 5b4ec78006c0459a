import type { Handler } from '../context';

/** Deletes a webhook with its delivery log; pending deliveries are dropped. */
export const deleteWebhook: Handler = async (_request, { params, services }) => {
  const id = params.id as string;

  await services.webhooks.remove(id);

  return new Response(null, { status: 204 });
};
