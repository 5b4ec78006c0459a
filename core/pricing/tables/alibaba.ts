import type { PriceTable } from '../price';

/** Where each group of Alibaba Cloud prices comes from (pay-as-you-go list prices). */
export const ALIBABA_PRICE_SOURCES = {
  mainland: 'https://www.aliyun.com/price/product#/ecs/detail',
  ecs: 'https://www.alibabacloud.com/product/ecs',
  disks: 'https://www.alibabacloud.com/product/ebs',
  eip: 'https://www.alibabacloud.com/product/eip',
  nat: 'https://www.alibabacloud.com/product/nat',
} as const;

/** The regions the Alibaba collector prices; others fall back to Singapore. */
export const ALIBABA_PRICED_REGIONS = [
  'cn-hangzhou',
  'cn-shanghai',
  'cn-beijing',
  'cn-shenzhen',
  'cn-hongkong',
  'ap-southeast-1',
  'ap-northeast-1',
  'eu-central-1',
  'us-west-1',
  'us-east-1',
] as const;

/** CNY per USD used to convert the mainland China price list (the ECB rate of `priced_at`). */
const CNY_PER_USD = 7.24;

/**
 * Mainland China list prices in CNY: disks per GiB-month by category (ESSD by performance level),
 * snapshots per GiB-month, an idle pay-by-traffic EIP's configuration fee and an Internet NAT
 * gateway's instance fee per hour (its capacity units and traffic are extra).
 */
const MAINLAND_CNY = {
  disk: {
    cloud: 0.3,
    cloud_efficiency: 0.35,
    cloud_ssd: 1.0,
    'cloud_essd:PL0': 0.5,
    'cloud_essd:PL1': 1.0,
    'cloud_essd:PL2': 2.0,
    'cloud_essd:PL3': 4.0,
    cloud_essd_entry: 0.5,
    cloud_auto: 1.0,
  } satisfies Record<string, number>,
  snapshot: 0.12,
  eip_hourly: 0.02,
  nat_hourly: 0.3,
  /** ECS unit rates per hour: a vCPU and a GiB of memory of the g6/c6/r6 generation. */
  vcpu_hourly: 0.1764,
  gib_hourly: 0.0221,
};

/**
 * Regions outside the mainland are priced in USD at a premium over the converted mainland list;
 * the factors are estimates rounded to 0.05 and make these regions approximate.
 */
const REGION_FACTORS: Record<(typeof ALIBABA_PRICED_REGIONS)[number], number> = {
  'cn-hangzhou': 1,
  'cn-shanghai': 1,
  'cn-beijing': 1,
  'cn-shenzhen': 1,
  'cn-hongkong': 1.45,
  'ap-southeast-1': 1.35,
  'ap-northeast-1': 1.45,
  'eu-central-1': 1.35,
  'us-west-1': 1.25,
  'us-east-1': 1.25,
};

/** ECS families: GiB of memory per vCPU, and the generation's price relative to g6/c6/r6. */
const ECS_FAMILIES: Record<string, { gib_per_vcpu: number; factor: number }> = {
  'ecs.g5': { gib_per_vcpu: 4, factor: 1.05 },
  'ecs.c5': { gib_per_vcpu: 2, factor: 1.05 },
  'ecs.r5': { gib_per_vcpu: 8, factor: 1.05 },
  'ecs.g6': { gib_per_vcpu: 4, factor: 1 },
  'ecs.c6': { gib_per_vcpu: 2, factor: 1 },
  'ecs.r6': { gib_per_vcpu: 8, factor: 1 },
  'ecs.g7': { gib_per_vcpu: 4, factor: 1.04 },
  'ecs.c7': { gib_per_vcpu: 2, factor: 1.04 },
  'ecs.r7': { gib_per_vcpu: 8, factor: 1.04 },
};

/** vCPUs of each size suffix shared by the families above. */
const ECS_SIZE_VCPUS: Record<string, number> = {
  large: 2,
  xlarge: 4,
  '2xlarge': 8,
  '3xlarge': 12,
  '4xlarge': 16,
  '6xlarge': 24,
  '8xlarge': 32,
  '13xlarge': 52,
  '16xlarge': 64,
  '26xlarge': 104,
};

