import type { PriceTable } from '../price';

/**
 * Prices for Kubernetes findings, in USD: nodes by their `node.kubernetes.io/instance-type` label
 * (per hour), volumes by disk type (per GiB-month), cloud load balancers (per hour), and per-unit
 * defaults for anything the table does not recognise. Linux on-demand list prices of the three
 * large clouds, kept apart from the AWS collector's table so that each provider's table can be
 * dated and changed on its own.
 *
 * SKU scheme (rules build these keys; see core/rules/kubernetes/pricing.ts):
 * - `node:<instance type>` — one node for one hour (`m5.large`, `Standard_D4s_v3`, `e2-standard-4`);
 * - `storage:aws-ebs:<type>`, `storage:azure-disk:<sku>`, `storage:gce-pd:<type>` — GiB-month;
 * - `lb:aws`, `lb:azure`, `lb:gcp` — one load balancer for one hour;
 * - `unit:vcpu-hour`, `unit:memory-gib-hour`, `unit:storage-gib-month`, `unit:load-balancer-hour`
 *   — defaults for unknown nodes, volumes and clouds, priced as `unit-default`.
 *
 * A region the table does not list takes the cloud's reference region (the `default` column:
 * us-east-1, eastus, us-central1) and is labelled `fallback:<region>`.
 */
export const KUBERNETES_PRICES: PriceTable = {
  provider: 'kubernetes',
  priced_at: '2026-11-30',
  source_url: 'https://aws.amazon.com/ec2/pricing/on-demand/',
  fallback_region: 'default',
  regions: {
    default: {
      ...awsNodes(1),
      ...azureNodes(1),
      ...gcpNodes(1),
      ...awsStorage(1),
      ...azureStorage(1),
      ...gcpStorage(1),
      'lb:aws': 0.025,
      'lb:azure': 0.025,
      'lb:gcp': 0.025,
    },
    'us-east-1': { ...awsNodes(1), ...awsStorage(1), 'lb:aws': 0.025 },
    'us-east-2': { ...awsNodes(1), ...awsStorage(1), 'lb:aws': 0.025 },
    'us-west-2': { ...awsNodes(1), ...awsStorage(1), 'lb:aws': 0.025 },
    'eu-west-1': { ...awsNodes(1.114), ...awsStorage(1.1), 'lb:aws': 0.028 },
    'eu-central-1': { ...awsNodes(1.198), ...awsStorage(1.19), 'lb:aws': 0.027 },
    eastus: { ...azureNodes(1), ...azureStorage(1), 'lb:azure': 0.025 },
    eastus2: { ...azureNodes(1), ...azureStorage(1), 'lb:azure': 0.025 },
    westeurope: { ...azureNodes(1.198), ...azureStorage(1.08), 'lb:azure': 0.025 },
    'us-central1': { ...gcpNodes(1), ...gcpStorage(1), 'lb:gcp': 0.025 },
    'us-east1': { ...gcpNodes(1), ...gcpStorage(1), 'lb:gcp': 0.025 },
    'europe-west1': { ...gcpNodes(1.1), ...gcpStorage(1.1), 'lb:gcp': 0.0275 },
  },
  sku_fallbacks: {
    // A known disk family with an unlisted type: priced as that cloud's default class.
    'storage:aws-ebs:': 0.08,
    'storage:azure-disk:': 0.075,
    'storage:gce-pd:': 0.1,
    // Per-unit defaults: Compute Engine N1 custom machine rates and pd-balanced, us-central1.
    'unit:vcpu-hour': 0.031611,
    'unit:memory-gib-hour': 0.004237,
    'unit:storage-gib-month': 0.1,
    'unit:load-balancer-hour': 0.025,
  },
};

/** Where each family of prices was read (RULES.md: a source per entry). */
export const KUBERNETES_PRICE_SOURCES: Record<string, string> = {
  'node:aws': 'https://aws.amazon.com/ec2/pricing/on-demand/',
  'node:azure': 'https://azure.microsoft.com/en-us/pricing/details/virtual-machines/linux/',
  'node:gcp': 'https://cloud.google.com/compute/vm-instance-pricing',
  'storage:aws-ebs': 'https://aws.amazon.com/ebs/pricing/',
  'storage:azure-disk': 'https://azure.microsoft.com/en-us/pricing/details/managed-disks/',
  'storage:gce-pd': 'https://cloud.google.com/compute/disks-image-pricing',
  'lb:aws': 'https://aws.amazon.com/elasticloadbalancing/pricing/',
  'lb:azure': 'https://azure.microsoft.com/en-us/pricing/details/load-balancer/',
  'lb:gcp': 'https://cloud.google.com/vpc/network-pricing#lb',
  unit: 'https://cloud.google.com/compute/vm-instance-pricing#custommachinetypepricing',
};

