import * as v from 'valibot';
import { buildK8sGovernance } from '../../core/reports/k8s-governance';
import { describeK8sSource, loadK8sSource } from '../../core/reports/k8s-source';
import type { Handler } from '../context';
import { json, queryObject, validate } from '../http';
import { AnyObject } from '../schemas';
import { K8sActionSchema, K8sReportQuery, K8sReportSourceFields } from './reports-k8s-action-plan';

const Slice = { findings: v.number(), estimated_monthly_savings: v.number() };
const NamespaceSlice = v.object({
  ...Slice,
  account_id: v.string(),
  namespace: v.nullable(v.string()),
  rules: v.record(v.string(), v.number()),
});
const WorkloadSlice = v.object({
  ...Slice,
  account_id: v.string(),
  namespace: v.nullable(v.string()),
  workload: v.string(),
  rules: v.array(v.string()),
});

/** GET /v1/reports/k8s-governance. */
export const K8sGovernanceResponse = v.object({
  ...K8sReportSourceFields,
  generated_at: v.string(),
  window_days: v.number(),
  currency: v.string(),
  totals: v.object({
    findings: v.number(),
    open_findings: v.number(),
    handled_findings: v.number(),
    new_in_window: v.number(),
    governance_findings: v.number(),
    estimated_monthly_savings: v.number(),
    estimated_monthly_savings_usd: v.number(),
    estimated_window_savings: v.number(),
    carbon_kg_monthly: v.number(),
    clusters: v.number(),
  }),
  categories: v.array(
    v.object({ ...Slice, rule_id: v.string(), title: v.string(), share_of_savings: v.number() }),
  ),
  by_namespace: v.array(NamespaceSlice),
  by_workload: v.array(WorkloadSlice),
  top_offenders: v.object({
    namespaces: v.array(NamespaceSlice),
    workloads: v.array(WorkloadSlice),
    resources: v.array(AnyObject),
  }),
  clusters: v.array(AnyObject),
  actions: v.array(K8sActionSchema),
});

/**
 * The Kubernetes governance report of the latest scan with a cluster that finished within the
 * window: totals, categories, namespaces and workloads, top offenders, clusters, first actions.
 * With none, an empty report whose `message` says why.
 */
export const getK8sGovernance: Handler = (_request, { query, services }) => {
  const input = queryObject(query);

  const { window_days } = validate(K8sReportQuery, { window_days: input.window_days });

  const now = services.clock();
  const source = loadK8sSource(
    { scans: services.scanRecords, findings: services.findings },
    { now, window_days },
  );
  const { currency, currency_rates } = services.settings.read('general');
  const report = buildK8sGovernance(source.findings, source.clusters, {
    now,
    window_days,
    currency,
    currency_rates,
  });

  return json({ ...describeK8sSource(source), ...report });
};
