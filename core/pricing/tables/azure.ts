import type { PriceTable } from '../price';

/** Where each group of Azure prices comes from (pay-as-you-go list prices, USD, Linux). */
export const AZURE_PRICE_SOURCES = {
  disks: 'https://azure.microsoft.com/en-us/pricing/details/managed-disks/',
  snapshots: 'https://azure.microsoft.com/en-us/pricing/details/managed-disks/',
  public_ips: 'https://azure.microsoft.com/en-us/pricing/details/ip-addresses/',
  vms: 'https://azure.microsoft.com/en-us/pricing/details/virtual-machines/linux/',
  retail_api: 'https://prices.azure.com/api/retail/prices',
} as const;

/** The regions the Azure collector prices exactly; others fall back to East US. */
export const AZURE_PRICED_REGIONS = [
  'eastus',
  'eastus2',
  'westus2',
  'westeurope',
  'northeurope',
  'uksouth',
  'germanywestcentral',
  'southeastasia',
  'japaneast',
  'australiaeast',
  'centralindia',
] as const;

/**
 * Managed disks are billed by size tier, not by the GiB: a 100 GiB Premium SSD is billed as a
 * P10 (128 GiB). Each ladder lists `[tier, tier GiB, East US monthly USD]`.
 */
const DISK_TIER_LADDERS: Record<string, readonly (readonly [string, number, number])[]> = {
  Premium_LRS: [
    ['P1', 4, 0.77],
    ['P2', 8, 1.54],
    ['P3', 16, 3.01],
    ['P4', 32, 5.28],
    ['P6', 64, 10.21],
    ['P10', 128, 19.71],
    ['P15', 256, 38.01],
    ['P20', 512, 73.22],
    ['P30', 1024, 135.17],
    ['P40', 2048, 259.05],
    ['P50', 4096, 495.57],
    ['P60', 8192, 946.08],
    ['P70', 16384, 1802.06],
    ['P80', 32767, 3604.11],
  ],
  StandardSSD_LRS: [
    ['E1', 4, 0.3],
    ['E2', 8, 0.6],
    ['E3', 16, 1.2],
    ['E4', 32, 2.4],
    ['E6', 64, 4.8],
    ['E10', 128, 9.6],
    ['E15', 256, 19.2],
    ['E20', 512, 38.4],
    ['E30', 1024, 76.8],
    ['E40', 2048, 153.6],
    ['E50', 4096, 307.2],
    ['E60', 8192, 614.4],
    ['E70', 16384, 1228.8],
    ['E80', 32767, 2457.6],
  ],
  Standard_LRS: [
    ['S4', 32, 1.54],
    ['S6', 64, 3.01],
    ['S10', 128, 5.89],
    ['S15', 256, 11.33],
    ['S20', 512, 21.76],
    ['S30', 1024, 40.96],
    ['S40', 2048, 77.83],
    ['S50', 4096, 148.68],
    ['S60', 8192, 284.67],
    ['S70', 16384, 568.34],
    ['S80', 32767, 1136.68],
  ],
};

/**
 * Zone-redundant disks use the same tiers at a premium over LRS, approximated here as 1.5× for
 * Premium SSD and 1.25× for Standard SSD.
 */
const ZRS_OF: Record<string, { base: string; factor: number }> = {
  Premium_ZRS: { base: 'Premium_LRS', factor: 1.5 },
  StandardSSD_ZRS: { base: 'StandardSSD_LRS', factor: 1.25 },
};

/** Disk types billed per provisioned GiB (capacity only; their IOPS and MB/s are extra). */
const PER_GIB_DISKS: Record<string, number> = {
  PremiumV2_LRS: 0.0812,
  UltraSSD_LRS: 0.12,
};

/** How a managed disk is billed: the price-table SKU and the GiB it is billed for. */
export interface AzureDiskBilling {
  sku: string;
  billed_gib: number;
  /** The size tier (`P30`) when the type is tiered. */
  tier?: string;
  medium: 'ssd' | 'hdd';
}

/**
 * The SKU and billed size of a disk of `skuName` and `sizeGib`. A disk whose performance tier was
 * raised (`tier: "P40"` on a 1 TiB disk) is billed at that tier. Unknown types keep their size and
 * a SKU the table lacks, so pricing marks them as fallback.
 */
export function azureDiskBilling(
  skuName: string,
  sizeGib: number,
  tier?: string,
): AzureDiskBilling {
  const medium = skuName.startsWith('Standard_') ? 'hdd' : 'ssd';
  const ladderName = ZRS_OF[skuName]?.base ?? skuName;
  const ladder = DISK_TIER_LADDERS[ladderName];
  if (!ladder) return { sku: `disk:${skuName}`, billed_gib: sizeGib, medium };
  const bySize = ladder.find(([, gib]) => gib >= sizeGib) ?? ladder[ladder.length - 1];
  const byTier = tier ? ladder.find(([name]) => name === tier) : undefined;
  const chosen = byTier && bySize && byTier[1] > bySize[1] ? byTier : bySize;
  const [name, gib] = chosen as readonly [string, number, number];
  return { sku: `disk:${skuName}:${name}`, billed_gib: gib, tier: name, medium };
}

