import type {
  AzureDisk,
  AzureImage,
  AzureInventory,
  AzureNic,
  AzurePublicIp,
  AzureSnapshot,
  AzureVm,
} from '../../rules/azure';
import { isoAgo, type Age } from '../clock';

/** The locations the demo subscription's resources live in. */
export const DEMO_AZURE_LOCATIONS = ['eastus', 'westeurope'] as const;

/** The demo subscription's id (made up, in Azure's format). */
export const DEMO_AZURE_SUBSCRIPTION = '6f1d2c3b-4a59-4e7d-8c1b-2a3f4e5d6c7b';

/**
 * The demo Azure subscription as Resource Manager would list it: web and SQL servers in East US,
 * an analytics box in West Europe, a legacy ERP VM deallocated for months. Traps that must not
 * fire: a disk exported for Site Recovery (ActiveSAS), a disk detached hours ago, the disks of a
 * VM deallocated only days ago, a NAT gateway's public IP, a private endpoint's NIC, and an image
 * a VM was built from recently.
 */
export function demoAzureInventory(now: Date): AzureInventory {
  const web1 = vm(now, 'rg-web-prod', 'vm-web-01', 'Standard_D2s_v5', 'eastus', 'running');
  const web2 = vm(now, 'rg-web-prod', 'vm-web-02', 'Standard_D2s_v5', 'eastus', 'running');
  const sql = vm(now, 'rg-data-prod', 'vm-sql-01', 'Standard_E8s_v5', 'eastus', 'running');
  const analytics = vm(
    now,
    'rg-analytics',
    'vm-analytics-01',
    'Standard_E8s_v5',
    'westeurope',
    'stopped',
    { days: 3 },
  );
  const erp = vm(now, 'rg-legacy', 'vm-legacy-erp', 'Standard_D8s_v5', 'eastus', 'deallocated', {
    days: 75,
  });
  const buildAgent = vm(
    now,
    'rg-ci',
    'vm-build-agent',
    'Standard_D4s_v5',
    'eastus',
    'deallocated',
    {
      days: 4,
    },
  );
  const batch = {
    ...vm(now, 'rg-batch', 'vm-batch-01', 'Standard_D4s_v5', 'eastus', 'running'),
    time_created: isoAgo(now, { days: 20 }),
    image_reference_id: armId('rg-images', 'Microsoft.Compute/images', 'img-batch-base'),
  };
  const vms = [web1, web2, sql, analytics, erp, buildAgent, batch];
  return {
    subscription_id: DEMO_AZURE_SUBSCRIPTION,
    virtual_machines: vms,
    disks: [
      ...vms.map(osDisk),
      dataDisk(sql, 'vm-sql-01-data', 'Premium_LRS', 1024),
      dataDisk(erp, 'vm-legacy-erp-data', 'Premium_LRS', 1024),
      looseDisk(now, 'rg-data-prod', 'disk-old-sql-backup', 'Premium_LRS', 512, 'eastus', {
        days: 45,
      }),
      looseDisk(
        now,
        'rg-analytics',
        'disk-analytics-scratch',
        'StandardSSD_LRS',
        256,
        'westeurope',
        {
          days: 30,
        },
      ),
      {
        ...looseDisk(now, 'rg-dr', 'disk-asr-replica', 'Premium_LRS', 256, 'eastus', { days: 10 }),
        disk_state: 'ActiveSAS',
      },
      looseDisk(now, 'rg-web-prod', 'disk-web-resize-tmp', 'Premium_LRS', 128, 'eastus', {
        hours: 5,
      }),
    ],
    snapshots: [
      snapshot(now, 'rg-data-prod', 'snap-sql-pre-migration', 'Premium_LRS', 256, false, 200),
      snapshot(now, 'rg-web-prod', 'snap-web-os-2024', 'Standard_LRS', 128, true, 120),
      snapshot(now, 'rg-data-prod', 'snap-sql-weekly', 'Standard_LRS', 1024, true, 6),
    ],
    public_ips: [
      publicIp('rg-web-prod', 'pip-web-01', 'Standard', 'Static', '20.84.17.33', {
        ip_configuration_id: `${nicId('rg-web-prod', 'vm-web-01-nic')}/ipConfigurations/ipconfig1`,
      }),
      publicIp('rg-web-prod', 'pip-web-02', 'Standard', 'Static', '20.84.17.34', {
        ip_configuration_id: `${nicId('rg-web-prod', 'vm-web-02-nic')}/ipConfigurations/ipconfig1`,
      }),
      publicIp('rg-network', 'pip-natgw-egress', 'Standard', 'Static', '20.84.17.60', {
        nat_gateway_id: armId('rg-network', 'Microsoft.Network/natGateways', 'natgw-prod'),
      }),
      publicIp('rg-legacy', 'pip-old-erp-lb', 'Standard', 'Static', '20.84.17.91', {}),
      publicIp('rg-sandbox', 'pip-sandbox-test', 'Basic', 'Dynamic', undefined, {}),
    ],
    network_interfaces: [
      ...vms.map(vmNic),
      looseNic('rg-legacy', 'nic-erp-replica-old', 'eastus'),
      looseNic('rg-analytics', 'nic-spark-driver-old', 'westeurope'),
      {
        ...looseNic('rg-data-prod', 'pe-sqlstorage.nic.7c1d', 'eastus'),
        private_endpoint_id: armId(
          'rg-data-prod',
          'Microsoft.Network/privateEndpoints',
          'pe-sqlstorage',
        ),
      },
    ],
    images: [
      image(now, 'rg-images', 'img-legacy-erp-2023', 500, 128),
      image(now, 'rg-images', 'img-batch-base', 300, 64),
    ],
  };
}

