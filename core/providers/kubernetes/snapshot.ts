import type {
  CronJob,
  DaemonSet,
  Deployment,
  EndpointSlice,
  HorizontalPodAutoscaler,
  Ingress,
  Job,
  MetadataOnlyObject,
  Node,
  NodeMetrics,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodMetrics,
  ReplicaSet,
  ScaledObject,
  Service,
  ServiceAccount,
  StatefulSet,
  StorageClass,
} from './types';

/** Every list a cluster snapshot holds, in the order the scanner collects them. */
export const SNAPSHOT_KINDS = [
  'nodes',
  'pods',
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  'jobs',
  'cronjobs',
  'services',
  'endpointslices',
  'persistentvolumes',
  'persistentvolumeclaims',
  'storageclasses',
  'configmaps',
  'secrets',
  'ingresses',
  'horizontalpodautoscalers',
  'serviceaccounts',
  'scaledobjects',
  'node_metrics',
  'pod_metrics',
] as const;

/** A list a snapshot holds. */
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

/**
 * How a list came back: `ok`; `forbidden` (RBAC said no, so the list is unknown); `absent` (the
 * cluster does not serve the kind: no metrics-server, no KEDA, so the list is truly empty);
 * `failed` (timeout or another error, unknown).
 */
export type KindAvailability = 'ok' | 'forbidden' | 'absent' | 'failed';

/**
 * Everything the Kubernetes rules read about one cluster. The scanner fills it from kubectl; an
 * embedded demo cluster can build one with `buildSnapshot` and feed the same rules.
 */
export interface KubernetesSnapshot {
  nodes: Node[];
  pods: Pod[];
  deployments: Deployment[];
  statefulsets: StatefulSet[];
  daemonsets: DaemonSet[];
  replicasets: ReplicaSet[];
  jobs: Job[];
  cronjobs: CronJob[];
  services: Service[];
  endpointslices: EndpointSlice[];
  persistentvolumes: PersistentVolume[];
  persistentvolumeclaims: PersistentVolumeClaim[];
  storageclasses: StorageClass[];
  configmaps: MetadataOnlyObject[];
  secrets: MetadataOnlyObject[];
  ingresses: Ingress[];
  horizontalpodautoscalers: HorizontalPodAutoscaler[];
  serviceaccounts: ServiceAccount[];
  scaledobjects: ScaledObject[];
  node_metrics: NodeMetrics[];
  pod_metrics: PodMetrics[];
  availability: Record<SnapshotKind, KindAvailability>;
}

/** The lists of a snapshot without its availability map. */
export type SnapshotLists = Omit<KubernetesSnapshot, 'availability'>;

/**
 * Builds a complete snapshot from the lists given. Lists not given are empty and `ok`, except the
 * metrics lists, which are `absent` unless given (a cluster without metrics-server).
 */
export function buildSnapshot(
  lists: Partial<SnapshotLists>,
  availability: Partial<Record<SnapshotKind, KindAvailability>> = {},
): KubernetesSnapshot {
  const snapshot = { availability: {} } as KubernetesSnapshot;
  for (const kind of SNAPSHOT_KINDS) {
    const given = lists[kind];
    (snapshot as unknown as Record<string, unknown>)[kind] = given ?? [];
    const isMetrics = kind === 'node_metrics' || kind === 'pod_metrics';
    snapshot.availability[kind] =
      availability[kind] ?? (isMetrics && given === undefined ? 'absent' : 'ok');
  }
  return snapshot;
}
