import * as v from 'valibot';
import type { Handler } from '../context';
import { json } from '../http';

/** The outcome of a test delivery. */
export const WebhookTestResult = v.object({
  ok: v.boolean(),
  status_code: v.nullable(v.number()),
  duration_ms: v.number(),
  error: v.optional(v.string()),
});

/**
 * Sends a signed `webhook.test` delivery now, once, and reports how the receiver answered. A
 * failure is an answer (ok false), not an error of this route.
 */
export const testWebhook: Handler = async (_request, { params, services }) => {
  const id = params.id as string;

  const result = await services.webhooks.test(id);

  return json({
    ok: result.ok,
    status_code: result.status_code,
    duration_ms: result.duration_ms,
    ...(result.error ? { error: result.error } : {}),
  });
};
