import { HOURS_PER_MONTH } from '../../model';
import type { PriceTable } from '../price';

/**
 * Where each group of AWS prices comes from. All figures are on-demand list prices in USD for
 * Linux, read on the date of `AWS_PRICES.priced_at`.
 */
export const AWS_PRICE_SOURCES = {
  ebs: 'https://aws.amazon.com/ebs/pricing/',
  snapshot: 'https://aws.amazon.com/ebs/pricing/',
  nat: 'https://aws.amazon.com/vpc/pricing/',
  ipv4: 'https://aws.amazon.com/vpc/pricing/',
  ec2: 'https://aws.amazon.com/ec2/pricing/on-demand/',
} as const;

/** The EBS volume types the table prices per GiB-month. */
export const AWS_VOLUME_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1', 'standard'] as const;

/** IOPS included in a gp3 volume's storage price; only what is provisioned above is billed. */
export const GP3_FREE_IOPS = 3000;
/** Throughput included in a gp3 volume's storage price, in MiB/s. */
export const GP3_FREE_THROUGHPUT_MIBPS = 125;

/** io2 provisioned IOPS are billed in tiers: up to 32,000, up to 64,000, and above. */
export const IO2_IOPS_TIERS = [32000, 64000] as const;

/**
 * One row of regional list prices. Storage figures are per GiB-month, IOPS per IOPS-month,
 * throughput per MiB/s-month, the rest per hour. `micro`/`large` are the hourly price of the
 * family's reference size; a missing family is not offered in that region.
 */
interface RegionPrices {
  ebs: Record<(typeof AWS_VOLUME_TYPES)[number], number>;
  snapshot: number;
  snapshot_archive: number;
  provisioned_iops: number;
  gp3_iops: number;
  gp3_throughput: number;
  nat_hourly: number;
  instances: Partial<Record<InstanceFamily, number>>;
}

type InstanceFamily = 't2' | 't3' | 't3a' | 'm5' | 'm6i' | 'c5' | 'r5';

/** Size ladders: each size's multiple of the family's reference size (micro or large). */
const BURSTABLE_SIZES: Record<string, number> = {
  nano: 0.5,
  micro: 1,
  small: 2,
  medium: 4,
  large: 8,
  xlarge: 16,
  '2xlarge': 32,
};
const GENERAL_SIZES: Record<string, number> = {
  large: 1,
  xlarge: 2,
  '2xlarge': 4,
  '4xlarge': 8,
  '8xlarge': 16,
  '12xlarge': 24,
  '16xlarge': 32,
  '24xlarge': 48,
};
const COMPUTE_SIZES: Record<string, number> = {
  large: 1,
  xlarge: 2,
  '2xlarge': 4,
  '4xlarge': 8,
  '9xlarge': 18,
  '12xlarge': 24,
  '18xlarge': 36,
  '24xlarge': 48,
};

const FAMILY_LADDERS: Record<InstanceFamily, Record<string, number>> = {
  t2: BURSTABLE_SIZES,
  t3: BURSTABLE_SIZES,
  t3a: BURSTABLE_SIZES,
  m5: GENERAL_SIZES,
  m6i: GENERAL_SIZES,
  c5: COMPUTE_SIZES,
  r5: GENERAL_SIZES,
};

/** vCPUs of burstable sizes: t2 starts at one vCPU, t3 and t3a at two; memory is the same. */
const BURSTABLE_SPECS: Record<string, { t2: number; t3: number; gib: number }> = {
  nano: { t2: 1, t3: 2, gib: 0.5 },
  micro: { t2: 1, t3: 2, gib: 1 },
  small: { t2: 1, t3: 2, gib: 2 },
  medium: { t2: 2, t3: 2, gib: 4 },
  large: { t2: 2, t3: 2, gib: 8 },
  xlarge: { t2: 4, t3: 4, gib: 16 },
  '2xlarge': { t2: 8, t3: 8, gib: 32 },
};

/** GiB of memory per vCPU of the fixed-performance families. */
const GIB_PER_VCPU: Partial<Record<InstanceFamily, number>> = { m5: 4, m6i: 4, c5: 2, r5: 8 };

const US_EAST_1: RegionPrices = {
  ebs: { gp2: 0.1, gp3: 0.08, io1: 0.125, io2: 0.125, st1: 0.045, sc1: 0.015, standard: 0.05 },
  snapshot: 0.05,
  snapshot_archive: 0.0125,
  provisioned_iops: 0.065,
  gp3_iops: 0.005,
  gp3_throughput: 0.04,
  nat_hourly: 0.045,
  instances: { t2: 0.0116, t3: 0.0104, t3a: 0.0094, m5: 0.096, m6i: 0.096, c5: 0.085, r5: 0.126 },
};

