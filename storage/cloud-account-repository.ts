import type { SqlValue } from 'sql.js';
import type { CloudAccountRecord, CloudAccountRepository } from '../core/accounts/cloud-accounts';
import { toPage } from '../core/pagination';
import type { Row, Store } from './database';

const COLUMNS = [
  'id',
  'provider',
  'name',
  'credentials_sealed',
  'credentials_masked',
  'timeout_seconds',
  'policy_custom',
  'proxy_profile_id',
  'created_at',
  'updated_at',
] as const;

/** Cloud accounts in the cloud_accounts table; credentials arrive and leave sealed. */
export function createCloudAccountRepository(store: Store): CloudAccountRepository {
  return {
    insert(record) {
      return store.write(() =>
        store.run(
          `INSERT INTO cloud_accounts (${COLUMNS.join(', ')})
           VALUES (${COLUMNS.map(() => '?').join(', ')})`,
          toRow(record),
        ),
      );
    },
    get(id) {
      const row = store.get('SELECT * FROM cloud_accounts WHERE id = ?', [id]);
      return row ? fromRow(row) : undefined;
    },
    list({ limit, after }) {
      const rows = after
        ? store.all(
            `SELECT * FROM cloud_accounts WHERE (created_at, id) > (?, ?)
             ORDER BY created_at, id LIMIT ?`,
            [String(after.key), after.id, limit + 1],
          )
        : store.all('SELECT * FROM cloud_accounts ORDER BY created_at, id LIMIT ?', [limit + 1]);
      return toPage(rows.map(fromRow), limit, (record) => ({
        key: record.created_at,
        id: record.id,
      }));
    },
    all() {
      return store.all('SELECT * FROM cloud_accounts ORDER BY created_at, id').map(fromRow);
    },
    replace(record) {
      const [id, ...rest] = toRow(record);
      return store.write(() =>
        store.run(
          `UPDATE cloud_accounts SET ${COLUMNS.slice(1)
            .map((column) => `${column} = ?`)
            .join(', ')} WHERE id = ?`,
          [...rest, id as SqlValue],
        ),
      );
    },
    delete(id) {
      return store.write(() => {
        store.run('DELETE FROM cloud_accounts WHERE id = ?', [id]);
        return store.changes() > 0;
      });
    },
  };
}

function toRow(record: CloudAccountRecord): SqlValue[] {
  return [
    record.id,
    record.provider,
    record.name,
    record.credentials_sealed,
    JSON.stringify(record.credentials_masked),
    record.timeout_seconds,
    record.policy_custom ? JSON.stringify(record.policy_custom) : null,
    record.proxy_profile_id,
    record.created_at,
    record.updated_at,
  ];
}

function fromRow(row: Row): CloudAccountRecord {
  return {
    id: String(row.id),
    provider: String(row.provider) as CloudAccountRecord['provider'],
    name: String(row.name),
    credentials_sealed: String(row.credentials_sealed),
    credentials_masked: JSON.parse(String(row.credentials_masked)),
    timeout_seconds: row.timeout_seconds === null ? null : Number(row.timeout_seconds),
    policy_custom: row.policy_custom === null ? null : JSON.parse(String(row.policy_custom)),
    proxy_profile_id: row.proxy_profile_id === null ? null : String(row.proxy_profile_id),
    created_at: String(row.created_at),
    updated_at: String(row.updated_at),
  };
}
