import type { SqlValue } from 'sql.js';
import type { ProxyProfileRecord, ProxyRepository } from '../core/accounts/proxies';
import { toPage } from '../core/pagination';
import type { Row, Store } from './database';

const COLUMNS = [
  'id',
  'name',
  'url',
  'username',
  'password_sealed',
  'created_at',
  'updated_at',
] as const;

/** Proxy profiles in the proxies table; passwords arrive and leave sealed. */
export function createProxyRepository(store: Store): ProxyRepository {
  return {
    insert(record) {
      return store.write(() =>
        store.run(
          `INSERT INTO proxies (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
          toRow(record),
        ),
      );
    },
    get(id) {
      const row = store.get('SELECT * FROM proxies WHERE id = ?', [id]);
      return row ? fromRow(row) : undefined;
    },
    list({ limit, after }) {
      const rows = after
        ? store.all(
            'SELECT * FROM proxies WHERE (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?',
            [String(after.key), after.id, limit + 1],
          )
        : store.all('SELECT * FROM proxies ORDER BY created_at, id LIMIT ?', [limit + 1]);
      return toPage(rows.map(fromRow), limit, (record) => ({
        key: record.created_at,
        id: record.id,
      }));
    },
    replace(record) {
      const [id, ...rest] = toRow(record);
      return store.write(() =>
        store.run(
          `UPDATE proxies SET ${COLUMNS.slice(1)
            .map((column) => `${column} = ?`)
            .join(', ')} WHERE id = ?`,
          [...rest, id as SqlValue],
        ),
      );
    },
    delete(id) {
      return store.write(() => {
        store.run('DELETE FROM proxies WHERE id = ?', [id]);
        return store.changes() > 0;
      });
    },
    countAccountsUsing(id) {
      return (
        store.get<{ n: number }>(
          'SELECT count(*) AS n FROM cloud_accounts WHERE proxy_profile_id = ?',
          [id],
        )?.n ?? 0
      );
    },
  };
}

function toRow(record: ProxyProfileRecord): SqlValue[] {
  return [
    record.id,
    record.name,
    record.url,
    record.username,
    record.password_sealed,
    record.created_at,
    record.updated_at,
  ];
}

function fromRow(row: Row): ProxyProfileRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    url: String(row.url),
    username: row.username === null ? null : String(row.username),
    password_sealed: row.password_sealed === null ? null : String(row.password_sealed),
    created_at: String(row.created_at),
    updated_at: String(row.updated_at),
  };
}
