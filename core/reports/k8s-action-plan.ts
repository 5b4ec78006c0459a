import type { ActionType, Confidence, Finding } from '../model';
import { HOURS_PER_MONTH } from '../model';
import { localizeFinding, roundCurrency, sortByCost } from './summary';

/** One step of the plan: the findings of one rule in one namespace of one cluster. */
export interface K8sAction {
  id: string;
  /** 1 is done first. */
  priority: number;
  rule_id: string;
  action_type: ActionType;
  title: string;
  account_id: string;
  /** Null for cluster-scoped objects (nodes, persistent volumes). */
  namespace: string | null;
  estimated_monthly_savings: number;
  estimated_monthly_savings_usd: number;
  /** Savings over the report window (monthly × window_days / days in a month). */
  estimated_window_savings: number;
  currency: string;
  /** The least certain finding of the group. */
  confidence: Confidence;
  effort: 'low' | 'medium' | 'high';
  recommendation: string;
  /** The exact kubectl commands, costliest resource first; none when the fix needs judgement. */
  commands: string[];
  finding_ids: string[];
  resource_ids: string[];
}

/** GET /v1/reports/k8s-action-plan. */
export interface K8sActionPlan {
  generated_at: string;
  window_days: number;
  currency: string;
  total_estimated_monthly_savings: number;
  total_estimated_window_savings: number;
  actions: K8sAction[];
}

/** How a report is built: when, over how many days, in which currency. */
export interface K8sReportOptions {
  now: Date;
  window_days: number;
  currency?: string;
  currency_rates?: Record<string, number>;
}

interface RuleWording {
  verb: string;
  noun: string;
  effort: K8sAction['effort'];
}

const RULE_WORDING: Record<string, RuleWording> = {
  'k8s.pv.unbound': { verb: 'Delete', noun: 'unbound persistent volume(s)', effort: 'medium' },
  'k8s.pvc.unused': { verb: 'Delete', noun: 'unused persistent volume claim(s)', effort: 'medium' },
  'k8s.service.lb_no_endpoints': {
    verb: 'Delete',
    noun: 'load balancer service(s) without endpoints',
    effort: 'medium',
  },
  'k8s.workload.zero_replicas': {
    verb: 'Review',
    noun: 'workload(s) scaled to zero',
    effort: 'medium',
  },
  'k8s.workload.overrequested': {
    verb: 'Rightsize',
    noun: 'over-requesting workload(s)',
    effort: 'medium',
  },
  'k8s.pod.no_requests': {
    verb: 'Add requests to',
    noun: 'workload(s) without requests',
    effort: 'medium',
  },
  'k8s.node.underutilized': { verb: 'Consolidate', noun: 'underutilised node(s)', effort: 'high' },
  'k8s.configmap.unused': { verb: 'Delete', noun: 'unused ConfigMap(s)', effort: 'low' },
  'k8s.secret.unused': { verb: 'Delete', noun: 'unused Secret(s)', effort: 'low' },
  'k8s.job.finished': { verb: 'Delete', noun: 'finished Job(s)', effort: 'low' },
};

const CONFIDENCE_WEIGHT: Record<Confidence, number> = { high: 1, medium: 0.7, low: 0.4 };
const EFFORT_RANK = { low: 0, medium: 1, high: 2 } as const;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/**
 * The prioritised Kubernetes actions: open findings grouped by cluster, rule and namespace, each
 * group one action with the kubectl commands that carry it out. Money first (savings weighted by
 * confidence), then governance-only actions (by count), cheaper effort first on ties.
 */
