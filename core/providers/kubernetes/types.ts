/**
 * The parts of Kubernetes objects that the scanner and the rules read, as `kubectl get -o json`
 * prints them. Every field is optional where the API may omit it.
 */

/** Standard object metadata. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
}

/** Who owns an object (a Deployment owns its ReplicaSets, a Pod its ephemeral claims). */
export interface OwnerReference {
  apiVersion?: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

/** One field manager's record of the fields it set and when. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  time?: string;
  subresource?: string;
  fieldsV1?: Record<string, unknown>;
}

/** Anything with metadata. */
export interface KubeObject {
  metadata: ObjectMeta;
}

/** `cpu`, `memory`, `storage` … as quantity strings (`250m`, `1Gi`). */
export type ResourceList = Record<string, string>;

/** A type-and-status condition with its transition times. */
export interface Condition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  reason?: string;
}

/** A reference by name to a ConfigMap or Secret. */
export interface NameRef {
  name?: string;
}

/** An environment variable; only the references matter here, never the value. */
export interface EnvVar {
  name: string;
  valueFrom?: { configMapKeyRef?: NameRef; secretKeyRef?: NameRef };
}

/** A whole ConfigMap or Secret imported as environment. */
export interface EnvFromSource {
  configMapRef?: NameRef;
  secretRef?: NameRef;
}

/** A container, init container or ephemeral container. */
export interface Container {
  name: string;
  image?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  /** `Always` on an init container makes it a sidecar that runs beside the app containers. */
  restartPolicy?: string;
}

/** A pod volume; the secret references of storage plugins sit under several source types. */
export interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName?: string };
  configMap?: NameRef;
  secret?: { secretName?: string };
  projected?: { sources?: Array<{ configMap?: NameRef; secret?: NameRef }> };
  ephemeral?: { volumeClaimTemplate?: Record<string, unknown> };
  csi?: { nodePublishSecretRef?: NameRef };
  azureFile?: { secretName?: string };
  cephfs?: { secretRef?: NameRef };
  rbd?: { secretRef?: NameRef };
  flexVolume?: { secretRef?: NameRef };
  iscsi?: { secretRef?: NameRef };
  scaleIO?: { secretRef?: NameRef };
  storageos?: { secretRef?: NameRef };
}

/** A pod's spec, also found inside every workload's template. */
export interface PodSpec {
  nodeName?: string;
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  volumes?: Volume[];
  imagePullSecrets?: NameRef[];
  serviceAccountName?: string;
  overhead?: ResourceList;
}

/** A pod template of a workload. */
export interface PodTemplate {
  metadata?: Partial<ObjectMeta>;
  spec?: PodSpec;
}

export interface Pod extends KubeObject {
  spec?: PodSpec;
  status?: { phase?: string; startTime?: string };
}

export interface Deployment extends KubeObject {
  spec?: { replicas?: number; template?: PodTemplate };
  status?: { replicas?: number; availableReplicas?: number; conditions?: Condition[] };
}

export interface StatefulSet extends KubeObject {
  spec?: {
    replicas?: number;
    template?: PodTemplate;
    volumeClaimTemplates?: Array<{ metadata?: { name?: string } }>;
  };
  status?: { replicas?: number; conditions?: Condition[] };
}

export interface DaemonSet extends KubeObject {
  spec?: { template?: PodTemplate };
}

export interface ReplicaSet extends KubeObject {
  spec?: { replicas?: number; template?: PodTemplate };
}

export interface Job extends KubeObject {
  spec?: { template?: PodTemplate; ttlSecondsAfterFinished?: number; suspend?: boolean };
  status?: {
    conditions?: Condition[];
    startTime?: string;
    completionTime?: string;
    succeeded?: number;
    failed?: number;
    active?: number;
  };
}

export interface CronJob extends KubeObject {
  spec?: {
    jobTemplate?: { spec?: { template?: PodTemplate } };
    successfulJobsHistoryLimit?: number;
    failedJobsHistoryLimit?: number;
    suspend?: boolean;
  };
}

