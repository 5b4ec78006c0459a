import type { FindingDraft } from '../../model';
import type { KubernetesSnapshot } from '../../providers/kubernetes/snapshot';
import { BYTES_PER_GIB } from '../../providers/kubernetes/quantity';
import type { Node } from '../../providers/kubernetes/types';
import { nodeUsage } from './pricing';
import { type Requests, effectiveRequests, fromList, isActivePod } from './pod-specs';
import {
  type ClusterFacts,
  type KubernetesRuleContext,
  type RuleOutput,
  baseDraft,
  fingerprint,
  gateRule,
  isExcludedObject,
  isWithinGrace,
  kubectlCommand,
  nodeRegion,
  resourceId,
} from './shared';

/** Below this share of allocatable CPU and memory requested, a node is underutilised. */
const UNDERUTILISED_SHARE = 0.5;

const CONTROL_PLANE_LABELS = [
  'node-role.kubernetes.io/control-plane',
  'node-role.kubernetes.io/master',
];

/**
 * k8s.node.underutilized: a schedulable worker node whose pods request less than half of its
 * allocatable CPU and less than half of its memory. Its requests would fit a node of half the
 * size, so the saving is priced as half the node (from its instance-type label, else per unit).
 * When the metrics API shows the node busier than that (pods without requests), it is not
 * reported: shrinking it would starve them.
 */
export function findUnderutilizedNodes(
  snapshot: KubernetesSnapshot,
  context: KubernetesRuleContext,
  facts: ClusterFacts,
): RuleOutput {
  const ruleId = 'k8s.node.underutilized';
  const gate = gateRule(snapshot, { rule_id: ruleId, required: ['nodes', 'pods'] });
  if (!gate.run) return { drafts: [], warnings: gate.warnings };
  const requested = requestsByNode(snapshot);
  const used = new Map(
    snapshot.node_metrics.map((item) => [item.metadata.name, fromList(item.usage)]),
  );
  const drafts: FindingDraft[] = [];
  for (const node of snapshot.nodes) {
    if (!isCandidate(node, context)) continue;
    const allocatable = fromList(node.status?.allocatable);
    if (!allocatable.cpu || !allocatable.memory) continue;
    const asked = requested.get(node.metadata.name) ?? { cpu: 0, memory: 0 };
    const cpuShare = asked.cpu / allocatable.cpu;
    const memoryShare = asked.memory / allocatable.memory;
    if (cpuShare >= UNDERUTILISED_SHARE || memoryShare >= UNDERUTILISED_SHARE) continue;
    const usage = used.get(node.metadata.name);
    if (usage && isBusy(usage, allocatable)) continue;
    drafts.push(nodeDraft(context, facts, ruleId, node, allocatable, asked, usage));
  }
  return { drafts, warnings: gate.warnings };
}

function isCandidate(node: Node, context: KubernetesRuleContext): boolean {
  const labels = node.metadata.labels ?? {};
  if (CONTROL_PLANE_LABELS.some((label) => label in labels)) return false;
  // A cordoned node is already being drained; a new one may still be filling up.
  if (node.spec?.unschedulable) return false;
  if (isWithinGrace(node.metadata, context)) return false;
  return !isExcludedObject(node.metadata, context.policy);
}

function isBusy(usage: Requests, allocatable: Requests): boolean {
  return (
    usage.cpu / allocatable.cpu >= UNDERUTILISED_SHARE ||
    usage.memory / allocatable.memory >= UNDERUTILISED_SHARE
  );
}

function requestsByNode(snapshot: KubernetesSnapshot): Map<string, Requests> {
  const totals = new Map<string, Requests>();
  for (const pod of snapshot.pods) {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || !isActivePod(pod)) continue;
    const own = effectiveRequests(pod.spec);
    const total = totals.get(nodeName) ?? { cpu: 0, memory: 0 };
    totals.set(nodeName, { cpu: total.cpu + own.cpu, memory: total.memory + own.memory });
  }
  return totals;
}

function nodeDraft(
  context: KubernetesRuleContext,
  facts: ClusterFacts,
  ruleId: string,
  node: Node,
  allocatable: Requests,
  asked: Requests,
  usage: Requests | undefined,
): FindingDraft {
  const name = node.metadata.name;
  const now = nodeUsage(node);
  const after = nodeUsage(node, 0.5);
  const cpuShare = asked.cpu / allocatable.cpu;
  const memoryShare = asked.memory / allocatable.memory;
  return baseDraft(context, {
    rule_id: ruleId,
    namespace: undefined,
    kind: 'node',
    region: nodeRegion(node) ?? facts.region,
    resource_type: 'node',
    resource_id: resourceId(undefined, 'node', name),
    resource_name: name,
    title: `Node ${name} has less than half of its capacity requested`,
    details:
      `Pods request ${percent(cpuShare)} of its allocatable CPU and ${percent(memoryShare)} of ` +
      'its memory. Their requests would fit a node ' +
      (now.instance_type ? `half the size of this ${now.instance_type}` : 'half its size') +
      ', or the cluster autoscaler could pack them onto other nodes.',
    evidence: {
      instance_type: now.instance_type,
      price_basis: now.basis,
      allocatable_cpu_cores: round(allocatable.cpu),
      allocatable_memory_gib: round(allocatable.memory / BYTES_PER_GIB),
      requested_cpu_cores: round(asked.cpu),
      requested_memory_gib: round(asked.memory / BYTES_PER_GIB),
      cpu_requested_share: round(cpuShare),
      memory_requested_share: round(memoryShare),
      used_cpu_cores: usage ? round(usage.cpu) : null,
      used_memory_gib: usage ? round(usage.memory / BYTES_PER_GIB) : null,
      savings_basis: 'half of the node',
    },
    action_type: 'RIGHTSIZE',
    recommendation:
      'Move its node pool to an instance type half the size, or cordon and drain it so the ' +
      'autoscaler removes it once its pods run elsewhere.',
    fix_command: [
      kubectlCommand(context.context, undefined, 'cordon', name),
      kubectlCommand(
        context.context,
        undefined,
        'drain',
        name,
        '--ignore-daemonsets',
        '--delete-emptydir-data',
      ),
    ].join(' && '),
    confidence: usage ? 'high' : 'medium',
    usage: now.usage,
    usage_after: after.usage,
    fingerprint: fingerprint(
      node.metadata,
      now.instance_type ?? '',
      round(cpuShare),
      round(memoryShare),
    ),
  });
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
