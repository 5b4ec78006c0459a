import {
  HOURS_PER_MONTH,
  isExcluded,
  type FindingDraft,
  type ScanPolicy,
  type Usage,
} from '../model';
import type { ComputeUsage } from '../carbon/carbon';
import { alibabaDiskSku, alibabaInstanceShape } from '../pricing/tables/alibaba';

/**
 * The normalized inventory of one Alibaba Cloud region: only the fields the rules read, tags as a
 * record, times as the API's ISO 8601 strings. The collector builds it from the ECS and VPC
 * describe calls; rule tests build it by hand.
 */
export interface AlibabaInventory {
  region: string;
  disks: AlibabaDisk[];
  instances: AlibabaInstance[];
  snapshots: AlibabaSnapshot[];
  eips: AlibabaEip[];
  nat_gateways: AlibabaNatGateway[];
}

/** A block storage disk (DescribeDisks). */
export interface AlibabaDisk {
  disk_id: string;
  name: string;
  /** `Category`: cloud, cloud_efficiency, cloud_ssd, cloud_essd, cloud_auto, cloud_essd_entry. */
  category: string;
  /** `PerformanceLevel` of an ESSD: PL0–PL3. */
  performance_level?: string;
  size_gib: number;
  /** `Status`: In_use, Available, Attaching, Detaching, Creating, ReIniting. */
  status: string;
  instance_id?: string;
  /** `Type`: system or data. */
  type: string;
  creation_time?: string;
  detached_time?: string;
  /** `DiskChargeType`: PrePaid or PostPaid. */
  charge_type?: string;
  tags: Record<string, string>;
}

/** An ECS instance (DescribeInstances). */
export interface AlibabaInstance {
  instance_id: string;
  name: string;
  instance_type: string;
  cpu?: number;
  memory_mib?: number;
  /** `Status`: Pending, Running, Starting, Stopping, Stopped. */
  status: string;
  /** `StoppedMode`: KeepCharging, StopCharging or Not-applicable. */
  stopped_mode?: string;
  /** `InstanceChargeType`: PrePaid or PostPaid. */
  charge_type?: string;
  creation_time?: string;
  /** `StartTime`: the last start; a stopped instance has been stopped for at most now − this. */
  start_time?: string;
  tags: Record<string, string>;
}

/** A disk snapshot (DescribeSnapshots). */
export interface AlibabaSnapshot {
  snapshot_id: string;
  name: string;
  source_disk_id?: string;
  source_disk_size_gib: number;
  /** `Usage`: image, disk, image_disk or none. */
  usage: string;
  /** `Status`: progressing, accomplished, failed. */
  status: string;
  creation_time?: string;
  /** `SnapshotType`: auto or user. */
  snapshot_type?: string;
  retention_days?: number;
  tags: Record<string, string>;
}

/** An elastic IP address (DescribeEipAddresses). */
export interface AlibabaEip {
  allocation_id: string;
  ip_address: string;
  name?: string;
  /** `Status`: Associating, Unassociating, InUse, Available, Releasing. */
  status: string;
  instance_id?: string;
  /** `InternetChargeType`: PayByTraffic or PayByBandwidth. */
  internet_charge_type?: string;
  /** `ChargeType`: PostPaid or PrePaid. */
  charge_type?: string;
  bandwidth_mbps?: number;
  allocation_time?: string;
  tags: Record<string, string>;
}

/** A NAT gateway (DescribeNatGateways) with its SNAT and DNAT entry counts. */
export interface AlibabaNatGateway {
  nat_gateway_id: string;
  name: string;
  /** `Status`: Creating, Available, Modifying, Deleting, Converting. */
  status: string;
  creation_time?: string;
  /** `InstanceChargeType`: PostPaid or PrePaid. */
  charge_type?: string;
  spec?: string;
  snat_entry_count: number;
  dnat_entry_count: number;
  tags: Record<string, string>;
}

/** What the Alibaba rules need besides the inventory. */
export interface AlibabaRuleContext {
  account_id: string;
  policy: ScanPolicy;
  now: Date;
}

/** A NAT gateway younger than this may still be being configured (RULES.md "Alibaba Cloud"). */
export const NAT_IDLE_MIN_AGE_DAYS = 7;

