import * as v from 'valibot';
import { REPORT_FORMATS, type ReportRecord } from '../../core/reports/generate';
import type { Handler } from '../context';
import { json, readJsonBody, validate } from '../http';

/** POST /v1/reports/generate body. */
export const ReportGenerateBody = v.strictObject(
  {
    format: v.picklist(REPORT_FORMATS, `must be one of ${REPORT_FORMATS.join(', ')}`),
    scan_id: v.optional(v.pipe(v.string('must be a scan id'), v.trim(), v.minLength(1))),
    include_esg: v.optional(v.boolean('must be true or false')),
  },
  'is not a report field',
);

/** A report's metadata (POST /v1/reports/generate, GET /v1/reports/{id}). */
export const ReportSchema = v.object({
  report_id: v.string(),
  id: v.string(),
  scan_id: v.string(),
  format: v.picklist(REPORT_FORMATS),
  content_type: v.string(),
  filename: v.string(),
  size_bytes: v.number(),
  include_esg: v.boolean(),
  created_at: v.string(),
  download_url: v.string(),
});

/** Builds a report of a completed scan (the latest by default) and stores it. */
export const generateReport: Handler = async (request, { services }) => {
  const body = await readJsonBody(request);

  const input = validate(ReportGenerateBody, body);

  const report = await services.reports.generate(input);

  return json(presentReport(report), 201, { location: `/v1/reports/${report.id}` });
};

/** A stored report as the API shows it (the file's place on disk stays private). */
export function presentReport(report: ReportRecord): v.InferOutput<typeof ReportSchema> {
  return {
    report_id: report.id,
    id: report.id,
    scan_id: report.scan_id,
    format: report.format,
    content_type: report.content_type,
    filename: report.filename,
    size_bytes: report.size_bytes,
    include_esg: report.include_esg,
    created_at: report.created_at,
    download_url: `/v1/reports/${report.id}/download`,
  };
}
