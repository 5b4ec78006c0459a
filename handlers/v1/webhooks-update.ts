import * as v from 'valibot';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';
import { nonEmptyPatch } from '../schemas';
import { WebhookFields } from './webhooks-create';
import { presentWebhook } from './webhooks-get';

/** PATCH body: any subset of the webhook fields; `secret: null` removes the secret. */
export const WebhookPatch = nonEmptyPatch(
  v.strictObject(
    {
      url: v.optional(WebhookFields.url),
      events: v.optional(WebhookFields.events),
      is_active: v.optional(WebhookFields.is_active),
      secret: v.optional(WebhookFields.secret),
      name: v.optional(WebhookFields.name),
    },
    'is not a webhook field',
  ),
);

/** Changes a webhook. */
export const updateWebhook: Handler = async (request, { params, services }) => {
  const body = await readJsonBody(request);

  const patch = validate(WebhookPatch, body);

  const webhook = await services.webhooks.update(params.id as string, patch);

  return json(presentWebhook(webhook));
};
