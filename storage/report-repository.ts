import type { SqlValue } from 'sql.js';
import { toPage } from '../core/pagination';
import type { ReportFormat, ReportRecord, ReportRepository } from '../core/reports/generate';
import type { Row, Store } from './database';

/** Generated reports' metadata in the reports table, newest first, keyset on (created_at, id). */
export function createReportRepository(store: Store): ReportRepository {
  return {
    create(report) {
      return store.write(() =>
        store.run(
          `INSERT INTO reports (id, scan_id, format, filename, content_type, size_bytes, include_esg,
             path, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            report.id,
            report.scan_id,
            report.format,
            report.filename,
            report.content_type,
            report.size_bytes,
            report.include_esg ? 1 : 0,
            report.path,
            report.created_at,
          ],
        ),
      );
    },
    get(id) {
      const row = store.get('SELECT * FROM reports WHERE id = ?', [id]);
      return row ? fromRow(row) : undefined;
    },
    list({ scan_id, format }, { limit, after }) {
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (scan_id) {
        where.push('scan_id = ?');
        params.push(scan_id);
      }
      if (format) {
        where.push('format = ?');
        params.push(format);
      }
      if (after) {
        where.push('(created_at, id) < (?, ?)');
        params.push(String(after.key), after.id);
      }
      const rows = store.all(
        `SELECT * FROM reports ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY created_at DESC, id DESC LIMIT ?`,
        [...params, limit + 1],
      );
      return toPage(rows.map(fromRow), limit, (report) => ({
        key: report.created_at,
        id: report.id,
      }));
    },
    async delete(id) {
      return store.write(() => {
        store.run('DELETE FROM reports WHERE id = ?', [id]);
        return store.changes() > 0;
      });
    },
  };
}

function fromRow(row: Row): ReportRecord {
  return {
    id: String(row.id),
    scan_id: String(row.scan_id),
    format: String(row.format) as ReportFormat,
    filename: String(row.filename),
    content_type: String(row.content_type),
    size_bytes: Number(row.size_bytes),
    include_esg: row.include_esg === 1,
    path: String(row.path),
    created_at: String(row.created_at),
  };
}
