import type { ActionType } from '../../model';
import type { KubernetesSnapshot } from '../../providers/kubernetes/snapshot';
import { findUnusedConfigMaps, findUnusedSecrets } from './config';
import { findFinishedJobs } from './jobs';
import { findUnderutilizedNodes } from './nodes';
import { collectReferences } from './references';
import { findIdleLoadBalancers } from './services';
import { type KubernetesRuleContext, type RuleOutput, describeCluster } from './shared';
import { findUnboundVolumes, findUnusedClaims } from './storage';
import {
  findOverrequestedWorkloads,
  findPodsWithoutRequests,
  findZeroReplicaWorkloads,
} from './workloads';

export type { KubernetesRuleContext, RuleOutput } from './shared';

/** The Kubernetes rules, for capabilities and reports (RULES.md "Kubernetes"). */
export const KUBERNETES_RULES: ReadonlyArray<{ id: string; title: string; action: ActionType }> = [
  { id: 'k8s.pv.unbound', title: 'Persistent volume bound to no claim', action: 'DELETE' },
  { id: 'k8s.pvc.unused', title: 'Persistent volume claim used by nothing', action: 'DELETE' },
  {
    id: 'k8s.service.lb_no_endpoints',
    title: 'Load balancer service without ready endpoints',
    action: 'DELETE',
  },
  { id: 'k8s.workload.zero_replicas', title: 'Workload scaled to zero', action: 'REVIEW' },
  {
    id: 'k8s.workload.overrequested',
    title: 'Workload requests far more than it uses',
    action: 'RIGHTSIZE',
  },
  { id: 'k8s.pod.no_requests', title: 'Containers without resource requests', action: 'REVIEW' },
  { id: 'k8s.node.underutilized', title: 'Node less than half requested', action: 'RIGHTSIZE' },
  { id: 'k8s.configmap.unused', title: 'ConfigMap referenced by nothing', action: 'DELETE' },
  { id: 'k8s.secret.unused', title: 'Secret referenced by nothing', action: 'DELETE' },
  { id: 'k8s.job.finished', title: 'Finished Job never cleaned up', action: 'DELETE' },
];

/**
 * Runs every Kubernetes rule over one cluster snapshot. Pure: the scanner feeds it what kubectl
 * returned, an embedded demo cluster feeds it fixtures. Warnings say which rules were skipped or
 * judged at lower confidence because a list was forbidden or failed.
 */
export function evaluateKubernetesRules(
  snapshot: KubernetesSnapshot,
  context: KubernetesRuleContext,
): RuleOutput {
  const facts = describeCluster(snapshot);
  const references = collectReferences(snapshot);
  const outputs = [
    findUnboundVolumes(snapshot, context, facts),
    findUnusedClaims(snapshot, context, facts, references),
    findIdleLoadBalancers(snapshot, context, facts),
    findZeroReplicaWorkloads(snapshot, context, facts),
    findOverrequestedWorkloads(snapshot, context, facts),
    findPodsWithoutRequests(snapshot, context, facts),
    findUnderutilizedNodes(snapshot, context, facts),
    findUnusedConfigMaps(snapshot, context, facts, references),
    findUnusedSecrets(snapshot, context, facts, references),
    findFinishedJobs(snapshot, context, facts),
  ];
  return {
    drafts: outputs.flatMap((output) => output.drafts),
    warnings: outputs.flatMap((output) => output.warnings),
  };
}
