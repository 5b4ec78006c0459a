import type { Page, PageRequest } from '../pagination';

/** Events a webhook can subscribe to (CONTRACT.md "Webhooks"). */
export const WEBHOOK_EVENTS = [
  'scan.started',
  'scan.completed',
  'scan.failed',
  'scan.canceled',
  'report.generated',
  'webhook.test',
] as const;
/** One of WEBHOOK_EVENTS. */
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A webhook as the domain sees it; `secret` is plain text here and encrypted at rest. */
export interface WebhookRecord {
  id: string;
  name: string | null;
  url: string;
  events: WebhookEvent[];
  is_active: boolean;
  /** Null when there is none, or when the stored one cannot be decrypted (see has_secret). */
  secret: string | null;
  has_secret: boolean;
  created_at: string;
  updated_at: string;
}

/** Where a delivery stands: still to be (re)tried, accepted by the receiver, or given up. */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
/** One of DELIVERY_STATUSES. */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The body of one event occurrence, shared by its deliveries to every subscribed webhook. */
export interface WebhookPayload {
  id: string;
  event: WebhookEvent;
  body: string;
  created_at: string;
}

/** One event on its way to one webhook, with the history of its attempts. */
export interface WebhookDelivery {
  id: string;
  webhook_id: string;
  event: WebhookEvent;
  payload_id: string;
  /**
   * The exact body sent on every attempt; empty once the delivery is finished (a body is kept
   * only while a delivery of it is pending).
   */
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** Webhooks as stored; the secret is encrypted at rest when a cipher is wired. */
export interface WebhookRepository {
  create(webhook: WebhookRecord): Promise<void>;
  get(id: string): WebhookRecord | undefined;
  list(page: PageRequest): Page<WebhookRecord>;
  /** Active webhooks subscribed to the event. */
  listSubscribed(event: WebhookEvent): WebhookRecord[];
  update(id: string, patch: Partial<WebhookRecord>): Promise<void>;
  /** Removes the webhook and its delivery log. */
  remove(id: string): Promise<boolean>;
}

/** The outcome of one attempt, as the delivery log keeps it. */
export type DeliveryAttempt = Pick<
  WebhookDelivery,
  'status' | 'attempts' | 'next_attempt_at' | 'last_status_code' | 'last_error' | 'delivered_at'
>;

/**
 * The persisted delivery queue. Every change (new deliveries, attempt outcomes, pruning) applies
 * at once in memory, where every read sees it, and reaches disk at the next `persist()`, which
 * the delivery worker calls at most about once a second and at shutdown. A storm of events must
 * not become a storm of whole-file writes (the database file is written whole). A crash can thus
 * lose the last second of queue changes: events queued in it are not delivered, attempts made in
 * it are made again (receivers de-duplicate on `X-CWS-Delivery`).
 */
export interface DeliveryRepository {
  /** Queues deliveries of one payload (null: a finished delivery that keeps no body). */
  enqueue(payload: WebhookPayload | null, deliveries: WebhookDelivery[]): void;
  get(id: string): WebhookDelivery | undefined;
  listForWebhook(webhookId: string, page: PageRequest): Page<WebhookDelivery>;
  /** Pending deliveries due at `now` (RFC 3339), oldest due first, skipping `exclude`. */
  listDue(now: string, limit: number, exclude: ReadonlySet<string>): WebhookDelivery[];
  /** The soonest `next_attempt_at` of a pending delivery not in `exclude`. */
  soonestDue(exclude: ReadonlySet<string>): string | undefined;
  /** Records the outcomes of attempts, all in one transaction. */
  recordAttempts(outcomes: Array<{ id: string; attempt: DeliveryAttempt }>): void;
  persist(): Promise<void>;
  /** Keeps the newest `keep` finished deliveries of each named webhook; pending ones stay. */
  prune(webhookIds: Iterable<string>, keep: number): void;
}
