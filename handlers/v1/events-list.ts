import * as v from 'valibot';
import type { Handler } from '../context';
import { listResponse, readPage } from '../http';

/** One audit entry. */
export const AuditEventSchema = v.object({
  id: v.string(),
  action: v.string(),
  target: v.string(),
  details: v.record(v.string(), v.unknown()),
  created_at: v.string(),
});

/** Lists the audit log, newest first. */
export const listEvents: Handler = (_request, { query, services }) => {
  const { page, envelope } = readPage(query);

  const result = services.audit.list(page);

  return listResponse(result, page.limit, envelope);
};
