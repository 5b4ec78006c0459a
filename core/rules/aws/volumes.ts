import { isExcluded, type FindingDraft, type Usage } from '../../model';
import { ebsSku, GP3_FREE_IOPS, GP3_FREE_THROUGHPUT_MIBPS } from '../../pricing/tables/aws';
import type { AwsVolume } from './inventory';
import {
  awsCli,
  compare,
  draft,
  fingerprintOf,
  isInGracePeriod,
  isKnownVolumeType,
  isStoppedLongEnough,
  nameOf,
  volumeUsage,
  type AwsRegionIndex,
} from './shared';

/** `aws.ebs.unattached`: a volume in state `available`, billed for its size yet serving nothing. */
export function findUnattachedVolumes(index: AwsRegionIndex): FindingDraft[] {
  const { context } = index;
  return index.inventory.volumes
    .filter(
      (volume) =>
        volume.state === 'available' &&
        !isExcluded(volume.tags, context.policy) &&
        !isInGracePeriod(volume.create_time, context),
    )
    .map((volume) =>
      draft(context, {
        rule_id: 'aws.ebs.unattached',
        resource_type: 'ebs_volume',
        resource_id: volume.volume_id,
        resource_name: nameOf(volume.tags, volume.volume_id),
        title:
          `Unattached EBS volume ${volume.volume_id} ` +
          `(${volume.size_gib} GiB ${volume.volume_type})`,
        details:
          'The volume is attached to no instance (state "available") ' +
          (volume.create_time
            ? `and has been billed for its ${volume.size_gib} GiB since ${volume.create_time}.`
            : `but is still billed for its ${volume.size_gib} GiB.`),
        evidence: {
          ...volumeEvidence(volume),
          ...priceNote(volume),
        },
        action_type: 'DELETE',
        recommendation:
          'Snapshot the volume if its data may be needed ' +
          `(${awsCli(context, 'create-snapshot', '--volume-id', volume.volume_id)}), ` +
          'then delete it.',
        fix_command: awsCli(context, 'delete-volume', '--volume-id', volume.volume_id),
        confidence: 'high',
        usage: volumeUsage(volume),
        fingerprint: fingerprintOf(
          volume.volume_id,
          volume.size_gib,
          volume.volume_type,
          volume.state,
        ),
      }),
    );
}

/**
 * `aws.ebs.on_stopped_instance`: a volume attached only to instances stopped longer than the
 * policy allows. When those instances are reported by `aws.ec2.stopped`, that finding carries the
 * volume's cost and this one points at it instead of counting the dollars again.
 */
export function findVolumesOnStoppedInstances(index: AwsRegionIndex): FindingDraft[] {
  const { context } = index;
  const drafts: FindingDraft[] = [];
  for (const volume of index.inventory.volumes) {
    if (volume.state !== 'in-use' || volume.attachments.length === 0) continue;
    if (isExcluded(volume.tags, context.policy)) continue;
    const holders = volume.attachments.map((a) => index.stopped.get(a.instance_id));
    if (
      !holders.every((h) => h !== undefined && isStoppedLongEnough(h, context.policy, context.now))
    )
      continue;
    const stopped = holders.filter((h) => h !== undefined);
    const ageKnown = stopped.every((h) => h.stopped_days !== undefined);
    const owner = index.stopped_owner.get(volume.volume_id);
    const instanceIds = stopped.map((h) => h.instance.instance_id).sort(compare);
    drafts.push(
      draft(context, {
        rule_id: 'aws.ebs.on_stopped_instance',
        resource_type: 'ebs_volume',
        resource_id: volume.volume_id,
        resource_name: nameOf(volume.tags, volume.volume_id),
        title: `EBS volume ${volume.volume_id} is attached only to stopped instances`,
        details:
          `The volume (${volume.size_gib} GiB ${volume.volume_type}) is attached to ` +
          `${instanceIds.join(', ')}, stopped ` +
          (ageKnown
            ? `for more than ${context.policy.stopped_instance_days} days`
            : 'since an unknown time') +
          `; a stopped instance keeps paying for its volumes.`,
        evidence: {
          ...volumeEvidence(volume),
          Attachments: stopped.map((h) => ({
            InstanceId: h.instance.instance_id,
            InstanceState: h.instance.state,
            StateTransitionReason: h.instance.state_transition_reason ?? null,
            stopped_days: h.stopped_days ?? 'unknown',
          })),
          ...(owner ? { cost_counted_in: { rule_id: 'aws.ec2.stopped', resource_id: owner } } : {}),
          ...priceNote(volume),
        },
        action_type: 'REVIEW',
        recommendation:
          'Decide whether the instance is still needed: if not, snapshot the volume and ' +
          'delete it with the instance; if so, start the instance or move the data to a ' +
          'cheaper tier.',
        confidence: ageKnown ? 'high' : 'low',
        usage: owner ? [] : volumeUsage(volume),
        fingerprint: fingerprintOf(
          volume.volume_id,
          volume.size_gib,
          volume.volume_type,
          instanceIds.join(','),
        ),
      }),
    );
  }
  return drafts;
}

/**
 * `aws.ebs.gp2_to_gp3`: an in-use gp2 volume. gp3 costs 20% less per GiB and includes 3,000 IOPS
 * and 125 MiB/s. A gp2 volume above 1,000 GiB has a higher IOPS baseline (3 per GiB); keeping it
 * on gp3 means provisioning the IOPS above 3,000, which `usage_after` prices, so the saving shown
 * is net of them. Throughput above 125 MiB/s is offered as an option only: IOPS-bound workloads
 * rarely need gp2's 250 MiB/s ceiling, and the recommendation says what matching it would add.
 */
