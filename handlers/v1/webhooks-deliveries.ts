import * as v from 'valibot';
import { DELIVERY_STATUSES, WEBHOOK_EVENTS, type WebhookDelivery } from '../../core/webhooks/types';
import type { Handler } from '../context';
import { listResponse, readPage } from '../http';

/** One entry of the delivery log (no body, no secret). */
export const DeliverySchema = v.object({
  id: v.string(),
  webhook_id: v.string(),
  event: v.picklist(WEBHOOK_EVENTS),
  status: v.picklist(DELIVERY_STATUSES),
  attempts: v.number(),
  next_attempt_at: v.nullable(v.string()),
  last_status_code: v.nullable(v.number()),
  last_error: v.nullable(v.string()),
  created_at: v.string(),
  delivered_at: v.nullable(v.string()),
});

/** Lists a webhook's deliveries, newest first: attempts, status codes, next retry. */
export const listWebhookDeliveries: Handler = (_request, { params, query, services }) => {
  const { page, envelope } = readPage(query);

  const result = services.webhooks.listDeliveries(params.id as string, page);

  return listResponse(
    { ...result, items: result.items.map(presentDelivery) },
    page.limit,
    envelope,
  );
};

function presentDelivery(delivery: WebhookDelivery): v.InferOutput<typeof DeliverySchema> {
  const { payload: _body, ...entry } = delivery;
  return entry;
}
