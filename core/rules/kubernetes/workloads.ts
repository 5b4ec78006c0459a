import type { Confidence, FindingDraft } from '../../model';
import type { KubernetesSnapshot } from '../../providers/kubernetes/snapshot';
import { BYTES_PER_GIB, formatCores, formatMemory } from '../../providers/kubernetes/quantity';
import type {
  Deployment,
  KubeObject,
  ObjectMeta,
  Pod,
  PodMetrics,
  StatefulSet,
} from '../../providers/kubernetes/types';
import { unitComputeUsage } from './pricing';
import {
  type Requests,
  type WorkloadRef,
  containerRequests,
  createWorkloadResolver,
  effectiveRequests,
  fromList,
  isActivePod,
  key,
  namespaceOf,
} from './pod-specs';
import {
  type ClusterFacts,
  type KubernetesRuleContext,
  type RuleOutput,
  baseDraft,
  fingerprint,
  gateRule,
  formatHours,
  hoursSince,
  isExcludedObject,
  isSystemNamespace,
  kubectlCommand,
  lowerConfidence,
  resourceId,
} from './shared';

/**
 * k8s.workload.zero_replicas: a Deployment or StatefulSet scaled to `replicas: 0` for longer than
 * `grace_period_hours` that no HorizontalPodAutoscaler or KEDA ScaledObject scales. When it went
 * to zero comes from the managedFields entry that last set `spec.replicas` (kubectl scale, an
 * apply); without one, from its newest status condition or its creation, at low confidence.
 */
export function findZeroReplicaWorkloads(
  snapshot: KubernetesSnapshot,
  context: KubernetesRuleContext,
  facts: ClusterFacts,
): RuleOutput {
  const ruleId = 'k8s.workload.zero_replicas';
  const gate = gateRule(snapshot, {
    rule_id: ruleId,
    required: ['deployments', 'statefulsets'],
    optional: ['horizontalpodautoscalers', 'scaledobjects'],
  });
  if (!gate.run) return { drafts: [], warnings: gate.warnings };
  const scaled = autoscaledTargets(snapshot);
  const drafts: FindingDraft[] = [];
  const candidates: Array<[string, Deployment | StatefulSet]> = [
    ...snapshot.deployments.map((item) => ['deployment', item] as [string, Deployment]),
    ...snapshot.statefulsets.map((item) => ['statefulset', item] as [string, StatefulSet]),
  ];
  for (const [kind, workload] of candidates) {
    if (workload.spec?.replicas !== 0) continue;
    const namespace = namespaceOf(workload);
    const name = workload.metadata.name;
    if (isSystemNamespace(namespace) || isExcludedObject(workload.metadata, context.policy))
      continue;
    if (scaled.has(`${namespace}/${kind}/${name}`)) continue;
    const since = zeroSince(workload);
    const hours = hoursSince(since.time, context.now);
    if (hours !== undefined && hours < context.policy.grace_period_hours) continue;
    let confidence: Confidence = since.source === 'managedFields' ? 'medium' : 'low';
    if (gate.degraded) confidence = lowerConfidence(confidence);
    drafts.push(
      baseDraft(context, {
        rule_id: ruleId,
        namespace,
        kind,
        region: facts.region,
        resource_type: kind,
        resource_id: resourceId(namespace, kind, name),
        resource_name: name,
        title: `${capitalize(kind)} ${namespace}/${name} has been scaled to zero replicas`,
        details:
          `It runs no pods${hours !== undefined ? ` and has been at zero for about ${formatHours(hours)}` : ''}, ` +
          'and no autoscaler will scale it up. What it keeps (claims, config, services) may be ' +
          'left over too.',
        evidence: {
          replicas: 0,
          zero_since: since.time ?? null,
          zero_since_source: since.source,
          workload: `${kind}/${name}`,
          autoscalers_checked: ['HorizontalPodAutoscaler', 'ScaledObject'],
          created_at: workload.metadata.creationTimestamp ?? null,
        },
        action_type: 'REVIEW',
        recommendation:
          'If it is no longer needed, delete it together with what only it uses; if it is ' +
          'parked on purpose, label it cws/ignore=true.',
        fix_command: kubectlCommand(context.context, namespace, 'delete', kind, name),
        confidence,
        usage: [],
        fingerprint: fingerprint(workload.metadata, workload.metadata.generation, 0),
      }),
    );
  }
  return { drafts, warnings: gate.warnings };
}

