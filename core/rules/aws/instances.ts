import { isExcluded, type FindingDraft } from '../../model';
import {
  awsCli,
  compare,
  draft,
  fingerprintOf,
  nameOf,
  publicIpsOfInstance,
  publicIpv4Usage,
  volumeUsage,
  volumesOfInstance,
  type AwsRegionIndex,
  type HeldPublicIp,
  type StoppedInstance,
} from './shared';

/** Public IPv4 addresses are billed hourly, in use or idle, from this date on. */
const IPV4_BILLED_SINCE = '2024-02-01';

/**
 * `aws.ec2.stopped`: an instance stopped for more than `stopped_instance_days`, or stopped since
 * an unknown time (reported at low confidence). A stopped instance bills no compute; its waste is
 * the EBS volumes it keeps and the public IPv4 addresses it holds.
 */
export function findStoppedInstances(index: AwsRegionIndex): FindingDraft[] {
  const { context } = index;
  const drafts: FindingDraft[] = [];
  for (const id of [...index.reported_stopped].sort(compare)) {
    const entry = index.stopped.get(id) as StoppedInstance;
    const { instance } = entry;
    const owned = volumesOfInstance(index, instance).filter(
      (volume) => index.stopped_owner.get(volume.volume_id) === instance.instance_id,
    );
    const ips = publicIpsOfInstance(index, instance);
    const since =
      entry.stopped_days === undefined ? 'an unknown time' : `${entry.stopped_days} days`;
    const keepImage = awsCli(
      context,
      'create-image',
      '--instance-id',
      instance.instance_id,
      '--name',
      `cws-keep-${instance.instance_id}`,
    );
    drafts.push(
      draft(context, {
        rule_id: 'aws.ec2.stopped',
        resource_type: 'ec2_instance',
        resource_id: instance.instance_id,
        resource_name: nameOf(instance.tags, instance.instance_id),
        title:
          entry.stopped_days === undefined
            ? `EC2 instance ${instance.instance_id} has been stopped for an unknown time`
            : `EC2 instance ${instance.instance_id} has been stopped for ${entry.stopped_days} days`,
        details:
          `The ${instance.instance_type} instance has been stopped for ${since}. Its compute ` +
          `is not billed${stillBilled(owned.length, ips.length)}.`,
        evidence: {
          InstanceId: instance.instance_id,
          InstanceType: instance.instance_type,
          State: instance.state,
          StateTransitionReason: instance.state_transition_reason ?? null,
          LaunchTime: instance.launch_time ?? null,
          stopped_since: entry.stopped_at?.toISOString() ?? 'unknown',
          stopped_days: entry.stopped_days ?? 'unknown',
          volumes: owned.map((v) => ({
            VolumeId: v.volume_id,
            Size: v.size_gib,
            VolumeType: v.volume_type,
          })),
          public_ips: ips.map(ipEvidence),
          compute_billed: false,
        },
        action_type: 'REVIEW',
        recommendation:
          `If the instance is no longer needed, keep an image of it (${keepImage}) and ` +
          'terminate it; release its Elastic IPs too.',
        fix_command: awsCli(context, 'terminate-instances', '--instance-ids', instance.instance_id),
        confidence: entry.stopped_days === undefined ? 'low' : 'high',
        usage: [...owned.flatMap(volumeUsage), ...publicIpv4Usage(ips.length)],
        fingerprint: fingerprintOf(
          instance.instance_id,
          instance.instance_type,
          instance.state,
          instance.state_transition_reason,
          owned.map((v) => `${v.volume_id}:${v.size_gib}`).join(','),
          ips.map((ip) => ip.public_ip).join(','),
        ),
      }),
    );
  }
  return drafts;
}

/**
 * `aws.ipv4.public_on_stopped`: a stopped instance holding public IPv4 addresses, billed hourly
 * since 2024-02-01. When `aws.ec2.stopped` reports the instance, that finding carries the cost.
 */
