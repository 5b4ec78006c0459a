import type {
  AlibabaDisk,
  AlibabaEip,
  AlibabaInstance,
  AlibabaInventory,
  AlibabaNatGateway,
  AlibabaSnapshot,
} from '../../rules/alibaba';
import { alibabaTime, type Age } from '../clock';

/** The Alibaba Cloud regions of the demo account, in the order its checks are planned. */
export const DEMO_ALIBABA_REGIONS = ['cn-hangzhou', 'ap-southeast-1'] as const;

/**
 * The demo Alibaba Cloud account, one inventory per region, as the ECS and VPC APIs would list it:
 * a shop and an ERP in Hangzhou, a small API in Singapore. Traps that must not fire: a sandbox
 * stopped in economical mode (no compute charge, though its disk is still billed), a disk detached
 * two hours ago, a snapshot an image uses, and a NAT gateway created two days ago.
 */
export function demoAlibabaInventory(now: Date): Record<string, AlibabaInventory> {
  return { 'cn-hangzhou': hangzhou(now), 'ap-southeast-1': singapore(now) };
}

function hangzhou(now: Date): AlibabaInventory {
  const web1 = instance(now, 'i-bp1f2a3b4c5d6e7f8a01', 'shop-web-01', 'ecs.g6.large', 'Running');
  const web2 = instance(now, 'i-bp1f2a3b4c5d6e7f8a02', 'shop-web-02', 'ecs.g6.large', 'Running');
  const erp = instance(now, 'i-bp1f2a3b4c5d6e7f8a03', 'erp-db-01', 'ecs.r6.xlarge', 'Running');
  const report = {
    ...instance(now, 'i-bp1f2a3b4c5d6e7f8a04', 'report-server-old', 'ecs.g6.2xlarge', 'Stopped', {
      days: 55,
    }),
    stopped_mode: 'KeepCharging',
  };
  const sandbox = {
    ...instance(now, 'i-bp1f2a3b4c5d6e7f8a05', 'dev-sandbox', 'ecs.c6.xlarge', 'Stopped', {
      days: 40,
    }),
    stopped_mode: 'StopCharging',
  };
  return {
    region: 'cn-hangzhou',
    instances: [web1, web2, erp, report, sandbox],
    disks: [
      systemDisk(web1, 'd-bp1a9b8c7d6e5f4a3b01'),
      systemDisk(web2, 'd-bp1a9b8c7d6e5f4a3b02'),
      systemDisk(erp, 'd-bp1a9b8c7d6e5f4a3b03'),
      dataDisk(erp, 'd-bp1a9b8c7d6e5f4a3b04', 'erp-data', 'cloud_essd', 500, 'PL1'),
      systemDisk(report, 'd-bp1a9b8c7d6e5f4a3b05'),
      dataDisk(report, 'd-bp1a9b8c7d6e5f4a3b06', 'report-archive', 'cloud_efficiency', 1000),
      systemDisk(sandbox, 'd-bp1a9b8c7d6e5f4a3b07'),
      looseDisk(now, 'd-bp1a9b8c7d6e5f4a3b08', 'old-erp-export', 'cloud_essd', 500, { days: 60 }),
      looseDisk(now, 'd-bp1a9b8c7d6e5f4a3b09', 'resize-scratch', 'cloud_essd', 100, { hours: 2 }),
    ],
    snapshots: [
      snapshot(now, 's-bp1c2d3e4f5a6b7c8d01', 'auto-erp-data', 'd-bp1a9b8c7d6e5f4a3b04', 500, 3),
      snapshot(
        now,
        's-bp1c2d3e4f5a6b7c8d02',
        'erp-before-upgrade',
        'd-bp1a9b8c7d6e5f4a3b04',
        500,
        200,
      ),
      snapshot(
        now,
        's-bp1c2d3e4f5a6b7c8d03',
        'billing-db-final',
        'd-bp1a0000000000dead01',
        100,
        150,
      ),
      {
        ...snapshot(
          now,
          's-bp1c2d3e4f5a6b7c8d04',
          'shop-image-root',
          'd-bp1a0000000000dead02',
          40,
          300,
        ),
        usage: 'image',
      },
    ],
    eips: [
      eip(now, 'eip-bp1d2e3f4a5b6c7d8e01', '47.96.12.30', 'InUse', web1.instance_id),
      eip(now, 'eip-bp1d2e3f4a5b6c7d8e02', '47.96.12.31', 'Available'),
    ],
    nat_gateways: [
      nat(now, 'ngw-bp1e2f3a4b5c6d7e8f01', 'vpc-prod-nat', 4, 2, 300),
      nat(now, 'ngw-bp1e2f3a4b5c6d7e8f02', 'vpc-test-nat', 0, 0, 45),
      nat(now, 'ngw-bp1e2f3a4b5c6d7e8f03', 'vpc-new-staging-nat', 0, 0, 2),
    ],
  };
}

