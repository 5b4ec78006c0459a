import * as v from 'valibot';
import { ACTION_TYPES } from '../../core/model';
import { buildK8sActionPlan } from '../../core/reports/k8s-action-plan';
import { describeK8sSource, loadK8sSource } from '../../core/reports/k8s-source';
import type { Handler } from '../context';
import { json, queryObject, validate } from '../http';

/** `window_days` of the Kubernetes reports: a whole number of days, 1–365, default 30. */
export const K8sReportQuery = v.object({
  window_days: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, 'must be a whole number between 1 and 365'),
      v.transform(Number),
      v.minValue(1, 'must be a whole number between 1 and 365'),
      v.maxValue(365, 'must be a whole number between 1 and 365'),
    ),
    '30',
  ),
});

/** Which scan a Kubernetes report was built from, or why there was none. */
export const K8sReportSourceFields = {
  scan_id: v.nullable(v.string()),
  scan_finished_at: v.nullable(v.string()),
  pending_scan_id: v.nullable(v.string()),
  message: v.nullable(v.string()),
};

/** One prioritised action with the kubectl commands that carry it out. */
export const K8sActionSchema = v.object({
  id: v.string(),
  priority: v.number(),
  rule_id: v.string(),
  action_type: v.picklist(ACTION_TYPES),
  title: v.string(),
  account_id: v.string(),
  namespace: v.nullable(v.string()),
  estimated_monthly_savings: v.number(),
  estimated_monthly_savings_usd: v.number(),
  estimated_window_savings: v.number(),
  currency: v.string(),
  confidence: v.picklist(['high', 'medium', 'low']),
  effort: v.picklist(['low', 'medium', 'high']),
  recommendation: v.string(),
  commands: v.array(v.string()),
  finding_ids: v.array(v.string()),
  resource_ids: v.array(v.string()),
});

/** GET /v1/reports/k8s-action-plan. */
export const K8sActionPlanResponse = v.object({
  ...K8sReportSourceFields,
  generated_at: v.string(),
  window_days: v.number(),
  currency: v.string(),
  total_estimated_monthly_savings: v.number(),
  total_estimated_window_savings: v.number(),
  actions: v.array(K8sActionSchema),
});

/**
 * The prioritised Kubernetes actions of the latest scan with a cluster that finished within the
 * window. With none, an empty plan whose `message` says why (and names a scan still under way).
 */
export const getK8sActionPlan: Handler = (_request, { query, services }) => {
  const input = queryObject(query);

  const { window_days } = validate(K8sReportQuery, { window_days: input.window_days });

  const now = services.clock();
  const source = loadK8sSource(
    { scans: services.scanRecords, findings: services.findings },
    { now, window_days },
  );
  const { currency, currency_rates } = services.settings.read('general');
  const plan = buildK8sActionPlan(source.findings, { now, window_days, currency, currency_rates });

  return json({ ...describeK8sSource(source), ...plan });
};
