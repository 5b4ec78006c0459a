import {
  emptyAwsRegionInventory,
  type AwsAddress,
  type AwsInstance,
  type AwsRegionInventory,
  type AwsVolume,
} from '../../rules/aws';
import { isoAgo, userStoppedReason } from '../clock';

/** The AWS regions of the demo account, in the order its checks are planned. */
export const DEMO_AWS_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1'] as const;

/**
 * The demo AWS account, one inventory per region, as the collector would normalize it: a busy
 * production region, a smaller European one and a small Asian one. Most resources are healthy;
 * each waste rule fires at least once, and a few look like waste but are not (an Elastic IP held
 * by a NAT gateway, a snapshot behind an image, an image only a launch template uses, an ignored
 * volume, a volume still in its grace period, an AWS Backup recovery point, a plain detached
 * network interface, an instance stopped for days rather than weeks).
 */
export function demoAwsInventory(now: Date): Record<string, AwsRegionInventory> {
  return {
    'us-east-1': usEast1(now),
    'eu-west-1': euWest1(now),
    'ap-southeast-1': apSoutheast1(now),
  };
}

function usEast1(now: Date): AwsRegionInventory {
  const az = 'us-east-1a';
  const golden = 'ami-0c2b8ca1d5e4f1001';
  return {
    ...emptyAwsRegionInventory(),
    instances: [
      running(now, 'i-0a1c3e5f7b9d21001', 'web-frontend-1', 'm5.large', golden, [
        'vol-0e1f2a3b4c5d61001',
      ]),
      running(now, 'i-0a1c3e5f7b9d21002', 'web-frontend-2', 'm5.large', golden, [
        'vol-0e1f2a3b4c5d61002',
      ]),
      running(now, 'i-0a1c3e5f7b9d21003', 'api-server-1', 'm5.xlarge', golden, [
        'vol-0e1f2a3b4c5d61003',
        'vol-0e1f2a3b4c5d61004',
      ]),
      running(now, 'i-0a1c3e5f7b9d21004', 'postgres-primary', 'r5.xlarge', golden, [
        'vol-0e1f2a3b4c5d61005',
        'vol-0e1f2a3b4c5d61006',
      ]),
      running(now, 'i-0a1c3e5f7b9d21005', 'data-warehouse', 'r5.2xlarge', golden, [
        'vol-0e1f2a3b4c5d61007',
        'vol-0e1f2a3b4c5d61008',
      ]),
      {
        ...running(now, 'i-0a1c3e5f7b9d21006', 'bastion', 't3.micro', golden, [
          'vol-0e1f2a3b4c5d61009',
        ]),
        public_ip: '3.91.24.117',
      },
      // Stopped by hand two months ago and forgotten, still holding its disks and an Elastic IP.
      stopped(now, 'i-0a1c3e5f7b9d21007', 'legacy-reporting', 'm5.2xlarge', 64, [
        'vol-0e1f2a3b4c5d61010',
        'vol-0e1f2a3b4c5d61011',
      ]),
      // Stopped last week: not yet waste by the 30-day policy, but its public IPv4 is billed.
      stopped(now, 'i-0a1c3e5f7b9d21008', 'qa-runner', 't3.large', 9, ['vol-0e1f2a3b4c5d61012']),
    ],
    volumes: [
      attached(now, 'vol-0e1f2a3b4c5d61001', 'gp3', 50, 'i-0a1c3e5f7b9d21001', az),
      attached(now, 'vol-0e1f2a3b4c5d61002', 'gp3', 50, 'i-0a1c3e5f7b9d21002', az),
      attached(now, 'vol-0e1f2a3b4c5d61003', 'gp3', 50, 'i-0a1c3e5f7b9d21003', az),
      attached(now, 'vol-0e1f2a3b4c5d61004', 'gp2', 500, 'i-0a1c3e5f7b9d21003', az, 'api-data'),
      attached(now, 'vol-0e1f2a3b4c5d61005', 'gp3', 50, 'i-0a1c3e5f7b9d21004', az),
      {
        ...attached(
          now,
          'vol-0e1f2a3b4c5d61006',
          'io2',
          1000,
          'i-0a1c3e5f7b9d21004',
          az,
          'pg-data',
        ),
        iops: 16000,
      },
      attached(now, 'vol-0e1f2a3b4c5d61007', 'gp3', 100, 'i-0a1c3e5f7b9d21005', az),
      attached(now, 'vol-0e1f2a3b4c5d61008', 'gp2', 2000, 'i-0a1c3e5f7b9d21005', az, 'dw-data'),
      attached(now, 'vol-0e1f2a3b4c5d61009', 'gp3', 8, 'i-0a1c3e5f7b9d21006', az),
      attached(now, 'vol-0e1f2a3b4c5d61010', 'gp2', 100, 'i-0a1c3e5f7b9d21007', az),
      attached(now, 'vol-0e1f2a3b4c5d61011', 'gp2', 500, 'i-0a1c3e5f7b9d21007', az, 'reports'),
      attached(now, 'vol-0e1f2a3b4c5d61012', 'gp3', 30, 'i-0a1c3e5f7b9d21008', az),
      detached(now, 'vol-0e1f2a3b4c5d61013', 'analytics-scratch-2024', 'gp3', 1024, 140, az),
      detached(now, 'vol-0e1f2a3b4c5d61014', 'jenkins-workspace-old', 'gp2', 200, 75, az),
      detached(now, 'vol-0e1f2a3b4c5d61015', 'log-archive-tmp', 'st1', 500, 48, az),
      {
        ...detached(now, 'vol-0e1f2a3b4c5d61016', 'dr-restore-drill', 'gp3', 100, 20, az),
        tags: { Name: 'dr-restore-drill', 'cws:ignore': 'true' },
      },
      {
        ...detached(now, 'vol-0e1f2a3b4c5d61017', 'ci-cache', 'gp3', 20, 0, az),
        create_time: isoAgo(now, { hours: 3 }),
      },
    ],
    addresses: [
      eip('3.91.24.117', 'eipalloc-0d1e2f3a4b5c61001', {
        association_id: 'eipassoc-0f1a2b3c4d5e61001',
        instance_id: 'i-0a1c3e5f7b9d21006',
        network_interface_id: 'eni-0b2c3d4e5f6a71006',
      }),
      eip('52.20.118.9', 'eipalloc-0d1e2f3a4b5c61002', {
        association_id: 'eipassoc-0f1a2b3c4d5e61002',
        instance_id: 'i-0a1c3e5f7b9d21007',
        network_interface_id: 'eni-0b2c3d4e5f6a71007',
      }),
      eip('54.165.7.201', 'eipalloc-0d1e2f3a4b5c61003', {
        association_id: 'eipassoc-0f1a2b3c4d5e61003',
        instance_id: 'i-0a1c3e5f7b9d21008',
        network_interface_id: 'eni-0b2c3d4e5f6a71008',
      }),
      // The NAT gateway's address: associated through its interface, with no instance.
      eip('44.207.61.30', 'eipalloc-0d1e2f3a4b5c61004', {
        association_id: 'eipassoc-0f1a2b3c4d5e61004',
        network_interface_id: 'eni-0b2c3d4e5f6a71020',
        name: 'prod-nat-a',
      }),
      eip('35.172.90.44', 'eipalloc-0d1e2f3a4b5c61005', { name: 'old-vpn-endpoint' }),
      eip('18.208.12.77', 'eipalloc-0d1e2f3a4b5c61006', {
        association_id: 'eipassoc-0f1a2b3c4d5e61006',
        network_interface_id: 'eni-0b2c3d4e5f6a71021',
      }),
    ],
    network_interfaces: [
      {
        network_interface_id: 'eni-0b2c3d4e5f6a71020',
        status: 'in-use',
        interface_type: 'nat_gateway',
        description: 'Interface for NAT Gateway nat-0b1c2d3e4f5a61001',
        public_ips: [
          {
            public_ip: '44.207.61.30',
            allocation_id: 'eipalloc-0d1e2f3a4b5c61004',
            association_id: 'eipassoc-0f1a2b3c4d5e61004',
          },
        ],
        tags: {},
      },
      {
        network_interface_id: 'eni-0b2c3d4e5f6a71021',
        status: 'available',
        interface_type: 'interface',
        description: 'failover address of the decommissioned mail relay',
        public_ips: [
          {
            public_ip: '18.208.12.77',
            allocation_id: 'eipalloc-0d1e2f3a4b5c61006',
            association_id: 'eipassoc-0f1a2b3c4d5e61006',
          },
        ],
        tags: { Name: 'mail-relay-failover' },
      },
      // Detached but holding no public address: free, so not waste.
      {
        network_interface_id: 'eni-0b2c3d4e5f6a71022',
        status: 'available',
        interface_type: 'interface',
        description: 'spare interface for the licence server',
        public_ips: [],
        tags: { Name: 'licence-server-spare' },
      },
    ],
    snapshots: [
      snapshot(now, 'snap-0c4d5e6f7a8b91001', 'vol-0e1f2a3b4c5d61006', 1000, 2, 'nightly pg-data'),
      snapshot(
        now,
        'snap-0c4d5e6f7a8b91002',
        'vol-0e1f2a3b4c5d61006',
        1000,
        150,
        'before postgres 15 upgrade',
      ),
      snapshot(
        now,
        'snap-0c4d5e6f7a8b91003',
        'vol-0a7c6e5d4b3a21999',
        500,
        220,
        'billing-db final copy',
      ),
      snapshot(
        now,
        'snap-0c4d5e6f7a8b91004',
        'vol-ffffffff',
        100,
        60,
        'Copied for DR from eu-west-1',
      ),
      // Behind the golden image that every web server runs: in use.
      snapshot(
        now,
        'snap-0c4d5e6f7a8b91005',
        'vol-0a7c6e5d4b3a21998',
        50,
        200,
        'golden image root',
      ),
      // A recovery point AWS Backup made: its plan owns its lifecycle.
      {
        ...snapshot(
          now,
          'snap-0c4d5e6f7a8b91006',
          'vol-0a7c6e5d4b3a21997',
          250,
          120,
          'This snapshot is created by the AWS Backup service.',
        ),
        tags: { 'aws:backup:source-resource': 'vol-0a7c6e5d4b3a21997' },
      },
      snapshot(
        now,
        'snap-0c4d5e6f7a8b91007',
        'vol-0a7c6e5d4b3a21996',
        30,
        410,
        'reporting v1.2 root',
      ),
    ],
    images: [
      {
        image_id: golden,
        name: 'golden-web-2025-06',
        state: 'available',
        creation_date: isoAgo(now, { days: 200 }),
        last_launched_time: isoAgo(now, { days: 3 }),
        snapshot_ids: ['snap-0c4d5e6f7a8b91005'],
        tags: {},
      },
      {
        image_id: 'ami-0f9e8d7c6b5a41002',
        name: 'reporting-app-v1.2',
        state: 'available',
        creation_date: isoAgo(now, { days: 410 }),
        last_launched_time: isoAgo(now, { days: 380 }),
        snapshot_ids: ['snap-0c4d5e6f7a8b91007'],
        tags: {},
      },
    ],
    launch_template_versions: [
      {
        launch_template_id: 'lt-0a1b2c3d4e5f61001',
        launch_template_name: 'web-frontend-asg',
        version_number: 7,
        image_id: golden,
        snapshot_ids: [],
      },
    ],
    nat_gateways: [
      nat(now, 'nat-0b1c2d3e4f5a61001', 'prod-nat-a', 'vpc-0prod1a2b3c4d5e6', ['44.207.61.30']),
      nat(now, 'nat-0b1c2d3e4f5a61002', 'staging-nat', 'vpc-0stg1a2b3c4d5e6f', ['3.224.18.150']),
    ],
    route_tables: [
      {
        route_table_id: 'rtb-0a9b8c7d6e5f41001',
        vpc_id: 'vpc-0prod1a2b3c4d5e6',
        nat_gateway_ids: ['nat-0b1c2d3e4f5a61001'],
      },
      {
        route_table_id: 'rtb-0a9b8c7d6e5f41002',
        vpc_id: 'vpc-0prod1a2b3c4d5e6',
        nat_gateway_ids: [],
      },
      {
        route_table_id: 'rtb-0a9b8c7d6e5f41003',
        vpc_id: 'vpc-0stg1a2b3c4d5e6f',
        nat_gateway_ids: [],
      },
    ],
  };
}

