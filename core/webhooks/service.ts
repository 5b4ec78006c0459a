import { CwsError } from '../errors';
import { newId } from '../ids';
import { signWebhookPayload } from '../notify/webhook-signature';
import type { Page, PageRequest } from '../pagination';
import type { AuditRepository } from '../repositories';
import type {
  DeliveryAttempt,
  DeliveryRepository,
  WebhookDelivery,
  WebhookEvent,
  WebhookPayload,
  WebhookRecord,
  WebhookRepository,
} from './types';
import { checkWebhookUrl } from './url';

/** One HTTP POST to a receiver, built and signed here, sent by runtime/. */
export interface OutgoingWebhook {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** What one POST came to; `error` says why it did not succeed. */
export interface SendResult {
  ok: boolean;
  status_code: number | null;
  duration_ms: number;
  error?: string;
}

/** How often and how patiently deliveries are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included (the contract asks for at least 5). */
  maxAttempts: number;
  /** Wait before the second attempt; each later wait doubles, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Bound on one attempt, connection to last byte. */
  timeoutMs: number;
}

/** Ten attempts over about four hours, ten seconds each at most. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 10,
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 3600_000,
  timeoutMs: 10_000,
};

/** What the webhook service needs, injected by runtime/ (or by tests). */
export interface WebhookServiceDependencies {
  webhooks: WebhookRepository;
  deliveries: DeliveryRepository;
  audit: AuditRepository;
  clock: () => Date;
  send: (request: OutgoingWebhook) => Promise<SendResult>;
  retry: RetryPolicy;
  /** Uniform in [0, 1): spreads retries so that receivers are not hit in lock-step. */
  random?: () => number;
}

/** A new webhook after schema validation; the secret is write-only. */
export interface WebhookInput {
  name: string | null;
  url: string;
  events: WebhookEvent[];
  is_active: boolean;
  secret: string | null;
}

/** Webhooks: their definitions, the signed delivery of events and the delivery log. */
export interface WebhookService {
  create(input: WebhookInput): Promise<WebhookRecord>;
  update(id: string, patch: Partial<WebhookInput>): Promise<WebhookRecord>;
  remove(id: string): Promise<void>;
  get(id: string): WebhookRecord;
  list(page: PageRequest): Page<WebhookRecord>;
  listDeliveries(id: string, page: PageRequest): Page<WebhookDelivery>;
  /** Sends `webhook.test` once, now, without retries; the attempt joins the delivery log. */
  test(id: string): Promise<SendResult>;
  /**
   * Queues the event for every active webhook subscribed to it (on disk within a second). `data`
   * builds the event's data and is called only when some webhook subscribes.
   */
  enqueue(event: WebhookEvent, data: () => Record<string, unknown>): Promise<number>;
  /**
   * One attempt of a pending delivery: what the receiver answered, and what the log should now
   * say (delivered, failed for good, or when to retry). The caller records it, so that the
   * outcomes of many attempts can be written together.
   */
  attempt(delivery: WebhookDelivery): Promise<{ result: SendResult; record: DeliveryAttempt }>;
  /** Called after the queue changed outside an attempt, so the worker wakes and persists. */
  onEnqueued(listener: () => void): void;
}

