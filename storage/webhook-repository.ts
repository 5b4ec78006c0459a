import type { SqlValue } from 'sql.js';
import { toPage } from '../core/pagination';
import type { SecretBox } from '../core/secrets';
import type { WebhookEvent, WebhookRecord, WebhookRepository } from '../core/webhooks/types';
import type { Row, Store } from './database';

/**
 * Webhooks in the webhooks table, oldest first. With a SecretBox the secret is stored sealed
 * (AES-256-GCM under the master key); without one (in-memory test apps) it is stored as given.
 * Either way it leaves this repository only inside a WebhookRecord, never in a list of columns.
 */
export function createWebhookRepository(store: Store, box?: SecretBox): WebhookRepository {
  const fromRow = (row: Row): WebhookRecord => ({
    id: row.id as string,
    name: row.name as string | null,
    url: row.url as string,
    events: JSON.parse(row.events as string) as WebhookEvent[],
    is_active: row.is_active === 1,
    secret: row.secret === null ? null : open(row.secret as string),
    has_secret: row.secret !== null,
    created_at: row.created_at as string,
    updated_at: row.updated_at as string,
  });
  // A secret sealed under another master key cannot be opened: the record says it has one, and
  // the delivery refuses to go out unsigned.
  const open = (stored: string) => {
    if (!box) return stored;
    try {
      return box.open(stored);
    } catch {
      return null;
    }
  };
  const toRow = (webhook: Partial<WebhookRecord>): Record<string, SqlValue> => {
    const row: Record<string, SqlValue> = {};
    for (const [key, value] of Object.entries(webhook)) {
      if (key === 'events') row.events = JSON.stringify(value);
      else if (key === 'is_active') row.is_active = value ? 1 : 0;
      else if (key === 'secret')
        row.secret = value ? (box ? box.seal(value as string) : (value as string)) : null;
      else if (key === 'has_secret') continue;
      else row[key] = (value ?? null) as SqlValue;
    }
    return row;
  };

  return {
    create(webhook) {
      return store.write(() => store.insert('webhooks', toRow(webhook)));
    },
    get(id) {
      const row = store.get('SELECT * FROM webhooks WHERE id = ?', [id]);
      return row ? fromRow(row) : undefined;
    },
    list({ limit, after }) {
      const rows = after
        ? store.all(
            'SELECT * FROM webhooks WHERE (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?',
            [String(after.key), after.id, limit + 1],
          )
        : store.all('SELECT * FROM webhooks ORDER BY created_at, id LIMIT ?', [limit + 1]);
      return toPage(rows.map(fromRow), limit, (w) => ({ key: w.created_at, id: w.id }));
    },
    listSubscribed(event) {
      return store
        .all('SELECT * FROM webhooks WHERE is_active = 1 ORDER BY created_at, id')
        .map(fromRow)
        .filter((webhook) => webhook.events.includes(event));
    },
    update(id, patch) {
      const row = toRow(patch);
      delete row.id;
      const columns = Object.keys(row);
      if (!columns.length) return Promise.resolve();
      return store.write(() =>
        store.run(`UPDATE webhooks SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [
          ...Object.values(row),
          id,
        ]),
      );
    },
    remove(id) {
      return store.write(() => {
        store.run('DELETE FROM webhook_deliveries WHERE webhook_id = ?', [id]);
        store.run('DELETE FROM webhooks WHERE id = ?', [id]);
        const removed = store.changes() > 0;
        // Bodies only this webhook's pending deliveries needed.
        store.run(
          `DELETE FROM webhook_payloads WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries
             WHERE payload_id = webhook_payloads.id AND status = 'pending')`,
        );
        return removed;
      });
    },
  };
}