function euWest1(now: Date): AwsRegionInventory {
  const az = 'eu-west-1b';
  const batchImage = 'ami-0d3e4f5a6b7c82001';
  return {
    ...emptyAwsRegionInventory(),
    instances: [
      running(now, 'i-0b2d4f6a8c0e32001', 'eu-web-1', 'm6i.large', 'ami-0d3e4f5a6b7c82002', [
        'vol-0f2a3b4c5d6e72001',
      ]),
      running(now, 'i-0b2d4f6a8c0e32002', 'eu-worker-1', 'c5.xlarge', 'ami-0d3e4f5a6b7c82002', [
        'vol-0f2a3b4c5d6e72002',
      ]),
      // Shut down from inside the guest: EC2 records no time, so its age is unknown.
      {
        instance_id: 'i-0b2d4f6a8c0e32003',
        instance_type: 'm5.4xlarge',
        state: 'stopped',
        state_transition_reason: 'Client.InstanceInitiatedShutdown: Instance initiated shutdown',
        launch_time: isoAgo(now, { days: 310 }),
        image_id: 'ami-0d3e4f5a6b7c82002',
        volume_ids: ['vol-0f2a3b4c5d6e72003'],
        tags: { Name: 'ml-training-box', team: 'data-science' },
      },
    ],
    volumes: [
      attached(now, 'vol-0f2a3b4c5d6e72001', 'gp3', 80, 'i-0b2d4f6a8c0e32001', az),
      attached(now, 'vol-0f2a3b4c5d6e72002', 'gp2', 250, 'i-0b2d4f6a8c0e32002', az, 'queue-spool'),
      {
        ...attached(now, 'vol-0f2a3b4c5d6e72003', 'gp3', 500, 'i-0b2d4f6a8c0e32003', az, 'ml-data'),
        iops: 6000,
        throughput_mibps: 250,
      },
      {
        ...detached(now, 'vol-0f2a3b4c5d6e72004', 'oracle-migration-staging', 'io1', 500, 95, az),
        iops: 6000,
      },
      detached(now, 'vol-0f2a3b4c5d6e72005', 'eu-temp-restore', 'gp3', 250, 33, az),
    ],
    addresses: [eip('34.243.18.201', 'eipalloc-0e2f3a4b5c6d72001', { name: 'eu-legacy-ftp' })],
    snapshots: [
      snapshot(
        now,
        'snap-0d5e6f7a8b9c02001',
        'vol-0f2a3b4c5d6e72001',
        80,
        120,
        'eu-web-1 pre-patch',
      ),
      snapshot(now, 'snap-0d5e6f7a8b9c02002', 'vol-0f2a3b4c5d6e72001', 80, 6, 'eu-web-1 weekly'),
      snapshot(now, 'snap-0d5e6f7a8b9c02003', 'vol-0b1c2d3e4f5a62999', 60, 300, 'batch image root'),
    ],
    images: [
      {
        image_id: 'ami-0d3e4f5a6b7c82002',
        name: 'eu-base-2025-09',
        state: 'available',
        creation_date: isoAgo(now, { days: 90 }),
        snapshot_ids: [],
        tags: {},
      },
      // Old and launched by no running instance, but the batch launch template still names it.
      {
        image_id: batchImage,
        name: 'nightly-batch-2024',
        state: 'available',
        creation_date: isoAgo(now, { days: 300 }),
        snapshot_ids: ['snap-0d5e6f7a8b9c02003'],
        tags: {},
      },
    ],
    launch_template_versions: [
      {
        launch_template_id: 'lt-0b2c3d4e5f6a72001',
        launch_template_name: 'nightly-batch',
        version_number: 4,
        image_id: batchImage,
        snapshot_ids: [],
      },
    ],
    nat_gateways: [
      nat(now, 'nat-0c2d3e4f5a6b72001', 'eu-prod-nat', 'vpc-0eu1a2b3c4d5e6f7', ['52.49.71.12']),
    ],
    route_tables: [
      {
        route_table_id: 'rtb-0b1c2d3e4f5a62001',
        vpc_id: 'vpc-0eu1a2b3c4d5e6f7',
        nat_gateway_ids: ['nat-0c2d3e4f5a6b72001'],
      },
    ],
  };
}