/** `namespace/kind/name` of every workload an HPA or a KEDA ScaledObject scales. */
function autoscaledTargets(snapshot: KubernetesSnapshot): Set<string> {
  const targets = new Set<string>();
  const scalers = [...snapshot.horizontalpodautoscalers, ...snapshot.scaledobjects];
  for (const scaler of scalers) {
    const ref = scaler.spec?.scaleTargetRef;
    if (!ref?.name) continue;
    // KEDA defaults the target kind to Deployment.
    const kind = (ref.kind ?? 'Deployment').toLowerCase();
    targets.add(`${namespaceOf(scaler)}/${kind}/${ref.name}`);
  }
  return targets;
}

interface ZeroSince {
  time: string | undefined;
  source: 'managedFields' | 'conditions' | 'creationTimestamp' | 'unknown';
}

function zeroSince(workload: Deployment | StatefulSet): ZeroSince {
  const fromFields = latest(
    (workload.metadata.managedFields ?? [])
      .filter((entry) => setsReplicas(entry.fieldsV1))
      .map((entry) => entry.time),
  );
  if (fromFields) return { time: fromFields, source: 'managedFields' };
  const fromConditions = latest(
    (workload.status?.conditions ?? []).flatMap((condition) => [
      condition.lastUpdateTime,
      condition.lastTransitionTime,
    ]),
  );
  if (fromConditions) return { time: fromConditions, source: 'conditions' };
  const created = workload.metadata.creationTimestamp;
  return created
    ? { time: created, source: 'creationTimestamp' }
    : { time: undefined, source: 'unknown' };
}

function setsReplicas(fields: Record<string, unknown> | undefined): boolean {
  const spec = fields?.['f:spec'];
  return typeof spec === 'object' && spec !== null && 'f:replicas' in spec;
}

function latest(times: Array<string | undefined>): string | undefined {
  let best: string | undefined;
  let bestAt = -Infinity;
  for (const time of times) {
    const at = time ? Date.parse(time) : NaN;
    if (!Number.isNaN(at) && at > bestAt) {
      best = time;
      bestAt = at;
    }
  }
  return best;
}

/** Requests above twice what is used, by at least this much in total, count as far above. */
const OVERREQUEST_RATIO = 0.5;
const MIN_EXCESS_CORES = 0.25;
const MIN_EXCESS_GIB = 0.5;
/** Recommended requests leave 30% headroom over the measured use. */
const HEADROOM = 1.3;
const MIN_CPU_CORES = 0.01;
const MIN_MEMORY_BYTES = 32 * 2 ** 20;
/** Without metrics, a pod asking for this share of its node is flagged for review. */
const NODE_SHARE_THRESHOLD = 0.5;

/** Kinds whose pod template `kubectl set resources` can change. */
const SETTABLE_KINDS = new Set(['deployment', 'statefulset', 'daemonset', 'replicaset']);

/**
 * k8s.workload.overrequested: a workload whose pods request far more CPU or memory than they use.
 * With the metrics API, requests are compared with measured use and the excess is priced per unit.
 * Without it, a pod that requests at least half of its node's allocatable CPU or memory is listed
 * for review at low confidence, with no money attached (its use is unknown).
 */
