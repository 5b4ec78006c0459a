import type {
  AlibabaDisk,
  AlibabaEip,
  AlibabaInstance,
  AlibabaInventory,
  AlibabaNatGateway,
  AlibabaSnapshot,
} from '../../rules/alibaba';
import type { AlibabaRpcSession, AlibabaService } from './rpc';

/** Largest pages the APIs allow: ECS token paging 100, PageSize 100, NAT gateways 50. */
const MAX_RESULTS = 100;
const PAGE_SIZE = 100;
const NAT_PAGE_SIZE = 50;
/** A runaway pager (a token that never ends) stops here rather than looping forever. */
const MAX_PAGES = 1000;

/** Lists the regions the account can use (DescribeRegions, ECS). */
export async function listAlibabaRegions(
  rpc: AlibabaRpcSession,
  discoveryRegion: string,
): Promise<string[]> {
  const response = await rpc.call<{
    Regions?: { Region?: { RegionId?: string; Status?: string }[] };
  }>('ecs', discoveryRegion, 'DescribeRegions');
  return (response.Regions?.Region ?? [])
    .filter((region) => region.RegionId && (region.Status ?? 'available') === 'available')
    .map((region) => region.RegionId as string);
}

/**
 * Lists one region's disks, instances, snapshots, EIPs and NAT gateways, with each NAT gateway's
 * SNAT and DNAT entry counts, following every page, and normalizes them for the rules.
 */
export async function collectAlibabaInventory(
  rpc: AlibabaRpcSession,
  region: string,
): Promise<AlibabaInventory> {
  const disks = await listByToken(rpc, region, 'DescribeDisks', 'Disks', 'Disk');
  const instances = await listByToken(rpc, region, 'DescribeInstances', 'Instances', 'Instance');
  const snapshots = await listByPage(
    rpc,
    'ecs',
    region,
    'DescribeSnapshots',
    'Snapshots',
    'Snapshot',
  );
  const eips = await listByPage(
    rpc,
    'vpc',
    region,
    'DescribeEipAddresses',
    'EipAddresses',
    'EipAddress',
  );
  const nats = await listByPage(
    rpc,
    'vpc',
    region,
    'DescribeNatGateways',
    'NatGateways',
    'NatGateway',
    {},
    NAT_PAGE_SIZE,
  );
  const natGateways: AlibabaNatGateway[] = [];
  for (const nat of nats) {
    natGateways.push(toNatGateway(nat, await countEntries(rpc, region, nat)));
  }
  return {
    region,
    disks: disks.map(toDisk),
    instances: instances.map(toInstance),
    snapshots: snapshots.map(toSnapshot),
    eips: eips.map(toEip),
    nat_gateways: natGateways,
  };
}

/** How many resources an inventory holds (what a check reports as scanned). */
export function countAlibabaResources(inventory: AlibabaInventory): number {
  return (
    inventory.disks.length +
    inventory.instances.length +
    inventory.snapshots.length +
    inventory.eips.length +
    inventory.nat_gateways.length
  );
}

type Item = Record<string, unknown>;

/** ECS lists that take `NextToken` + `MaxResults` (DescribeDisks, DescribeInstances). */
async function listByToken(
  rpc: AlibabaRpcSession,
  region: string,
  action: string,
  listKey: string,
  itemKey: string,
): Promise<Item[]> {
  const items: Item[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const params: Record<string, string | number> = { MaxResults: MAX_RESULTS };
    if (token) params.NextToken = token;
    const response = await rpc.call<Item>('ecs', region, action, params);
    items.push(...itemsOf(response, listKey, itemKey));
    token =
      typeof response.NextToken === 'string' && response.NextToken ? response.NextToken : undefined;
    if (!token) return items;
  }
  return items;
}

/** Lists paged with `PageNumber` + `PageSize`, until `TotalCount` (or a short page) is reached. */
async function listByPage(
  rpc: AlibabaRpcSession,
  service: AlibabaService,
  region: string,
  action: string,
  listKey: string,
  itemKey: string,
  extra: Record<string, string | number> = {},
  pageSize = PAGE_SIZE,
): Promise<Item[]> {
  const items: Item[] = [];
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber += 1) {
    const response = await rpc.call<Item>(service, region, action, {
      ...extra,
      PageNumber: pageNumber,
      PageSize: pageSize,
    });
    const page = itemsOf(response, listKey, itemKey);
    items.push(...page);
    // The service may cap the page below what was asked: trust its TotalCount and PageSize.
    const total = toNumber(response.TotalCount);
    const size = toNumber(response.PageSize) ?? pageSize;
    if (!page.length) return items;
    if (total !== undefined ? items.length >= total : page.length < size) return items;
  }
  return items;
}

/** Entries of a NAT gateway's SNAT and DNAT tables; one row of each answers "any at all?". */
async function countEntries(
  rpc: AlibabaRpcSession,
  region: string,
  nat: Item,
): Promise<{ snat: number; dnat: number }> {
  let snat = 0;
  for (const tableId of idsOf(nat.SnatTableIds, 'SnatTableId')) {
    snat += await countTable(
      rpc,
      region,
      'DescribeSnatTableEntries',
      'SnatTableEntries',
      'SnatTableEntry',
      {
        SnatTableId: tableId,
      },
    );
  }
  let dnat = 0;
  for (const tableId of idsOf(nat.ForwardTableIds, 'ForwardTableId')) {
    dnat += await countTable(
      rpc,
      region,
      'DescribeForwardTableEntries',
      'ForwardTableEntries',
      'ForwardTableEntry',
      { ForwardTableId: tableId },
    );
  }
  return { snat, dnat };
}