function armId(group: string, type: string, name: string): string {
  return `/subscriptions/${DEMO_AZURE_SUBSCRIPTION}/resourceGroups/${group}/providers/${type}/${name}`;
}

function nicId(group: string, name: string): string {
  return armId(group, 'Microsoft.Network/networkInterfaces', name);
}

function vm(
  now: Date,
  group: string,
  name: string,
  size: string,
  location: string,
  power: string,
  since: Age = { days: 12 },
): AzureVm {
  return {
    id: armId(group, 'Microsoft.Compute/virtualMachines', name),
    name,
    resource_group: group,
    location,
    vm_size: size,
    power_state: power,
    power_state_time: isoAgo(now, since),
    time_created: isoAgo(now, { days: 420 }),
    os_disk_id: armId(group, 'Microsoft.Compute/disks', `${name}_OsDisk`),
    data_disk_ids: [],
    tags: { environment: 'production' },
  };
}

/** A deallocated VM's disks turn Reserved; the deallocation is their last ownership update. */
function ownedState(owner: AzureVm): string {
  return owner.power_state === 'deallocated' ? 'Reserved' : 'Attached';
}

function osDisk(owner: AzureVm): AzureDisk {
  return {
    id: owner.os_disk_id as string,
    name: `${owner.name}_OsDisk`,
    resource_group: owner.resource_group,
    location: owner.location,
    sku: 'Premium_LRS',
    size_gib: 128,
    disk_state: ownedState(owner),
    managed_by: owner.id,
    managed_by_extended: [],
    time_created: owner.time_created,
    last_ownership_update_time: owner.power_state_time,
    tags: {},
  };
}

function dataDisk(owner: AzureVm, name: string, sku: string, sizeGib: number): AzureDisk {
  return {
    ...osDisk(owner),
    id: armId(owner.resource_group, 'Microsoft.Compute/disks', name),
    name,
    sku,
    size_gib: sizeGib,
  };
}

function looseDisk(
  now: Date,
  group: string,
  name: string,
  sku: string,
  sizeGib: number,
  location: string,
  detached: Age,
): AzureDisk {
  return {
    id: armId(group, 'Microsoft.Compute/disks', name),
    name,
    resource_group: group,
    location,
    sku,
    size_gib: sizeGib,
    disk_state: 'Unattached',
    managed_by_extended: [],
    time_created: isoAgo(now, { days: 380 }),
    last_ownership_update_time: isoAgo(now, detached),
    tags: {},
  };
}

function snapshot(
  now: Date,
  group: string,
  name: string,
  sku: string,
  sizeGib: number,
  incremental: boolean,
  ageDays: number,
): AzureSnapshot {
  return {
    id: armId(group, 'Microsoft.Compute/snapshots', name),
    name,
    resource_group: group,
    location: 'eastus',
    sku,
    size_gib: sizeGib,
    incremental,
    time_created: isoAgo(now, { days: ageDays }),
    tags: {},
  };
}

function publicIp(
  group: string,
  name: string,
  sku: string,
  allocation: string,
  address: string | undefined,
  links: { ip_configuration_id?: string; nat_gateway_id?: string },
): AzurePublicIp {
  return {
    id: armId(group, 'Microsoft.Network/publicIPAddresses', name),
    name,
    resource_group: group,
    location: 'eastus',
    sku_name: sku,
    allocation_method: allocation,
    ...(address ? { ip_address: address } : {}),
    ...links,
    tags: {},
  };
}

function vmNic(owner: AzureVm): AzureNic {
  return {
    ...looseNic(owner.resource_group, `${owner.name}-nic`, owner.location),
    virtual_machine_id: owner.id,
  };
}

function looseNic(group: string, name: string, location: string): AzureNic {
  return {
    id: nicId(group, name),
    name,
    resource_group: group,
    location,
    hosted_workloads: [],
    public_ip_ids: [],
    tags: {},
  };
}

function image(
  now: Date,
  group: string,
  name: string,
  ageDays: number,
  sizeGib: number,
): AzureImage {
  return {
    id: armId(group, 'Microsoft.Compute/images', name),
    name,
    resource_group: group,
    location: 'eastus',
    created_at: isoAgo(now, { days: ageDays }),
    size_gib: sizeGib,
    storage_account_type: 'Standard_LRS',
    tags: {},
  };
}