export function findOverrequestedWorkloads(
  snapshot: KubernetesSnapshot,
  context: KubernetesRuleContext,
  facts: ClusterFacts,
): RuleOutput {
  const ruleId = 'k8s.workload.overrequested';
  const gate = gateRule(snapshot, { rule_id: ruleId, required: ['pods', 'nodes'] });
  if (!gate.run) return { drafts: [], warnings: gate.warnings };
  const withMetrics = snapshot.availability.pod_metrics === 'ok';
  const warnings = [...gate.warnings];
  if (!withMetrics) {
    warnings.push(
      `${ruleId}: metrics API ${snapshot.availability.pod_metrics}; requests compared with node ` +
        'allocatable at low confidence',
    );
  }
  const metrics = new Map(snapshot.pod_metrics.map((item) => [key(item), item]));
  const groups = groupByWorkload(snapshot);
  const drafts: FindingDraft[] = [];
  for (const group of groups.values()) {
    if (isSystemNamespace(group.ref.namespace) || isExcludedWorkload(group, context)) continue;
    const draft = withMetrics
      ? measuredDraft(context, facts, ruleId, group, metrics, gate.degraded)
      : allocatableDraft(context, facts, ruleId, group);
    if (draft) drafts.push(draft);
  }
  return { drafts, warnings };
}

interface WorkloadGroup {
  ref: WorkloadRef;
  pods: Pod[];
  metadata: ObjectMeta | undefined;
}

/** Active pods grouped by the workload that owns them, with the workload's own metadata. */
function groupByWorkload(snapshot: KubernetesSnapshot): Map<string, WorkloadGroup> {
  const resolve = createWorkloadResolver(snapshot);
  const owners = new Map<string, KubeObject>();
  const register = (kind: string, items: KubeObject[]) => {
    for (const item of items)
      owners.set(`${namespaceOf(item)}/${kind}/${item.metadata.name}`, item);
  };
  register('deployment', snapshot.deployments);
  register('statefulset', snapshot.statefulsets);
  register('daemonset', snapshot.daemonsets);
  register('replicaset', snapshot.replicasets);
  register('job', snapshot.jobs);
  register('cronjob', snapshot.cronjobs);
  const groups = new Map<string, WorkloadGroup>();
  for (const pod of snapshot.pods) {
    if (!isActivePod(pod)) continue;
    const ref = resolve(pod);
    const id = `${ref.namespace}/${ref.kind}/${ref.name}`;
    const group = groups.get(id);
    if (group) group.pods.push(pod);
    else {
      const metadata = ref.kind === 'pod' ? pod.metadata : owners.get(id)?.metadata;
      groups.set(id, { ref, pods: [pod], metadata });
    }
  }
  return groups;
}

function isExcludedWorkload(group: WorkloadGroup, context: KubernetesRuleContext): boolean {
  return (
    isExcludedObject(group.metadata, context.policy) ||
    group.pods.some((pod) => isExcludedObject(pod.metadata, context.policy))
  );
}

interface ContainerSizing {
  name: string;
  requested: Requests;
  /** Highest use of this container across the workload's pods. */
  peak: Requests;
  recommended: Requests;
  cpuFlagged: boolean;
  memoryFlagged: boolean;
}

