import type { SnapshotLists } from '../../providers/kubernetes/snapshot';
import type {
  Container,
  ObjectMeta,
  OwnerReference,
  Pod,
  PodSpec,
  Volume,
} from '../../providers/kubernetes/types';
import { kubeTime, type Age } from '../clock';

/**
 * Builds the demo cluster's objects the way the API server would hold them: a Deployment owns a
 * ReplicaSet that owns its pods, a StatefulSet's pods mount claims named after its templates,
 * every running pod has a metrics reading. Names and ids are fixed; times count back from `now`.
 */

/** One worker node: an m5.xlarge in a zone, with what the metrics API says it uses. */
export interface NodeSpec {
  name: string;
  zone: string;
  instance: string;
  /** CPU and memory in use, as quantities. */
  used: [string, string];
  cordoned?: boolean;
  age_days?: number;
}

/** What a workload runs: its pod spec plus each container's measured use. */
export interface PodShape {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  /** Container name → [cpu, memory] in use per pod. */
  usage?: Record<string, [string, string]>;
}

/** Ages of objects that have simply been there a while. */
const SETTLED: Age = { days: 120 };
const POD_AGE: Age = { days: 6 };
const NODE_CAPACITY = { cpu: '4', memory: '15928132Ki', pods: '58' };
const NODE_ALLOCATABLE = { cpu: '3920m', memory: '15140676Ki', pods: '58' };
const POD_SUFFIXES = ['7xk2p', 'q9m4t', 'b3n8w', 'h5r2c', 'z8d6v', 'm4j7s'];

/** A container with optional CPU and memory requests (undefined leaves one out). */
export function container(
  name: string,
  image: string,
  requests?: [string | undefined, string | undefined],
): Container {
  const [cpu, memory] = requests ?? [undefined, undefined];
  const list: Record<string, string> = {};
  if (cpu) list.cpu = cpu;
  if (memory) list.memory = memory;
  return {
    name,
    image: `public.ecr.aws/demo/${image}`,
    ...(requests ? { resources: { requests: list } } : {}),
  };
}

/** The demo cluster under construction. */
export class DemoCluster {
  readonly lists: SnapshotLists = {
    nodes: [],
    pods: [],
    deployments: [],
    statefulsets: [],
    daemonsets: [],
    replicasets: [],
    jobs: [],
    cronjobs: [],
    services: [],
    endpointslices: [],
    persistentvolumes: [],
    persistentvolumeclaims: [],
    storageclasses: [],
    configmaps: [],
    secrets: [],
    ingresses: [],
    horizontalpodautoscalers: [],
    serviceaccounts: [],
    scaledobjects: [],
    node_metrics: [],
    pod_metrics: [],
  };

  constructor(private readonly now: Date) {
    this.lists.storageclasses.push(
      {
        metadata: this.meta(undefined, 'gp3', { days: 400 }),
        provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3' },
      },
      {
        metadata: this.meta(undefined, 'gp2', { days: 400 }),
        provisioner: 'kubernetes.io/aws-ebs',
        parameters: { type: 'gp2' },
      },
    );
  }

