import type { FindingDraft, ScanPolicy } from '../model';
import { findUnusedImages } from './aws/images';
import { findPublicIpv4OnStopped, findStoppedInstances } from './aws/instances';
import type { AwsRegionInventory } from './aws/inventory';
import {
  findIdleInterfacesWithPublicIps,
  findUnassociatedAddresses,
  findUnusedNatGateways,
} from './aws/network';
import { indexRegion, type AwsRegionIndex } from './aws/shared';
import { findOldSnapshots, findOrphanedSnapshots } from './aws/snapshots';
import {
  findGp2Volumes,
  findUnattachedVolumes,
  findVolumesOnStoppedInstances,
} from './aws/volumes';

export type {
  AwsAddress,
  AwsImage,
  AwsInstance,
  AwsLaunchTemplateVersion,
  AwsNatGateway,
  AwsNetworkInterface,
  AwsRegionInventory,
  AwsRouteTable,
  AwsSnapshot,
  AwsVolume,
} from './aws/inventory';
export { emptyAwsRegionInventory } from './aws/inventory';

/** The AWS rules in RULES.md order, each a pure function of the region's index. */
export const AWS_RULES: { id: string; evaluate: (index: AwsRegionIndex) => FindingDraft[] }[] = [
  { id: 'aws.ebs.unattached', evaluate: findUnattachedVolumes },
  { id: 'aws.ebs.on_stopped_instance', evaluate: findVolumesOnStoppedInstances },
  { id: 'aws.ebs.gp2_to_gp3', evaluate: findGp2Volumes },
  { id: 'aws.ec2.stopped', evaluate: findStoppedInstances },
  { id: 'aws.eip.unassociated', evaluate: findUnassociatedAddresses },
  { id: 'aws.snapshot.orphaned', evaluate: findOrphanedSnapshots },
  { id: 'aws.snapshot.old', evaluate: findOldSnapshots },
  { id: 'aws.ami.unused', evaluate: findUnusedImages },
  { id: 'aws.nat.unused', evaluate: findUnusedNatGateways },
  { id: 'aws.eni.public_ip_unused', evaluate: findIdleInterfacesWithPublicIps },
  { id: 'aws.ipv4.public_on_stopped', evaluate: findPublicIpv4OnStopped },
];

/**
 * Every AWS waste rule over one region's inventory. Pure: the same inventory, policy and clock
 * give the same drafts, in rule order. Excluded tags are honoured by each rule.
 */
export function evaluateAwsRules(
  inventory: AwsRegionInventory,
  context: { account_id: string; region: string; policy: ScanPolicy; now: Date },
): FindingDraft[] {
  const index = indexRegion(inventory, context);
  return AWS_RULES.flatMap((rule) => rule.evaluate(index));
}