/** True when the table prices this instance type in some region. */
export function hasNodePrice(instanceType: string): boolean {
  return KUBERNETES_PRICES.regions.default?.[`node:${instanceType}`] !== undefined;
}

/**
 * us-east-1 hourly rates. Other regions scale the reference rates by that region's ratio to the
 * reference region for the m5/D_v3/e2 families (eu-west-1 m5.large 0.107 / 0.096 ≈ 1.114), which
 * keeps each family within a cent of its list price.
 */
function awsNodes(factor: number): Record<string, number> {
  return scaled(factor, 'node:', {
    't3.medium': 0.0416,
    't3.large': 0.0832,
    't3.xlarge': 0.1664,
    't3.2xlarge': 0.3328,
    'm5.large': 0.096,
    'm5.xlarge': 0.192,
    'm5.2xlarge': 0.384,
    'm5.4xlarge': 0.768,
    'm6i.large': 0.096,
    'm6i.xlarge': 0.192,
    'm6i.2xlarge': 0.384,
    'm6a.large': 0.0864,
    'm6a.xlarge': 0.1728,
    'm6g.large': 0.077,
    'm6g.xlarge': 0.154,
    'm7g.large': 0.0816,
    'm7g.xlarge': 0.1632,
    'm7i.large': 0.1008,
    'm7i.xlarge': 0.2016,
    'c5.large': 0.085,
    'c5.xlarge': 0.17,
    'c5.2xlarge': 0.34,
    'c6i.large': 0.085,
    'c6i.xlarge': 0.17,
    'c6g.large': 0.068,
    'r5.large': 0.126,
    'r5.xlarge': 0.252,
    'r6i.large': 0.126,
  });
}

/** eastus hourly rates. */
function azureNodes(factor: number): Record<string, number> {
  return scaled(factor, 'node:', {
    Standard_B2s: 0.0416,
    Standard_B2ms: 0.0832,
    Standard_B4ms: 0.166,
    Standard_D2s_v3: 0.096,
    Standard_D4s_v3: 0.192,
    Standard_D8s_v3: 0.384,
    Standard_D16s_v3: 0.768,
    Standard_D2s_v5: 0.096,
    Standard_D4s_v5: 0.192,
    Standard_D8s_v5: 0.384,
    Standard_D2as_v5: 0.086,
    Standard_D4as_v5: 0.172,
    Standard_DS2_v2: 0.146,
    Standard_DS3_v2: 0.293,
    Standard_E2s_v3: 0.126,
    Standard_E4s_v3: 0.252,
    Standard_F4s_v2: 0.169,
  });
}

/** us-central1 hourly rates. */
function gcpNodes(factor: number): Record<string, number> {
  return scaled(factor, 'node:', {
    'e2-medium': 0.033503,
    'e2-standard-2': 0.067006,
    'e2-standard-4': 0.134012,
    'e2-standard-8': 0.268024,
    'e2-standard-16': 0.536048,
    'n1-standard-1': 0.0475,
    'n1-standard-2': 0.095,
    'n1-standard-4': 0.19,
    'n1-standard-8': 0.38,
    'n2-standard-2': 0.097118,
    'n2-standard-4': 0.194236,
    'n2-standard-8': 0.388472,
    'n2d-standard-2': 0.084492,
    'n2d-standard-4': 0.168984,
    't2d-standard-4': 0.168984,
    'c2-standard-4': 0.2088,
  });
}

/** EBS volume types per GiB-month, us-east-1. */
function awsStorage(factor: number): Record<string, number> {
  return scaled(factor, 'storage:aws-ebs:', {
    gp3: 0.08,
    gp2: 0.1,
    io1: 0.125,
    io2: 0.125,
    st1: 0.045,
    sc1: 0.015,
  });
}

/** Managed disks per GiB-month, eastus: the 128 GiB tier's monthly price / 128. */
function azureStorage(factor: number): Record<string, number> {
  return scaled(factor, 'storage:azure-disk:', {
    Standard_LRS: 0.046,
    StandardSSD_LRS: 0.075,
    StandardSSD_ZRS: 0.094,
    Premium_LRS: 0.154,
    Premium_ZRS: 0.231,
  });
}

/** Persistent disk types per GiB-month, us-central1. */
function gcpStorage(factor: number): Record<string, number> {
  return scaled(factor, 'storage:gce-pd:', {
    'pd-standard': 0.04,
    'pd-balanced': 0.1,
    'pd-ssd': 0.17,
    'pd-extreme': 0.125,
  });
}

function scaled(
  factor: number,
  prefix: string,
  prices: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, price] of Object.entries(prices)) {
    out[`${prefix}${name}`] = Math.round(price * factor * 1e6) / 1e6;
  }
  return out;
}