/** Size and East US hourly price of a VM size. */
export interface AzureVmSize {
  vcpus: number;
  memory_gib: number;
  hourly_usd: number;
}

/**
 * VM families priced per vCPU: every size of a family costs the same per vCPU in East US
 * (Linux pay-as-you-go), and carries a fixed memory per vCPU.
 */
const VM_FAMILIES: { names: string[]; vcpus: number[]; per_vcpu: number; gib_per_vcpu: number }[] =
  [
    {
      names: ['D{n}s_v3', 'D{n}_v3', 'D{n}s_v4', 'D{n}_v4', 'D{n}s_v5', 'D{n}_v5'],
      vcpus: [2, 4, 8, 16, 32, 48, 64],
      per_vcpu: 0.048,
      gib_per_vcpu: 4,
    },
    {
      names: ['D{n}as_v4', 'D{n}as_v5'],
      vcpus: [2, 4, 8, 16, 32, 48, 64],
      per_vcpu: 0.043,
      gib_per_vcpu: 4,
    },
    {
      names: ['D{n}ds_v4', 'D{n}ds_v5', 'D{n}d_v5'],
      vcpus: [2, 4, 8, 16, 32, 48, 64],
      per_vcpu: 0.0565,
      gib_per_vcpu: 4,
    },
    {
      names: ['E{n}s_v3', 'E{n}_v3', 'E{n}s_v4', 'E{n}_v4', 'E{n}s_v5', 'E{n}_v5'],
      vcpus: [2, 4, 8, 16, 20, 32, 48, 64],
      per_vcpu: 0.063,
      gib_per_vcpu: 8,
    },
    {
      names: ['E{n}as_v4', 'E{n}as_v5'],
      vcpus: [2, 4, 8, 16, 20, 32, 48, 64],
      per_vcpu: 0.0565,
      gib_per_vcpu: 8,
    },
    {
      names: ['F{n}s_v2'],
      vcpus: [2, 4, 8, 16, 32, 48, 64, 72],
      per_vcpu: 0.0423,
      gib_per_vcpu: 2,
    },
  ];

/** Sizes outside the per-vCPU families: `[vCPUs, GiB, East US hourly USD]`. */
const VM_SINGLE_SIZES: Record<string, readonly [number, number, number]> = {
  B1ls: [1, 0.5, 0.0052],
  B1s: [1, 1, 0.0104],
  B1ms: [1, 2, 0.0207],
  B2s: [2, 4, 0.0416],
  B2ms: [2, 8, 0.0832],
  B4ms: [4, 16, 0.166],
  B8ms: [8, 32, 0.333],
  B12ms: [12, 48, 0.499],
  B16ms: [16, 64, 0.666],
  B2ats_v2: [2, 1, 0.0094],
  B2als_v2: [2, 4, 0.0376],
  B2as_v2: [2, 8, 0.0752],
  B4als_v2: [4, 8, 0.0752],
  D1_v2: [1, 3.5, 0.073],
  D2_v2: [2, 7, 0.146],
  D3_v2: [4, 14, 0.293],
  D4_v2: [8, 28, 0.585],
  DS1_v2: [1, 3.5, 0.073],
  DS2_v2: [2, 7, 0.146],
  DS3_v2: [4, 14, 0.293],
  DS4_v2: [8, 28, 0.585],
  DS5_v2: [16, 56, 1.17],
  A1_v2: [1, 2, 0.043],
  A2_v2: [2, 4, 0.091],
  A4_v2: [4, 8, 0.191],
  A8_v2: [8, 16, 0.4],
  NC4as_T4_v3: [4, 28, 0.526],
  NC6s_v3: [6, 112, 3.06],
};

/** Every VM size the table prices, keyed by its ARM name (`Standard_D2s_v5`). */
export const AZURE_VM_SIZES: Record<string, AzureVmSize> = buildVmSizes();

/**
 * A VM size's shape: from the table, or, for a size it lacks, read from the name (the number after
 * the family letters is the vCPU count by Azure's naming convention) with 4 GiB per vCPU.
 */
export function azureVmShape(vmSize: string): AzureVmSize & { known: boolean } {
  const known = AZURE_VM_SIZES[canonicalVmSize(vmSize)];
  if (known) return { ...known, known: true };
  const digits = /^(?:standard_|basic_)?[a-z]+(\d+)/i.exec(vmSize)?.[1];
  const vcpus = digits ? Math.max(1, Number(digits)) : 2;
  return { vcpus, memory_gib: vcpus * 4, hourly_usd: 0, known: false };
}

/** The table's spelling of a VM size name, matched case-insensitively. */
export function canonicalVmSize(vmSize: string): string {
  return VM_NAME_INDEX.get(vmSize.toLowerCase()) ?? vmSize;
}

/**
 * Regional spread against East US, estimated from the reference SKUs (P10 for disks, D2s_v5 for
 * VMs) and rounded to two decimals. One ratio per group is an approximation: a SKU's own regional
 * price may differ by a few percent. Public IPv4 is priced the same in every listed region.
 */
