/** One resource type a fake API server serves, as discovery documents describe it. */
export interface FakeResource {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
}

/** The built-in kinds the scanner lists, plus the optional ones (metrics API, KEDA). */
export const BUILT_IN_RESOURCES: FakeResource[] = [
  core('nodes', 'node', 'Node', false, ['no']),
  core('pods', 'pod', 'Pod', true, ['po']),
  core('services', 'service', 'Service', true, ['svc']),
  core('persistentvolumes', 'persistentvolume', 'PersistentVolume', false, ['pv']),
  core('persistentvolumeclaims', 'persistentvolumeclaim', 'PersistentVolumeClaim', true, ['pvc']),
  core('configmaps', 'configmap', 'ConfigMap', true, ['cm']),
  core('secrets', 'secret', 'Secret', true),
  core('serviceaccounts', 'serviceaccount', 'ServiceAccount', true, ['sa']),
  core('namespaces', 'namespace', 'Namespace', false, ['ns']),
  grouped('apps', 'v1', 'deployments', 'deployment', 'Deployment', true, ['deploy']),
  grouped('apps', 'v1', 'statefulsets', 'statefulset', 'StatefulSet', true, ['sts']),
  grouped('apps', 'v1', 'daemonsets', 'daemonset', 'DaemonSet', true, ['ds']),
  grouped('apps', 'v1', 'replicasets', 'replicaset', 'ReplicaSet', true, ['rs']),
  grouped('batch', 'v1', 'jobs', 'job', 'Job', true),
  grouped('batch', 'v1', 'cronjobs', 'cronjob', 'CronJob', true, ['cj']),
  grouped('storage.k8s.io', 'v1', 'storageclasses', 'storageclass', 'StorageClass', false, ['sc']),
  grouped('discovery.k8s.io', 'v1', 'endpointslices', 'endpointslice', 'EndpointSlice', true),
  grouped('networking.k8s.io', 'v1', 'ingresses', 'ingress', 'Ingress', true, ['ing']),
  grouped(
    'autoscaling',
    'v2',
    'horizontalpodautoscalers',
    'horizontalpodautoscaler',
    'HorizontalPodAutoscaler',
    true,
    ['hpa'],
  ),
];

/** The metrics API group, served only when a fake is started with metrics. */
export const METRICS_RESOURCES: FakeResource[] = [
  grouped('metrics.k8s.io', 'v1beta1', 'nodes', 'nodemetrics', 'NodeMetrics', false),
  grouped('metrics.k8s.io', 'v1beta1', 'pods', 'podmetrics', 'PodMetrics', true),
];

/** KEDA's ScaledObject, served only when the fixture holds some (KEDA installed). */
export const KEDA_RESOURCES: FakeResource[] = [
  grouped('keda.sh', 'v1alpha1', 'scaledobjects', 'scaledobject', 'ScaledObject', true, ['so']),
];

function core(
  plural: string,
  singular: string,
  kind: string,
  namespaced: boolean,
  shortNames?: string[],
): FakeResource {
  return grouped('', 'v1', plural, singular, kind, namespaced, shortNames);
}

function grouped(
  group: string,
  version: string,
  plural: string,
  singular: string,
  kind: string,
  namespaced: boolean,
  shortNames?: string[],
): FakeResource {
  return { group, version, plural, singular, kind, namespaced, shortNames };
}