  /** A worker node with its region, zone and instance-type labels and its metrics reading. */
  node(spec: NodeSpec): void {
    const age = { days: spec.age_days ?? 90 };
    this.lists.nodes.push({
      metadata: {
        ...this.meta(undefined, spec.name, age),
        labels: {
          'kubernetes.io/hostname': spec.name,
          'kubernetes.io/os': 'linux',
          'node.kubernetes.io/instance-type': 'm5.xlarge',
          'topology.kubernetes.io/region': 'us-east-1',
          'topology.kubernetes.io/zone': spec.zone,
          'eks.amazonaws.com/nodegroup': 'general-m5',
        },
      },
      spec: {
        providerID: `aws:///${spec.zone}/${spec.instance}`,
        ...(spec.cordoned
          ? {
              unschedulable: true,
              taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }],
            }
          : {}),
      },
      status: {
        capacity: { ...NODE_CAPACITY },
        allocatable: { ...NODE_ALLOCATABLE },
        conditions: [
          { type: 'Ready', status: 'True', lastTransitionTime: kubeTime(this.now, age) },
        ],
        nodeInfo: {
          kubeletVersion: 'v1.31.2-eks-7f9249a',
          osImage: 'Amazon Linux 2023.6.20241111',
          architecture: 'amd64',
        },
      },
    });
    this.lists.node_metrics.push({
      metadata: { name: spec.name },
      timestamp: kubeTime(this.now, { hours: 0 }),
      window: '20.03s',
      usage: { cpu: spec.used[0], memory: spec.used[1] },
    });
  }

  /** A Deployment, its current ReplicaSet and one pod per node listed (none when at zero). */
  deployment(
    namespace: string,
    name: string,
    nodes: string[],
    shape: PodShape & { scaledToZero?: { manager: string; age: Age } },
  ): void {
    const template = this.template(name, shape);
    const zero = shape.scaledToZero;
    const replicas = zero ? 0 : nodes.length;
    const deploymentMeta: ObjectMeta = {
      ...this.meta(namespace, name, SETTLED),
      generation: zero ? 4 : 2,
      ...(zero
        ? {
            managedFields: [
              {
                manager: zero.manager,
                operation: 'Update',
                time: kubeTime(this.now, zero.age),
                fieldsV1: { 'f:spec': { 'f:replicas': {} } },
              },
            ],
          }
        : {}),
    };
    this.lists.deployments.push({
      metadata: deploymentMeta,
      spec: { replicas, template },
      status: { replicas, availableReplicas: replicas },
    });
    const replicaSet = `${name}-${hashOf(`${namespace}/${name}`).slice(0, 10)}`;
    this.lists.replicasets.push({
      metadata: {
        ...this.meta(namespace, replicaSet, SETTLED),
        ownerReferences: [owner('Deployment', name, 'apps/v1')],
      },
      spec: { replicas, template },
    });
    nodes.forEach((node, index) =>
      this.pod(namespace, `${replicaSet}-${POD_SUFFIXES[index]}`, node, shape, {
        owner: owner('ReplicaSet', replicaSet, 'apps/v1'),
        app: name,
      }),
    );
  }

  /** A StatefulSet with one pod per node listed, each mounting its own claim per template. */
  statefulSet(
    namespace: string,
    name: string,
    nodes: string[],
    shape: PodShape & { claims: { template: string; size: string }[] },
  ): void {
    this.lists.statefulsets.push({
      metadata: { ...this.meta(namespace, name, SETTLED), generation: 3 },
      spec: {
        replicas: nodes.length,
        template: this.template(name, shape),
        volumeClaimTemplates: shape.claims.map((claim) => ({ metadata: { name: claim.template } })),
      },
      status: { replicas: nodes.length },
    });
    nodes.forEach((node, ordinal) => {
      const podName = `${name}-${ordinal}`;
      const mounts: Volume[] = shape.claims.map((claim) => {
        const claimName = `${claim.template}-${podName}`;
        this.claim(namespace, claimName, { size: claim.size, zone: zoneOf(node), age_days: 120 });
        return { name: claim.template, persistentVolumeClaim: { claimName } };
      });
      this.pod(
        namespace,
        podName,
        node,
        { ...shape, volumes: [...(shape.volumes ?? []), ...mounts] },
        { owner: owner('StatefulSet', name, 'apps/v1'), app: name },
      );
    });
  }

  /** A DaemonSet with one pod on each node listed. */
  daemonSet(namespace: string, name: string, nodes: string[], shape: PodShape): void {
    this.lists.daemonsets.push({
      metadata: this.meta(namespace, name, SETTLED),
      spec: { template: this.template(name, shape) },
    });
    nodes.forEach((node, index) =>
      this.pod(namespace, `${name}-${hashOf(node).slice(0, 5)}`, node, shape, {
        owner: owner('DaemonSet', name, 'apps/v1'),
        app: name,
      }),
    );
  }

  /** A pod no controller owns. */
  barePod(namespace: string, name: string, node: string, shape: PodShape): void {
    this.pod(namespace, name, node, shape, { app: name });
  }

  /** A completed Job and its succeeded pod; `cronJob` names the CronJob that created it. */
  job(
    namespace: string,
    name: string,
    spec: PodSpec,
    options: { node: string; finished: Age; ttl?: number; cronJob?: string },
  ): void {
    const finished = kubeTime(this.now, options.finished);
    const started = kubeTime(this.now, {
      days: options.finished.days,
      hours: (options.finished.hours ?? 0) + 0.25,
    });
    this.lists.jobs.push({
      metadata: {
        ...this.meta(namespace, name, {
          days: options.finished.days,
          hours: (options.finished.hours ?? 0) + 0.3,
        }),
        ...(options.cronJob
          ? { ownerReferences: [owner('CronJob', options.cronJob, 'batch/v1')] }
          : {}),
      },
      spec: {
        template: { metadata: { labels: { 'job-name': name } }, spec },
        ...(options.ttl !== undefined ? { ttlSecondsAfterFinished: options.ttl } : {}),
      },
      status: {
        conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: finished }],
        startTime: started,
        completionTime: finished,
        succeeded: 1,
      },
    });
    this.lists.pods.push({
      metadata: {
        ...this.meta(namespace, `${name}-${POD_SUFFIXES[0]}`, options.finished),
        labels: { 'job-name': name },
        ownerReferences: [owner('Job', name, 'batch/v1')],
      },
      spec: { ...spec, nodeName: options.node },
      status: { phase: 'Succeeded', startTime: started },
    });
  }

  /** A CronJob that keeps its own history of Jobs. */
  cronJob(namespace: string, name: string, spec: PodSpec): void {
    this.lists.cronjobs.push({
      metadata: this.meta(namespace, name, SETTLED),
      spec: {
        jobTemplate: { spec: { template: { spec } } },
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
      },
    });
  }

  /** A HorizontalPodAutoscaler of a workload. */
  autoscaler(namespace: string, target: string, kind: string, minReplicas: number): void {
    this.lists.horizontalpodautoscalers.push({
      metadata: this.meta(namespace, target, SETTLED),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind, name: target },
        minReplicas,
        maxReplicas: minReplicas * 4,
      },
    });
  }

  /** A KEDA ScaledObject that may scale a Deployment down to zero. */
  scaledObject(namespace: string, target: string): void {
    this.lists.scaledobjects.push({
      metadata: this.meta(namespace, target, SETTLED),
      spec: { scaleTargetRef: { name: target }, minReplicaCount: 0 },
    });
  }

  /** A Service that selects pods by `app`. */
  service(namespace: string, name: string, type: string): void {
    this.lists.services.push({
      metadata: this.meta(namespace, name, SETTLED),
      spec: { type, ipFamilies: ['IPv4'], selector: { app: name } },
    });
  }

  /** A provisioned LoadBalancer Service and its EndpointSlices, one per address family. */
  loadBalancer(
    namespace: string,
    name: string,
    options: {
      hostname: string;
      slices: { family: 'IPv4' | 'IPv6'; ready: number }[];
      selector?: Record<string, string>;
    },
  ): void {
    this.lists.services.push({
      metadata: this.meta(namespace, name, SETTLED),
      spec: {
        type: 'LoadBalancer',
        ipFamilies: options.slices.map((slice) => slice.family),
        selector: options.selector ?? { app: name },
      },
      status: { loadBalancer: { ingress: [{ hostname: options.hostname }] } },
    });
    options.slices.forEach((slice, index) => {
      this.lists.endpointslices.push({
        metadata: {
          ...this.meta(namespace, `${name}-${hashOf(`${name}${index}`).slice(0, 5)}`, SETTLED),
          labels: { 'kubernetes.io/service-name': name },
        },
        addressType: slice.family,
        endpoints: Array.from({ length: slice.ready }, (_, at) => ({
          addresses: [
            slice.family === 'IPv4' ? `10.0.${index + 1}.${at + 20}` : `2600:1f18::${at + 20}`,
          ],
          conditions: { ready: true, serving: true, terminating: false },
        })),
      });
    });
  }

  /** A ConfigMap (names only: the demo, like the scanner, never holds data). */
  configMap(namespace: string, name: string): void {
    this.lists.configmaps.push({ metadata: this.meta(namespace, name, SETTLED) });
  }

  /** A Secret, by name and type only. */
  secret(namespace: string, name: string, type: string): void {
    this.lists.secrets.push({ metadata: this.meta(namespace, name, SETTLED), type });
  }

  /** An Ingress terminating TLS with a Secret. */
  ingress(namespace: string, name: string, tlsSecret: string): void {
    this.lists.ingresses.push({
      metadata: this.meta(namespace, name, SETTLED),
      spec: { tls: [{ secretName: tlsSecret }] },
    });
  }

  /** A ServiceAccount with image pull secrets. */
  serviceAccount(namespace: string, name: string, pullSecrets: string[]): void {
    this.lists.serviceaccounts.push({
      metadata: this.meta(namespace, name, SETTLED),
      imagePullSecrets: pullSecrets.map((secret) => ({ name: secret })),
    });
  }

  /** A Bound claim on a gp3 EBS volume, with the volume behind it. */
  claim(
    namespace: string,
    name: string,
    options: { size: string; zone: string; age_days: number; ownerPod?: string },
  ): void {
    const volume = `pvc-${hashOf(`${namespace}/${name}`)}`;
    this.lists.persistentvolumeclaims.push({
      metadata: {
        ...this.meta(namespace, name, { days: options.age_days }),
        ...(options.ownerPod
          ? { ownerReferences: [{ ...owner('Pod', options.ownerPod, 'v1'), controller: true }] }
          : {}),
      },
      spec: {
        volumeName: volume,
        storageClassName: 'gp3',
        resources: { requests: { storage: options.size } },
      },
      status: { phase: 'Bound', capacity: { storage: options.size } },
    });
    this.persistentVolume(volume, {
      size: options.size,
      storageClass: 'gp3',
      phase: 'Bound',
      zone: options.zone,
      claim: { namespace, name },
      age_days: options.age_days,
    });
  }

  /** A persistent volume on an EBS disk, through the CSI driver or the in-tree plugin. */
  persistentVolume(
    name: string,
    options: {
      size: string;
      storageClass: string;
      phase: string;
      zone: string;
      age_days: number;
      claim?: { namespace: string; name: string };
      inTree?: boolean;
    },
  ): void {
    const volumeId = `vol-0${hashOf(name).slice(0, 16)}`;
    this.lists.persistentvolumes.push({
      metadata: {
        ...this.meta(undefined, name, { days: options.age_days }),
        ...(options.inTree ? { labels: { 'topology.kubernetes.io/zone': options.zone } } : {}),
      },
      spec: {
        capacity: { storage: options.size },
        ...(options.claim ? { claimRef: { ...options.claim } } : {}),
        persistentVolumeReclaimPolicy: options.phase === 'Bound' ? 'Delete' : 'Retain',
        storageClassName: options.storageClass,
        ...(options.inTree
          ? { awsElasticBlockStore: { volumeID: volumeId, fsType: 'ext4' } }
          : {
              csi: { driver: 'ebs.csi.aws.com', volumeHandle: volumeId },
              nodeAffinity: {
                required: {
                  nodeSelectorTerms: [
                    {
                      matchExpressions: [
                        {
                          key: 'topology.ebs.csi.aws.com/zone',
                          operator: 'In',
                          values: [options.zone],
                        },
                      ],
                    },
                  ],
                },
              },
            }),
      },
      status: { phase: options.phase },
    });
  }

  private template(name: string, shape: PodShape) {
    return { metadata: { labels: { app: name } }, spec: podSpec(shape) };
  }

  private pod(
    namespace: string,
    name: string,
    node: string,
    shape: PodShape,
    options: { owner?: OwnerReference; app: string },
  ): void {
    const pod: Pod = {
      metadata: {
        ...this.meta(namespace, name, POD_AGE),
        labels: { app: options.app },
        ...(options.owner ? { ownerReferences: [{ ...options.owner, controller: true }] } : {}),
      },
      spec: { ...podSpec(shape), nodeName: node },
      status: { phase: 'Running', startTime: kubeTime(this.now, POD_AGE) },
    };
    this.lists.pods.push(pod);
    this.lists.pod_metrics.push({
      metadata: { name, namespace },
      timestamp: kubeTime(this.now, { hours: 0 }),
      window: '15.2s',
      containers: shape.containers.map((item) => {
        const [cpu, memory] = shape.usage?.[item.name] ?? ['1m', '4Mi'];
        return { name: item.name, usage: { cpu, memory } };
      }),
    });
  }

  private meta(namespace: string | undefined, name: string, age: Age): ObjectMeta {
    return {
      name,
      ...(namespace ? { namespace } : {}),
      resourceVersion: String(4_000_000 + (parseInt(hashOf(name).slice(0, 6), 16) % 900_000)),
      creationTimestamp: kubeTime(this.now, age),
    };
  }
}

function podSpec(shape: PodShape): PodSpec {
  return {
    containers: shape.containers,
    ...(shape.initContainers ? { initContainers: shape.initContainers } : {}),
    ...(shape.volumes ? { volumes: shape.volumes } : {}),
  };
}

function owner(kind: string, name: string, apiVersion: string): OwnerReference {
  return { apiVersion, kind, name, controller: true };
}

/** The zone of a demo node, read from its place in the node list's naming (10.0.<zone>.x). */
function zoneOf(node: string): string {
  const subnet = /^ip-10-0-(\d)-/.exec(node)?.[1];
  return `us-east-1${subnet === '2' ? 'b' : subnet === '3' ? 'c' : 'a'}`;
}

/** A stable hex digest of a name, for ids that must look random yet never change. */
function hashOf(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ text.charCodeAt(i), 0x5bd1e995) >>> 0;
  }
  return (a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0')).slice(0, 16);
}