function apSoutheast1(now: Date): AwsRegionInventory {
  const az = 'ap-southeast-1a';
  const image = 'ami-0e4f5a6b7c8d93001';
  return {
    ...emptyAwsRegionInventory(),
    instances: [
      running(now, 'i-0c3e5a7c9e1f43001', 'sg-web-1', 't3.medium', image, [
        'vol-0a3b4c5d6e7f83001',
      ]),
      running(now, 'i-0c3e5a7c9e1f43002', 'sg-cache-1', 'r5.large', image, [
        'vol-0a3b4c5d6e7f83002',
      ]),
    ],
    volumes: [
      attached(now, 'vol-0a3b4c5d6e7f83001', 'gp3', 30, 'i-0c3e5a7c9e1f43001', az),
      attached(now, 'vol-0a3b4c5d6e7f83002', 'gp2', 100, 'i-0c3e5a7c9e1f43002', az, 'cache-root'),
      detached(now, 'vol-0a3b4c5d6e7f83003', 'sg-old-uploads', 'gp2', 100, 61, az),
    ],
    snapshots: [
      snapshot(now, 'snap-0e6f7a8b9c0d13001', 'vol-0c2d3e4f5a6b73999', 200, 180, 'sg-db retired'),
    ],
    images: [
      {
        image_id: image,
        name: 'sg-base-2025-10',
        state: 'available',
        creation_date: isoAgo(now, { days: 60 }),
        snapshot_ids: [],
        tags: {},
      },
    ],
  };
}

