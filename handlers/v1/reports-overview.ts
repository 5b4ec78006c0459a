import * as v from 'valibot';
import type { Handler } from '../context';
import { json, validate } from '../http';

/** `window_days`: whole days, 1 to 365, 30 when absent. */
export const ReportOverviewQuery = v.object({
  window_days: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, 'must be a whole number between 1 and 365'),
      v.transform(Number),
      v.minValue(1, 'must be between 1 and 365'),
      v.maxValue(365, 'must be between 1 and 365'),
    ),
    '30',
  ),
});

const Group = v.object({
  key: v.string(),
  label: v.string(),
  findings: v.number(),
  estimated_monthly_savings: v.number(),
  carbon_kg_monthly: v.number(),
});

/** GET /v1/reports/overview. */
export const ReportOverviewResponse = v.object({
  window_days: v.number(),
  from: v.string(),
  to: v.string(),
  currency: v.string(),
  totals: v.object({
    findings: v.number(),
    estimated_monthly_savings: v.number(),
    carbon_kg_monthly: v.number(),
    accounts: v.number(),
    scans_completed: v.number(),
    last_scan_id: v.nullable(v.string()),
    last_scan_at: v.nullable(v.string()),
  }),
  by_provider: v.array(Group),
  by_account: v.array(Group),
  by_rule: v.array(Group),
  daily_trend: v.array(
    v.object({
      date: v.string(),
      scan_id: v.nullable(v.string()),
      findings: v.nullable(v.number()),
      estimated_monthly_savings: v.nullable(v.number()),
    }),
  ),
});

/** Totals, slices by provider, account and rule, and the daily trend over the window. */
export const getReportsOverview: Handler = (_request, { query, services }) => {
  const raw = query.get('window_days');

  const { window_days } = validate(ReportOverviewQuery, { window_days: raw ?? undefined });

  const overview = services.reports.overview(window_days);

  return json(overview);
};