export function buildK8sActionPlan(findings: Finding[], options: K8sReportOptions): K8sActionPlan {
  const currency = options.currency ?? findings[0]?.currency ?? 'USD';
  const open = findings
    .filter((finding) => finding.provider === 'kubernetes' && !finding.handled)
    .map((finding) => localizeFinding(finding, currency, options.currency_rates));
  const groups = new Map<string, Finding[]>();
  for (const finding of sortByCost(open)) {
    const id = `${finding.account_id}:${finding.rule_id}:${findingNamespace(finding) ?? ''}`;
    const group = groups.get(id);
    if (group) group.push(finding);
    else groups.set(id, [finding]);
  }
  const actions = [...groups.entries()]
    .map(([id, members]) => toAction(id, members, currency, options.window_days))
    .sort(compareActions)
    .map((action, index) => ({ ...action, priority: index + 1 }));
  const monthly = actions.reduce((sum, action) => sum + action.estimated_monthly_savings, 0);
  return {
    generated_at: options.now.toISOString(),
    window_days: options.window_days,
    currency,
    total_estimated_monthly_savings: roundCurrency(monthly, currency),
    total_estimated_window_savings: roundCurrency(
      windowShare(monthly, options.window_days),
      currency,
    ),
    actions,
  };
}

/** A finding's namespace: from its evidence, else from `<namespace>/<kind>/<name>`. */
export function findingNamespace(finding: Finding): string | null {
  const fromEvidence = finding.evidence.namespace;
  if (typeof fromEvidence === 'string') return fromEvidence;
  if (fromEvidence === null) return null;
  const first = finding.resource_id.split('/')[0];
  return first && first !== '_cluster' ? first : null;
}

/** Savings over `windowDays` from a monthly figure. */
export function windowShare(monthly: number, windowDays: number): number {
  return (monthly * windowDays) / DAYS_PER_MONTH;
}

function toAction(id: string, members: Finding[], currency: string, windowDays: number): K8sAction {
  const first = members[0] as Finding;
  const wording = RULE_WORDING[first.rule_id] ?? {
    verb: 'Review',
    noun: 'finding(s)',
    effort: 'medium' as const,
  };
  const namespace = findingNamespace(first);
  const monthly = members.reduce((sum, finding) => sum + finding.estimated_monthly_cost, 0);
  const usd = members.reduce((sum, finding) => sum + finding.estimated_monthly_cost_usd, 0);
  const commands = [
    ...new Set(members.flatMap((finding) => (finding.fix_command ? [finding.fix_command] : []))),
  ];
  return {
    id,
    priority: 0,
    rule_id: first.rule_id,
    action_type: first.action_type,
    title:
      `${wording.verb} ${members.length} ${wording.noun} ` +
      (namespace ? `in namespace ${namespace}` : 'at cluster scope') +
      ` of ${first.account_id}`,
    account_id: first.account_id,
    namespace,
    estimated_monthly_savings: roundCurrency(monthly, currency),
    estimated_monthly_savings_usd: roundCurrency(usd, 'USD'),
    estimated_window_savings: roundCurrency(windowShare(monthly, windowDays), currency),
    currency,
    confidence: weakest(members.map((finding) => finding.confidence)),
    effort: wording.effort,
    recommendation: first.recommendation,
    commands,
    finding_ids: members.map((finding) => finding.id),
    resource_ids: members.map((finding) => finding.resource_id),
  };
}

function weakest(levels: Confidence[]): Confidence {
  if (levels.includes('low')) return 'low';
  return levels.includes('medium') ? 'medium' : 'high';
}

function compareActions(a: K8sAction, b: K8sAction): number {
  const moneyA = a.estimated_monthly_savings_usd * CONFIDENCE_WEIGHT[a.confidence];
  const moneyB = b.estimated_monthly_savings_usd * CONFIDENCE_WEIGHT[b.confidence];
  if (moneyA !== moneyB) return moneyB - moneyA;
  const countA = a.finding_ids.length * CONFIDENCE_WEIGHT[a.confidence];
  const countB = b.finding_ids.length * CONFIDENCE_WEIGHT[b.confidence];
  if (countA !== countB) return countB - countA;
  if (a.effort !== b.effort) return EFFORT_RANK[a.effort] - EFFORT_RANK[b.effort];
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