function running(
  now: Date,
  id: string,
  name: string,
  type: string,
  image: string,
  volumes: string[],
): AwsInstance {
  return {
    instance_id: id,
    instance_type: type,
    state: 'running',
    state_transition_reason: '',
    launch_time: isoAgo(now, { days: 41 }),
    image_id: image,
    volume_ids: volumes,
    tags: { Name: name, env: 'production' },
  };
}

function stopped(
  now: Date,
  id: string,
  name: string,
  type: string,
  stoppedDays: number,
  volumes: string[],
): AwsInstance {
  return {
    instance_id: id,
    instance_type: type,
    state: 'stopped',
    state_transition_reason: userStoppedReason(now, { days: stoppedDays, hours: 5 }),
    launch_time: isoAgo(now, { days: stoppedDays + 200 }),
    image_id: 'ami-0c2b8ca1d5e4f1001',
    volume_ids: volumes,
    tags: { Name: name },
  };
}

function attached(
  now: Date,
  id: string,
  type: string,
  sizeGib: number,
  instanceId: string,
  az: string,
  name?: string,
): AwsVolume {
  return {
    volume_id: id,
    size_gib: sizeGib,
    volume_type: type,
    state: 'in-use',
    create_time: isoAgo(now, { days: 240 }),
    ...(type === 'gp3' ? { iops: 3000, throughput_mibps: 125 } : {}),
    availability_zone: az,
    attachments: [{ instance_id: instanceId, state: 'attached' }],
    tags: name ? { Name: name } : {},
  };
}

