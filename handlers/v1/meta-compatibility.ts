import * as v from 'valibot';
import { SIGNATURE_TOLERANCE_SECONDS } from '../../core/notify/webhook-signature';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../../core/pagination';
import { DEFAULT_RETRY_POLICY } from '../../core/webhooks/service';
import { WEBHOOK_EVENTS } from '../../core/webhooks/types';
import type { Handler } from '../context';
import { json } from '../http';

/** The versioning, pagination and webhook-signing promises scripts rely on. */
export const CompatibilityResponse = v.object({
  api_version: v.literal('v1'),
  app_version: v.string(),
  versioning: v.object({
    stability: v.literal('additive'),
    minimum_notice_days: v.number(),
    deprecated_routes: v.array(v.string()),
    policy: v.string(),
  }),
  pagination: v.object({
    legacy_array_default: v.literal(true),
    envelope_param: v.string(),
    cursor_param: v.string(),
    limit_param: v.string(),
    cursor_field: v.literal('page.next_cursor'),
    default_limit: v.number(),
    max_limit: v.number(),
  }),
  webhooks: v.object({
    algorithm: v.literal('hmac-sha256'),
    headers: v.object({
      event: v.string(),
      delivery: v.string(),
      timestamp: v.string(),
      signature: v.string(),
      attempt: v.string(),
    }),
    signature_format: v.string(),
    signed_payload: v.string(),
    tolerance_seconds: v.number(),
    events: v.array(v.string()),
    body: v.string(),
    retries: v.object({
      max_attempts: v.number(),
      first_delay_seconds: v.number(),
      max_delay_seconds: v.number(),
      attempt_timeout_seconds: v.number(),
      backoff: v.string(),
    }),
  }),
});

/** Returns the compatibility policy. */
export const getCompatibility: Handler = (_request, { services }) => {
  return json({
    api_version: 'v1',
    app_version: services.app.version,
    versioning: {
      stability: 'additive',
      minimum_notice_days: 90,
      deprecated_routes: [],
      policy:
        'Within v1, fields and routes are only added; error codes are never renamed. A removal is announced at least minimum_notice_days ahead in deprecated_routes.',
    },
    pagination: {
      legacy_array_default: true,
      envelope_param: 'envelope',
      cursor_param: 'cursor',
      limit_param: 'limit',
      cursor_field: 'page.next_cursor',
      default_limit: PAGE_LIMIT_DEFAULT,
      max_limit: PAGE_LIMIT_MAX,
    },
    webhooks: {
      algorithm: 'hmac-sha256',
      headers: {
        event: 'X-CWS-Event',
        delivery: 'X-CWS-Delivery',
        timestamp: 'X-CWS-Timestamp',
        signature: 'X-CWS-Signature',
        attempt: 'X-CWS-Attempt',
      },
      signature_format: 'sha256=<hex>',
      signed_payload: '<timestamp>.<raw body>',
      tolerance_seconds: SIGNATURE_TOLERANCE_SECONDS,
      events: [...WEBHOOK_EVENTS],
      body: '{id, event, created_at, data}: id names the event occurrence (the same for every webhook); X-CWS-Delivery names one delivery and stays the same across its retries',
      retries: {
        max_attempts: DEFAULT_RETRY_POLICY.maxAttempts,
        first_delay_seconds: DEFAULT_RETRY_POLICY.baseDelayMs / 1000,
        max_delay_seconds: DEFAULT_RETRY_POLICY.maxDelayMs / 1000,
        attempt_timeout_seconds: DEFAULT_RETRY_POLICY.timeoutMs / 1000,
        backoff:
          'exponential (each wait doubles), between half and all of the doubled wait; any answer but 2xx, a timeout or a refused connection is retried',
      },
    },
  });
};