const REGION_PRICES: Record<string, RegionPrices> = {
  'us-east-1': US_EAST_1,
  'us-east-2': US_EAST_1,
  'us-west-2': US_EAST_1,
  'us-west-1': {
    ebs: { gp2: 0.12, gp3: 0.096, io1: 0.138, io2: 0.138, st1: 0.054, sc1: 0.018, standard: 0.08 },
    snapshot: 0.055,
    snapshot_archive: 0.01375,
    provisioned_iops: 0.072,
    gp3_iops: 0.006,
    gp3_throughput: 0.048,
    nat_hourly: 0.048,
    instances: { t2: 0.0138, t3: 0.0124, t3a: 0.0112, m5: 0.112, m6i: 0.112, c5: 0.106, r5: 0.14 },
  },
  'ca-central-1': {
    ebs: {
      gp2: 0.11,
      gp3: 0.088,
      io1: 0.138,
      io2: 0.138,
      st1: 0.05,
      sc1: 0.0168,
      standard: 0.055,
    },
    snapshot: 0.055,
    snapshot_archive: 0.01375,
    provisioned_iops: 0.072,
    gp3_iops: 0.0055,
    gp3_throughput: 0.044,
    nat_hourly: 0.05,
    instances: { t2: 0.0128, t3: 0.0116, t3a: 0.0104, m5: 0.107, m6i: 0.107, c5: 0.093, r5: 0.138 },
  },
  'eu-west-1': {
    ebs: {
      gp2: 0.11,
      gp3: 0.088,
      io1: 0.138,
      io2: 0.138,
      st1: 0.05,
      sc1: 0.0168,
      standard: 0.055,
    },
    snapshot: 0.05,
    snapshot_archive: 0.0125,
    provisioned_iops: 0.072,
    gp3_iops: 0.0055,
    gp3_throughput: 0.044,
    nat_hourly: 0.048,
    instances: { t2: 0.0126, t3: 0.0114, t3a: 0.0102, m5: 0.107, m6i: 0.107, c5: 0.096, r5: 0.141 },
  },
  'eu-west-2': {
    ebs: {
      gp2: 0.116,
      gp3: 0.0928,
      io1: 0.145,
      io2: 0.145,
      st1: 0.053,
      sc1: 0.0174,
      standard: 0.058,
    },
    snapshot: 0.053,
    snapshot_archive: 0.01325,
    provisioned_iops: 0.076,
    gp3_iops: 0.0058,
    gp3_throughput: 0.0464,
    nat_hourly: 0.05,
    instances: { t2: 0.0132, t3: 0.0118, t3a: 0.0106, m5: 0.111, m6i: 0.111, c5: 0.101, r5: 0.148 },
  },
  'eu-west-3': {
    ebs: {
      gp2: 0.116,
      gp3: 0.0928,
      io1: 0.145,
      io2: 0.145,
      st1: 0.053,
      sc1: 0.0174,
      standard: 0.058,
    },
    snapshot: 0.053,
    snapshot_archive: 0.01325,
    provisioned_iops: 0.076,
    gp3_iops: 0.0058,
    gp3_throughput: 0.0464,
    nat_hourly: 0.05,
    instances: { t2: 0.0132, t3: 0.0118, t3a: 0.0106, m5: 0.112, m6i: 0.112, c5: 0.101, r5: 0.148 },
  },
  'eu-central-1': {
    ebs: {
      gp2: 0.119,
      gp3: 0.0952,
      io1: 0.149,
      io2: 0.149,
      st1: 0.054,
      sc1: 0.018,
      standard: 0.059,
    },
    snapshot: 0.054,
    snapshot_archive: 0.0135,
    provisioned_iops: 0.078,
    gp3_iops: 0.006,
    gp3_throughput: 0.048,
    nat_hourly: 0.052,
    instances: { t2: 0.0134, t3: 0.012, t3a: 0.0108, m5: 0.115, m6i: 0.115, c5: 0.097, r5: 0.152 },
  },
  // Stockholm never offered the t2 family; a t2 SKU there is priced from the fallback region.
  'eu-north-1': {
    ebs: {
      gp2: 0.1045,
      gp3: 0.0836,
      io1: 0.131,
      io2: 0.131,
      st1: 0.0475,
      sc1: 0.01596,
      standard: 0.0523,
    },
    snapshot: 0.0475,
    snapshot_archive: 0.011875,
    provisioned_iops: 0.0684,
    gp3_iops: 0.0052,
    gp3_throughput: 0.0418,
    nat_hourly: 0.046,
    instances: { t3: 0.0108, t3a: 0.0097, m5: 0.102, m6i: 0.102, c5: 0.091, r5: 0.134 },
  },
  'ap-south-1': {
    ebs: {
      gp2: 0.114,
      gp3: 0.0912,
      io1: 0.131,
      io2: 0.131,
      st1: 0.051,
      sc1: 0.0174,
      standard: 0.08,
    },
    snapshot: 0.05,
    snapshot_archive: 0.0125,
    provisioned_iops: 0.068,
    gp3_iops: 0.0057,
    gp3_throughput: 0.0456,
    nat_hourly: 0.056,
    instances: { t2: 0.0124, t3: 0.0112, t3a: 0.0101, m5: 0.101, m6i: 0.101, c5: 0.085, r5: 0.127 },
  },
  'ap-northeast-1': {
    ebs: { gp2: 0.12, gp3: 0.096, io1: 0.142, io2: 0.142, st1: 0.054, sc1: 0.018, standard: 0.08 },
    snapshot: 0.05,
    snapshot_archive: 0.0125,
    provisioned_iops: 0.074,
    gp3_iops: 0.006,
    gp3_throughput: 0.048,
    nat_hourly: 0.062,
    instances: { t2: 0.0152, t3: 0.0136, t3a: 0.0122, m5: 0.124, m6i: 0.124, c5: 0.107, r5: 0.152 },
  },
  'ap-northeast-2': {
    ebs: {
      gp2: 0.114,
      gp3: 0.0912,
      io1: 0.1278,
      io2: 0.1278,
      st1: 0.051,
      sc1: 0.0174,
      standard: 0.08,
    },
    snapshot: 0.05,
    snapshot_archive: 0.0125,
    provisioned_iops: 0.0666,
    gp3_iops: 0.0057,
    gp3_throughput: 0.0456,
    nat_hourly: 0.059,
    instances: { t2: 0.0144, t3: 0.013, t3a: 0.0117, m5: 0.118, m6i: 0.118, c5: 0.096, r5: 0.152 },
  },
  'ap-northeast-3': {
    ebs: { gp2: 0.12, gp3: 0.096, io1: 0.142, io2: 0.142, st1: 0.054, sc1: 0.018, standard: 0.08 },
    snapshot: 0.05,
    snapshot_archive: 0.0125,
    provisioned_iops: 0.074,
    gp3_iops: 0.006,
    gp3_throughput: 0.048,
    nat_hourly: 0.062,
    instances: { t2: 0.0152, t3: 0.0136, t3a: 0.0122, m5: 0.124, m6i: 0.124, c5: 0.107, r5: 0.152 },
  },
  'ap-southeast-1': {
    ebs: { gp2: 0.12, gp3: 0.096, io1: 0.138, io2: 0.138, st1: 0.054, sc1: 0.018, standard: 0.08 },
    snapshot: 0.05,
    snapshot_archive: 0.0125,
    provisioned_iops: 0.072,
    gp3_iops: 0.006,
    gp3_throughput: 0.048,
    nat_hourly: 0.059,
    instances: { t2: 0.0146, t3: 0.0132, t3a: 0.0118, m5: 0.12, m6i: 0.12, c5: 0.098, r5: 0.152 },
  },
  'ap-southeast-2': {
    ebs: { gp2: 0.12, gp3: 0.096, io1: 0.138, io2: 0.138, st1: 0.054, sc1: 0.018, standard: 0.08 },
    snapshot: 0.055,
    snapshot_archive: 0.01375,
    provisioned_iops: 0.072,
    gp3_iops: 0.006,
    gp3_throughput: 0.048,
    nat_hourly: 0.059,
    instances: { t2: 0.0146, t3: 0.0132, t3a: 0.0119, m5: 0.12, m6i: 0.12, c5: 0.111, r5: 0.151 },
  },
  'sa-east-1': {
    ebs: {
      gp2: 0.19,
      gp3: 0.152,
      io1: 0.238,
      io2: 0.238,
      st1: 0.086,
      sc1: 0.0285,
      standard: 0.12,
    },
    snapshot: 0.068,
    snapshot_archive: 0.017,
    provisioned_iops: 0.091,
    gp3_iops: 0.0095,
    gp3_throughput: 0.076,
    nat_hourly: 0.093,
    instances: { t2: 0.0186, t3: 0.0168, t3a: 0.0151, m5: 0.153, m6i: 0.153, c5: 0.131, r5: 0.201 },
  },
};