function detached(
  now: Date,
  id: string,
  name: string,
  type: string,
  sizeGib: number,
  ageDays: number,
  az: string,
): AwsVolume {
  return {
    volume_id: id,
    size_gib: sizeGib,
    volume_type: type,
    state: 'available',
    create_time: isoAgo(now, { days: ageDays }),
    ...(type === 'gp3' ? { iops: 3000, throughput_mibps: 125 } : {}),
    availability_zone: az,
    attachments: [],
    tags: { Name: name },
  };
}

function eip(
  publicIp: string,
  allocationId: string,
  options: {
    association_id?: string;
    instance_id?: string;
    network_interface_id?: string;
    name?: string;
  },
): AwsAddress {
  const { name, ...links } = options;
  return {
    public_ip: publicIp,
    allocation_id: allocationId,
    domain: 'vpc',
    ...links,
    tags: name ? { Name: name } : {},
  };
}

function snapshot(
  now: Date,
  id: string,
  volumeId: string,
  sizeGib: number,
  ageDays: number,
  description: string,
) {
  return {
    snapshot_id: id,
    volume_id: volumeId,
    volume_size_gib: sizeGib,
    state: 'completed',
    start_time: isoAgo(now, { days: ageDays }),
    description,
    storage_tier: 'standard',
    tags: {} as Record<string, string>,
  };
}

function nat(now: Date, id: string, name: string, vpc: string, publicIps: string[]) {
  return {
    nat_gateway_id: id,
    state: 'available',
    vpc_id: vpc,
    subnet_id: `subnet-${id.slice(4, 12)}public`,
    connectivity_type: 'public',
    create_time: isoAgo(now, { days: 200 }),
    public_ips: publicIps,
    tags: { Name: name },
  };
}