const REGION_FACTORS: Record<(typeof AZURE_PRICED_REGIONS)[number], { disk: number; vm: number }> =
  {
    eastus: { disk: 1, vm: 1 },
    eastus2: { disk: 1, vm: 1 },
    westus2: { disk: 1, vm: 1 },
    westeurope: { disk: 1.1, vm: 1.2 },
    northeurope: { disk: 1.03, vm: 1.11 },
    uksouth: { disk: 1.1, vm: 1.16 },
    germanywestcentral: { disk: 1.15, vm: 1.2 },
    southeastasia: { disk: 1.13, vm: 1.25 },
    japaneast: { disk: 1.24, vm: 1.29 },
    australiaeast: { disk: 1.24, vm: 1.29 },
    centralindia: { disk: 1.06, vm: 1.05 },
  };

/**
 * Snapshots and managed images are billed per GiB used (full snapshots on the source disk's
 * medium, incremental ones always on Standard HDD).
 */
const SNAPSHOT_PER_GIB: Record<string, number> = {
  Standard_LRS: 0.05,
  Standard_ZRS: 0.0625,
  Premium_LRS: 0.132,
};

/**
 * Public IPv4, per hour. An unassociated Basic dynamic address holds no IP and costs nothing, so
 * it has no SKU; a Basic static one is billed like an associated address.
 */
const PUBLIC_IP_HOURLY: Record<string, number> = {
  'Standard:Static': 0.005,
  'Basic:Static': 0.0036,
  'Basic:Dynamic': 0.004,
};

/**
 * Azure prices, USD. East US figures follow the published list prices (`AZURE_PRICE_SOURCES`) as
 * of `priced_at`; other regions apply `REGION_FACTORS`. Disk SKUs are per billed GiB-month of their
 * tier (tier price ÷ tier size), so a tier's monthly price comes out whole. Transactions, IOPS and
 * throughput add-ons are not included.
 */
export const AZURE_PRICES: PriceTable = {
  provider: 'azure',
  priced_at: '2026-11-30',
  source_url: AZURE_PRICE_SOURCES.disks,
  fallback_region: 'eastus',
  regions: Object.fromEntries(
    AZURE_PRICED_REGIONS.map((region) => [region, regionPrices(REGION_FACTORS[region])]),
  ),
  sku_fallbacks: {
    'disk:Premium': 0.154,
    'disk:StandardSSD': 0.075,
    'disk:Standard_': 0.046,
    'disk:': 0.154,
    'snapshot:': 0.05,
    'image:': 0.05,
    'publicip:': 0.005,
    // A size missing from the table is priced like a 2-vCPU general-purpose VM (D2s_v5).
    'vm:': 0.096,
  },
};

function regionPrices(factor: { disk: number; vm: number }): Record<string, number> {
  const prices: Record<string, number> = {};
  for (const [type, ladder] of Object.entries(DISK_TIER_LADDERS)) {
    for (const [tier, gib, monthly] of ladder) {
      prices[`disk:${type}:${tier}`] = round6((monthly * factor.disk) / gib);
    }
  }
  for (const [type, { base, factor: zrs }] of Object.entries(ZRS_OF)) {
    for (const [tier, gib, monthly] of DISK_TIER_LADDERS[base] ?? []) {
      prices[`disk:${type}:${tier}`] = round6((monthly * zrs * factor.disk) / gib);
    }
  }
  for (const [type, perGib] of Object.entries(PER_GIB_DISKS)) {
    prices[`disk:${type}`] = round6(perGib * factor.disk);
  }
  for (const [type, perGib] of Object.entries(SNAPSHOT_PER_GIB)) {
    prices[`snapshot:${type}`] = round6(perGib * factor.disk);
    prices[`image:${type}`] = round6(perGib * factor.disk);
  }
  for (const [kind, hourly] of Object.entries(PUBLIC_IP_HOURLY)) {
    prices[`publicip:${kind}`] = hourly;
  }
  for (const [size, shape] of Object.entries(AZURE_VM_SIZES)) {
    prices[`vm:${size}`] = round6(shape.hourly_usd * factor.vm);
  }
  return prices;
}

function buildVmSizes(): Record<string, AzureVmSize> {
  const sizes: Record<string, AzureVmSize> = {};
  for (const family of VM_FAMILIES) {
    for (const pattern of family.names) {
      for (const vcpus of family.vcpus) {
        sizes[`Standard_${pattern.replace('{n}', String(vcpus))}`] = {
          vcpus,
          memory_gib: vcpus * family.gib_per_vcpu,
          hourly_usd: round6(vcpus * family.per_vcpu),
        };
      }
    }
  }
  for (const [name, [vcpus, memory_gib, hourly_usd]] of Object.entries(VM_SINGLE_SIZES)) {
    sizes[`Standard_${name}`] = { vcpus, memory_gib, hourly_usd };
  }
  return sizes;
}

const VM_NAME_INDEX = new Map(
  Object.keys(AZURE_VM_SIZES).map((name) => [name.toLowerCase(), name]),
);

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