/** Builds the webhook service over its dependencies. */
export function createWebhookService(deps: WebhookServiceDependencies): WebhookService {
  const listeners: Array<() => void> = [];
  const random = deps.random ?? Math.random;
  // This service is the only writer of webhooks, so a cache it clears on every change stays
  // exact; it spares a query (and a decryption) per delivery attempt.
  const cache = new Map<string, WebhookRecord>();
  const subscribers = new Map<WebhookEvent, WebhookRecord[]>();
  // The row changes when the repository is called, before its write is on disk: the cache is
  // dropped at that moment, not after the flush, so no attempt in between sees the old webhook.
  const changing = <T>(write: Promise<T>): Promise<T> => {
    cache.clear();
    subscribers.clear();
    return write;
  };
  const find = (id: string) => {
    let webhook = cache.get(id);
    if (!webhook) {
      webhook = deps.webhooks.get(id);
      if (webhook) cache.set(id, webhook);
    }
    return webhook;
  };
  const get = (id: string) => {
    const webhook = find(id);
    if (!webhook) throw new CwsError('resource.not_found', `no webhook ${id}`);
    return webhook;
  };

  return {
    async create(input) {
      checkUrl(input.url);
      const now = deps.clock().toISOString();
      const webhook: WebhookRecord = {
        id: newId('whk', deps.clock().getTime()),
        name: input.name,
        url: input.url,
        events: unique(input.events),
        is_active: input.is_active,
        secret: input.secret,
        has_secret: input.secret !== null,
        created_at: now,
        updated_at: now,
      };
      await changing(deps.webhooks.create(webhook));
      await deps.audit.record({
        action: 'webhook.created',
        target: `webhooks/${webhook.id}`,
        details: describe(webhook),
      });
      return webhook;
    },

    async update(id, patch) {
      get(id);
      if (patch.url !== undefined) checkUrl(patch.url);
      const changes: Partial<WebhookRecord> = {
        ...patch,
        ...(patch.events ? { events: unique(patch.events) } : {}),
        updated_at: deps.clock().toISOString(),
      };
      await changing(deps.webhooks.update(id, changes));
      const webhook = get(id);
      await deps.audit.record({
        action: 'webhook.updated',
        target: `webhooks/${id}`,
        details: { fields: Object.keys(patch), ...describe(webhook) },
      });
      return webhook;
    },

    async remove(id) {
      const removed = await changing(deps.webhooks.remove(id));
      if (!removed) throw new CwsError('resource.not_found', `no webhook ${id}`);
      await deps.audit.record({ action: 'webhook.deleted', target: `webhooks/${id}` });
    },

    get,

    list(page) {
      return deps.webhooks.list(page);
    },

    listDeliveries(id, page) {
      get(id);
      return deps.deliveries.listForWebhook(id, page);
    },

    async test(id) {
      const webhook = get(id);
      const payload = newPayload('webhook.test', {
        webhook_id: webhook.id,
        message: 'Test delivery from CWS: the signature and headers are those of real events.',
      });
      const delivery = newDelivery(webhook, payload);
      const result = await send(webhook, delivery, 1);
      deps.deliveries.enqueue(null, [
        {
          ...delivery,
          payload: '',
          attempts: 1,
          ...outcome(result, 1, deps.retry.maxAttempts, false),
        },
      ]);
      listeners.forEach((listener) => listener());
      return result;
    },

    async enqueue(event, data) {
      let targets = subscribers.get(event);
      if (!targets) subscribers.set(event, (targets = deps.webhooks.listSubscribed(event)));
      if (!targets.length) return 0;
      const payload = newPayload(event, data());
      deps.deliveries.enqueue(
        payload,
        targets.map((webhook) => newDelivery(webhook, payload)),
      );
      listeners.forEach((listener) => listener());
      return targets.length;
    },

    async attempt(delivery) {
      const webhook = find(delivery.webhook_id);
      const attempts = delivery.attempts + 1;
      if (!webhook || !webhook.is_active) {
        const result: SendResult = {
          ok: false,
          status_code: null,
          duration_ms: 0,
          error: 'webhook deactivated before delivery',
        };
        const record = {
          attempts: delivery.attempts,
          ...outcome(result, attempts, attempts, false),
        };
        return { result, record };
      }
      const result = await send(webhook, delivery, attempts);
      const record = { attempts, ...outcome(result, attempts, deps.retry.maxAttempts, true) };
      return { result, record };
    },

    onEnqueued(listener) {
      listeners.push(listener);
    },
  };

  /**
   * One occurrence of an event: `{id, event, created_at, data}`, the same bytes for every webhook
   * and every attempt. Its id names the occurrence; `X-CWS-Delivery` names each delivery of it.
   */
  function newPayload(event: WebhookEvent, data: Record<string, unknown>): WebhookPayload {
    const now = deps.clock();
    const id = newId('whe', now.getTime());
    const createdAt = now.toISOString();
    return {
      id,
      event,
      body: JSON.stringify({ id, event, created_at: createdAt, data }),
      created_at: createdAt,
    };
  }

  function newDelivery(webhook: WebhookRecord, payload: WebhookPayload): WebhookDelivery {
    const now = deps.clock();
    const createdAt = now.toISOString();
    return {
      id: newId('dlv', now.getTime()),
      webhook_id: webhook.id,
      event: payload.event,
      payload_id: payload.id,
      payload: payload.body,
      status: 'pending',
      attempts: 0,
      next_attempt_at: createdAt,
      last_status_code: null,
      last_error: null,
      created_at: createdAt,
      delivered_at: null,
    };
  }

  /** Sends one attempt; a secret that cannot be decrypted stops it (never send unsigned). */
  function send(webhook: WebhookRecord, delivery: WebhookDelivery, attempt: number) {
    if (webhook.has_secret && webhook.secret === null) {
      return Promise.resolve<SendResult>({
        ok: false,
        status_code: null,
        duration_ms: 0,
        error: 'the secret cannot be decrypted (master key changed); set it again with PATCH',
      });
    }
    return deps.send(outgoing(webhook, delivery, attempt));
  }

  /** The POST of one attempt: a fresh timestamp, so a late retry is not refused as stale. */
  function outgoing(
    webhook: WebhookRecord,
    delivery: WebhookDelivery,
    attempt: number,
  ): OutgoingWebhook {
    const timestamp = Math.floor(deps.clock().getTime() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'CWS-Webhooks/1',
      'x-cws-event': delivery.event,
      'x-cws-delivery': delivery.id,
      'x-cws-timestamp': String(timestamp),
      'x-cws-attempt': String(attempt),
    };
    if (webhook.secret) {
      headers['x-cws-signature'] = signWebhookPayload({
        secret: webhook.secret,
        timestamp,
        body: delivery.payload,
      });
    }
    return { url: webhook.url, headers, body: delivery.payload, timeoutMs: deps.retry.timeoutMs };
  }

  /** Delivered, failed for good, or pending with an exponentially growing, jittered wait. */
  function outcome(
    result: SendResult,
    attempts: number,
    maxAttempts: number,
    retry: boolean,
  ): Omit<DeliveryAttempt, 'attempts'> {
    const now = deps.clock();
    const error = result.ok ? null : (result.error ?? `receiver answered ${result.status_code}`);
    if (result.ok) {
      return {
        status: 'delivered',
        next_attempt_at: null,
        last_status_code: result.status_code,
        last_error: null,
        delivered_at: now.toISOString(),
      };
    }
    const done = !retry || attempts >= maxAttempts;
    return {
      status: done ? 'failed' : 'pending',
      next_attempt_at: done
        ? null
        : new Date(now.getTime() + retryDelayMs(attempts, deps.retry, random())).toISOString(),
      last_status_code: result.status_code,
      last_error: error,
      delivered_at: null,
    };
  }
}

/**
 * The wait after failed attempt `attempt` (1-based): base × 2^(attempt−1), capped, of which a
 * random half is dropped ("equal jitter") so that retries spread out but never shrink to zero.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: number): number {
  const full = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(full / 2 + (random * full) / 2);
}

function checkUrl(url: string): void {
  const checked = checkWebhookUrl(url);
  if (!checked.ok) {
    throw new CwsError('request.validation_failed', `url ${checked.message}`, [
      { path: 'url', message: checked.message },
    ]);
  }
}

function unique(events: WebhookEvent[]): WebhookEvent[] {
  return [...new Set(events)];
}

/** Audit details: where it points (origin only: paths and queries can hold tokens) and what. */
function describe(webhook: WebhookRecord): Record<string, unknown> {
  return {
    origin: new URL(webhook.url).origin,
    events: webhook.events,
    is_active: webhook.is_active,
    signed: webhook.has_secret,
  };
}