function singapore(now: Date): AlibabaInventory {
  const api = instance(now, 'i-t4n1a2b3c4d5e6f7a8b01', 'sg-api-01', 'ecs.c6.large', 'Running');
  return {
    region: 'ap-southeast-1',
    instances: [api],
    disks: [
      systemDisk(api, 'd-t4n9a8b7c6d5e4f3a2b01'),
      looseDisk(now, 'd-t4n9a8b7c6d5e4f3a2b02', 'sg-log-backfill', 'cloud_efficiency', 200, {
        days: 38,
      }),
    ],
    snapshots: [],
    eips: [eip(now, 'eip-t4n1d2e3f4a5b6c7d8e01', '8.219.40.12', 'InUse', api.instance_id)],
    nat_gateways: [nat(now, 'ngw-t4n1e2f3a4b5c6d7e8f01', 'sg-prod-nat', 2, 0, 260)],
  };
}

function instance(
  now: Date,
  id: string,
  name: string,
  type: string,
  status: string,
  lastStart: Age = { days: 18 },
): AlibabaInstance {
  return {
    instance_id: id,
    name,
    instance_type: type,
    status,
    stopped_mode: 'Not-applicable',
    charge_type: 'PostPaid',
    creation_time: alibabaTime(now, { days: 400 }),
    start_time: alibabaTime(now, lastStart),
    tags: {},
  };
}

function systemDisk(owner: AlibabaInstance, id: string): AlibabaDisk {
  return {
    disk_id: id,
    name: `${owner.name}-system`,
    category: 'cloud_essd',
    performance_level: 'PL0',
    size_gib: 40,
    status: 'In_use',
    instance_id: owner.instance_id,
    type: 'system',
    creation_time: owner.creation_time,
    charge_type: 'PostPaid',
    tags: {},
  };
}

function dataDisk(
  owner: AlibabaInstance,
  id: string,
  name: string,
  category: string,
  sizeGib: number,
  level?: string,
): AlibabaDisk {
  return {
    ...systemDisk(owner, id),
    name,
    category,
    performance_level: level,
    size_gib: sizeGib,
    type: 'data',
  };
}

function looseDisk(
  now: Date,
  id: string,
  name: string,
  category: string,
  sizeGib: number,
  detached: Age,
): AlibabaDisk {
  return {
    disk_id: id,
    name,
    category,
    ...(category === 'cloud_essd' ? { performance_level: 'PL1' } : {}),
    size_gib: sizeGib,
    status: 'Available',
    type: 'data',
    creation_time: alibabaTime(now, { days: 300 }),
    detached_time: alibabaTime(now, detached),
    charge_type: 'PostPaid',
    tags: {},
  };
}

function snapshot(
  now: Date,
  id: string,
  name: string,
  sourceDisk: string,
  sizeGib: number,
  ageDays: number,
): AlibabaSnapshot {
  return {
    snapshot_id: id,
    name,
    source_disk_id: sourceDisk,
    source_disk_size_gib: sizeGib,
    usage: 'none',
    status: 'accomplished',
    creation_time: alibabaTime(now, { days: ageDays }),
    snapshot_type: name.startsWith('auto-') ? 'auto' : 'user',
    tags: {},
  };
}

function eip(
  now: Date,
  id: string,
  address: string,
  status: string,
  instanceId?: string,
): AlibabaEip {
  return {
    allocation_id: id,
    ip_address: address,
    status,
    ...(instanceId ? { instance_id: instanceId } : {}),
    internet_charge_type: 'PayByTraffic',
    charge_type: 'PostPaid',
    bandwidth_mbps: 100,
    allocation_time: alibabaTime(now, { days: 210 }),
    tags: {},
  };
}

function nat(
  now: Date,
  id: string,
  name: string,
  snat: number,
  dnat: number,
  ageDays: number,
): AlibabaNatGateway {
  return {
    nat_gateway_id: id,
    name,
    status: 'Available',
    creation_time: alibabaTime(now, { days: ageDays }),
    charge_type: 'PostPaid',
    spec: 'Small',
    snat_entry_count: snat,
    dnat_entry_count: dnat,
    tags: {},
  };
}
