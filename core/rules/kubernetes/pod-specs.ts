import type { KubernetesSnapshot } from '../../providers/kubernetes/snapshot';
import { quantityCores, parseQuantity } from '../../providers/kubernetes/quantity';
import type {
  Container,
  KubeObject,
  OwnerReference,
  Pod,
  PodSpec,
  ResourceList,
} from '../../providers/kubernetes/types';

/** A pod spec and where it lives: a running pod or a workload's template. */
export interface PodSpecSource {
  namespace: string;
  /** kubectl's lower-case singular kind: `pod`, `deployment`, `cronjob` … */
  kind: string;
  name: string;
  spec: PodSpec;
}

/**
 * Every pod spec of the cluster: the pods themselves and the templates of deployments,
 * statefulsets, daemonsets, replicasets, jobs and cronjobs, so that a workload scaled to zero or a
 * cronjob between runs still counts as using what its template names.
 */
export function podSpecSources(snapshot: KubernetesSnapshot): PodSpecSource[] {
  const sources: PodSpecSource[] = [];
  const add = (kind: string, object: KubeObject, spec: PodSpec | undefined) => {
    if (spec)
      sources.push({ namespace: namespaceOf(object), kind, name: object.metadata.name, spec });
  };
  for (const pod of snapshot.pods) add('pod', pod, pod.spec);
  for (const item of snapshot.deployments) add('deployment', item, item.spec?.template?.spec);
  for (const item of snapshot.statefulsets) add('statefulset', item, item.spec?.template?.spec);
  for (const item of snapshot.daemonsets) add('daemonset', item, item.spec?.template?.spec);
  for (const item of snapshot.replicasets) add('replicaset', item, item.spec?.template?.spec);
  for (const item of snapshot.jobs) add('job', item, item.spec?.template?.spec);
  for (const item of snapshot.cronjobs) {
    add('cronjob', item, item.spec?.jobTemplate?.spec?.template?.spec);
  }
  return sources;
}

/** An object's namespace, `default` when the API left it out. */
export function namespaceOf(object: KubeObject): string {
  return object.metadata.namespace ?? 'default';
}

/** App, init and ephemeral containers alike. */
export function allContainers(spec: PodSpec | undefined): Container[] {
  return [
    ...(spec?.containers ?? []),
    ...(spec?.initContainers ?? []),
    ...(spec?.ephemeralContainers ?? []),
  ];
}

/** CPU in cores and memory in bytes. */
export interface Requests {
  cpu: number;
  memory: number;
}

/**
 * What the scheduler reserves for a pod: the larger of its app containers (plus sidecar init
 * containers, which keep running) and its heaviest ordinary init container, plus pod overhead.
 */
export function effectiveRequests(spec: PodSpec | undefined): Requests {
  let sidecars = zero();
  let initPeak = zero();
  for (const container of spec?.initContainers ?? []) {
    const own = containerRequests(container);
    if (container.restartPolicy === 'Always') sidecars = add(sidecars, own);
    else initPeak = max(initPeak, add(own, sidecars));
  }
  let app = sidecars;
  for (const container of spec?.containers ?? []) app = add(app, containerRequests(container));
  return add(max(app, initPeak), fromList(spec?.overhead));
}

/** A container's own requests. */
export function containerRequests(container: Container): Requests {
  return fromList(container.resources?.requests);
}

/** Requests from a resource list such as `{cpu: '250m', memory: '128Mi'}`. */
export function fromList(list: ResourceList | undefined): Requests {
  return { cpu: quantityCores(list?.cpu), memory: parseQuantity(list?.memory) ?? 0 };
}

function zero(): Requests {
  return { cpu: 0, memory: 0 };
}

function add(a: Requests, b: Requests): Requests {
  return { cpu: a.cpu + b.cpu, memory: a.memory + b.memory };
}

function max(a: Requests, b: Requests): Requests {
  return { cpu: Math.max(a.cpu, b.cpu), memory: Math.max(a.memory, b.memory) };
}

/** True for pods that still hold their node's resources (not Succeeded or Failed). */
export function isActivePod(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/** The workload a pod belongs to, in kubectl's kind words; a bare pod is its own workload. */
export interface WorkloadRef {
  namespace: string;
  kind: string;
  name: string;
}

/**
 * Follows controller owner references up to the workload an operator edits: Pod → ReplicaSet →
 * Deployment, Pod → Job → CronJob, Pod → StatefulSet or DaemonSet.
 */
export function createWorkloadResolver(snapshot: KubernetesSnapshot): (pod: Pod) => WorkloadRef {
  const replicaSets = new Map(snapshot.replicasets.map((rs) => [key(rs), rs]));
  const jobs = new Map(snapshot.jobs.map((job) => [key(job), job]));
  return (pod) => {
    const namespace = namespaceOf(pod);
    const owner = controllerOf(pod);
    if (!owner) return { namespace, kind: 'pod', name: pod.metadata.name };
    const parentTable =
      owner.kind === 'ReplicaSet' ? replicaSets : owner.kind === 'Job' ? jobs : undefined;
    const parent = parentTable?.get(`${namespace}/${owner.name}`);
    const grandOwner = parent ? controllerOf(parent) : undefined;
    if (grandOwner && (grandOwner.kind === 'Deployment' || grandOwner.kind === 'CronJob')) {
      return { namespace, kind: grandOwner.kind.toLowerCase(), name: grandOwner.name };
    }
    return { namespace, kind: owner.kind.toLowerCase(), name: owner.name };
  };
}

/** The owner reference marked as controller (or the only one). */
export function controllerOf(object: KubeObject): OwnerReference | undefined {
  const owners = object.metadata.ownerReferences ?? [];
  return owners.find((owner) => owner.controller) ?? (owners.length === 1 ? owners[0] : undefined);
}

/** `namespace/name`, the key used for namespaced lookups. */
export function key(object: KubeObject): string {
  return `${namespaceOf(object)}/${object.metadata.name}`;
}
