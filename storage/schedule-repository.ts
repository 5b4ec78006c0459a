import type { SqlValue } from 'sql.js';
import { toPage } from '../core/pagination';
import type { ScheduleRecord, ScheduleRepository } from '../core/schedules/types';
import type { Row, Store } from './database';

const COLUMNS = [
  'id',
  'name',
  'enabled',
  'run_at',
  'interval_minutes',
  'timezone',
  'cron',
  'scan',
  'next_run_at',
  'last_run_at',
  'last_scan_id',
  'last_error',
  'created_at',
  'updated_at',
] as const;

/** Schedules in the schedules table, listed oldest first (keyset on created_at, id). */
export function createScheduleRepository(store: Store): ScheduleRepository {
  return {
    create(schedule) {
      return store.write(() => store.insert('schedules', toRow(schedule)));
    },
    get(id) {
      const row = store.get('SELECT * FROM schedules WHERE id = ?', [id]);
      return row ? fromRow(row) : undefined;
    },
    list({ limit, after }) {
      const rows = after
        ? store.all(
            `SELECT * FROM schedules WHERE (created_at, id) > (?, ?)
             ORDER BY created_at, id LIMIT ?`,
            [String(after.key), after.id, limit + 1],
          )
        : store.all('SELECT * FROM schedules ORDER BY created_at, id LIMIT ?', [limit + 1]);
      return toPage(rows.map(fromRow), limit, (s) => ({ key: s.created_at, id: s.id }));
    },
    listArmed() {
      return store
        .all(
          `SELECT * FROM schedules WHERE enabled = 1 AND next_run_at IS NOT NULL
           ORDER BY next_run_at, id`,
        )
        .map(fromRow);
    },
    listDue(dueBy, limit, after) {
      const rows = store.all(
        `SELECT * FROM schedules WHERE enabled = 1 AND next_run_at <= ?
         ${after ? 'AND (next_run_at, id) > (?, ?)' : ''} ORDER BY next_run_at, id LIMIT ?`,
        after ? [dueBy, after.at, after.id, limit] : [dueBy, limit],
      );
      return rows.map(fromRow);
    },
    soonestRunAt() {
      const row = store.get<{ at: number | null }>(
        'SELECT min(next_run_at) AS at FROM schedules WHERE enabled = 1',
      );
      return row?.at ?? undefined;
    },
    update(id, patch, durability) {
      const row = toRow(patch);
      delete row.id;
      const columns = Object.keys(row);
      if (!columns.length) return Promise.resolve();
      return store.write(
        () =>
          store.run(
            `UPDATE schedules SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
            [...Object.values(row), id],
          ),
        durability,
      );
    },
    async remove(id) {
      return store.write(() => {
        store.run('DELETE FROM schedules WHERE id = ?', [id]);
        return store.changes() > 0;
      });
    },
  };
}

function toRow(schedule: Partial<ScheduleRecord>): Record<string, SqlValue> {
  const row: Record<string, SqlValue> = {};
  for (const column of COLUMNS) {
    if (!(column in schedule)) continue;
    const value = schedule[column];
    if (column === 'scan') row.scan = JSON.stringify(value ?? {});
    else if (column === 'enabled') row.enabled = value ? 1 : 0;
    else row[column] = (value ?? null) as SqlValue;
  }
  return row;
}

function fromRow(row: Row): ScheduleRecord {
  return {
    id: row.id as string,
    name: row.name as string,
    enabled: row.enabled === 1,
    run_at: row.run_at as number | null,
    interval_minutes: row.interval_minutes as number | null,
    timezone: row.timezone as string,
    cron: row.cron as string | null,
    scan: JSON.parse(row.scan as string),
    next_run_at: row.next_run_at as number | null,
    last_run_at: row.last_run_at as number | null,
    last_scan_id: row.last_scan_id as string | null,
    last_error: row.last_error as string | null,
    created_at: row.created_at as string,
    updated_at: row.updated_at as string,
  };
}
