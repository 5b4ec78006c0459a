import type {
  Address,
  Image,
  Instance,
  LaunchTemplateVersion,
  NatGateway,
  NetworkInterface,
  Reservation,
  RouteTable,
  Snapshot,
  Tag,
  Volume,
} from '@aws-sdk/client-ec2';
import type {
  AwsImage,
  AwsInstance,
  AwsLaunchTemplateVersion,
  AwsNatGateway,
  AwsNetworkInterface,
  AwsRegionInventory,
  AwsSnapshot,
  AwsVolume,
} from '../../rules/aws';

/** What the collector gathers from one region, as the SDK returns it. */
export interface AwsRawRegion {
  volumes: Volume[];
  reservations: Reservation[];
  addresses: Address[];
  snapshots: Snapshot[];
  images: Image[];
  launch_template_versions: LaunchTemplateVersion[];
  nat_gateways: NatGateway[];
  route_tables: RouteTable[];
  network_interfaces: NetworkInterface[];
}

/** Reduces SDK describe results to the rules' inventory; items without an id are dropped. */
export function normalizeAwsRegion(raw: AwsRawRegion): AwsRegionInventory {
  return {
    volumes: raw.volumes.flatMap(toVolume),
    instances: raw.reservations.flatMap((r) => r.Instances ?? []).flatMap(toInstance),
    addresses: raw.addresses.flatMap((address) =>
      address.PublicIp
        ? [
            {
              public_ip: address.PublicIp,
              allocation_id: address.AllocationId,
              association_id: address.AssociationId,
              instance_id: address.InstanceId || undefined,
              network_interface_id: address.NetworkInterfaceId,
              domain: address.Domain,
              tags: tagsOf(address.Tags),
            },
          ]
        : [],
    ),
    snapshots: raw.snapshots.flatMap(toSnapshot),
    images: raw.images.flatMap(toImage),
    launch_template_versions: raw.launch_template_versions.flatMap(toTemplateVersion),
    nat_gateways: raw.nat_gateways.flatMap(toNatGateway),
    route_tables: raw.route_tables.flatMap((table) =>
      table.RouteTableId
        ? [
            {
              route_table_id: table.RouteTableId,
              vpc_id: table.VpcId,
              nat_gateway_ids: (table.Routes ?? []).flatMap((route) =>
                route.NatGatewayId ? [route.NatGatewayId] : [],
              ),
            },
          ]
        : [],
    ),
    network_interfaces: raw.network_interfaces.flatMap(toNetworkInterface),
  };
}

function toVolume(volume: Volume): AwsVolume[] {
  if (!volume.VolumeId) return [];
  return [
    {
      volume_id: volume.VolumeId,
      size_gib: volume.Size ?? 0,
      volume_type: volume.VolumeType ?? 'standard',
      state: volume.State ?? 'unknown',
      create_time: isoOf(volume.CreateTime),
      iops: volume.Iops,
      throughput_mibps: volume.Throughput,
      snapshot_id: volume.SnapshotId || undefined,
      availability_zone: volume.AvailabilityZone,
      attachments: (volume.Attachments ?? []).flatMap((a) =>
        a.InstanceId ? [{ instance_id: a.InstanceId, state: a.State ?? 'attached' }] : [],
      ),
      tags: tagsOf(volume.Tags),
    },
  ];
}

/** Terminated instances linger in DescribeInstances for an hour and own nothing any more. */
const GONE_INSTANCE_STATES = new Set(['terminated', 'shutting-down']);

function toInstance(instance: Instance): AwsInstance[] {
  const state = instance.State?.Name ?? 'unknown';
  if (!instance.InstanceId || GONE_INSTANCE_STATES.has(state)) return [];
  return [
    {
      instance_id: instance.InstanceId,
      instance_type: instance.InstanceType ?? 'unknown',
      state,
      state_transition_reason: instance.StateTransitionReason || undefined,
      launch_time: isoOf(instance.LaunchTime),
      image_id: instance.ImageId,
      public_ip: instance.PublicIpAddress,
      volume_ids: (instance.BlockDeviceMappings ?? []).flatMap((m) =>
        m.Ebs?.VolumeId ? [m.Ebs.VolumeId] : [],
      ),
      tags: tagsOf(instance.Tags),
    },
  ];
}

function toSnapshot(snapshot: Snapshot): AwsSnapshot[] {
  if (!snapshot.SnapshotId) return [];
  return [
    {
      snapshot_id: snapshot.SnapshotId,
      volume_id: snapshot.VolumeId || undefined,
      volume_size_gib: snapshot.VolumeSize ?? 0,
      state: snapshot.State ?? 'unknown',
      start_time: isoOf(snapshot.StartTime),
      description: snapshot.Description || undefined,
      storage_tier: snapshot.StorageTier,
      tags: tagsOf(snapshot.Tags),
    },
  ];
}

function toImage(image: Image): AwsImage[] {
  if (!image.ImageId) return [];
  return [
    {
      image_id: image.ImageId,
      name: image.Name,
      state: image.State ?? 'unknown',
      creation_date: image.CreationDate,
      last_launched_time: image.LastLaunchedTime,
      snapshot_ids: (image.BlockDeviceMappings ?? []).flatMap((m) =>
        m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : [],
      ),
      tags: tagsOf(image.Tags),
    },
  ];
}

function toTemplateVersion(version: LaunchTemplateVersion): AwsLaunchTemplateVersion[] {
  if (!version.LaunchTemplateId) return [];
  const data = version.LaunchTemplateData;
  return [
    {
      launch_template_id: version.LaunchTemplateId,
      launch_template_name: version.LaunchTemplateName,
      version_number: version.VersionNumber ?? 0,
      image_id: data?.ImageId,
      snapshot_ids: (data?.BlockDeviceMappings ?? []).flatMap((m) =>
        m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : [],
      ),
    },
  ];
}

function toNatGateway(nat: NatGateway): AwsNatGateway[] {
  if (!nat.NatGatewayId) return [];
  return [
    {
      nat_gateway_id: nat.NatGatewayId,
      state: nat.State ?? 'unknown',
      vpc_id: nat.VpcId,
      subnet_id: nat.SubnetId,
      connectivity_type: nat.ConnectivityType,
      create_time: isoOf(nat.CreateTime),
      public_ips: (nat.NatGatewayAddresses ?? []).flatMap((a) => (a.PublicIp ? [a.PublicIp] : [])),
      tags: tagsOf(nat.Tags),
    },
  ];
}

function toNetworkInterface(eni: NetworkInterface): AwsNetworkInterface[] {
  if (!eni.NetworkInterfaceId) return [];
  const byIp = new Map<string, AwsNetworkInterface['public_ips'][number]>();
  const associations = [
    eni.Association,
    ...(eni.PrivateIpAddresses ?? []).map((p) => p.Association),
  ];
  for (const association of associations) {
    if (!association?.PublicIp) continue;
    byIp.set(association.PublicIp, {
      public_ip: association.PublicIp,
      allocation_id: association.AllocationId || byIp.get(association.PublicIp)?.allocation_id,
      association_id: association.AssociationId || byIp.get(association.PublicIp)?.association_id,
    });
  }
  return [
    {
      network_interface_id: eni.NetworkInterfaceId,
      status: eni.Status ?? 'unknown',
      interface_type: eni.InterfaceType,
      description: eni.Description || undefined,
      public_ips: [...byIp.values()],
      attached_instance_id: eni.Attachment?.InstanceId || undefined,
      tags: tagsOf(eni.TagSet),
    },
  ];
}

function tagsOf(tags: Tag[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? '';
  }
  return record;
}

function isoOf(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
