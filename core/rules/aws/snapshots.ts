import { isExcluded, type FindingDraft, type Usage } from '../../model';
import type { AwsSnapshot } from './inventory';
import {
  awsCli,
  compare,
  daysSince,
  draft,
  fingerprintOf,
  isAwsBackupSnapshot,
  isInGracePeriod,
  isOlderThanDays,
  nameOf,
  PLACEHOLDER_VOLUME_ID,
  type AwsRegionIndex,
} from './shared';

const UPPER_BOUND_NOTE =
  'EBS snapshots are incremental: the billed size is at most the source volume size shown here, ' +
  'so the cost is an upper bound.';

/**
 * `aws.snapshot.orphaned`: a completed snapshot whose source volume is gone and which no image
 * (disabled ones included) and no launch template references. Copies carry the placeholder
 * volume id, which never exists: they are judged by references alone, at medium confidence.
 * Snapshots made by AWS Backup are left to their backup plan.
 */
export function findOrphanedSnapshots(index: AwsRegionIndex): FindingDraft[] {
  const { context } = index;
  const drafts: FindingDraft[] = [];
  for (const snapshot of candidates(index)) {
    if (!isOrphaned(index, snapshot) || isInGracePeriod(snapshot.start_time, context)) continue;
    const isCopy = isPlaceholder(snapshot);
    drafts.push(
      draft(context, {
        rule_id: 'aws.snapshot.orphaned',
        resource_type: 'ebs_snapshot',
        resource_id: snapshot.snapshot_id,
        resource_name: nameOf(snapshot.tags, snapshot.snapshot_id),
        title: `Orphaned EBS snapshot ${snapshot.snapshot_id} (${snapshot.volume_size_gib} GiB)`,
        details: isCopy
          ? 'The snapshot is a copy (its volume id is the placeholder vol-ffffffff) and no image ' +
            'or launch template references it.'
          : (snapshot.volume_id
              ? `Its source volume ${snapshot.volume_id} no longer exists`
              : 'It records no source volume') + ' and no image or launch template references it.',
        evidence: {
          ...snapshotEvidence(index, snapshot),
          volume_exists: false,
          placeholder_volume_id: isCopy,
          referenced_by: [],
          size_is_upper_bound: true,
          price_note: UPPER_BOUND_NOTE,
        },
        action_type: 'DELETE',
        recommendation:
          'Delete the snapshot unless it is kept on purpose (a manual backup or a copy for ' +
          'another region); tag kept snapshots with an excluded tag.',
        fix_command: awsCli(context, 'delete-snapshot', '--snapshot-id', snapshot.snapshot_id),
        confidence: isCopy ? 'medium' : 'high',
        usage: [snapshotUsage(snapshot)],
        fingerprint: snapshotFingerprint(snapshot),
      }),
    );
  }
  return drafts;
}

/**
 * `aws.snapshot.old`: an unreferenced snapshot older than `snapshot_age_days` whose source volume
 * still exists (an orphaned one is reported by the rule above). Already archived snapshots are
 * skipped: archiving is what this finding recommends.
 */
export function findOldSnapshots(index: AwsRegionIndex): FindingDraft[] {
  const { context } = index;
  const drafts: FindingDraft[] = [];
  for (const snapshot of candidates(index)) {
    if (isOrphaned(index, snapshot) || snapshot.storage_tier === 'archive') continue;
    if (!isOlderThanDays(snapshot.start_time, context.policy.snapshot_age_days, context.now)) {
      continue;
    }
    const ageDays = daysSince(snapshot.start_time, context.now) as number;
    drafts.push(
      draft(context, {
        rule_id: 'aws.snapshot.old',
        resource_type: 'ebs_snapshot',
        resource_id: snapshot.snapshot_id,
        resource_name: nameOf(snapshot.tags, snapshot.snapshot_id),
        title: `EBS snapshot ${snapshot.snapshot_id} is ${ageDays} days old`,
        details:
          `The snapshot of ${snapshot.volume_id} is older than ` +
          `${context.policy.snapshot_age_days} days and no image or launch template references it.`,
        evidence: {
          ...snapshotEvidence(index, snapshot),
          age_days: ageDays,
          volume_exists: true,
          referenced_by: [],
          size_is_upper_bound: true,
          price_note: UPPER_BOUND_NOTE,
        },
        action_type: 'ARCHIVE',
        recommendation:
          'Move the snapshot to the archive tier if it must be kept (75% cheaper per GiB, ' +
          'restores take hours and it is billed for at least 90 days), or delete it.',
        fix_command: awsCli(
          context,
          'modify-snapshot-tier',
          '--snapshot-id',
          snapshot.snapshot_id,
          '--storage-tier',
          'archive',
        ),
        confidence: 'medium',
        usage: [snapshotUsage(snapshot)],
        fingerprint: snapshotFingerprint(snapshot),
      }),
    );
  }
  return drafts;
}

function candidates(index: AwsRegionIndex): AwsSnapshot[] {
  const { policy } = index.context;
  return index.inventory.snapshots
    .filter(
      (snapshot) =>
        snapshot.state === 'completed' &&
        !isAwsBackupSnapshot(snapshot) &&
        !isExcluded(snapshot.tags, policy) &&
        !index.snapshot_refs.has(snapshot.snapshot_id),
    )
    .sort((a, b) => compare(a.snapshot_id, b.snapshot_id));
}

function isOrphaned(index: AwsRegionIndex, snapshot: AwsSnapshot): boolean {
  if (isPlaceholder(snapshot)) return true;
  return !index.volumes_by_id.has(snapshot.volume_id as string);
}

function isPlaceholder(snapshot: AwsSnapshot): boolean {
  return !snapshot.volume_id || snapshot.volume_id === PLACEHOLDER_VOLUME_ID;
}

/** The snapshot's billed usage: its volume size at the rate of the tier it sits in. */
export function snapshotUsage(snapshot: AwsSnapshot): Usage {
  return {
    kind: 'snapshot',
    sku: `snapshot:${snapshot.storage_tier || 'standard'}`,
    gib: snapshot.volume_size_gib,
  };
}

function snapshotEvidence(index: AwsRegionIndex, snapshot: AwsSnapshot): Record<string, unknown> {
  return {
    SnapshotId: snapshot.snapshot_id,
    VolumeId: snapshot.volume_id ?? null,
    VolumeSize: snapshot.volume_size_gib,
    State: snapshot.state,
    StartTime: snapshot.start_time ?? null,
    StorageTier: snapshot.storage_tier ?? 'standard',
    Description: snapshot.description ?? null,
    images_checked: index.inventory.images.length,
    launch_template_versions_checked: index.inventory.launch_template_versions.length,
  };
}

function snapshotFingerprint(snapshot: AwsSnapshot): string {
  return fingerprintOf(
    snapshot.snapshot_id,
    snapshot.volume_size_gib,
    snapshot.state,
    snapshot.storage_tier ?? 'standard',
  );
}