function measuredDraft(
  context: KubernetesRuleContext,
  facts: ClusterFacts,
  ruleId: string,
  group: WorkloadGroup,
  metrics: Map<string, PodMetrics>,
  degraded: boolean,
): FindingDraft | undefined {
  const measured = group.pods.filter((pod) => metrics.has(key(pod)));
  if (!measured.length) return undefined;
  const requested = { cpu: 0, memory: 0 };
  const used = { cpu: 0, memory: 0 };
  for (const pod of measured) {
    for (const container of pod.spec?.containers ?? []) {
      const own = containerRequests(container);
      requested.cpu += own.cpu;
      requested.memory += own.memory;
    }
    for (const container of metrics.get(key(pod))?.containers ?? []) {
      const own = fromList(container.usage);
      used.cpu += own.cpu;
      used.memory += own.memory;
    }
  }
  const cpuFlagged = isFarAbove(requested.cpu, used.cpu, MIN_EXCESS_CORES);
  const memoryFlagged = isFarAbove(
    requested.memory / BYTES_PER_GIB,
    used.memory / BYTES_PER_GIB,
    MIN_EXCESS_GIB,
  );
  if (!cpuFlagged && !memoryFlagged) return undefined;
  const sizing = sizeContainers(measured, metrics, cpuFlagged, memoryFlagged);
  const after = sizing.reduce(
    (sum, container) => ({
      cpu: sum.cpu + container.recommended.cpu * measured.length,
      memory: sum.memory + container.recommended.memory * measured.length,
    }),
    { cpu: 0, memory: 0 },
  );
  const { ref } = group;
  const confidence: Confidence = degraded ? 'low' : 'medium';
  return baseDraft(context, {
    rule_id: ruleId,
    namespace: ref.namespace,
    kind: ref.kind,
    region: facts.region,
    resource_type: ref.kind,
    resource_id: resourceId(ref.namespace, ref.kind, ref.name),
    resource_name: ref.name,
    title: `${capitalize(ref.kind)} ${ref.namespace}/${ref.name} requests far more than it uses`,
    details:
      `Its ${measured.length} pod(s) request ${formatCores(requested.cpu)} CPU and ` +
      `${formatMemory(requested.memory)} memory but use ${formatCores(used.cpu)} and ` +
      `${formatMemory(used.memory)} (metrics API sample). Reserved but idle capacity keeps nodes ` +
      'from being packed.',
    evidence: {
      basis: 'metrics',
      pods_measured: measured.length,
      requested_cpu_cores: round(requested.cpu),
      used_cpu_cores: round(used.cpu),
      requested_memory_gib: round(requested.memory / BYTES_PER_GIB),
      used_memory_gib: round(used.memory / BYTES_PER_GIB),
      workload: `${ref.kind}/${ref.name}`,
      containers: sizing.map((container) => ({
        name: container.name,
        requested_cpu: formatCores(container.requested.cpu),
        requested_memory: formatMemory(container.requested.memory),
        peak_cpu: formatCores(container.peak.cpu),
        peak_memory: formatMemory(container.peak.memory),
        recommended_cpu: formatCores(container.recommended.cpu),
        recommended_memory: formatMemory(container.recommended.memory),
      })),
    },
    action_type: 'RIGHTSIZE',
    recommendation:
      'Lower the requests to the recommended values (peak use plus 30% headroom) and watch ' +
      'the workload over a full business cycle before lowering further.',
    fix_command: setResourcesCommand(context, ref, sizing),
    confidence,
    usage: unitComputeUsage(requested.cpu, requested.memory / BYTES_PER_GIB),
    usage_after: unitComputeUsage(after.cpu, after.memory / BYTES_PER_GIB),
    fingerprint: fingerprint(
      group.metadata ?? { name: ref.name },
      group.metadata?.generation,
      formatCores(requested.cpu),
      formatMemory(requested.memory),
    ),
  });
}

function isFarAbove(requested: number, used: number, minExcess: number): boolean {
  return (
    requested > 0 &&
    used < requested * OVERREQUEST_RATIO &&
    requested - used * HEADROOM >= minExcess
  );
}

function sizeContainers(
  pods: Pod[],
  metrics: Map<string, PodMetrics>,
  cpuFlagged: boolean,
  memoryFlagged: boolean,
): ContainerSizing[] {
  const byName = new Map<string, ContainerSizing>();
  for (const pod of pods) {
    const usage = new Map(
      (metrics.get(key(pod))?.containers ?? []).map((item) => [item.name, fromList(item.usage)]),
    );
    for (const container of pod.spec?.containers ?? []) {
      const requested = containerRequests(container);
      const use = usage.get(container.name) ?? { cpu: 0, memory: 0 };
      const entry = byName.get(container.name);
      if (entry) {
        entry.peak = {
          cpu: Math.max(entry.peak.cpu, use.cpu),
          memory: Math.max(entry.peak.memory, use.memory),
        };
      } else {
        byName.set(container.name, {
          name: container.name,
          requested,
          peak: use,
          recommended: requested,
          cpuFlagged,
          memoryFlagged,
        });
      }
    }
  }
  for (const entry of byName.values()) entry.recommended = recommend(entry);
  return [...byName.values()];
}