/** Shape of an ECS instance type. */
export interface AlibabaInstanceShape {
  vcpus: number;
  memory_gib: number;
  known: boolean;
}

/** Every instance type the table prices, with its vCPUs and memory. */
export const ALIBABA_INSTANCE_TYPES: Record<string, { vcpus: number; memory_gib: number }> =
  buildInstanceTypes();

/**
 * An instance type's shape: from the table, else from the `Cpu`/`Memory` (MiB) the API reported,
 * else 2 vCPUs and 8 GiB.
 */
export function alibabaInstanceShape(
  instanceType: string,
  reported?: { cpu?: number; memory_mib?: number },
): AlibabaInstanceShape {
  const known = ALIBABA_INSTANCE_TYPES[instanceType];
  if (known) return { ...known, known: true };
  return {
    vcpus: reported?.cpu && reported.cpu > 0 ? reported.cpu : 2,
    memory_gib: reported?.memory_mib && reported.memory_mib > 0 ? reported.memory_mib / 1024 : 8,
    known: false,
  };
}

/** The table's SKU for a disk category and ESSD performance level. */
export function alibabaDiskSku(category: string, performanceLevel?: string): string {
  if (category === 'cloud_essd') return `disk:cloud_essd:${performanceLevel || 'PL1'}`;
  return `disk:${category}`;
}

/**
 * Alibaba Cloud prices, USD. Mainland China regions convert the CNY list (`MAINLAND_CNY`) at
 * `CNY_PER_USD`; other regions apply `REGION_FACTORS`. ECS prices are built from per-vCPU and
 * per-GiB unit rates, so they approximate each type's own list price.
 */
export const ALIBABA_PRICES: PriceTable = {
  provider: 'alibaba',
  priced_at: '2026-11-30',
  source_url: ALIBABA_PRICE_SOURCES.mainland,
  fallback_region: 'ap-southeast-1',
  regions: Object.fromEntries(
    ALIBABA_PRICED_REGIONS.map((region) => [region, regionPrices(REGION_FACTORS[region])]),
  ),
  sku_fallbacks: {
    'disk:': round6(MAINLAND_CNY.disk.cloud_ssd / CNY_PER_USD),
    'snapshot:': round6(MAINLAND_CNY.snapshot / CNY_PER_USD),
    'eip:': round6(MAINLAND_CNY.eip_hourly / CNY_PER_USD),
    'nat:': round6(MAINLAND_CNY.nat_hourly / CNY_PER_USD),
    // An unknown type is priced like ecs.g6.large (2 vCPUs, 8 GiB).
    'ecs:': round6((2 * MAINLAND_CNY.vcpu_hourly + 8 * MAINLAND_CNY.gib_hourly) / CNY_PER_USD),
  },
};

function regionPrices(factor: number): Record<string, number> {
  const usd = (cny: number) => round6((cny / CNY_PER_USD) * factor);
  const prices: Record<string, number> = {};
  for (const [category, cny] of Object.entries(MAINLAND_CNY.disk) as [string, number][]) {
    prices[`disk:${category}`] = usd(cny);
  }
  prices['snapshot:standard'] = usd(MAINLAND_CNY.snapshot);
  prices['eip:idle'] = usd(MAINLAND_CNY.eip_hourly);
  prices['nat:gateway'] = usd(MAINLAND_CNY.nat_hourly);
  for (const [type, shape] of Object.entries(ALIBABA_INSTANCE_TYPES)) {
    const family = ECS_FAMILIES[type.slice(0, type.lastIndexOf('.'))];
    const cny =
      (shape.vcpus * MAINLAND_CNY.vcpu_hourly + shape.memory_gib * MAINLAND_CNY.gib_hourly) *
      (family?.factor ?? 1);
    prices[`ecs:${type}`] = usd(cny);
  }
  return prices;
}

function buildInstanceTypes(): Record<string, { vcpus: number; memory_gib: number }> {
  const types: Record<string, { vcpus: number; memory_gib: number }> = {};
  for (const [family, { gib_per_vcpu }] of Object.entries(ECS_FAMILIES)) {
    for (const [size, vcpus] of Object.entries(ECS_SIZE_VCPUS)) {
      types[`${family}.${size}`] = { vcpus, memory_gib: vcpus * gib_per_vcpu };
    }
  }
  return types;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