/** Runs every Alibaba Cloud rule over one region's inventory. */
export function evaluateAlibabaRules(
  inventory: AlibabaInventory,
  context: AlibabaRuleContext,
): FindingDraft[] {
  return [
    ...findUnattachedDisks(inventory, context),
    ...findDisksOnStoppedInstances(inventory, context),
    ...findStoppedKeepChargingInstances(inventory, context),
    ...findUnboundEips(inventory, context),
    ...findOldAndOrphanedSnapshots(inventory, context),
    ...findIdleNatGateways(inventory, context),
  ];
}

/** alibaba.disk.unattached: `Status == "Available"` past the grace period. */
export function findUnattachedDisks(
  inventory: AlibabaInventory,
  context: AlibabaRuleContext,
): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  for (const disk of inventory.disks) {
    if (disk.status !== 'Available') continue;
    if (isExcluded(disk.tags, context.policy)) continue;
    const idleHours = hoursSince(disk.detached_time ?? disk.creation_time, context.now);
    if (idleHours !== undefined && idleHours < context.policy.grace_period_hours) continue;
    const prepaid = disk.charge_type === 'PrePaid';
    const region = inventory.region;
    drafts.push({
      ...base(context, region, 'disk', disk.disk_id, disk.name),
      rule_id: 'alibaba.disk.unattached',
      title: `Unattached disk ${disk.name || disk.disk_id}`,
      details:
        `${describeCategory(disk)} disk of ${disk.size_gib} GiB is attached to no instance` +
        (prepaid ? '; it is a subscription disk, so the saving comes at its renewal.' : '.'),
      evidence: {
        Status: disk.status,
        Category: disk.category,
        PerformanceLevel: disk.performance_level ?? null,
        Size: disk.size_gib,
        DetachedTime: disk.detached_time ?? null,
        CreationTime: disk.creation_time ?? null,
        DiskChargeType: disk.charge_type ?? null,
      },
      action_type: 'DELETE',
      recommendation: 'Snapshot the disk if its data may be needed, then release it.',
      fix_command:
        `aliyun ecs CreateSnapshot --region ${region} --DiskId ${quote(disk.disk_id)} && ` +
        `aliyun ecs DeleteDisk --region ${region} --DiskId ${quote(disk.disk_id)}`,
      confidence: prepaid || idleHours === undefined ? 'medium' : 'high',
      usage: [diskUsage(disk)],
      fingerprint: fingerprint('disk', disk.disk_id, disk.status, disk.category, disk.size_gib),
    });
  }
  return drafts;
}

/**
 * alibaba.disk.on_stopped_instance: disks of an instance stopped longer than
 * `stopped_instance_days`. ECS reports no stop time; the last start time bounds it from above, so
 * an instance started within the window is skipped and the others are reported with the age
 * unknown and low confidence.
 */
export function findDisksOnStoppedInstances(
  inventory: AlibabaInventory,
  context: AlibabaRuleContext,
): FindingDraft[] {
  const stopped = new Map<string, AlibabaInstance>();
  for (const instance of inventory.instances) {
    if (instance.status !== 'Stopped') continue;
    const sinceStart = daysSince(instance.start_time, context.now);
    if (sinceStart !== undefined && sinceStart < context.policy.stopped_instance_days) continue;
    stopped.set(instance.instance_id, instance);
  }
  const drafts: FindingDraft[] = [];
  for (const disk of inventory.disks) {
    const instance = disk.instance_id ? stopped.get(disk.instance_id) : undefined;
    if (!instance || disk.status !== 'In_use') continue;
    if (isExcluded(disk.tags, context.policy) || isExcluded(instance.tags, context.policy))
      continue;
    const isSystem = disk.type === 'system';
    const region = inventory.region;
    const instanceName = instance.name || instance.instance_id;
    const lastStart = instance.start_time ?? 'at an unknown time';
    drafts.push({
      ...base(context, region, 'disk', disk.disk_id, disk.name),
      rule_id: 'alibaba.disk.on_stopped_instance',
      title: `Disk ${disk.name || disk.disk_id} of stopped instance ${instanceName}`,
      details:
        `${describeCategory(disk)} ${disk.type} disk of ${disk.size_gib} GiB stays billed while ` +
        `instance ${instance.instance_id} is stopped (last started ${lastStart}).`,
      evidence: {
        InstanceId: instance.instance_id,
        InstanceStatus: instance.status,
        StoppedMode: instance.stopped_mode ?? null,
        StartTime: instance.start_time ?? null,
        stopped_since: 'unknown',
        Type: disk.type,
        Category: disk.category,
        Size: disk.size_gib,
      },
      action_type: 'REVIEW',
      recommendation: isSystem
        ? 'If the instance is no longer needed, release it together with its system disk.'
        : 'If the data is no longer needed, detach the disk and release it (snapshot it first).',
      fix_command: isSystem
        ? `aliyun ecs DeleteInstance --region ${region} --InstanceId ${quote(instance.instance_id)}`
        : `aliyun ecs DetachDisk --region ${region} --InstanceId ${quote(instance.instance_id)} ` +
          `--DiskId ${quote(disk.disk_id)} && ` +
          `aliyun ecs DeleteDisk --region ${region} --DiskId ${quote(disk.disk_id)}`,
      confidence: 'low',
      usage: [diskUsage(disk)],
      fingerprint: fingerprint('disk', disk.disk_id, instance.status, disk.size_gib),
    });
  }
  return drafts;
}

