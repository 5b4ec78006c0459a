import {
  effectiveRequests,
  fromList,
  isActivePod,
  namespaceOf,
} from '../../rules/kubernetes/pod-specs';
import { describeCluster } from '../../rules/kubernetes/shared';
import { BYTES_PER_GIB } from './quantity';
import {
  type KindAvailability,
  type KubernetesSnapshot,
  SNAPSHOT_KINDS,
  type SnapshotKind,
} from './snapshot';
import type { KubeObject } from './types';

/** Count and names of one kind; names are capped so a huge cluster keeps a small record. */
export type KindSummary = { count: number; names: string[]; truncated: boolean };

/** Per-namespace counts, for the governance report's namespace view. */
export type NamespaceSummary = {
  pods: number;
  workloads: number;
  services: number;
  persistentvolumeclaims: number;
  requested_cpu_cores: number;
  requested_memory_gib: number;
};

/** What GET /v1/k8s/inventory returns for one cluster (kept with the scan as check inventory). */
export type KubernetesInventory = {
  context: string;
  server_version: string | null;
  region: string;
  cloud: string | null;
  metrics_available: boolean;
  kinds: {
    nodes: KindSummary;
    pods: KindSummary;
    workloads: KindSummary;
    services: KindSummary;
    persistentvolumes: KindSummary;
    persistentvolumeclaims: KindSummary;
  };
  counts: Record<SnapshotKind, number>;
  availability: Record<SnapshotKind, KindAvailability>;
  namespaces: Record<string, NamespaceSummary>;
  capacity: {
    allocatable_cpu_cores: number;
    allocatable_memory_gib: number;
    requested_cpu_cores: number;
    requested_memory_gib: number;
    used_cpu_cores: number | null;
    used_memory_gib: number | null;
  };
};

/** Largest number of names listed per kind. */
export const MAX_NAMES_PER_KIND = 500;

/** Summarises a snapshot for the inventory route and the governance report. */
export function summarizeInventory(
  snapshot: KubernetesSnapshot,
  cluster: { context: string; server_version: string | null },
): KubernetesInventory {
  const facts = describeCluster(snapshot);
  const workloads = [
    ...named('deployment', snapshot.deployments),
    ...named('statefulset', snapshot.statefulsets),
    ...named('daemonset', snapshot.daemonsets),
    ...named('job', snapshot.jobs),
    ...named('cronjob', snapshot.cronjobs),
  ];
  const counts = {} as Record<SnapshotKind, number>;
  for (const kind of SNAPSHOT_KINDS) counts[kind] = snapshot[kind].length;
  const metricsAvailable = snapshot.availability.node_metrics === 'ok';
  return {
    context: cluster.context,
    server_version: cluster.server_version,
    region: facts.region,
    cloud: facts.cloud,
    metrics_available: metricsAvailable,
    kinds: {
      nodes: summary(snapshot.nodes.map((node) => node.metadata.name)),
      pods: summary(snapshot.pods.map(qualified)),
      workloads: summary(workloads),
      services: summary(snapshot.services.map(qualified)),
      persistentvolumes: summary(snapshot.persistentvolumes.map((pv) => pv.metadata.name)),
      persistentvolumeclaims: summary(snapshot.persistentvolumeclaims.map(qualified)),
    },
    counts,
    availability: { ...snapshot.availability },
    namespaces: summarizeNamespaces(snapshot),
    capacity: summarizeCapacity(snapshot, metricsAvailable),
  };
}

function named(kind: string, items: KubeObject[]): string[] {
  return items.map((item) => `${namespaceOf(item)}/${kind}/${item.metadata.name}`);
}

function qualified(item: KubeObject): string {
  return `${namespaceOf(item)}/${item.metadata.name}`;
}

function summary(names: string[]): KindSummary {
  return {
    count: names.length,
    names: names.slice(0, MAX_NAMES_PER_KIND),
    truncated: names.length > MAX_NAMES_PER_KIND,
  };
}

function summarizeNamespaces(snapshot: KubernetesSnapshot): Record<string, NamespaceSummary> {
  const table: Record<string, NamespaceSummary> = {};
  const entry = (item: KubeObject) => {
    const namespace = namespaceOf(item);
    table[namespace] ??= {
      pods: 0,
      workloads: 0,
      services: 0,
      persistentvolumeclaims: 0,
      requested_cpu_cores: 0,
      requested_memory_gib: 0,
    };
    return table[namespace];
  };
  for (const pod of snapshot.pods) {
    const row = entry(pod);
    row.pods += 1;
    if (isActivePod(pod)) {
      const requests = effectiveRequests(pod.spec);
      row.requested_cpu_cores = round(row.requested_cpu_cores + requests.cpu);
      row.requested_memory_gib = round(row.requested_memory_gib + requests.memory / BYTES_PER_GIB);
    }
  }
  const workloadLists = [
    snapshot.deployments,
    snapshot.statefulsets,
    snapshot.daemonsets,
    snapshot.jobs,
    snapshot.cronjobs,
  ];
  for (const list of workloadLists) for (const item of list) entry(item).workloads += 1;
  for (const service of snapshot.services) entry(service).services += 1;
  for (const claim of snapshot.persistentvolumeclaims) entry(claim).persistentvolumeclaims += 1;
  return table;
}

function summarizeCapacity(snapshot: KubernetesSnapshot, metricsAvailable: boolean) {
  let allocatable = { cpu: 0, memory: 0 };
  for (const node of snapshot.nodes) {
    const own = fromList(node.status?.allocatable);
    allocatable = { cpu: allocatable.cpu + own.cpu, memory: allocatable.memory + own.memory };
  }
  let requested = { cpu: 0, memory: 0 };
  for (const pod of snapshot.pods) {
    if (!pod.spec?.nodeName || !isActivePod(pod)) continue;
    const own = effectiveRequests(pod.spec);
    requested = { cpu: requested.cpu + own.cpu, memory: requested.memory + own.memory };
  }
  let used = { cpu: 0, memory: 0 };
  for (const item of snapshot.node_metrics) {
    const own = fromList(item.usage);
    used = { cpu: used.cpu + own.cpu, memory: used.memory + own.memory };
  }
  return {
    allocatable_cpu_cores: round(allocatable.cpu),
    allocatable_memory_gib: round(allocatable.memory / BYTES_PER_GIB),
    requested_cpu_cores: round(requested.cpu),
    requested_memory_gib: round(requested.memory / BYTES_PER_GIB),
    used_cpu_cores: metricsAvailable ? round(used.cpu) : null,
    used_memory_gib: metricsAvailable ? round(used.memory / BYTES_PER_GIB) : null,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