/** The public IPv4 charge, the same in every region since 2024-02-01. */
const PUBLIC_IPV4_HOURLY = 0.005;

/**
 * AWS list prices for the 17 regions the collector prices exactly. SKUs: `ebs:<type>` per
 * GiB-month; `ebs:gp3:iops`, `ebs:io1:iops`, `ebs:io2:iops[:tier2|:tier3]` and
 * `ebs:gp3:throughput` per unit-hour (the monthly rate ÷ 730, because a usage item carries hours,
 * not unit-months); `snapshot:standard` / `snapshot:archive` per GiB-month; `nat:hourly`,
 * `ipv4:public` and `ec2:<instance type>` per hour. Instance sizes are derived from each family's
 * reference size by AWS's linear size ladder. An unknown volume type takes the us-east-1 gp2 rate,
 * an unknown snapshot tier the standard rate, both marked `fallback:`.
 */
export const AWS_PRICES: PriceTable = {
  provider: 'aws',
  priced_at: '2026-11-30',
  source_url: AWS_PRICE_SOURCES.ebs,
  fallback_region: 'us-east-1',
  regions: Object.fromEntries(
    Object.entries(REGION_PRICES).map(([region, prices]) => [region, skusOf(prices)]),
  ),
  sku_fallbacks: {
    'ebs:': US_EAST_1.ebs.gp2,
    'snapshot:': US_EAST_1.snapshot,
  },
};

