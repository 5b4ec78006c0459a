import type { Finding } from '../model';
import type { KubernetesInventory } from '../providers/kubernetes/inventory';
import { KUBERNETES_RULES } from '../rules/kubernetes';
import {
  type K8sAction,
  type K8sReportOptions,
  buildK8sActionPlan,
  findingNamespace,
  windowShare,
} from './k8s-action-plan';
import { localizeFinding, roundCurrency, roundKg, sortByCost } from './summary';

/** A scanned cluster: the account it belongs to and the inventory its check kept. */
export interface K8sClusterInput {
  account_id: string;
  inventory: KubernetesInventory;
}

/** Findings and savings of one slice (a rule, a namespace, a workload). */
export interface K8sSlice {
  findings: number;
  estimated_monthly_savings: number;
}

/** GET /v1/reports/k8s-governance. */
export interface K8sGovernanceReport {
  generated_at: string;
  window_days: number;
  currency: string;
  totals: {
    findings: number;
    open_findings: number;
    handled_findings: number;
    /** Open findings first seen within the window. */
    new_in_window: number;
    /** Open findings that cost nothing (hygiene: requests, unused config, finished jobs). */
    governance_findings: number;
    estimated_monthly_savings: number;
    estimated_monthly_savings_usd: number;
    estimated_window_savings: number;
    carbon_kg_monthly: number;
    clusters: number;
  };
  categories: Array<K8sSlice & { rule_id: string; title: string; share_of_savings: number }>;
  by_namespace: Array<
    K8sSlice & { account_id: string; namespace: string | null; rules: Record<string, number> }
  >;
  by_workload: Array<
    K8sSlice & { account_id: string; namespace: string | null; workload: string; rules: string[] }
  >;
  top_offenders: {
    namespaces: K8sGovernanceReport['by_namespace'];
    workloads: K8sGovernanceReport['by_workload'];
    resources: Array<{
      finding_id: string;
      rule_id: string;
      account_id: string;
      resource_id: string;
      title: string;
      estimated_monthly_savings: number;
    }>;
  };
  clusters: Array<ClusterSummary>;
  /** The first actions of the action plan. */
  actions: K8sAction[];
}

/** One cluster's size, how much of it is requested, and its waste. */
export interface ClusterSummary extends K8sSlice {
  account_id: string;
  context: string;
  server_version: string | null;
  region: string;
  cloud: string | null;
  metrics_available: boolean;
  nodes: number;
  pods: number;
  workloads: number;
  services: number;
  persistentvolumes: number;
  persistentvolumeclaims: number;
  namespaces: number;
  capacity: KubernetesInventory['capacity'];
  /** Requested ÷ allocatable; null without allocatable capacity. */
  requested_share: { cpu: number | null; memory: number | null };
  /** Lists that were forbidden or failed, so the findings may be incomplete. */
  incomplete_kinds: string[];
}

const TOP_SLICES = 5;
const TOP_RESOURCES = 10;
const TOP_ACTIONS = 10;

/**
 * The Kubernetes governance report: totals, waste by rule, namespace and workload, the worst
 * offenders, a summary per cluster, and the first prioritised actions. Pure: the caller loads the
 * findings of the latest scan that included clusters and the inventories it kept.
 */
