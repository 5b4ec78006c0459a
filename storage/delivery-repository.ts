import type { SqlValue } from 'sql.js';
import { toPage } from '../core/pagination';
import type {
  DeliveryAttempt,
  DeliveryRepository,
  DeliveryStatus,
  WebhookDelivery,
  WebhookEvent,
} from '../core/webhooks/types';
import type { Row, Store } from './database';

const COLUMNS = [
  'id',
  'webhook_id',
  'event',
  'payload_id',
  'status',
  'attempts',
  'next_attempt_at',
  'last_status_code',
  'last_error',
  'created_at',
  'delivered_at',
] as const;

/** Deliveries with the body of their payload while one is kept. */
const SELECT_DELIVERIES = `SELECT d.*, coalesce(p.body, '') AS payload FROM webhook_deliveries d
  LEFT JOIN webhook_payloads p ON p.id = d.payload_id`;

/**
 * The webhook delivery queue and log: webhook_deliveries, one row per event and webhook, and
 * webhook_payloads, one body per event shared by its deliveries and dropped once none of them is
 * pending (the file is written whole: it stays small). The log lists newest first; the queue
 * takes pending rows by next_attempt_at. Changes are written without a flush of their own (see
 * DeliveryRepository): `persist()` makes them durable.
 */
export function createDeliveryRepository(store: Store): DeliveryRepository {
  return {
    enqueue(payload, deliveries) {
      if (!deliveries.length) return;
      const row = `(${COLUMNS.map(() => '?').join(', ')})`;
      store.transaction(() => {
        if (payload) {
          store.run(
            'INSERT INTO webhook_payloads (id, event, body, created_at) VALUES (?, ?, ?, ?)',
            [payload.id, payload.event, payload.body, payload.created_at],
          );
        }
        store.run(
          `INSERT INTO webhook_deliveries (${COLUMNS.join(', ')})
           VALUES ${deliveries.map(() => row).join(', ')}`,
          deliveries.flatMap((delivery) => COLUMNS.map((column) => delivery[column] as SqlValue)),
        );
      });
    },
    get(id) {
      const row = store.get(`${SELECT_DELIVERIES} WHERE d.id = ?`, [id]);
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
      return toPage(
        rows.map((row) => fromRow({ ...row, payload: '' })),
        limit,
        (d) => ({ key: d.created_at, id: d.id }),
      );
    },
    listDue(now, limit, exclude) {
      // Over-fetch by the number excluded so that leaving them out still fills the page.
      const rows = store.all(
        `${SELECT_DELIVERIES} WHERE d.status = 'pending' AND d.next_attempt_at <= ?
         ORDER BY d.next_attempt_at, d.id LIMIT ?`,
        [now, limit + exclude.size],
      );
      return rows
        .map(fromRow)
        .filter((delivery) => !exclude.has(delivery.id))
        .slice(0, limit);
    },
    soonestDue(exclude) {
      const ids = [...exclude];
      // Walks the (status, next_attempt_at) index and stops at the first row not excluded.
      const row = store.get<{ at: string }>(
        `SELECT next_attempt_at AS at FROM webhook_deliveries WHERE status = 'pending'
         ${ids.length ? `AND id NOT IN (${ids.map(() => '?').join(', ')})` : ''}
         ORDER BY next_attempt_at, id LIMIT 1`,
        ids,
      );
      return row?.at;
    },
    recordAttempts(outcomes) {
      if (!outcomes.length) return;
      // One transaction for the lot: sql.js pays for a rollback journal per transaction.
      store.transaction(() => {
        const finished: string[] = [];
        for (const { id, attempt } of outcomes) {
          store.run(
            `UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?,
               last_status_code = ?, last_error = ?, delivered_at = ? WHERE id = ?`,
            [
              attempt.status,
              attempt.attempts,
              attempt.next_attempt_at,
              attempt.last_status_code,
              attempt.last_error,
              attempt.delivered_at,
              id,
            ],
          );
          if (attempt.status !== 'pending') finished.push(id);
        }
        if (finished.length) dropUnusedPayloads(store, finished);
      });
    },
    persist() {
      return store.commit();
    },
    prune(webhookIds, keep) {
      // Per webhook along its log index: find the keep-th newest finished delivery, drop older ones.
      for (const webhookId of webhookIds) {
        const boundary = store.get<{ created_at: string; id: string }>(
          `SELECT created_at, id FROM webhook_deliveries WHERE webhook_id = ? AND status != 'pending'
           ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?`,
          [webhookId, keep - 1],
        );
        if (!boundary) continue;
        store.run(
          `DELETE FROM webhook_deliveries WHERE webhook_id = ? AND status != 'pending'
           AND (created_at, id) < (?, ?)`,
          [webhookId, boundary.created_at, boundary.id],
        );
      }
    },
  };
}

/** Drops the bodies of these finished deliveries that no pending delivery still needs. */
function dropUnusedPayloads(store: Store, deliveryIds: string[]): void {
  const marks = deliveryIds.map(() => '?').join(', ');
  store.run(
    `DELETE FROM webhook_payloads WHERE id IN (
       SELECT payload_id FROM webhook_deliveries WHERE id IN (${marks}))
     AND NOT EXISTS (
       SELECT 1 FROM webhook_deliveries WHERE payload_id = webhook_payloads.id
       AND status = 'pending')`,
    deliveryIds,
  );
}

function fromRow(row: Row): WebhookDelivery {
  return {
    id: row.id as string,
    webhook_id: row.webhook_id as string,
    event: row.event as WebhookEvent,
    payload_id: row.payload_id as string,
    payload: (row.payload as string | null) ?? '',
    status: row.status as DeliveryStatus,
    attempts: row.attempts as number,
    next_attempt_at: row.next_attempt_at as string | null,
    last_status_code: row.last_status_code as number | null,
    last_error: row.last_error as string | null,
    created_at: row.created_at as string,
    delivered_at: row.delivered_at as string | null,
  };
}