/**
 * alibaba.ecs.stopped_keep_charging: a stopped instance in standard mode keeps its vCPUs and
 * memory, and their bill. `StopCharging` (economical mode) is not billed for compute.
 */
export function findStoppedKeepChargingInstances(
  inventory: AlibabaInventory,
  context: AlibabaRuleContext,
): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  for (const instance of inventory.instances) {
    if (instance.status !== 'Stopped' || instance.stopped_mode !== 'KeepCharging') continue;
    if (isExcluded(instance.tags, context.policy)) continue;
    const sinceStart = hoursSince(instance.start_time, context.now);
    if (sinceStart !== undefined && sinceStart < context.policy.grace_period_hours) continue;
    const shape = alibabaInstanceShape(instance.instance_type, {
      cpu: instance.cpu,
      memory_mib: instance.memory_mib,
    });
    const region = inventory.region;
    const id = quote(instance.instance_id);
    // Billed for the reserved vCPUs and memory, but powered off: carbon counts embodied only.
    const reservedCompute: ComputeUsage = {
      kind: 'compute',
      sku: `ecs:${instance.instance_type}`,
      vcpus: shape.vcpus,
      memory_gib: shape.memory_gib,
      hours: HOURS_PER_MONTH,
      powered: false,
    };
    drafts.push({
      ...base(context, region, 'instance', instance.instance_id, instance.name),
      rule_id: 'alibaba.ecs.stopped_keep_charging',
      title: `Stopped instance ${instance.name || instance.instance_id} is still billed`,
      details:
        `${instance.instance_type} was stopped in standard mode (KeepCharging), which keeps its ` +
        'vCPUs and memory reserved and billed.',
      evidence: {
        Status: instance.status,
        StoppedMode: instance.stopped_mode,
        InstanceType: instance.instance_type,
        InstanceChargeType: instance.charge_type ?? null,
        StartTime: instance.start_time ?? null,
        vcpus: shape.vcpus,
        memory_gib: shape.memory_gib,
      },
      action_type: 'STOP',
      // No fix command: the stop mode is chosen when an instance stops, so switching a stopped
      // one means booting the old server first, and StopInstance fails while it is still
      // starting. The recommendation says what to do instead.
      recommendation:
        'If the instance is no longer needed, release it (snapshot its disks first if their ' +
        `data matters): aliyun ecs DeleteInstance --region ${region} --InstanceId ${id}. ` +
        (instance.charge_type === 'PrePaid'
          ? 'Economical mode is for pay-as-you-go instances only: a subscription instance stops ' +
            'costing money when it is released or not renewed.'
          : 'If it is still needed, leave it stopped for now and, the next time it has been ' +
            'started and is running, stop it in economical mode: ' +
            `aliyun ecs StopInstance --region ${region} --InstanceId ${id} ` +
            '--StoppedMode StopCharging. Economical mode gives up the reserved vCPUs and memory ' +
            'and any non-elastic public IP, so a later start may have to wait for stock.'),
      confidence: shape.known ? 'high' : 'medium',
      usage: [reservedCompute],
      fingerprint: fingerprint(
        'ecs',
        instance.instance_id,
        instance.stopped_mode,
        instance.instance_type,
      ),
    });
  }
  return drafts;
}