function recommend(container: ContainerSizing): Requests {
  const cpu = container.cpuFlagged
    ? Math.min(container.requested.cpu, Math.max(MIN_CPU_CORES, container.peak.cpu * HEADROOM))
    : container.requested.cpu;
  const memory = container.memoryFlagged
    ? Math.min(
        container.requested.memory,
        Math.max(MIN_MEMORY_BYTES, container.peak.memory * HEADROOM),
      )
    : container.requested.memory;
  return { cpu, memory };
}

function setResourcesCommand(
  context: KubernetesRuleContext,
  ref: WorkloadRef,
  sizing: Array<{ name: string; recommended: Requests }>,
): string | undefined {
  if (!SETTABLE_KINDS.has(ref.kind) || !sizing.length) return undefined;
  return sizing
    .map((container) =>
      kubectlCommand(
        context.context,
        ref.namespace,
        'set',
        'resources',
        ref.kind,
        ref.name,
        '-c',
        container.name,
        `--requests=cpu=${formatCores(container.recommended.cpu)},memory=${formatMemory(container.recommended.memory)}`,
      ),
    )
    .join(' && ');
}

function allocatableDraft(
  context: KubernetesRuleContext,
  facts: ClusterFacts,
  ruleId: string,
  group: WorkloadGroup,
): FindingDraft | undefined {
  let worst: { pod: Pod; node: string; cpuShare: number; memoryShare: number } | undefined;
  for (const pod of group.pods) {
    const node = facts.nodesByName.get(pod.spec?.nodeName ?? '');
    if (!node) continue;
    const allocatable = fromList(node.status?.allocatable);
    const requested = effectiveRequests(pod.spec);
    const cpuShare = allocatable.cpu ? requested.cpu / allocatable.cpu : 0;
    const memoryShare = allocatable.memory ? requested.memory / allocatable.memory : 0;
    if (!worst || Math.max(cpuShare, memoryShare) > Math.max(worst.cpuShare, worst.memoryShare)) {
      worst = { pod, node: node.metadata.name, cpuShare, memoryShare };
    }
  }
  if (!worst || Math.max(worst.cpuShare, worst.memoryShare) < NODE_SHARE_THRESHOLD)
    return undefined;
  const { ref } = group;
  return baseDraft(context, {
    rule_id: ruleId,
    namespace: ref.namespace,
    kind: ref.kind,
    region: facts.region,
    resource_type: ref.kind,
    resource_id: resourceId(ref.namespace, ref.kind, ref.name),
    resource_name: ref.name,
    title: `${capitalize(ref.kind)} ${ref.namespace}/${ref.name} reserves most of a node`,
    details:
      `Pod ${worst.pod.metadata.name} requests ${percent(worst.cpuShare)} of the CPU and ` +
      `${percent(worst.memoryShare)} of the memory node ${worst.node} can allocate. The cluster ` +
      'serves no metrics API, so actual use is unknown: check it before changing the requests.',
    evidence: {
      basis: 'requests_vs_allocatable',
      pod: worst.pod.metadata.name,
      node: worst.node,
      cpu_share_of_allocatable: round(worst.cpuShare),
      memory_share_of_allocatable: round(worst.memoryShare),
      workload: `${ref.kind}/${ref.name}`,
      savings_basis: 'unknown without the metrics API',
    },
    action_type: 'RIGHTSIZE',
    recommendation:
      'Install metrics-server (or read your monitoring) to measure use, then lower the requests ' +
      'to peak use plus headroom.',
    confidence: 'low',
    usage: [],
    fingerprint: fingerprint(
      group.metadata ?? { name: ref.name },
      group.metadata?.generation,
      round(worst.cpuShare),
      round(worst.memoryShare),
    ),
  });
}

/**
 * k8s.pod.no_requests: a workload with a container (app or init) that declares no CPU or no memory
 * request. Governance only (cost 0): such pods are scheduled blind and evicted first. With the
 * metrics API the fix command sets requests from measured use.
 */
