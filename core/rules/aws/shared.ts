import {
  HOURS_PER_MONTH,
  isExcluded,
  type FindingDraft,
  type ScanPolicy,
  type Usage,
} from '../../model';
import {
  AWS_VOLUME_TYPES,
  ebsSku,
  GP3_FREE_IOPS,
  GP3_FREE_THROUGHPUT_MIBPS,
  IO2_IOPS_TIERS,
} from '../../pricing/tables/aws';
import type { AwsInstance, AwsRegionInventory, AwsVolume } from './inventory';

/** Where the rules run: the inventory's account and region, the policy and the clock. */
export interface AwsRuleContext {
  account_id: string;
  region: string;
  policy: ScanPolicy;
  now: Date;
}

/** A stopped instance and, when its transition reason carries one, the time it stopped. */
export interface StoppedInstance {
  instance: AwsInstance;
  stopped_at?: Date;
  /** Whole days stopped, for display; undefined when the reason carries no timestamp. */
  stopped_days?: number;
}

/** A public IPv4 address held by an instance, directly or through an Elastic IP or interface. */
export interface HeldPublicIp {
  public_ip: string;
  allocation_id?: string;
  association_id?: string;
}

/**
 * Facts several rules share, computed once per region. `stopped_owner` maps a volume to the
 * stopped instance whose `aws.ec2.stopped` finding carries the volume's cost, so the same dollars
 * are never counted twice.
 */
export interface AwsRegionIndex {
  inventory: AwsRegionInventory;
  context: AwsRuleContext;
  volumes_by_id: Map<string, AwsVolume>;
  stopped: Map<string, StoppedInstance>;
  /** Instances that `aws.ec2.stopped` reports. */
  reported_stopped: Set<string>;
  stopped_owner: Map<string, string>;
  image_ids_used_by_instances: Set<string>;
  /** Image id → launch template ids whose versions launch it. */
  image_template_refs: Map<string, Set<string>>;
  /** Snapshot id → images and launch templates whose block devices name it. */
  snapshot_refs: Map<string, Set<string>>;
  routed_nat_ids: Set<string>;
}

/** The tag AWS Backup puts on every recovery point it creates. */
const AWS_BACKUP_TAG = 'aws:backup:source-resource';
const AWS_BACKUP_DESCRIPTION = 'This snapshot is created by the AWS Backup service';

/** The volume id EBS gives snapshots made by CopySnapshot (and so by CopyImage). */
export const PLACEHOLDER_VOLUME_ID = 'vol-ffffffff';

const HDD_VOLUME_TYPES = new Set(['st1', 'sc1', 'standard']);
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 24 * MS_PER_HOUR;

/** Builds the shared index from an inventory. */
export function indexRegion(
  inventory: AwsRegionInventory,
  context: AwsRuleContext,
): AwsRegionIndex {
  const volumesById = new Map(inventory.volumes.map((volume) => [volume.volume_id, volume]));
  const stopped = new Map<string, StoppedInstance>();
  for (const instance of inventory.instances) {
    if (instance.state !== 'stopped') continue;
    const stoppedAt = parseStoppedAt(instance.state_transition_reason);
    stopped.set(instance.instance_id, {
      instance,
      stopped_at: stoppedAt,
      stopped_days: stoppedAt ? wholeDaysSince(stoppedAt, context.now) : undefined,
    });
  }

  const reported = new Set<string>();
  for (const [id, entry] of stopped) {
    if (
      isStoppedLongEnough(entry, context.policy, context.now) &&
      !isExcluded(entry.instance.tags, context.policy)
    ) {
      reported.add(id);
    }
  }

  return {
    inventory,
    context,
    volumes_by_id: volumesById,
    stopped,
    reported_stopped: reported,
    stopped_owner: assignVolumeOwners(inventory.volumes, reported),
    image_ids_used_by_instances: new Set(
      inventory.instances.flatMap((instance) => (instance.image_id ? [instance.image_id] : [])),
    ),
    image_template_refs: imageTemplateRefs(inventory),
    snapshot_refs: snapshotRefs(inventory),
    routed_nat_ids: new Set(inventory.route_tables.flatMap((table) => table.nat_gateway_ids)),
  };
}