export interface Service extends KubeObject {
  spec?: { type?: string; ipFamilies?: string[]; selector?: Record<string, string> };
  status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } };
}

/** One slice of a Service's endpoints; a dual-stack Service has one per address family. */
export interface EndpointSlice extends KubeObject {
  addressType?: string;
  endpoints?: Array<{
    addresses?: string[];
    conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  }>;
}

/** A storage plugin source that may carry a secret reference (CSI). */
export interface CsiSource {
  driver?: string;
  volumeHandle?: string;
  nodePublishSecretRef?: NameRef & { namespace?: string };
  nodeStageSecretRef?: NameRef & { namespace?: string };
  controllerPublishSecretRef?: NameRef & { namespace?: string };
  controllerExpandSecretRef?: NameRef & { namespace?: string };
}

export interface PersistentVolume extends KubeObject {
  spec?: {
    capacity?: ResourceList;
    claimRef?: { namespace?: string; name?: string; uid?: string };
    persistentVolumeReclaimPolicy?: string;
    storageClassName?: string;
    csi?: CsiSource;
    awsElasticBlockStore?: { volumeID?: string; fsType?: string };
    gcePersistentDisk?: { pdName?: string };
    azureDisk?: { diskName?: string; kind?: string; storageAccountType?: string };
    azureFile?: Record<string, unknown>;
    hostPath?: Record<string, unknown>;
    local?: Record<string, unknown>;
    nfs?: Record<string, unknown>;
    nodeAffinity?: {
      required?: {
        nodeSelectorTerms?: Array<{
          matchExpressions?: Array<{ key: string; operator?: string; values?: string[] }>;
        }>;
      };
    };
  };
  status?: { phase?: string };
}

export interface PersistentVolumeClaim extends KubeObject {
  spec?: {
    volumeName?: string;
    storageClassName?: string;
    resources?: { requests?: ResourceList };
  };
  status?: { phase?: string; capacity?: ResourceList };
}

/** A StorageClass: its provisioner and parameters decide the disk type a volume is billed as. */
export interface StorageClass extends KubeObject {
  provisioner?: string;
  parameters?: Record<string, string>;
}

/**
 * A ConfigMap or Secret reduced to its metadata and type. The scanner never asks kubectl for the
 * data, so values never reach this process.
 */
export interface MetadataOnlyObject extends KubeObject {
  type?: string;
}

export interface Ingress extends KubeObject {
  spec?: { tls?: Array<{ secretName?: string }> };
}

/** A reference to the object an autoscaler scales. */
export interface ScaleTargetRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
}

export interface HorizontalPodAutoscaler extends KubeObject {
  spec?: { scaleTargetRef?: ScaleTargetRef; minReplicas?: number; maxReplicas?: number };
}

/** KEDA's ScaledObject (keda.sh/v1alpha1); its target kind defaults to Deployment. */
export interface ScaledObject extends KubeObject {
  spec?: { scaleTargetRef?: ScaleTargetRef; minReplicaCount?: number };
}

export interface ServiceAccount extends KubeObject {
  secrets?: NameRef[];
  imagePullSecrets?: NameRef[];
}

export interface Node extends KubeObject {
  spec?: {
    unschedulable?: boolean;
    providerID?: string;
    taints?: Array<{ key: string; effect?: string }>;
  };
  status?: {
    capacity?: ResourceList;
    allocatable?: ResourceList;
    conditions?: Condition[];
    nodeInfo?: { kubeletVersion?: string; osImage?: string; architecture?: string };
  };
}

/** metrics.k8s.io NodeMetrics: what the node uses now. */
export interface NodeMetrics extends KubeObject {
  timestamp?: string;
  window?: string;
  usage?: ResourceList;
}

/** metrics.k8s.io PodMetrics: what each container of a pod uses now. */
export interface PodMetrics extends KubeObject {
  timestamp?: string;
  window?: string;
  containers?: Array<{ name: string; usage?: ResourceList }>;
}
