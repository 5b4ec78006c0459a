import * as v from 'valibot';
import { REPORT_FORMATS } from '../../core/reports/generate';
import type { Handler } from '../context';
import { listResponse, readPage, validate } from '../http';
import { pick } from './findings-list';
import { presentReport } from './reports-generate';

/** Filters of GET /v1/reports. */
export const ReportListQuery = v.object({
  scan_id: v.optional(v.string()),
  format: v.optional(v.picklist(REPORT_FORMATS, `must be one of ${REPORT_FORMATS.join(', ')}`)),
});

/** Lists generated reports, newest first. */
export const listReports: Handler = (_request, { query, services }) => {
  const { page, envelope } = readPage(query);

  const filter = validate(ReportListQuery, pick(query, ['scan_id', 'format']));

  const result = services.reports.list(filter, page);

  return listResponse({ ...result, items: result.items.map(presentReport) }, page.limit, envelope);
};