/**
 * True when a stopped instance passes the `stopped_instance_days` threshold, or when its age
 * cannot be told (RULES.md: still reported, at lower confidence).
 */
export function isStoppedLongEnough(
  entry: StoppedInstance,
  policy: ScanPolicy,
  now: Date,
): boolean {
  return (
    entry.stopped_at === undefined ||
    isOlderThan(entry.stopped_at, policy.stopped_instance_days * MS_PER_DAY, now)
  );
}

/** Reads "User initiated (YYYY-MM-DD HH:MM:SS GMT)"; undefined for any other reason text. */
export function parseStoppedAt(reason: string | undefined): Date | undefined {
  const match = /\((\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) GMT\)/.exec(reason ?? '');
  if (!match) return undefined;
  const at = new Date(`${match[1]}T${match[2]}Z`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** Whole days between a time and now (floored; never negative). */
export function wholeDaysSince(at: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - at.getTime()) / MS_PER_DAY));
}

/** True when an RFC 3339 time lies more than `days` before now; false when unreadable. */
export function isOlderThanDays(iso: string | undefined, days: number, now: Date): boolean {
  const at = parseTime(iso);
  return at !== undefined && isOlderThan(at, days * MS_PER_DAY, now);
}

/** Whole days since an RFC 3339 time; undefined when absent or unreadable. */
export function daysSince(iso: string | undefined, now: Date): number | undefined {
  const at = parseTime(iso);
  return at ? wholeDaysSince(at, now) : undefined;
}

/** True when the resource is younger than the grace period; unknown ages are not in grace. */
export function isInGracePeriod(iso: string | undefined, context: AwsRuleContext): boolean {
  const at = parseTime(iso);
  return (
    at !== undefined &&
    !isOlderThan(at, context.policy.grace_period_hours * MS_PER_HOUR, context.now)
  );
}

