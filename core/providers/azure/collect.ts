import type { Disk, Image, Snapshot, VirtualMachine } from '@azure/arm-compute';
import type { NetworkInterface, PublicIPAddress } from '@azure/arm-network';
import type {
  AzureDisk,
  AzureImage,
  AzureInventory,
  AzureNic,
  AzurePublicIp,
  AzureSnapshot,
  AzureVm,
} from '../../rules/azure';
import type { CallBudget } from './calls';
import type { AzureClients } from './clients';

/**
 * Lists one subscription's disks, snapshots, VMs (twice: the model, then the power states, since
 * `statusOnly=true` answers with the instance view alone), images, public IPs and NICs, following
 * every `nextLink`, and normalizes them for the rules.
 */
export async function collectAzureInventory(
  clients: AzureClients,
  subscriptionId: string,
  budget: CallBudget,
): Promise<AzureInventory> {
  const { compute, network } = clients;
  const options = { abortSignal: budget.signal };
  // Sequential on purpose: one subscription's lists share its Resource Manager read quota.
  const disks = await budget.collect('disks.list', compute.disks.list(options).byPage());
  const snapshots = await budget.collect(
    'snapshots.list',
    compute.snapshots.list(options).byPage(),
  );
  const vms = await budget.collect(
    'virtualMachines.listAll',
    compute.virtualMachines.listAll(options).byPage(),
  );
  const statuses = await budget.collect(
    'virtualMachines.listAll(statusOnly)',
    compute.virtualMachines.listAll({ ...options, statusOnly: 'true' }).byPage(),
  );
  const images = await budget.collect('images.list', compute.images.list(options).byPage());
  const publicIps = await budget.collect(
    'publicIPAddresses.listAll',
    network.publicIPAddresses.listAll(options).byPage(),
  );
  const nics = await budget.collect(
    'networkInterfaces.listAll',
    network.networkInterfaces.listAll(options).byPage(),
  );

  const powerById = new Map(statuses.map((vm) => [lower(vm.id), readPowerState(vm)]));
  return {
    subscription_id: subscriptionId,
    disks: disks.map(toDisk),
    snapshots: snapshots.map(toSnapshot),
    virtual_machines: vms.map((vm) => toVm(vm, powerById.get(lower(vm.id)) ?? readPowerState(vm))),
    images: images.map(toImage),
    public_ips: publicIps.map(toPublicIp),
    network_interfaces: nics.map(toNic),
  };
}

/** How many resources an inventory holds (what a check reports as scanned). */
export function countAzureResources(inventory: AzureInventory): number {
  return (
    inventory.disks.length +
    inventory.snapshots.length +
    inventory.virtual_machines.length +
    inventory.images.length +
    inventory.public_ips.length +
    inventory.network_interfaces.length
  );
}

function toDisk(disk: Disk): AzureDisk {
  return {
    ...identity(disk),
    sku: disk.sku?.name ?? 'Standard_LRS',
    size_gib: disk.diskSizeGB ?? bytesToGib(disk.diskSizeBytes),
    tier: disk.tier || undefined,
    disk_state: disk.diskState,
    managed_by: disk.managedBy || undefined,
    managed_by_extended: (disk.managedByExtended ?? []).filter(Boolean),
    time_created: iso(disk.timeCreated),
    last_ownership_update_time: iso(disk.lastOwnershipUpdateTime),
  };
}

function toSnapshot(snapshot: Snapshot): AzureSnapshot {
  return {
    ...identity(snapshot),
    sku: snapshot.sku?.name,
    size_gib: snapshot.diskSizeGB ?? bytesToGib(snapshot.diskSizeBytes),
    incremental: snapshot.incremental === true,
    time_created: iso(snapshot.timeCreated),
    source_resource_id: snapshot.creationData?.sourceResourceId,
  };
}

interface PowerState {
  state?: string;
  time?: string;
}

function readPowerState(vm: VirtualMachine): PowerState {
  const status = vm.instanceView?.statuses?.find((item) => item.code?.startsWith('PowerState/'));
  return { state: status?.code?.slice('PowerState/'.length), time: iso(status?.time) };
}

function toVm(vm: VirtualMachine, power: PowerState): AzureVm {
  return {
    ...identity(vm),
    vm_size: vm.hardwareProfile?.vmSize ?? 'unknown',
    power_state: power.state,
    power_state_time: power.time,
    time_created: iso(vm.timeCreated),
    image_reference_id: vm.storageProfile?.imageReference?.id,
    os_disk_id: vm.storageProfile?.osDisk?.managedDisk?.id,
    data_disk_ids: (vm.storageProfile?.dataDisks ?? [])
      .map((disk) => disk.managedDisk?.id)
      .filter((id): id is string => !!id),
  };
}

function toImage(image: Image): AzureImage {
  const profile = image.storageProfile;
  const dataGib = (profile?.dataDisks ?? []).reduce((sum, disk) => sum + (disk.diskSizeGB ?? 0), 0);
  return {
    ...identity(image),
    created_at: iso(image.systemData?.createdAt),
    source_vm_id: image.sourceVirtualMachine?.id,
    size_gib: (profile?.osDisk?.diskSizeGB ?? 0) + dataGib,
    storage_account_type: profile?.osDisk?.storageAccountType,
  };
}

function toPublicIp(ip: PublicIPAddress): AzurePublicIp {
  return {
    ...identity(ip),
    sku_name: ip.sku?.name ?? 'Basic',
    allocation_method: ip.publicIPAllocationMethod ?? 'Dynamic',
    ip_address: ip.ipAddress,
    ip_configuration_id: ip.ipConfiguration?.id,
    nat_gateway_id: ip.natGateway?.id,
  };
}

function toNic(nic: NetworkInterface): AzureNic {
  return {
    ...identity(nic),
    virtual_machine_id: nic.virtualMachine?.id,
    private_endpoint_id: nic.privateEndpoint?.id,
    private_link_service_id: nic.privateLinkService?.id,
    hosted_workloads: nic.hostedWorkloads ?? [],
    public_ip_ids: (nic.ipConfigurations ?? [])
      .map((config) => config.publicIPAddress?.id)
      .filter((id): id is string => !!id),
  };
}

function identity(resource: {
  id?: string;
  name?: string;
  location?: string;
  tags?: Record<string, string>;
}): {
  id: string;
  name: string;
  resource_group: string;
  location: string;
  tags: Record<string, string>;
} {
  const id = resource.id ?? '';
  return {
    id,
    name: resource.name ?? id.split('/').at(-1) ?? id,
    resource_group: /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? '',
    location: resource.location ?? 'unknown',
    tags: resource.tags ?? {},
  };
}

function iso(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function bytesToGib(bytes: number | undefined): number {
  return bytes ? Math.ceil(bytes / 2 ** 30) : 0;
}

function lower(id: string | undefined): string {
  return (id ?? '').toLowerCase();
}