async function countTable(
  rpc: AlibabaRpcSession,
  region: string,
  action: string,
  listKey: string,
  itemKey: string,
  params: Record<string, string>,
): Promise<number> {
  const response = await rpc.call<Item>('vpc', region, action, {
    ...params,
    PageNumber: 1,
    PageSize: 1,
  });
  return Math.max(toNumber(response.TotalCount) ?? 0, itemsOf(response, listKey, itemKey).length);
}

function toDisk(disk: Item): AlibabaDisk {
  return {
    disk_id: str(disk.DiskId) ?? '',
    name: str(disk.DiskName) ?? '',
    category: str(disk.Category) ?? 'unknown',
    performance_level: str(disk.PerformanceLevel),
    size_gib: toNumber(disk.Size) ?? 0,
    status: str(disk.Status) ?? 'unknown',
    instance_id: str(disk.InstanceId),
    type: str(disk.Type) ?? 'data',
    creation_time: str(disk.CreationTime),
    detached_time: str(disk.DetachedTime),
    charge_type: str(disk.DiskChargeType),
    tags: tagsOf(disk.Tags),
  };
}

function toInstance(instance: Item): AlibabaInstance {
  return {
    instance_id: str(instance.InstanceId) ?? '',
    name: str(instance.InstanceName) ?? '',
    instance_type: str(instance.InstanceType) ?? 'unknown',
    cpu: toNumber(instance.Cpu),
    memory_mib: toNumber(instance.Memory),
    status: str(instance.Status) ?? 'unknown',
    stopped_mode: str(instance.StoppedMode),
    charge_type: str(instance.InstanceChargeType),
    creation_time: str(instance.CreationTime),
    start_time: str(instance.StartTime),
    tags: tagsOf(instance.Tags),
  };
}

function toSnapshot(snapshot: Item): AlibabaSnapshot {
  return {
    snapshot_id: str(snapshot.SnapshotId) ?? '',
    name: str(snapshot.SnapshotName) ?? '',
    source_disk_id: str(snapshot.SourceDiskId),
    source_disk_size_gib: toNumber(snapshot.SourceDiskSize) ?? 0,
    usage: str(snapshot.Usage) ?? 'none',
    status: str(snapshot.Status) ?? 'unknown',
    creation_time: str(snapshot.CreationTime),
    snapshot_type: str(snapshot.SnapshotType),
    retention_days: toNumber(snapshot.RetentionDays),
    tags: tagsOf(snapshot.Tags),
  };
}

function toEip(eip: Item): AlibabaEip {
  return {
    allocation_id: str(eip.AllocationId) ?? '',
    ip_address: str(eip.IpAddress) ?? '',
    name: str(eip.Name),
    status: str(eip.Status) ?? 'unknown',
    instance_id: str(eip.InstanceId),
    internet_charge_type: str(eip.InternetChargeType),
    charge_type: str(eip.ChargeType),
    bandwidth_mbps: toNumber(eip.Bandwidth),
    allocation_time: str(eip.AllocationTime),
    tags: tagsOf(eip.Tags),
  };
}

function toNatGateway(nat: Item, entries: { snat: number; dnat: number }): AlibabaNatGateway {
  return {
    nat_gateway_id: str(nat.NatGatewayId) ?? '',
    name: str(nat.Name) ?? '',
    status: str(nat.Status) ?? 'unknown',
    creation_time: str(nat.CreationTime),
    charge_type: str(nat.InstanceChargeType),
    spec: str(nat.Spec),
    snat_entry_count: entries.snat,
    dnat_entry_count: entries.dnat,
    tags: tagsOf(nat.Tags),
  };
}

/** RPC JSON wraps every list twice: `{"Disks": {"Disk": [...]}}`. */
function itemsOf(response: Item, listKey: string, itemKey: string): Item[] {
  const list = (response[listKey] as Record<string, unknown> | undefined)?.[itemKey];
  return Array.isArray(list) ? (list as Item[]) : [];
}

function idsOf(value: unknown, key: string): string[] {
  const ids = (value as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string' && !!id) : [];
}

/** ECS tags are `{TagKey, TagValue}`, VPC tags `{Key, Value}`. */
function tagsOf(value: unknown): Record<string, string> {
  const list = (value as { Tag?: unknown } | undefined)?.Tag;
  const tags: Record<string, string> = {};
  if (!Array.isArray(list)) return tags;
  for (const tag of list as Record<string, unknown>[]) {
    const key = str(tag.TagKey) ?? str(tag.Key);
    if (key) tags[key] = str(tag.TagValue) ?? str(tag.Value) ?? '';
  }
  return tags;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Numbers arrive as numbers, numeric strings (`SourceDiskSize`) or big-number objects. */
function toNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = Number(typeof value === 'object' ? String(value) : value);
  return Number.isFinite(number) ? number : undefined;
}
