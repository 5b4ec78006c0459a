import type { SqlValue } from 'sql.js';
import { toPage } from '../core/pagination';
import type {
  DeliveryRepository,
  WebhookDelivery,
  WebhookEvent,
  DeliveryStatus,
} from '../core/webhooks/types';
import type { Row, Store } from './database';

const COLUMNS = [
  'id',
  'webhook_id',
  'event',
  'payload',
  'status',
  'attempts',
  'next_attempt_at',
  'last_status_code',
  'last_error',
  'created_at',
  'delivered_at',
] as const;

/**
 * The webhook delivery queue and log in webhook_deliveries. The log lists newest first; the queue
 * takes pending rows by next_attempt_at. Attempt outcomes are written without a flush of their
 * own (see DeliveryRepository): `persist()` makes them durable.
 */
export function createDeliveryRepository(store: Store): DeliveryRepository {
  return {
    enqueue(deliveries) {
      return store.write(() => {
        for (const delivery of deliveries) {
          store.run(
            `INSERT INTO webhook_deliveries (${COLUMNS.join(', ')})
             VALUES (${COLUMNS.map(() => '?').join(', ')})`,
            COLUMNS.map((column) => delivery[column] as SqlValue),
          );
        }
      });
    },
    get(id) {
      const row = store.get('SELECT * FROM webhook_deliveries WHERE id = ?', [id]);
      return row ? fromRow(row) : undefined;
    },
    listForWebhook(webhookId, { limit, after }) {
      const rows = after
        ? store.all(
            `SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND (created_at, id) < (?, ?)
             ORDER BY created_at DESC, id DESC LIMIT ?`,
            [webhookId, String(after.key), after.id, limit + 1],
          )
        : store.all(
            `SELECT * FROM webhook_deliveries WHERE webhook_id = ?
             ORDER BY created_at DESC, id DESC LIMIT ?`,
            [webhookId, limit + 1],
          );
      return toPage(rows.map(fromRow), limit, (d) => ({ key: d.created_at, id: d.id }));
    },
    listDue(now, limit, exclude) {
      // Over-fetch by the number in flight so that excluding them still fills the page.
      const rows = store.all(
        `SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?
         ORDER BY next_attempt_at, id LIMIT ?`,
        [now, limit + exclude.size],
      );
      return rows
        .map(fromRow)
        .filter((delivery) => !exclude.has(delivery.id))
        .slice(0, limit);
    },
    soonestDue(exclude) {
      const ids = [...exclude];
      // Walks the (status, next_attempt_at) index and stops at the first row not in flight.
      const row = store.get<{ at: string }>(
        `SELECT next_attempt_at AS at FROM webhook_deliveries WHERE status = 'pending'
         ${ids.length ? `AND id NOT IN (${ids.map(() => '?').join(', ')})` : ''}
         ORDER BY next_attempt_at LIMIT 1`,
        ids,
      );
      return row?.at;
    },
    recordAttempt(id, attempt) {
      // A delivered body is dropped: the receiver has it, and the file stays small.
      store.run(
        `UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?,
           last_status_code = ?, last_error = ?, delivered_at = ?,
           payload = CASE WHEN ? = 'delivered' THEN '' ELSE payload END
         WHERE id = ?`,
        [
          attempt.status,
          attempt.attempts,
          attempt.next_attempt_at,
          attempt.last_status_code,
          attempt.last_error,
          attempt.delivered_at,
          attempt.status,
          id,
        ],
      );
    },
    persist() {
      return store.commit();
    },
    prune(keep) {
      store.run(
        `DELETE FROM webhook_deliveries WHERE id IN (
           SELECT id FROM (
             SELECT id, ROW_NUMBER() OVER (
               PARTITION BY webhook_id ORDER BY created_at DESC, id DESC) AS position
             FROM webhook_deliveries WHERE status != 'pending')
           WHERE position > ?)`,
        [keep],
      );
    },
  };
}

function fromRow(row: Row): WebhookDelivery {
  return {
    id: row.id as string,
    webhook_id: row.webhook_id as string,
    event: row.event as WebhookEvent,
    payload: row.payload as string,
    status: row.status as DeliveryStatus,
    attempts: row.attempts as number,
    next_attempt_at: row.next_attempt_at as string | null,
    last_status_code: row.last_status_code as number | null,
    last_error: row.last_error as string | null,
    created_at: row.created_at as string,
    delivered_at: row.delivered_at as string | null,
  };
}
