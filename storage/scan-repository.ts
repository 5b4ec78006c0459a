import type { SqlValue } from 'sql.js';
import { toPage } from '../core/pagination';
import type { ScanRecord, ScanRepository, StoredFinding } from '../core/scan/types';
import type { Row, Store } from './database';

const JSON_COLUMNS = [
  'request',
  'selected_accounts',
  'accounts',
  'inventory',
  'report_email_status',
] as const;
const BOOLEAN_COLUMNS = ['includes_kubernetes', 'counted_toward_quota'] as const;

/** Scans and, on finish, their findings, in the scans and findings tables. */
export function createScanRepository(store: Store): ScanRepository {
  const read = (row: Row | undefined) => (row ? fromRow(row) : undefined);
  return {
    create(scan, durability) {
      return store.write(() => store.insert('scans', toRow(scan)), durability);
    },
    get(id) {
      return read(store.get('SELECT * FROM scans WHERE id = ?', [id]));
    },
    list({ status }, { limit, after }) {
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (status) {
        where.push('status = ?');
        params.push(status);
      }
      if (after) {
        where.push('(created_at, id) < (?, ?)');
        params.push(String(after.key), after.id);
      }
      const rows = store.all(
        `SELECT * FROM scans ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY created_at DESC, id DESC LIMIT ?`,
        [...params, limit + 1],
      );
      return toPage(rows.map(fromRow), limit, (scan) => ({ key: scan.created_at, id: scan.id }));
    },
    update(id, patch, durability) {
      return store.write(() => updateRow(store, id, patch), durability);
    },
    finish(id, patch, findings, durability) {
      return store.write(() => {
        updateRow(store, id, patch);
        for (const finding of findings) insertFinding(store, finding);
      }, durability);
    },
    countTowardQuota(since) {
      const row = store.get<{ n: number }>(
        'SELECT count(*) AS n FROM scans WHERE counted_toward_quota = 1 AND created_at >= ?',
        [since.toISOString()],
      );
      return row?.n ?? 0;
    },
    countActive() {
      return (
        store.get<{ n: number }>(
          "SELECT count(*) AS n FROM scans WHERE status IN ('queued', 'running')",
        )?.n ?? 0
      );
    },
    listByStatus(status) {
      return store
        .all('SELECT * FROM scans WHERE status = ? ORDER BY created_at, id', [status])
        .map(fromRow);
    },
    latestCompleted({ withKubernetes = false, since } = {}) {
      return read(
        store.get(
          `SELECT * FROM scans WHERE status = 'completed' ${withKubernetes ? 'AND includes_kubernetes = 1' : ''}
           ${since ? 'AND finished_at >= ?' : ''} ORDER BY finished_at DESC, id DESC LIMIT 1`,
          since ? [since.toISOString()] : [],
        ),
      );
    },
    listCompletedSince(since) {
      return store
        .all(
          "SELECT * FROM scans WHERE status = 'completed' AND finished_at >= ? ORDER BY finished_at, id",
          [since.toISOString()],
        )
        .map(fromRow);
    },
    pruneFindings(keep, durability) {
      // Only older scans that still hold findings: each completion then costs one probe per old
      // scan, not a DELETE per old scan.
      const stale = store.all<{ id: string }>(
        `SELECT id FROM (
           SELECT id FROM scans WHERE status = 'completed'
           ORDER BY finished_at DESC, id DESC LIMIT -1 OFFSET ?
         ) AS old WHERE EXISTS (SELECT 1 FROM findings WHERE scan_id = old.id)`,
        [keep],
      );
      if (!stale.length) return Promise.resolve();
      return store.write(() => {
        for (const { id } of stale) store.run('DELETE FROM findings WHERE scan_id = ?', [id]);
      }, durability);
    },
  };
}

function toRow(scan: Partial<ScanRecord>): Record<string, SqlValue> {
  const row: Record<string, SqlValue> = {};
  for (const [key, value] of Object.entries(scan)) {
    if (!(JSON_COLUMNS as readonly string[]).includes(key)) {
      row[key] = (BOOLEAN_COLUMNS as readonly string[]).includes(key)
        ? value
          ? 1
          : 0
        : (value as SqlValue);
    } else {
      row[key] = value === null || value === undefined ? null : JSON.stringify(value);
    }
  }
  return row;
}

function fromRow(row: Row): ScanRecord {
  const scan: Record<string, unknown> = { ...row };
  for (const column of JSON_COLUMNS) {
    const value = row[column];
    scan[column] = typeof value === 'string' ? JSON.parse(value) : null;
  }
  for (const column of BOOLEAN_COLUMNS) scan[column] = row[column] === 1;
  return scan as unknown as ScanRecord;
}

function updateRow(store: Store, id: string, patch: Partial<ScanRecord>): void {
  const row = toRow(patch);
  const columns = Object.keys(row);
  if (!columns.length) return;
  store.run(`UPDATE scans SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [
    ...Object.values(row),
    id,
  ]);
}

function insertFinding(store: Store, finding: StoredFinding): void {
  const { fingerprint, ...body } = finding;
  store.run(
    `INSERT INTO findings (id, scan_id, rule_id, provider, account_id, region, resource_type, resource_id,
       monthly_cost_usd, carbon_kg_monthly, fingerprint, first_seen_at, body)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      finding.id,
      finding.scan_id,
      finding.rule_id,
      finding.provider,
      finding.account_id,
      finding.region,
      finding.resource_type,
      finding.resource_id,
      finding.estimated_monthly_cost_usd,
      finding.carbon_kg_monthly,
      fingerprint,
      finding.first_seen_at,
      JSON.stringify(body),
    ],
  );
}
