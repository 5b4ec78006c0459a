/**
 * The normalized inventory of one AWS region: only the fields the rules read, tags as a record,
 * times as RFC 3339 strings. The collector builds it from EC2 describe calls; the demo cloud and
 * the rule tests build it by hand.
 */
export interface AwsRegionInventory {
  volumes: AwsVolume[];
  instances: AwsInstance[];
  addresses: AwsAddress[];
  snapshots: AwsSnapshot[];
  images: AwsImage[];
  launch_template_versions: AwsLaunchTemplateVersion[];
  nat_gateways: AwsNatGateway[];
  route_tables: AwsRouteTable[];
  network_interfaces: AwsNetworkInterface[];
}

/** An EBS volume (DescribeVolumes). */
export interface AwsVolume {
  volume_id: string;
  size_gib: number;
  /** `VolumeType`: gp2, gp3, io1, io2, st1, sc1, standard, or a type newer than this code. */
  volume_type: string;
  /** `State`: creating, available, in-use, deleting, deleted, error. */
  state: string;
  create_time?: string;
  iops?: number;
  throughput_mibps?: number;
  snapshot_id?: string;
  availability_zone?: string;
  attachments: { instance_id: string; state: string }[];
  tags: Record<string, string>;
}

/** An EC2 instance (DescribeInstances), terminated ones left out. */
export interface AwsInstance {
  instance_id: string;
  instance_type: string;
  /** `State.Name`: pending, running, stopping, stopped, shutting-down. */
  state: string;
  /** `StateTransitionReason`, e.g. "User initiated (2024-01-15 10:30:00 GMT)". */
  state_transition_reason?: string;
  launch_time?: string;
  image_id?: string;
  /** `PublicIpAddress`: on a stopped instance only an Elastic IP keeps one. */
  public_ip?: string;
  /** EBS volume ids from the block device mappings. */
  volume_ids: string[];
  tags: Record<string, string>;
}

/** An Elastic IP address (DescribeAddresses). */
export interface AwsAddress {
  public_ip: string;
  allocation_id?: string;
  association_id?: string;
  instance_id?: string;
  network_interface_id?: string;
  domain?: string;
  tags: Record<string, string>;
}

/** An EBS snapshot owned by the account (DescribeSnapshots, OwnerIds self). */
export interface AwsSnapshot {
  snapshot_id: string;
  /** The source volume; copies carry the placeholder `vol-ffffffff`. */
  volume_id?: string;
  volume_size_gib: number;
  /** `State`: pending, completed, error, recoverable, recovering. */
  state: string;
  start_time?: string;
  description?: string;
  /** `StorageTier`: standard or archive. */
  storage_tier?: string;
  tags: Record<string, string>;
}

/** An image owned by the account, disabled ones included (DescribeImages). */
export interface AwsImage {
  image_id: string;
  name?: string;
  /** `State`: available, pending, failed, disabled, … */
  state: string;
  creation_date?: string;
  last_launched_time?: string;
  /** Snapshots behind the image's EBS block device mappings. */
  snapshot_ids: string[];
  tags: Record<string, string>;
}

/** One version of a launch template (DescribeLaunchTemplateVersions). */
export interface AwsLaunchTemplateVersion {
  launch_template_id: string;
  launch_template_name?: string;
  version_number: number;
  image_id?: string;
  snapshot_ids: string[];
}

/** A NAT gateway (DescribeNatGateways). */
export interface AwsNatGateway {
  nat_gateway_id: string;
  /** `State`: pending, failed, available, deleting, deleted. */
  state: string;
  vpc_id?: string;
  subnet_id?: string;
  connectivity_type?: string;
  create_time?: string;
  public_ips: string[];
  tags: Record<string, string>;
}

/** A route table, reduced to the NAT gateways its routes point at (DescribeRouteTables). */
export interface AwsRouteTable {
  route_table_id: string;
  vpc_id?: string;
  nat_gateway_ids: string[];
}

/** A network interface (DescribeNetworkInterfaces). */
export interface AwsNetworkInterface {
  network_interface_id: string;
  /** `Status`: available, associated, attaching, in-use, detaching. */
  status: string;
  interface_type?: string;
  description?: string;
  /** Public IPv4 addresses associated with any of the interface's private addresses. */
  public_ips: { public_ip: string; allocation_id?: string; association_id?: string }[];
  attached_instance_id?: string;
  tags: Record<string, string>;
}

/** An empty region, the starting point for hand-built inventories. */
export function emptyAwsRegionInventory(): AwsRegionInventory {
  return {
    volumes: [],
    instances: [],
    addresses: [],
    snapshots: [],
    images: [],
    launch_template_versions: [],
    nat_gateways: [],
    route_tables: [],
    network_interfaces: [],
  };
}

/** Billable resources looked at; route tables and launch templates are only references. */
export function countAwsResources(inventory: AwsRegionInventory): number {
  return (
    inventory.volumes.length +
    inventory.instances.length +
    inventory.addresses.length +
    inventory.snapshots.length +
    inventory.images.length +
    inventory.nat_gateways.length +
    inventory.network_interfaces.length
  );
}