export function findGp2Volumes(index: AwsRegionIndex): FindingDraft[] {
  const { context } = index;
  return index.inventory.volumes
    .filter(
      (volume) =>
        volume.volume_type === 'gp2' &&
        volume.state === 'in-use' &&
        // A volume whose stopped instance is up for deletion is not worth migrating.
        !index.stopped_owner.has(volume.volume_id) &&
        !isExcluded(volume.tags, context.policy),
    )
    .map((volume) => {
      const baselineIops = gp2BaselineIops(volume.size_gib);
      const gp3Iops = Math.max(GP3_FREE_IOPS, baselineIops);
      const needsExtraIops = gp3Iops > GP3_FREE_IOPS;
      const gp2Throughput = gp2MaxThroughputMibps(volume.size_gib);
      const after: AwsVolume = {
        ...volume,
        volume_type: 'gp3',
        iops: gp3Iops,
        throughput_mibps: GP3_FREE_THROUGHPUT_MIBPS,
      };
      return draft(context, {
        rule_id: 'aws.ebs.gp2_to_gp3',
        resource_type: 'ebs_volume',
        resource_id: volume.volume_id,
        resource_name: nameOf(volume.tags, volume.volume_id),
        title: `EBS volume ${volume.volume_id} can move from gp2 to gp3`,
        details:
          `The ${volume.size_gib} GiB gp2 volume would cost less as gp3, which includes ` +
          `${formatCount(GP3_FREE_IOPS)} IOPS and ${GP3_FREE_THROUGHPUT_MIBPS} MiB/s at a lower ` +
          'rate per GiB; the change is online.' +
          (needsExtraIops
            ? ` Its gp2 baseline is ${formatCount(baselineIops)} IOPS, so the saving shown is ` +
              `net of the ${formatCount(gp3Iops - GP3_FREE_IOPS)} IOPS gp3 bills above the ` +
              'included ones.'
            : ''),
        evidence: {
          ...volumeEvidence(volume),
          gp2_baseline_iops: baselineIops,
          gp2_max_throughput_mibps: gp2Throughput,
          gp3_iops_priced: gp3Iops,
          gp3_throughput_mibps_priced: GP3_FREE_THROUGHPUT_MIBPS,
        },
        action_type: 'RIGHTSIZE',
        recommendation:
          (needsExtraIops
            ? `Modify the volume to gp3 with ${formatCount(gp3Iops)} IOPS to keep gp2's ` +
              'baseline (the saving shown already pays for them).'
            : 'Modify the volume to gp3; its gp2 IOPS baseline fits within what gp3 includes.') +
          (gp2Throughput >= GP2_HIGH_THROUGHPUT_MIBPS
            ? ` gp2 lets this volume reach ${gp2Throughput} MiB/s; if the workload needs more ` +
              `than ${GP3_FREE_THROUGHPUT_MIBPS} MiB/s, add --throughput ${gp2Throughput}, ` +
              'which gp3 bills per MiB/s above the included amount and the saving shown ' +
              'does not include.'
            : ''),
        fix_command: awsCli(
          context,
          'modify-volume',
          '--volume-id',
          volume.volume_id,
          '--volume-type',
          'gp3',
          ...(needsExtraIops ? ['--iops', String(gp3Iops)] : []),
        ),
        confidence: needsExtraIops ? 'medium' : 'high',
        usage: [storageAt(volume, 'gp2')],
        usage_after: volumeUsage(after),
        fingerprint: fingerprintOf(volume.volume_id, volume.size_gib, volume.volume_type),
      });
    });
}

/** The API fields of a volume that findings show. */
export function volumeEvidence(volume: AwsVolume): Record<string, unknown> {
  return {
    VolumeId: volume.volume_id,
    State: volume.state,
    Size: volume.size_gib,
    VolumeType: volume.volume_type,
    ...(volume.iops !== undefined ? { Iops: volume.iops } : {}),
    ...(volume.throughput_mibps !== undefined ? { Throughput: volume.throughput_mibps } : {}),
    CreateTime: volume.create_time ?? null,
    SnapshotId: volume.snapshot_id ?? null,
    AvailabilityZone: volume.availability_zone ?? null,
  };
}

/** A note in the evidence when the volume's type has no price of its own. */
export function priceNote(volume: AwsVolume): Record<string, unknown> {
  return isKnownVolumeType(volume.volume_type)
    ? {}
    : {
        price_note:
          `volume type "${volume.volume_type}" is not in the price table; ` +
          'priced at the gp2 rate',
      };
}

function storageAt(volume: AwsVolume, type: 'gp2' | 'gp3'): Usage {
  return { kind: 'storage', sku: ebsSku(type), gib: volume.size_gib, medium: 'ssd' };
}

/** gp2 delivers 3 IOPS per GiB, at least 100 and at most 16,000. */
function gp2BaselineIops(sizeGib: number): number {
  return Math.min(16000, Math.max(100, 3 * sizeGib));
}

/** gp2's throughput ceiling above 170 GiB (sustained from 334 GiB, with burst credits below). */
const GP2_HIGH_THROUGHPUT_MIBPS = 250;

/** gp2's throughput ceiling: 128 MiB/s up to 170 GiB, about what gp3 includes; 250 above. */
function gp2MaxThroughputMibps(sizeGib: number): number {
  return sizeGib <= 170 ? 128 : GP2_HIGH_THROUGHPUT_MIBPS;
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
