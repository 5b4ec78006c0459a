import type { Finding } from '../model';
import {
  describeCarbonMethod,
  describeCurrency,
  FINDING_FIELDS,
  prepareReport,
  type ReportSource,
  type ReportSummary,
} from './summary';

/** The JSON report document (`buildJsonReport` serialises it). */
export interface JsonReport {
  report_version: 1;
  generated_at: string;
  currency: string;
  currency_note: string;
  scan: ReportSource['scan'];
  summary: Omit<ReportSummary, 'top_findings' | 'carbon_by_provider'> & {
    top_finding_ids: string[];
  };
  findings: Record<string, unknown>[];
  esg?: {
    carbon_kg_monthly: number;
    carbon_by_provider: ReportSummary['carbon_by_provider'];
    method: string;
    coefficients: ReportSource['coefficients'];
  };
}

/**
 * `{ generated_at, scan, summary, findings, esg? }`: findings carry the findings API's fields in its
 * order, costliest first, money in the report currency (the USD figure kept beside it). Several
 * binaries' exports merge by concatenating `findings`.
 */
export function buildJsonReport(source: ReportSource): string {
  return JSON.stringify(buildJsonDocument(source), null, 2);
}

/** The report as an object, for callers that embed it rather than serve it. */
export function buildJsonDocument(source: ReportSource): JsonReport {
  const { summary, findings } = prepareReport(source);
  const { top_findings, carbon_by_provider, ...totals } = summary;
  const document: JsonReport = {
    report_version: 1,
    generated_at: source.generated_at.toISOString(),
    currency: source.currency,
    currency_note: describeCurrency(source),
    scan: source.scan,
    summary: { ...totals, top_finding_ids: top_findings.map((finding) => finding.id) },
    findings: findings.map(toApiFields),
  };
  if (source.include_esg) {
    document.esg = {
      carbon_kg_monthly: summary.carbon_kg_monthly,
      carbon_by_provider,
      method: describeCarbonMethod(source.coefficients),
      coefficients: source.coefficients,
    };
  }
  return document;
}

/** Exactly the API's fields, so nothing a storage row carries beside them leaks into a report. */
function toApiFields(finding: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of FINDING_FIELDS) out[field] = finding[field] ?? null;
  return out;
}