export function buildK8sGovernance(
  findings: Finding[],
  clusters: K8sClusterInput[],
  options: K8sReportOptions,
): K8sGovernanceReport {
  const currency = options.currency ?? findings[0]?.currency ?? 'USD';
  const all = findings.filter((finding) => finding.provider === 'kubernetes');
  const open = sortByCost(
    all
      .filter((finding) => !finding.handled)
      .map((finding) => localizeFinding(finding, currency, options.currency_rates)),
  );
  const money = (items: Finding[]) =>
    roundCurrency(
      items.reduce((sum, finding) => sum + finding.estimated_monthly_cost, 0),
      currency,
    );
  const monthly = money(open);
  const windowStart = options.now.getTime() - options.window_days * 86_400_000;
  const byNamespace = sliceBy(open, money, (finding) => {
    const namespace = findingNamespace(finding);
    return {
      key: `${finding.account_id}/${namespace ?? ''}`,
      fields: { account_id: finding.account_id, namespace },
    };
  }).map(({ items, fields, slice }) => ({ ...fields, ...slice, rules: countRules(items) }));
  const byWorkload = sliceBy(open, money, (finding) => {
    const workload = finding.evidence.workload;
    if (typeof workload !== 'string') return undefined;
    const namespace = findingNamespace(finding);
    return {
      key: `${finding.account_id}/${namespace ?? ''}/${workload}`,
      fields: { account_id: finding.account_id, namespace, workload },
    };
  }).map(({ items, fields, slice }) => ({
    ...fields,
    ...slice,
    rules: [...new Set(items.map((finding) => finding.rule_id))],
  }));
  const plan = buildK8sActionPlan(all, { ...options, currency });
  return {
    generated_at: options.now.toISOString(),
    window_days: options.window_days,
    currency,
    totals: {
      findings: all.length,
      open_findings: open.length,
      handled_findings: all.length - open.length,
      new_in_window: open.filter((finding) => Date.parse(finding.first_seen_at) >= windowStart)
        .length,
      governance_findings: open.filter((finding) => finding.estimated_monthly_cost_usd === 0)
        .length,
      estimated_monthly_savings: monthly,
      estimated_monthly_savings_usd: roundCurrency(
        open.reduce((sum, finding) => sum + finding.estimated_monthly_cost_usd, 0),
        'USD',
      ),
      estimated_window_savings: roundCurrency(windowShare(monthly, options.window_days), currency),
      carbon_kg_monthly: roundKg(open.reduce((sum, finding) => sum + finding.carbon_kg_monthly, 0)),
      clusters: new Set([
        ...clusters.map((cluster) => cluster.account_id),
        ...open.map((f) => f.account_id),
      ]).size,
    },
    categories: categories(open, money, monthly),
    by_namespace: byNamespace,
    by_workload: byWorkload,
    top_offenders: {
      namespaces: byNamespace.slice(0, TOP_SLICES),
      workloads: byWorkload.slice(0, TOP_SLICES),
      resources: open.slice(0, TOP_RESOURCES).map((finding) => ({
        finding_id: finding.id,
        rule_id: finding.rule_id,
        account_id: finding.account_id,
        resource_id: finding.resource_id,
        title: finding.title,
        estimated_monthly_savings: finding.estimated_monthly_cost,
      })),
    },
    clusters: clusters.map((cluster) => summarizeCluster(cluster, open, money)),
    actions: plan.actions.slice(0, TOP_ACTIONS),
  };
}

function categories(open: Finding[], money: (items: Finding[]) => number, total: number) {
  const titles = new Map(KUBERNETES_RULES.map((rule) => [rule.id, rule.title]));
  return sliceBy(open, money, (finding) => ({
    key: finding.rule_id,
    fields: { rule_id: finding.rule_id },
  })).map(({ fields, slice }) => ({
    rule_id: fields.rule_id,
    title: titles.get(fields.rule_id) ?? fields.rule_id,
    ...slice,
    share_of_savings:
      total > 0 ? Math.round((slice.estimated_monthly_savings / total) * 1000) / 1000 : 0,
  }));
}

/** Groups findings by a key; most savings first, then most findings, then key. */
function sliceBy<F>(
  findings: Finding[],
  money: (items: Finding[]) => number,
  keyOf: (finding: Finding) => { key: string; fields: F } | undefined,
): Array<{ items: Finding[]; fields: F; slice: K8sSlice; key: string }> {
  const groups = new Map<string, { items: Finding[]; fields: F }>();
  for (const finding of findings) {
    const found = keyOf(finding);
    if (!found) continue;
    const group = groups.get(found.key);
    if (group) group.items.push(finding);
    else groups.set(found.key, { items: [finding], fields: found.fields });
  }
  return [...groups.entries()]
    .map(([key, group]) => ({
      key,
      ...group,
      slice: { findings: group.items.length, estimated_monthly_savings: money(group.items) },
    }))
    .sort(
      (a, b) =>
        b.slice.estimated_monthly_savings - a.slice.estimated_monthly_savings ||
        b.slice.findings - a.slice.findings ||
        (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
}

function countRules(findings: Finding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const finding of findings) counts[finding.rule_id] = (counts[finding.rule_id] ?? 0) + 1;
  return counts;
}

function summarizeCluster(
  cluster: K8sClusterInput,
  open: Finding[],
  money: (items: Finding[]) => number,
): ClusterSummary {
  const { inventory } = cluster;
  const own = open.filter((finding) => finding.account_id === cluster.account_id);
  const { capacity } = inventory;
  return {
    account_id: cluster.account_id,
    context: inventory.context,
    server_version: inventory.server_version,
    region: inventory.region,
    cloud: inventory.cloud,
    metrics_available: inventory.metrics_available,
    nodes: inventory.kinds.nodes.count,
    pods: inventory.kinds.pods.count,
    workloads: inventory.kinds.workloads.count,
    services: inventory.kinds.services.count,
    persistentvolumes: inventory.kinds.persistentvolumes.count,
    persistentvolumeclaims: inventory.kinds.persistentvolumeclaims.count,
    namespaces: Object.keys(inventory.namespaces).length,
    capacity,
    requested_share: {
      cpu: share(capacity.requested_cpu_cores, capacity.allocatable_cpu_cores),
      memory: share(capacity.requested_memory_gib, capacity.allocatable_memory_gib),
    },
    incomplete_kinds: Object.entries(inventory.availability)
      .filter(([, state]) => state === 'forbidden' || state === 'failed')
      .map(([kind]) => kind),
    findings: own.length,
    estimated_monthly_savings: money(own),
  };
}

function share(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null;
}
