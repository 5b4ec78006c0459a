import * as v from 'valibot';
import { WEBHOOK_EVENTS, type WebhookRecord } from '../../core/webhooks/types';
import type { Handler } from '../context';
import { json } from '../http';

/** A webhook as the API shows it: `has_secret` instead of the secret. */
export const WebhookSchema = v.object({
  id: v.string(),
  name: v.nullable(v.string()),
  url: v.string(),
  events: v.array(v.picklist(WEBHOOK_EVENTS)),
  is_active: v.boolean(),
  has_secret: v.boolean(),
  created_at: v.string(),
  updated_at: v.string(),
});

/** The response form of a webhook; the secret never leaves. */
export function presentWebhook(webhook: WebhookRecord): v.InferOutput<typeof WebhookSchema> {
  return {
    id: webhook.id,
    name: webhook.name,
    url: webhook.url,
    events: webhook.events,
    is_active: webhook.is_active,
    has_secret: webhook.has_secret,
    created_at: webhook.created_at,
    updated_at: webhook.updated_at,
  };
}

/** Returns one webhook. */
export const getWebhook: Handler = (_request, { params, services }) => {
  const id = params.id as string;

  const webhook = services.webhooks.get(id);

  return json(presentWebhook(webhook));
};