/** alibaba.eip.unbound: an EIP in `Available` state is bound to nothing and still billed. */
export function findUnboundEips(
  inventory: AlibabaInventory,
  context: AlibabaRuleContext,
): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  for (const eip of inventory.eips) {
    if (eip.status !== 'Available') continue;
    if (isExcluded(eip.tags, context.policy)) continue;
    const idleHours = hoursSince(eip.allocation_time, context.now);
    if (idleHours !== undefined && idleHours < context.policy.grace_period_hours) continue;
    drafts.push({
      ...base(context, inventory.region, 'eip', eip.allocation_id, eip.name || eip.ip_address),
      rule_id: 'alibaba.eip.unbound',
      title: `Elastic IP ${eip.ip_address} is bound to nothing`,
      details:
        `Unbound EIPs are billed every hour` +
        (eip.internet_charge_type === 'PayByBandwidth'
          ? '; a pay-by-bandwidth EIP also pays for its bandwidth, which is not included here.'
          : '.'),
      evidence: {
        Status: eip.status,
        AllocationId: eip.allocation_id,
        IpAddress: eip.ip_address,
        InternetChargeType: eip.internet_charge_type ?? null,
        ChargeType: eip.charge_type ?? null,
        Bandwidth: eip.bandwidth_mbps ?? null,
        AllocationTime: eip.allocation_time ?? null,
      },
      action_type: 'DELETE',
      recommendation: 'Release the EIP if nothing will bind it again.',
      fix_command:
        `aliyun vpc ReleaseEipAddress --region ${inventory.region} ` +
        `--AllocationId ${quote(eip.allocation_id)}`,
      confidence: eip.charge_type === 'PrePaid' ? 'medium' : 'high',
      usage: [{ kind: 'hourly', sku: 'eip:idle', hours: HOURS_PER_MONTH }],
      fingerprint: fingerprint('eip', eip.allocation_id, eip.status),
    });
  }
  return drafts;
}

/**
 * alibaba.snapshot.orphaned (source disk gone, past the grace period) and alibaba.snapshot.old
 * (older than `snapshot_age_days`), both only for snapshots no image or disk uses
 * (`Usage == "none"`). An orphaned snapshot is reported once, as orphaned.
 */
export function findOldAndOrphanedSnapshots(
  inventory: AlibabaInventory,
  context: AlibabaRuleContext,
): FindingDraft[] {
  const diskIds = new Set(inventory.disks.map((disk) => disk.disk_id));
  const drafts: FindingDraft[] = [];
  for (const snapshot of inventory.snapshots) {
    if (snapshot.usage !== 'none' || snapshot.status !== 'accomplished') continue;
    if (isExcluded(snapshot.tags, context.policy)) continue;
    const ageDays = daysSince(snapshot.creation_time, context.now);
    const orphaned = !!snapshot.source_disk_id && !diskIds.has(snapshot.source_disk_id);
    const pastGrace = ageDays === undefined || ageDays * 24 >= context.policy.grace_period_hours;
    const region = inventory.region;
    const id = quote(snapshot.snapshot_id);
    const label = snapshot.name || snapshot.snapshot_id;
    const evidence = {
      Usage: snapshot.usage,
      SourceDiskId: snapshot.source_disk_id ?? null,
      source_disk_exists: !orphaned,
      CreationTime: snapshot.creation_time ?? null,
      age_days: ageDays === undefined ? 'unknown' : Math.floor(ageDays),
      SourceDiskSize: snapshot.source_disk_size_gib,
      SnapshotType: snapshot.snapshot_type ?? null,
      RetentionDays: snapshot.retention_days ?? null,
      size_note:
        'Snapshots are billed on the data they hold; ' +
        'the source disk size priced here is an upper bound.',
    };
    const usage: Usage[] = [
      { kind: 'snapshot', sku: 'snapshot:standard', gib: snapshot.source_disk_size_gib },
    ];
    if (orphaned && pastGrace) {
      drafts.push({
        ...base(context, region, 'snapshot', snapshot.snapshot_id, snapshot.name),
        rule_id: 'alibaba.snapshot.orphaned',
        title: `Snapshot ${label} outlived its disk`,
        details:
          `Source disk ${snapshot.source_disk_id} no longer exists ` +
          'and no image uses the snapshot.',
        evidence,
        action_type: 'DELETE',
        recommendation: 'Delete the snapshot unless the deleted disk’s data must be kept.',
        fix_command: `aliyun ecs DeleteSnapshot --region ${region} --SnapshotId ${id}`,
        confidence: 'medium',
        usage,
        fingerprint: fingerprint('snapshot', snapshot.snapshot_id, 'orphaned'),
      });
    } else if (ageDays !== undefined && ageDays > context.policy.snapshot_age_days) {
      drafts.push({
        ...base(context, region, 'snapshot', snapshot.snapshot_id, snapshot.name),
        rule_id: 'alibaba.snapshot.old',
        title: `Snapshot ${label} is ${Math.floor(ageDays)} days old`,
        details: `Created ${snapshot.creation_time}; no image or disk uses it.`,
        evidence,
        action_type: 'ARCHIVE',
        recommendation: 'Move it to the archive tier, or delete it if it is no longer needed.',
        fix_command:
          `aliyun ecs ModifySnapshotCategory --region ${region} --SnapshotId ${id} ` +
          '--Category Archive',
        confidence: 'medium',
        usage,
        fingerprint: fingerprint('snapshot', snapshot.snapshot_id, 'old'),
      });
    }
  }
  return drafts;
}