export function findPodsWithoutRequests(
  snapshot: KubernetesSnapshot,
  context: KubernetesRuleContext,
  facts: ClusterFacts,
): RuleOutput {
  const ruleId = 'k8s.pod.no_requests';
  const gate = gateRule(snapshot, { rule_id: ruleId, required: ['pods'] });
  if (!gate.run) return { drafts: [], warnings: gate.warnings };
  const metrics = new Map(snapshot.pod_metrics.map((item) => [key(item), item]));
  const drafts: FindingDraft[] = [];
  for (const group of groupByWorkload(snapshot).values()) {
    const { ref } = group;
    if (isSystemNamespace(ref.namespace) || isExcludedWorkload(group, context)) continue;
    const pod = group.pods[0] as Pod;
    const missing = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]
      .map((container) => ({
        name: container.name,
        missing: (['cpu', 'memory'] as const).filter(
          (resource) => container.resources?.requests?.[resource] === undefined,
        ),
      }))
      .filter((container) => container.missing.length > 0);
    if (!missing.length) continue;
    const sizing = sizeFromMetrics(
      group.pods,
      metrics,
      missing.map((item) => item.name),
    );
    drafts.push(
      baseDraft(context, {
        rule_id: ruleId,
        namespace: ref.namespace,
        kind: ref.kind,
        region: facts.region,
        resource_type: ref.kind,
        resource_id: resourceId(ref.namespace, ref.kind, ref.name),
        resource_name: ref.name,
        title: `${capitalize(ref.kind)} ${ref.namespace}/${ref.name} runs containers without requests`,
        details:
          `Containers without requests: ${missing.map((item) => `${item.name} (no ${item.missing.map(resourceLabel).join(', no ')})`).join('; ')}. ` +
          'Without requests the scheduler cannot place pods by size, costs cannot be attributed, ' +
          'and these pods are evicted first under pressure.',
        evidence: {
          containers: missing,
          pods: group.pods.length,
          workload: `${ref.kind}/${ref.name}`,
        },
        action_type: 'REVIEW',
        recommendation:
          'Declare CPU and memory requests for every container (from measured use), or give the ' +
          'namespace a LimitRange with default requests.',
        fix_command: sizing.length ? setResourcesCommand(context, ref, sizing) : undefined,
        confidence: 'high',
        usage: [],
        fingerprint: fingerprint(
          group.metadata ?? { name: ref.name },
          group.metadata?.generation,
          missing.map((item) => `${item.name}:${item.missing.join('+')}`).join(','),
        ),
      }),
    );
  }
  return { drafts, warnings: gate.warnings };
}

/** Requests for the named containers from their peak measured use, when every one was measured. */
function sizeFromMetrics(
  pods: Pod[],
  metrics: Map<string, PodMetrics>,
  names: string[],
): Array<{ name: string; recommended: Requests }> {
  const peaks = new Map<string, Requests>();
  for (const pod of pods) {
    for (const container of metrics.get(key(pod))?.containers ?? []) {
      const use = fromList(container.usage);
      const peak = peaks.get(container.name) ?? { cpu: 0, memory: 0 };
      peaks.set(container.name, {
        cpu: Math.max(peak.cpu, use.cpu),
        memory: Math.max(peak.memory, use.memory),
      });
    }
  }
  if (!names.every((name) => peaks.has(name))) return [];
  return names.map((name) => {
    const peak = peaks.get(name) as Requests;
    return {
      name,
      recommended: {
        cpu: Math.max(MIN_CPU_CORES, peak.cpu * HEADROOM),
        memory: Math.max(MIN_MEMORY_BYTES, peak.memory * HEADROOM),
      },
    };
  });
}

/** `Deployment` from `deployment`. */
function capitalize(word: string): string {
  const proper: Record<string, string> = {
    statefulset: 'StatefulSet',
    daemonset: 'DaemonSet',
    replicaset: 'ReplicaSet',
    cronjob: 'CronJob',
  };
  return proper[word] ?? word.charAt(0).toUpperCase() + word.slice(1);
}

function resourceLabel(resource: 'cpu' | 'memory'): string {
  return resource === 'cpu' ? 'CPU' : 'memory';
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