/** vCPUs and memory of the instance types the table prices; carbon estimates need them. */
export const AWS_INSTANCE_TYPES: Record<string, { vcpus: number; memory_gib: number }> =
  buildInstanceSpecs();

/** The price-table SKU of an EBS volume type. */
export function ebsSku(volumeType: string): string {
  return `ebs:${volumeType}`;
}

/** The price-table SKU of an EC2 instance type. */
export function ec2Sku(instanceType: string): string {
  return `ec2:${instanceType}`;
}

function skusOf(prices: RegionPrices): Record<string, number> {
  const skus: Record<string, number> = {};
  for (const type of AWS_VOLUME_TYPES) skus[ebsSku(type)] = prices.ebs[type];
  skus['ebs:gp3:iops'] = perHour(prices.gp3_iops);
  skus['ebs:gp3:throughput'] = perHour(prices.gp3_throughput);
  skus['ebs:io1:iops'] = perHour(prices.provisioned_iops);
  // io2 tiers: 30% off the io1 rate from 32,001 IOPS, a further 30% off above 64,000.
  skus['ebs:io2:iops'] = perHour(prices.provisioned_iops);
  skus['ebs:io2:iops:tier2'] = perHour(prices.provisioned_iops * 0.7);
  skus['ebs:io2:iops:tier3'] = perHour(prices.provisioned_iops * 0.49);
  skus['snapshot:standard'] = prices.snapshot;
  skus['snapshot:archive'] = prices.snapshot_archive;
  skus['nat:hourly'] = prices.nat_hourly;
  skus['ipv4:public'] = PUBLIC_IPV4_HOURLY;
  for (const [family, reference] of Object.entries(prices.instances)) {
    const ladder = FAMILY_LADDERS[family as InstanceFamily];
    for (const [size, multiple] of Object.entries(ladder)) {
      skus[ec2Sku(`${family}.${size}`)] = round6(reference * multiple);
    }
  }
  return skus;
}

function perHour(monthly: number): number {
  return monthly / HOURS_PER_MONTH;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function buildInstanceSpecs(): Record<string, { vcpus: number; memory_gib: number }> {
  const specs: Record<string, { vcpus: number; memory_gib: number }> = {};
  for (const [family, ladder] of Object.entries(FAMILY_LADDERS) as [
    InstanceFamily,
    Record<string, number>,
  ][]) {
    for (const [size, multiple] of Object.entries(ladder)) {
      const burstable = BURSTABLE_SPECS[size];
      const perVcpu = GIB_PER_VCPU[family];
      if (perVcpu !== undefined) {
        specs[`${family}.${size}`] = { vcpus: 2 * multiple, memory_gib: 2 * multiple * perVcpu };
      } else if (burstable) {
        const vcpus = family === 't2' ? burstable.t2 : burstable.t3;
        specs[`${family}.${size}`] = { vcpus, memory_gib: burstable.gib };
      }
    }
  }
  return specs;
}