export function findPublicIpv4OnStopped(index: AwsRegionIndex): FindingDraft[] {
  const { context } = index;
  const drafts: FindingDraft[] = [];
  for (const [id, entry] of [...index.stopped].sort(([a], [b]) => compare(a, b))) {
    const { instance } = entry;
    if (isExcluded(instance.tags, context.policy)) continue;
    if (stoppedWithinGrace(entry, index)) continue;
    const ips = publicIpsOfInstance(index, instance);
    if (ips.length === 0) continue;
    const countedElsewhere = index.reported_stopped.has(id);
    drafts.push(
      draft(context, {
        rule_id: 'aws.ipv4.public_on_stopped',
        resource_type: 'ec2_instance',
        resource_id: instance.instance_id,
        resource_name: nameOf(instance.tags, instance.instance_id),
        title:
          `Stopped instance ${instance.instance_id} holds ` +
          `${ips.length} public IPv4 address(es)`,
        details:
          `Public IPv4 addresses have been billed by the hour since ${IPV4_BILLED_SINCE}, ` +
          'including while the instance that holds them is stopped.',
        evidence: {
          InstanceId: instance.instance_id,
          State: instance.state,
          StateTransitionReason: instance.state_transition_reason ?? null,
          stopped_days: entry.stopped_days ?? 'unknown',
          public_ips: ips.map(ipEvidence),
          billed_since: IPV4_BILLED_SINCE,
          ...(countedElsewhere
            ? { cost_counted_in: { rule_id: 'aws.ec2.stopped', resource_id: instance.instance_id } }
            : {}),
        },
        action_type: 'REVIEW',
        recommendation:
          'Release the Elastic IPs the stopped instance does not need, or start using the ' +
          'instance again.',
        fix_command: releaseCommands(index, ips),
        confidence: 'high',
        usage: countedElsewhere ? [] : publicIpv4Usage(ips.length),
        fingerprint: fingerprintOf(
          instance.instance_id,
          instance.state,
          ips.map((ip) => ip.public_ip).join(','),
        ),
      }),
    );
  }
  return drafts;
}

function stoppedWithinGrace(entry: StoppedInstance, index: AwsRegionIndex): boolean {
  if (!entry.stopped_at) return false;
  const hours = (index.context.now.getTime() - entry.stopped_at.getTime()) / 3_600_000;
  return hours < index.context.policy.grace_period_hours;
}

function releaseCommands(index: AwsRegionIndex, ips: HeldPublicIp[]): string | undefined {
  const elastic = ips.filter((ip) => ip.allocation_id);
  if (elastic.length === 0) return undefined;
  return elastic
    .flatMap((ip) => [
      ...(ip.association_id
        ? [awsCli(index.context, 'disassociate-address', '--association-id', ip.association_id)]
        : []),
      awsCli(index.context, 'release-address', '--allocation-id', ip.allocation_id as string),
    ])
    .join(' && ');
}

function ipEvidence(ip: HeldPublicIp): Record<string, unknown> {
  return {
    PublicIp: ip.public_ip,
    AllocationId: ip.allocation_id ?? null,
    AssociationId: ip.association_id ?? null,
  };
}

/** `, but its 2 EBS volumes and 1 public IPv4 address are still billed`: only what it holds. */
function stillBilled(volumes: number, addresses: number): string {
  const held = [
    plural(volumes, 'EBS volume', 'EBS volumes'),
    plural(addresses, 'public IPv4 address', 'public IPv4 addresses'),
  ].filter((part) => part !== '');
  if (held.length === 0) return '';
  const verb = volumes + addresses === 1 ? 'is' : 'are';
  return `, but its ${held.join(' and ')} ${verb} still billed`;
}

function plural(count: number, one: string, many: string): string {
  return count === 0 ? '' : `${count} ${count === 1 ? one : many}`;
}
