import { HOURS_PER_MONTH, type Usage } from '../../model';
import { hasNodePrice } from '../../pricing/tables/kubernetes';
import { BYTES_PER_GIB, quantityCores, quantityGib } from '../../providers/kubernetes/quantity';
import type { Node, PersistentVolume, StorageClass } from '../../providers/kubernetes/types';
import type { Cloud } from './shared';
import { firstLabel } from './shared';

/**
 * Usage items of Kubernetes findings, as SKUs of core/pricing/tables/kubernetes.ts. Rules name the
 * usage; prices stay in the table.
 */

const INSTANCE_TYPE_LABELS = [
  'node.kubernetes.io/instance-type',
  'beta.kubernetes.io/instance-type',
];

/** How a node is priced: by its instance type when the table knows it, else per vCPU and GiB. */
export interface NodePricing {
  usage: Usage[];
  basis: 'instance-type' | 'unit-default';
  instance_type: string | null;
  vcpus: number;
  memory_gib: number;
}

/** A node for a month, or `fraction` of its hours (half a node after rightsizing, say). */
export function nodeUsage(node: Node, fraction = 1): NodePricing {
  const instanceType = firstLabel(node.metadata.labels, INSTANCE_TYPE_LABELS) ?? null;
  const vcpus = quantityCores(node.status?.capacity?.cpu);
  const memoryGib = quantityGib(node.status?.capacity?.memory);
  const hours = HOURS_PER_MONTH * fraction;
  if (instanceType && hasNodePrice(instanceType)) {
    return {
      usage: [
        { kind: 'compute', sku: `node:${instanceType}`, vcpus, memory_gib: memoryGib, hours },
      ],
      basis: 'instance-type',
      instance_type: instanceType,
      vcpus,
      memory_gib: memoryGib,
    };
  }
  return {
    usage: unitComputeUsage(vcpus * fraction, memoryGib * fraction),
    basis: 'unit-default',
    instance_type: instanceType,
    vcpus,
    memory_gib: memoryGib,
  };
}

/**
 * CPU and memory priced per unit for a month. Each item is written as one vCPU (or one GiB) for
 * `amount × 730` hours: the price table bills hours, and carbon multiplies vCPUs by hours, so both
 * scale with the amount exactly once.
 */
export function unitComputeUsage(cores: number, memoryGib: number): Usage[] {
  const usage: Usage[] = [];
  if (cores > 0) {
    usage.push({
      kind: 'compute',
      sku: 'unit:vcpu-hour',
      vcpus: 1,
      memory_gib: 0,
      hours: round(cores * HOURS_PER_MONTH),
    });
  }
  if (memoryGib > 0) {
    usage.push({
      kind: 'compute',
      sku: 'unit:memory-gib-hour',
      vcpus: 0,
      memory_gib: 1,
      hours: round(memoryGib * HOURS_PER_MONTH),
    });
  }
  return usage;
}

/** How a volume is billed: per GiB of a disk type, per unit by default, or not by capacity. */
export interface VolumePricing {
  sku: string | null;
  medium: 'ssd' | 'hdd';
  /** The CSI driver or in-tree plugin that backs the volume. */
  source: string;
  basis: 'disk-type' | 'unit-default' | 'not-billed-by-capacity';
}

/**
 * Shared filesystems bill stored bytes, not the claim's size (EFS even ignores it), and local or
 * host volumes are part of the node: none of them is priced by capacity.
 */
const NOT_BILLED_BY_CAPACITY = new Set([
  'efs.csi.aws.com',
  'file.csi.azure.com',
  'kubernetes.io/azure-file',
  'nfs.csi.k8s.io',
  'kubernetes.io/no-provisioner',
  'rancher.io/local-path',
  'nfs',
  'hostPath',
  'local',
]);

const DISK_FAMILIES: Record<string, { family: string; defaultType: string }> = {
  'ebs.csi.aws.com': { family: 'aws-ebs', defaultType: 'gp3' },
  'kubernetes.io/aws-ebs': { family: 'aws-ebs', defaultType: 'gp2' },
  'pd.csi.storage.gke.io': { family: 'gce-pd', defaultType: 'pd-standard' },
  'kubernetes.io/gce-pd': { family: 'gce-pd', defaultType: 'pd-standard' },
  'disk.csi.azure.com': { family: 'azure-disk', defaultType: 'StandardSSD_LRS' },
  'kubernetes.io/azure-disk': { family: 'azure-disk', defaultType: 'Standard_LRS' },
};

const HDD_TYPES = new Set(['st1', 'sc1', 'pd-standard', 'Standard_LRS']);

/** Works out a volume's SKU from its PV source and its StorageClass parameters. */
export function volumePricing(
  volume: PersistentVolume | undefined,
  storageClass: StorageClass | undefined,
): VolumePricing {
  const source = volumeSource(volume) ?? storageClass?.provisioner ?? 'unknown';
  if (NOT_BILLED_BY_CAPACITY.has(source)) {
    return { sku: null, medium: 'ssd', source, basis: 'not-billed-by-capacity' };
  }
  const family = DISK_FAMILIES[source];
  if (!family)
    return { sku: 'unit:storage-gib-month', medium: 'ssd', source, basis: 'unit-default' };
  const type = diskType(volume, storageClass) ?? family.defaultType;
  return {
    sku: `storage:${family.family}:${type}`,
    medium: HDD_TYPES.has(type) ? 'hdd' : 'ssd',
    source,
    basis: 'disk-type',
  };
}

function volumeSource(volume: PersistentVolume | undefined): string | undefined {
  const spec = volume?.spec;
  if (!spec) return undefined;
  if (spec.csi?.driver) return spec.csi.driver;
  if (spec.awsElasticBlockStore) return 'kubernetes.io/aws-ebs';
  if (spec.gcePersistentDisk) return 'kubernetes.io/gce-pd';
  if (spec.azureDisk) return 'kubernetes.io/azure-disk';
  if (spec.azureFile) return 'kubernetes.io/azure-file';
  if (spec.nfs) return 'nfs';
  if (spec.hostPath) return 'hostPath';
  if (spec.local) return 'local';
  return undefined;
}

function diskType(
  volume: PersistentVolume | undefined,
  storageClass: StorageClass | undefined,
): string | undefined {
  const parameters = lowerKeys(storageClass?.parameters);
  return (
    volume?.spec?.azureDisk?.storageAccountType ??
    parameters.type ??
    parameters.skuname ??
    parameters.storageaccounttype
  );
}

function lowerKeys(record: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) out[key.toLowerCase()] = value;
  return out;
}

/** A volume of `bytes` for a month, or nothing when its capacity is not what is billed. */
export function storageUsage(pricing: VolumePricing, bytes: number): Usage[] {
  if (!pricing.sku || bytes <= 0) return [];
  return [
    {
      kind: 'storage',
      sku: pricing.sku,
      gib: round(bytes / BYTES_PER_GIB),
      medium: pricing.medium,
    },
  ];
}

/** A cloud load balancer for a month; an unrecognised cloud takes the per-unit default. */
export function loadBalancerUsage(cloud: Cloud | null): Usage[] {
  return [
    {
      kind: 'hourly',
      sku: cloud ? `lb:${cloud}` : 'unit:load-balancer-hour',
      hours: HOURS_PER_MONTH,
    },
  ];
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