/** An RFC 3339 time as a Date; undefined when absent or unreadable. */
function parseTime(iso: string | undefined): Date | undefined {
  if (!iso) return undefined;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** True for snapshots AWS Backup made: their lifecycle belongs to the backup plan, not to us. */
export function isAwsBackupSnapshot(snapshot: {
  description?: string;
  tags: Record<string, string>;
}): boolean {
  return (
    AWS_BACKUP_TAG in snapshot.tags ||
    (snapshot.description ?? '').startsWith(AWS_BACKUP_DESCRIPTION)
  );
}

/**
 * What a volume costs each month: its size at the type's rate plus provisioned performance above
 * what the type includes (gp3 IOPS and throughput, io1/io2 IOPS with io2's tiers).
 */
export function volumeUsage(volume: AwsVolume): Usage[] {
  const type = volume.volume_type;
  const usage: Usage[] = [
    {
      kind: 'storage',
      sku: ebsSku(type),
      gib: volume.size_gib,
      medium: HDD_VOLUME_TYPES.has(type) ? 'hdd' : 'ssd',
    },
  ];
  const iops = volume.iops ?? 0;
  if (type === 'gp3') {
    addUnitMonths(usage, 'ebs:gp3:iops', iops - GP3_FREE_IOPS);
    addUnitMonths(
      usage,
      'ebs:gp3:throughput',
      (volume.throughput_mibps ?? 0) - GP3_FREE_THROUGHPUT_MIBPS,
    );
  } else if (type === 'io1') {
    addUnitMonths(usage, 'ebs:io1:iops', iops);
  } else if (type === 'io2') {
    const [first, second] = IO2_IOPS_TIERS;
    addUnitMonths(usage, 'ebs:io2:iops', Math.min(iops, first));
    addUnitMonths(usage, 'ebs:io2:iops:tier2', Math.min(iops, second) - first);
    addUnitMonths(usage, 'ebs:io2:iops:tier3', iops - second);
  }
  return usage;
}

/** A month of one public IPv4 address per item. */
export function publicIpv4Usage(count: number): Usage[] {
  return count > 0 ? [{ kind: 'hourly', sku: 'ipv4:public', hours: count * HOURS_PER_MONTH }] : [];
}

/** True when the price table has no rate of its own for this volume type. */
export function isKnownVolumeType(type: string): boolean {
  return (AWS_VOLUME_TYPES as readonly string[]).includes(type);
}

/** Every public IPv4 an instance holds: its own address, Elastic IPs and its interfaces'. */
export function publicIpsOfInstance(index: AwsRegionIndex, instance: AwsInstance): HeldPublicIp[] {
  const held = new Map<string, HeldPublicIp>();
  const add = (ip: HeldPublicIp): void => {
    held.set(ip.public_ip, {
      ...held.get(ip.public_ip),
      ...definedOnly(ip),
      public_ip: ip.public_ip,
    });
  };
  if (instance.public_ip) add({ public_ip: instance.public_ip });
  for (const address of index.inventory.addresses) {
    if (address.instance_id !== instance.instance_id) continue;
    add({
      public_ip: address.public_ip,
      allocation_id: address.allocation_id,
      association_id: address.association_id,
    });
  }
  for (const eni of index.inventory.network_interfaces) {
    if (eni.attached_instance_id !== instance.instance_id) continue;
    for (const ip of eni.public_ips) add(ip);
  }
  return [...held.values()].sort((a, b) => compare(a.public_ip, b.public_ip));
}

/** The EBS volumes attached to an instance, from either side of the attachment. */
export function volumesOfInstance(index: AwsRegionIndex, instance: AwsInstance): AwsVolume[] {
  const ids = new Set(instance.volume_ids);
  for (const volume of index.inventory.volumes) {
    if (volume.attachments.some((a) => a.instance_id === instance.instance_id)) {
      ids.add(volume.volume_id);
    }
  }
  return [...ids].sort(compare).flatMap((id) => {
    const volume = index.volumes_by_id.get(id);
    return volume ? [volume] : [];
  });
}

/** Fills the fields every AWS draft shares. */
export function draft(
  context: AwsRuleContext,
  fields: Omit<FindingDraft, 'provider' | 'account_id' | 'region'>,
): FindingDraft {
  return { provider: 'aws', account_id: context.account_id, region: context.region, ...fields };
}

/** An AWS CLI command line; every argument is a resource id, safe without quoting. */
export function awsCli(context: AwsRuleContext, ...args: string[]): string {
  return ['aws', 'ec2', ...args, '--region', context.region].join(' ');
}

/** The resource's Name tag, or its id. */
export function nameOf(tags: Record<string, string>, id: string): string {
  return tags.Name || id;
}

/** A fingerprint from the attributes whose change should reopen a handled finding. */
export function fingerprintOf(...parts: (string | number | undefined)[]): string {
  return parts.map((part) => (part === undefined ? '' : String(part))).join('|');
}

/** Plain string order, independent of locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isOlderThan(at: Date, ms: number, now: Date): boolean {
  return now.getTime() - at.getTime() > ms;
}

function addUnitMonths(usage: Usage[], sku: string, units: number): void {
  if (units > 0) usage.push({ kind: 'hourly', sku, hours: units * HOURS_PER_MONTH });
}

function assignVolumeOwners(volumes: AwsVolume[], reported: Set<string>): Map<string, string> {
  const owners = new Map<string, string>();
  for (const volume of volumes) {
    const instanceIds = volume.attachments.map((a) => a.instance_id).sort(compare);
    // A multi-attach volume shared with an instance that keeps running is still in use.
    if (instanceIds.length === 0 || !instanceIds.every((id) => reported.has(id))) continue;
    owners.set(volume.volume_id, instanceIds[0] as string);
  }
  return owners;
}

function imageTemplateRefs(inventory: AwsRegionInventory): Map<string, Set<string>> {
  const refs = new Map<string, Set<string>>();
  for (const version of inventory.launch_template_versions) {
    if (!version.image_id) continue;
    addRef(refs, version.image_id, version.launch_template_id);
  }
  return refs;
}

function snapshotRefs(inventory: AwsRegionInventory): Map<string, Set<string>> {
  const refs = new Map<string, Set<string>>();
  for (const image of inventory.images) {
    for (const id of image.snapshot_ids) addRef(refs, id, image.image_id);
  }
  for (const version of inventory.launch_template_versions) {
    for (const id of version.snapshot_ids) addRef(refs, id, version.launch_template_id);
  }
  return refs;
}

function addRef(refs: Map<string, Set<string>>, key: string, by: string): void {
  const set = refs.get(key) ?? new Set<string>();
  set.add(by);
  refs.set(key, set);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
