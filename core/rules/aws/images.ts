import { isExcluded, type FindingDraft } from '../../model';
import type { AwsImage } from './inventory';
import { snapshotUsage } from './snapshots';
import {
  awsCli,
  compare,
  daysSince,
  draft,
  fingerprintOf,
  isOlderThanDays,
  nameOf,
  type AwsRegionIndex,
} from './shared';

/** Image states that still bill their snapshots. */
const BILLED_IMAGE_STATES = new Set(['available', 'disabled']);

/**
 * `aws.ami.unused`: an owned image older than `ami_age_days` that no instance runs, no launch
 * template version launches and nothing launched within `ami_age_days`. An image referenced only
 * by a launch template is in use. Its cost is the snapshots behind it.
 */
export function findUnusedImages(index: AwsRegionIndex): FindingDraft[] {
  const { context } = index;
  const snapshotsById = new Map(index.inventory.snapshots.map((s) => [s.snapshot_id, s]));
  const drafts: FindingDraft[] = [];
  const images = [...index.inventory.images].sort((a, b) => compare(a.image_id, b.image_id));
  for (const image of images) {
    if (!BILLED_IMAGE_STATES.has(image.state) || isExcluded(image.tags, context.policy)) continue;
    if (!isUnused(index, image)) continue;
    const ageDays = daysSince(image.creation_date, context.now) as number;
    // One basis for title and evidence: the last launch when EC2 recorded one, else creation.
    const lastLaunchDays = daysSince(image.last_launched_time, context.now);
    const idle =
      lastLaunchDays === undefined
        ? { days: ageDays, basis: 'CreationDate' as const }
        : { days: lastLaunchDays, basis: 'LastLaunchedTime' as const };
    const snapshots = image.snapshot_ids.flatMap((id) => {
      const snapshot = snapshotsById.get(id);
      return snapshot ? [snapshot] : [];
    });
    drafts.push(
      draft(context, {
        rule_id: 'aws.ami.unused',
        resource_type: 'ami',
        resource_id: image.image_id,
        resource_name: image.name || nameOf(image.tags, image.image_id),
        title:
          idle.basis === 'LastLaunchedTime'
            ? `AMI ${image.image_id} not launched for ${idle.days} days`
            : `AMI ${image.image_id} has no recorded launch in its ${idle.days} days`,
        details:
          (idle.basis === 'LastLaunchedTime'
            ? `The image was last launched ${idle.days} days ago (LastLaunchedTime ` +
              `${image.last_launched_time}) and is ${ageDays} days old`
            : `The image has no recorded launch (no LastLaunchedTime) and is ${ageDays} days old`) +
          '; no instance runs it and no launch template version launches it. ' +
          `Its ${image.snapshot_ids.length} snapshot(s) are billed while it exists.`,
        evidence: {
          ImageId: image.image_id,
          Name: image.name ?? null,
          State: image.state,
          CreationDate: image.creation_date ?? null,
          LastLaunchedTime: image.last_launched_time ?? null,
          age_days: ageDays,
          unused_days: idle.days,
          unused_days_basis: idle.basis,
          used_by_instances: 0,
          used_by_launch_templates: 0,
          snapshots: snapshots.map((s) => ({
            SnapshotId: s.snapshot_id,
            VolumeSize: s.volume_size_gib,
          })),
          size_is_upper_bound: true,
        },
        action_type: 'DELETE',
        recommendation:
          'Deregister the image and delete its snapshots if no one launches it any more.',
        fix_command: [
          awsCli(context, 'deregister-image', '--image-id', image.image_id),
          ...image.snapshot_ids.map((id) =>
            awsCli(context, 'delete-snapshot', '--snapshot-id', id),
          ),
        ].join(' && '),
        confidence: 'high',
        usage: snapshots.map(snapshotUsage),
        fingerprint: fingerprintOf(
          image.image_id,
          image.state,
          [...image.snapshot_ids].sort(compare).join(','),
        ),
      }),
    );
  }
  return drafts;
}

function isUnused(index: AwsRegionIndex, image: AwsImage): boolean {
  const { now, policy } = index.context;
  if (!isOlderThanDays(image.creation_date, policy.ami_age_days, now)) return false;
  if (index.image_ids_used_by_instances.has(image.image_id)) return false;
  if (index.image_template_refs.has(image.image_id)) return false;
  // An image never launched has no LastLaunchedTime.
  return !isRecent(image.last_launched_time, policy.ami_age_days, now);
}

function isRecent(iso: string | undefined, days: number, now: Date): boolean {
  return daysSince(iso, now) !== undefined && !isOlderThanDays(iso, days, now);
}
