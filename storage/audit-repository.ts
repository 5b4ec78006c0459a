import { redactDetails, type AuditEvent } from '../core/audit';
import { newId } from '../core/ids';
import { toPage } from '../core/pagination';
import type { AuditRepository } from '../core/repositories';
import type { Store } from './database';

type AuditRow = { id: string; action: string; target: string; details: string; created_at: string };

/** The audit log, newest first, keyset-paginated on (created_at, id). */
export function createAuditRepository(
  store: Store,
  clock: () => Date = () => new Date(),
): AuditRepository {
  return {
    async record({ action, target, details = {} }, durability) {
      const now = clock();
      const event: AuditEvent = {
        id: newId('evt', now.getTime()),
        action,
        target,
        details: redactDetails(details),
        created_at: now.toISOString(),
      };
      await store.write(
        () =>
          store.run(
            'INSERT INTO audit_events (id, action, target, details, created_at) VALUES (?, ?, ?, ?, ?)',
            [event.id, event.action, event.target, JSON.stringify(event.details), event.created_at],
          ),
        durability,
      );
      return event;
    },
    list({ limit, after }) {
      const rows = after
        ? store.all<AuditRow>(
            `SELECT * FROM audit_events WHERE (created_at, id) < (?, ?)
             ORDER BY created_at DESC, id DESC LIMIT ?`,
            [String(after.key), after.id, limit + 1],
          )
        : store.all<AuditRow>(
            'SELECT * FROM audit_events ORDER BY created_at DESC, id DESC LIMIT ?',
            [limit + 1],
          );
      const page = toPage(rows, limit, (row) => ({ key: row.created_at, id: row.id }));
      return {
        ...page,
        items: page.items.map((row) => ({ ...row, details: JSON.parse(row.details) })),
      };
    },
  };
}