/**
 * alibaba.nat.idle: an available NAT gateway with no SNAT and no DNAT entry, older than
 * `NAT_IDLE_MIN_AGE_DAYS`, routes nothing but bills its instance fee every hour.
 */
export function findIdleNatGateways(
  inventory: AlibabaInventory,
  context: AlibabaRuleContext,
): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  for (const nat of inventory.nat_gateways) {
    if (nat.status !== 'Available') continue;
    if (nat.snat_entry_count > 0 || nat.dnat_entry_count > 0) continue;
    if (isExcluded(nat.tags, context.policy)) continue;
    const ageDays = daysSince(nat.creation_time, context.now);
    if (ageDays !== undefined && ageDays < NAT_IDLE_MIN_AGE_DAYS) continue;
    drafts.push({
      ...base(context, inventory.region, 'nat_gateway', nat.nat_gateway_id, nat.name),
      rule_id: 'alibaba.nat.idle',
      title: `NAT gateway ${nat.name || nat.nat_gateway_id} has no SNAT or DNAT entries`,
      details: 'Without SNAT or DNAT entries the gateway translates no traffic.',
      evidence: {
        Status: nat.status,
        snat_entries: nat.snat_entry_count,
        dnat_entries: nat.dnat_entry_count,
        CreationTime: nat.creation_time ?? null,
        age_days: ageDays === undefined ? 'unknown' : Math.floor(ageDays),
        InstanceChargeType: nat.charge_type ?? null,
        Spec: nat.spec ?? null,
      },
      action_type: 'DELETE',
      recommendation: 'Delete the NAT gateway (and release its EIPs) if no workload needs it.',
      fix_command:
        `aliyun vpc DeleteNatGateway --region ${inventory.region} ` +
        `--NatGatewayId ${quote(nat.nat_gateway_id)}`,
      confidence: ageDays === undefined ? 'medium' : 'high',
      usage: [{ kind: 'hourly', sku: 'nat:gateway', hours: HOURS_PER_MONTH }],
      fingerprint: fingerprint(
        'nat',
        nat.nat_gateway_id,
        nat.snat_entry_count,
        nat.dnat_entry_count,
      ),
    });
  }
  return drafts;
}

function base(
  context: AlibabaRuleContext,
  region: string,
  resourceType: string,
  id: string,
  name: string | undefined,
): Pick<
  FindingDraft,
  'provider' | 'account_id' | 'region' | 'resource_type' | 'resource_id' | 'resource_name'
> {
  return {
    provider: 'alibaba',
    account_id: context.account_id,
    region,
    resource_type: resourceType,
    resource_id: id,
    resource_name: name || id,
  };
}

function diskUsage(disk: AlibabaDisk): Usage {
  // Basic and ultra disks sit on hard drives; the SSD and ESSD categories on flash.
  const medium = disk.category === 'cloud' || disk.category === 'cloud_efficiency' ? 'hdd' : 'ssd';
  return {
    kind: 'storage',
    sku: alibabaDiskSku(disk.category, disk.performance_level),
    gib: disk.size_gib,
    medium,
  };
}

function describeCategory(disk: AlibabaDisk): string {
  return disk.performance_level ? `${disk.category} ${disk.performance_level}` : disk.category;
}

function hoursSince(iso: string | undefined, now: Date): number | undefined {
  if (!iso) return undefined;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? undefined : (now.getTime() - at) / 3_600_000;
}

function daysSince(iso: string | undefined, now: Date): number | undefined {
  const hours = hoursSince(iso, now);
  return hours === undefined ? undefined : hours / 24;
}

function fingerprint(...parts: unknown[]): string {
  return parts.map((part) => String(part ?? '').toLowerCase()).join('|');
}

/** Quotes a shell word when it holds anything beyond plain id characters. */
function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
