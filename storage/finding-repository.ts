import type { SqlValue } from 'sql.js';
import type { Finding } from '../core/model';
import { toPage } from '../core/pagination';
import { resourceKey, type FindingRepository } from '../core/scan/types';
import type { Store } from './database';

type FindingRow = {
  id: string;
  body: string;
  fingerprint: string;
  handled_fingerprint: string | null;
  monthly_cost_usd: number;
};

const SELECT = `SELECT f.id, f.body, f.fingerprint, f.monthly_cost_usd, h.fingerprint AS handled_fingerprint
  FROM findings f LEFT JOIN handled_findings h
    ON h.rule_id = f.rule_id AND h.account_id = f.account_id AND h.resource_id = f.resource_id`;

/**
 * Findings, ordered by monthly cost (highest first) then id. `handled` is read live from the
 * handled marks, so marking a finding shows in every scan that found the same, unchanged resource.
 */
export function createFindingRepository(
  store: Store,
  clock: () => Date = () => new Date(),
): FindingRepository {
  return {
    list(filter, { limit, after }) {
      const where: string[] = [];
      const params: SqlValue[] = [];
      const add = (clause: string, value: SqlValue | undefined) => {
        if (value === undefined) return;
        where.push(clause);
        params.push(value);
      };
      add('f.scan_id = ?', filter.scan_id);
      add('f.provider = ?', filter.provider);
      add('f.account_id = ?', filter.account_id);
      add('f.resource_type = ?', filter.resource_type);
      add('f.rule_id = ?', filter.rule);
      add('f.monthly_cost_usd >= ?', filter.min_monthly_cost_usd);
      if (after) {
        where.push('(f.monthly_cost_usd < ? OR (f.monthly_cost_usd = ? AND f.id > ?))');
        params.push(Number(after.key), Number(after.key), after.id);
      }
      const rows = store.all<FindingRow>(
        `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY f.monthly_cost_usd DESC, f.id ASC LIMIT ?`,
        [...params, limit + 1],
      );
      const page = toPage(rows, limit, (row) => ({ key: row.monthly_cost_usd, id: row.id }));
      return { ...page, items: page.items.map(fromRow) };
    },
    listAll(scanId) {
      return store
        .all<FindingRow>(
          `${SELECT} WHERE f.scan_id = ? ORDER BY f.monthly_cost_usd DESC, f.id ASC`,
          [scanId],
        )
        .map(fromRow);
    },
    get(id) {
      const row = store.get<FindingRow>(`${SELECT} WHERE f.id = ?`, [id]);
      return row ? fromRow(row) : undefined;
    },
    markHandled(finding, fingerprint) {
      return store.write(() =>
        store.run(
          `INSERT INTO handled_findings (rule_id, account_id, resource_id, fingerprint, handled_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (rule_id, account_id, resource_id)
           DO UPDATE SET fingerprint = excluded.fingerprint, handled_at = excluded.handled_at`,
          [
            finding.rule_id,
            finding.account_id,
            finding.resource_id,
            fingerprint,
            clock().toISOString(),
          ],
        ),
      );
    },
    clearHandled(finding) {
      return store.write(() =>
        store.run(
          'DELETE FROM handled_findings WHERE rule_id = ? AND account_id = ? AND resource_id = ?',
          [finding.rule_id, finding.account_id, finding.resource_id],
        ),
      );
    },
    handledFingerprints() {
      const rows = store.all<{
        rule_id: string;
        account_id: string;
        resource_id: string;
        fingerprint: string;
      }>('SELECT rule_id, account_id, resource_id, fingerprint FROM handled_findings');
      return new Map(rows.map((row) => [resourceKey(row), row.fingerprint]));
    },
    firstSeen(keys) {
      const wanted = new Set(keys);
      const seen = new Map<string, string>();
      if (!wanted.size) return seen;
      const rows = store.all<{
        rule_id: string;
        account_id: string;
        resource_id: string;
        first: string;
      }>(
        `SELECT rule_id, account_id, resource_id, MIN(first_seen_at) AS first FROM findings
         GROUP BY rule_id, account_id, resource_id`,
      );
      for (const row of rows) {
        const key = resourceKey(row);
        if (wanted.has(key)) seen.set(key, row.first);
      }
      return seen;
    },
    fingerprintOf(findingId) {
      return store.get<{ fingerprint: string }>('SELECT fingerprint FROM findings WHERE id = ?', [
        findingId,
      ])?.fingerprint;
    },
  };
}

function fromRow(row: FindingRow): Finding {
  const finding = JSON.parse(row.body) as Finding;
  finding.handled = row.handled_fingerprint === row.fingerprint;
  return finding;
}
