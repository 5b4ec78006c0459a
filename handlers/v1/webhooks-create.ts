import * as v from 'valibot';
import { WEBHOOK_EVENTS } from '../../core/webhooks/types';
import { WEBHOOK_URL_MAX_LENGTH } from '../../core/webhooks/url';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';
import { presentWebhook } from './webhooks-get';

/** Events delivered when a webhook names none: every domain event. */
const DEFAULT_EVENTS = WEBHOOK_EVENTS.filter((event) => event !== 'webhook.test');

/** Webhook fields shared by POST and PATCH (before defaults). */
export const WebhookFields = {
  url: v.pipe(
    v.string('must be a URL'),
    v.trim(),
    v.minLength(1, 'must be an absolute http or https URL'),
    v.maxLength(WEBHOOK_URL_MAX_LENGTH, `must be at most ${WEBHOOK_URL_MAX_LENGTH} characters`),
    v.description('http or https URL without user name or password.'),
  ),
  events: v.pipe(
    v.array(
      v.picklist(WEBHOOK_EVENTS, `must be one of ${WEBHOOK_EVENTS.join(', ')}`),
      'must be a list of events',
    ),
    v.minLength(1, 'must name at least one event'),
  ),
  is_active: v.boolean('must be true or false'),
  secret: v.nullable(
    v.pipe(
      v.string('must be a string'),
      v.minLength(1, 'must not be empty'),
      v.maxLength(512, 'must be at most 512 characters'),
      v.description(
        'Write-only HMAC-SHA256 key for X-CWS-Signature; never returned (see has_secret). null removes it.',
      ),
    ),
  ),
  name: v.nullable(
    v.pipe(v.string('must be a string'), v.trim(), v.minLength(1), v.maxLength(200)),
  ),
};

/** POST /v1/webhooks body; events default to every scan and report event. */
export const WebhookCreateBody = v.strictObject(
  {
    url: WebhookFields.url,
    events: v.optional(WebhookFields.events, () => [...DEFAULT_EVENTS]),
    is_active: v.optional(WebhookFields.is_active, true),
    secret: v.optional(WebhookFields.secret, null),
    name: v.optional(WebhookFields.name, null),
  },
  'is not a webhook field',
);

/** Creates a webhook and answers 201; the secret is kept, never shown. */
export const createWebhook: Handler = async (request, { services }) => {
  const body = await readJsonBody(request);

  const input = validate(WebhookCreateBody, body);

  const webhook = await services.webhooks.create(input);

  return json(presentWebhook(webhook), 201, { location: `/v1/webhooks/${webhook.id}` });
};
