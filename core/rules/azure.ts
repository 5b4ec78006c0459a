import {
  HOURS_PER_MONTH,
  isExcluded,
  type FindingDraft,
  type ScanPolicy,
  type Usage,
} from '../model';
import type { ComputeUsage } from '../carbon/carbon';
import { azureDiskBilling, azureVmShape, canonicalVmSize } from '../pricing/tables/azure';

/**
 * The normalized inventory of one Azure subscription: only the fields the rules read, tags as a
 * record, times as RFC 3339 strings, ids as ARM returned them (compare them case-insensitively).
 * The collector builds it from Resource Manager lists; rule tests build it by hand.
 */
export interface AzureInventory {
  subscription_id: string;
  disks: AzureDisk[];
  virtual_machines: AzureVm[];
  snapshots: AzureSnapshot[];
  public_ips: AzurePublicIp[];
  network_interfaces: AzureNic[];
  images: AzureImage[];
}

/** A managed disk (Microsoft.Compute/disks). */
export interface AzureDisk {
  id: string;
  name: string;
  resource_group: string;
  location: string;
  /** `sku.name`: Premium_LRS, StandardSSD_LRS, Standard_LRS, Premium_ZRS, PremiumV2_LRS … */
  sku: string;
  size_gib: number;
  /** Performance tier (`P30`) when raised above the size's own tier. */
  tier?: string;
  /** `diskState`: Unattached, Attached, Reserved, ActiveSAS, ActiveSASFrozen, ReadyToUpload … */
  disk_state?: string;
  managed_by?: string;
  /** VMs of a shared disk (`maxShares` > 1). */
  managed_by_extended: string[];
  time_created?: string;
  /** When the disk was last attached, detached, or its VM deallocated or started. */
  last_ownership_update_time?: string;
  tags: Record<string, string>;
}

/** A virtual machine with its power state from the instance view. */
export interface AzureVm {
  id: string;
  name: string;
  resource_group: string;
  location: string;
  vm_size: string;
  /** The `PowerState/<x>` status code without its prefix: running, stopped, deallocated … */
  power_state?: string;
  /** The power state status's `time`, when the instance view gave one. */
  power_state_time?: string;
  time_created?: string;
  /** `storageProfile.imageReference.id`: the managed image or gallery image it was built from. */
  image_reference_id?: string;
  os_disk_id?: string;
  data_disk_ids: string[];
  tags: Record<string, string>;
}

/** A managed disk snapshot. */
export interface AzureSnapshot {
  id: string;
  name: string;
  resource_group: string;
  location: string;
  /** `sku.name`: Standard_LRS, Standard_ZRS or Premium_LRS. */
  sku?: string;
  size_gib: number;
  incremental: boolean;
  time_created?: string;
  source_resource_id?: string;
  tags: Record<string, string>;
}

/** A public IP address (Microsoft.Network/publicIPAddresses). */
export interface AzurePublicIp {
  id: string;
  name: string;
  resource_group: string;
  location: string;
  /** `sku.name`: Basic or Standard. */
  sku_name: string;
  /** `publicIPAllocationMethod`: Static or Dynamic. */
  allocation_method: string;
  ip_address?: string;
  ip_configuration_id?: string;
  nat_gateway_id?: string;
  tags: Record<string, string>;
}

/** A network interface (Microsoft.Network/networkInterfaces). */
export interface AzureNic {
  id: string;
  name: string;
  resource_group: string;
  location: string;
  virtual_machine_id?: string;
  private_endpoint_id?: string;
  private_link_service_id?: string;
  /** Services that run on the NIC without a VM (`hostedWorkloads`). */
  hosted_workloads: string[];
  public_ip_ids: string[];
  tags: Record<string, string>;
}

/** A managed image (Microsoft.Compute/images). */
export interface AzureImage {
  id: string;
  name: string;
  resource_group: string;
  location: string;
  /** `systemData.createdAt`, when Resource Manager returned it. */
  created_at?: string;
  source_vm_id?: string;
  /** Sum of the OS and data disk sizes the image records. */
  size_gib: number;
  /** The OS disk's `storageAccountType`. */
  storage_account_type?: string;
  tags: Record<string, string>;
}

/** What the Azure rules need besides the inventory. */
export interface AzureRuleContext {
  account_id: string;
  policy: ScanPolicy;
  now: Date;
}

/** Disk states in which a disk without an owner is busy, not forgotten (RULES.md "Azure"). */
const BUSY_UNOWNED_STATES = new Set([
  'ActiveSAS',
  'ActiveSASFrozen',
  'ReadyToUpload',
  'ActiveUpload',
]);

/** Runs every Azure rule over one subscription's inventory. */
export function evaluateAzureRules(
  inventory: AzureInventory,
  context: AzureRuleContext,
): FindingDraft[] {
  return [
    ...findUnattachedDisks(inventory, context),
    ...findDisksOnDeallocatedVms(inventory, context),
    ...findStoppedNotDeallocatedVms(inventory, context),
    ...findOldSnapshots(inventory, context),
    ...findUnassociatedPublicIps(inventory, context),
    ...findOrphanedNics(inventory, context),
    ...findUnusedImages(inventory, context),
  ];
}

/** azure.disk.unattached: no owner, state Unattached, unchanged for the grace period. */
export function findUnattachedDisks(
  inventory: AzureInventory,
  context: AzureRuleContext,
): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  for (const disk of inventory.disks) {
    if (isExcluded(disk.tags, context.policy)) continue;
    if (disk.disk_state && BUSY_UNOWNED_STATES.has(disk.disk_state)) continue;
    if (disk.managed_by || disk.managed_by_extended.length) continue;
    // Without diskState (very old API versions) an ownerless disk still counts, less surely.
    if (disk.disk_state !== undefined && disk.disk_state !== 'Unattached') continue;
    const since = disk.last_ownership_update_time ?? disk.time_created;
    const idleHours = hoursSince(since, context.now);
    if (idleHours !== undefined && idleHours < context.policy.grace_period_hours) continue;
    const billing = azureDiskBilling(disk.sku, disk.size_gib, disk.tier);
    const billedAs = billing.tier ?? `${billing.billed_gib} GiB`;
    drafts.push({
      ...base(context, disk, 'disk'),
      rule_id: 'azure.disk.unattached',
      title: `Unattached managed disk ${disk.name}`,
      details:
        `${disk.sku} disk of ${disk.size_gib} GiB (billed as ${billedAs}) ` +
        (idleHours === undefined ? 'has no VM.' : `has had no VM for ${formatAge(idleHours)}.`),
      evidence: {
        diskState: disk.disk_state ?? null,
        managedBy: null,
        lastOwnershipUpdateTime: disk.last_ownership_update_time ?? null,
        timeCreated: disk.time_created ?? null,
        sku: disk.sku,
        diskSizeGB: disk.size_gib,
        billed_tier: billing.tier ?? null,
        billed_gib: billing.billed_gib,
      },
      action_type: 'DELETE',
      recommendation: 'Snapshot the disk if its data may be needed, then delete it.',
      fix_command:
        `az snapshot create --resource-group ${quote(disk.resource_group)} ` +
        `--name ${quote(`${disk.name}-final`)} --source ${quote(disk.id)} && ` +
        `az disk delete --ids ${quote(disk.id)} --yes`,
      confidence: disk.disk_state === undefined || idleHours === undefined ? 'medium' : 'high',
      usage: [diskUsage(billing)],
      fingerprint: fingerprint('disk', disk.id, disk.disk_state, disk.sku, disk.size_gib),
    });
  }
  return drafts;
}

/**
 * azure.disk.on_deallocated_vm: disks owned by a VM deallocated longer than
 * `stopped_instance_days`. Ownership is `managedBy == vm.id` (case-insensitive); names repeat
 * across resource groups, so they never decide. A deallocated VM's disks turn `Reserved` and their
 * `lastOwnershipUpdateTime` marks the deallocation.
 */
export function findDisksOnDeallocatedVms(
  inventory: AzureInventory,
  context: AzureRuleContext,
): FindingDraft[] {
  const deallocated = new Map<string, AzureVm>();
  for (const vm of inventory.virtual_machines) {
    if (vm.power_state === 'deallocated') deallocated.set(vm.id.toLowerCase(), vm);
  }
  const drafts: FindingDraft[] = [];
  for (const disk of inventory.disks) {
    const vm = disk.managed_by ? deallocated.get(disk.managed_by.toLowerCase()) : undefined;
    if (!vm) continue;
    if (isExcluded(disk.tags, context.policy) || isExcluded(vm.tags, context.policy)) continue;
    const since =
      disk.disk_state === 'Reserved' && disk.last_ownership_update_time
        ? disk.last_ownership_update_time
        : vm.power_state_time;
    const days = daysSince(since, context.now);
    if (days !== undefined && days < context.policy.stopped_instance_days) continue;
    const billing = azureDiskBilling(disk.sku, disk.size_gib, disk.tier);
    const isOsDisk = sameId(vm.os_disk_id, disk.id);
    drafts.push({
      ...base(context, disk, 'disk'),
      rule_id: 'azure.disk.on_deallocated_vm',
      title: `Disk ${disk.name} of deallocated VM ${vm.name}`,
      details:
        `${disk.sku} disk of ${disk.size_gib} GiB stays billed while VM ${vm.name} is deallocated` +
        `${days === undefined ? ' (since an unknown time)' : ` (for ${Math.floor(days)} days)`}.`,
      evidence: {
        managedBy: disk.managed_by,
        diskState: disk.disk_state ?? null,
        lastOwnershipUpdateTime: disk.last_ownership_update_time ?? null,
        vm_id: vm.id,
        vm_power_state: `PowerState/${vm.power_state}`,
        deallocated_days: days === undefined ? 'unknown' : Math.floor(days),
        os_disk: isOsDisk,
        sku: disk.sku,
        diskSizeGB: disk.size_gib,
        billed_gib: billing.billed_gib,
      },
      action_type: 'REVIEW',
      recommendation: isOsDisk
        ? 'If the VM is no longer needed, delete it and then its OS disk; otherwise keep it.'
        : 'If the data is no longer needed, detach the disk and delete it (snapshot it first).',
      fix_command: isOsDisk
        ? `az vm delete --ids ${quote(vm.id)} --yes && az disk delete --ids ${quote(disk.id)} --yes`
        : `az vm disk detach --resource-group ${quote(vm.resource_group)} ` +
          `--vm-name ${quote(vm.name)} --name ${quote(disk.name)} && ` +
          `az disk delete --ids ${quote(disk.id)} --yes`,
      confidence: days === undefined ? 'low' : 'high',
      usage: [diskUsage(billing)],
      fingerprint: fingerprint('disk', disk.id, disk.disk_state, vm.power_state, disk.size_gib),
    });
  }
  return drafts;
}

/**
 * azure.vm.stopped_not_deallocated: `PowerState/stopped` keeps the compute reservation and its
 * bill; only `deallocated` stops compute charges.
 */
export function findStoppedNotDeallocatedVms(
  inventory: AzureInventory,
  context: AzureRuleContext,
): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  for (const vm of inventory.virtual_machines) {
    if (vm.power_state !== 'stopped') continue;
    if (isExcluded(vm.tags, context.policy)) continue;
    const stoppedHours = hoursSince(vm.power_state_time, context.now);
    if (stoppedHours !== undefined && stoppedHours < context.policy.grace_period_hours) continue;
    const shape = azureVmShape(vm.vm_size);
    // Billed for the reserved size, but powered off: carbon counts embodied emissions only.
    const reservedCompute: ComputeUsage = {
      kind: 'compute',
      sku: `vm:${canonicalVmSize(vm.vm_size)}`,
      vcpus: shape.vcpus,
      memory_gib: shape.memory_gib,
      hours: HOURS_PER_MONTH,
      powered: false,
    };
    drafts.push({
      ...base(context, vm, 'virtual_machine'),
      rule_id: 'azure.vm.stopped_not_deallocated',
      title: `VM ${vm.name} is stopped but not deallocated`,
      details:
        `${vm.vm_size} was stopped without being deallocated (from the guest OS or ` +
        '`az vm stop`), so its compute is still billed; deallocating it ends the compute charge.',
      evidence: {
        power_state: 'PowerState/stopped',
        power_state_time: vm.power_state_time ?? null,
        vmSize: vm.vm_size,
        vcpus: shape.vcpus,
        memory_gib: shape.memory_gib,
        size_known: shape.known,
      },
      action_type: 'STOP',
      recommendation: 'Deallocate the VM (or delete it if it is no longer needed).',
      fix_command: `az vm deallocate --ids ${quote(vm.id)}`,
      confidence: shape.known ? 'high' : 'medium',
      usage: [reservedCompute],
      fingerprint: fingerprint('vm', vm.id, vm.power_state, vm.vm_size),
    });
  }
  return drafts;
}

/** azure.snapshot.old: created more than `snapshot_age_days` ago. */
export function findOldSnapshots(
  inventory: AzureInventory,
  context: AzureRuleContext,
): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  for (const snapshot of inventory.snapshots) {
    if (isExcluded(snapshot.tags, context.policy)) continue;
    const days = daysSince(snapshot.time_created, context.now);
    if (days === undefined || days <= context.policy.snapshot_age_days) continue;
    const storage = snapshotStorage(snapshot);
    drafts.push({
      ...base(context, snapshot, 'snapshot'),
      rule_id: 'azure.snapshot.old',
      title: `Snapshot ${snapshot.name} is ${Math.floor(days)} days old`,
      details:
        `${snapshot.incremental ? 'Incremental' : 'Full'} snapshot of ${snapshot.size_gib} GiB ` +
        `created ${snapshot.time_created}.`,
      evidence: {
        timeCreated: snapshot.time_created,
        age_days: Math.floor(days),
        incremental: snapshot.incremental,
        sku: snapshot.sku ?? null,
        diskSizeGB: snapshot.size_gib,
        sourceResourceId: snapshot.source_resource_id ?? null,
        size_note:
          'Snapshots are billed on the data they hold; ' +
          'the disk size priced here is an upper bound.',
      },
      action_type: 'ARCHIVE',
      recommendation:
        'Delete the snapshot if it is no longer needed, or export it to Archive-tier blob storage.',
      fix_command: `az snapshot delete --ids ${quote(snapshot.id)}`,
      confidence: 'medium',
      usage: [{ kind: 'snapshot', sku: `snapshot:${storage}`, gib: snapshot.size_gib }],
      fingerprint: fingerprint('snapshot', snapshot.id, snapshot.size_gib),
    });
  }
  return drafts;
}

/**
 * azure.publicip.unassociated: no IP configuration and no NAT gateway. A Basic dynamic address
 * releases its IP when unassociated and costs nothing: reported without money.
 */
export function findUnassociatedPublicIps(
  inventory: AzureInventory,
  context: AzureRuleContext,
): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  for (const ip of inventory.public_ips) {
    if (ip.ip_configuration_id || ip.nat_gateway_id) continue;
    if (isExcluded(ip.tags, context.policy)) continue;
    const isFree = ip.sku_name === 'Basic' && ip.allocation_method === 'Dynamic';
    const sku = ip.sku_name === 'Basic' ? 'Basic' : 'Standard';
    drafts.push({
      ...base(context, ip, 'public_ip'),
      rule_id: 'azure.publicip.unassociated',
      title: `Unassociated public IP ${ip.name}`,
      details: isFree
        ? 'Basic dynamic address with no association: it holds no IP and costs nothing; ' +
          'delete it to tidy up.'
        : `${ip.sku_name} ${ip.allocation_method.toLowerCase()} address` +
          `${ip.ip_address ? ` ${ip.ip_address}` : ''} is billed by the hour while it is ` +
          'associated with nothing.',
      evidence: {
        ipConfiguration: null,
        natGateway: null,
        sku: ip.sku_name,
        publicIPAllocationMethod: ip.allocation_method,
        ipAddress: ip.ip_address ?? null,
      },
      action_type: 'DELETE',
      recommendation: 'Delete the public IP if no service will use it again.',
      fix_command: `az network public-ip delete --ids ${quote(ip.id)}`,
      confidence: 'high',
      usage: isFree
        ? []
        : [
            {
              kind: 'hourly',
              sku: `publicip:${sku}:${ip.allocation_method}`,
              hours: HOURS_PER_MONTH,
            },
          ],
      fingerprint: fingerprint('pip', ip.id, ip.sku_name, ip.allocation_method, ip.ip_address),
    });
  }
  return drafts;
}

/**
 * azure.nic.orphaned: a NIC with no VM that no private endpoint, private link service or hosted
 * workload owns. NICs are free: reported at cost 0 and low priority.
 */
export function findOrphanedNics(
  inventory: AzureInventory,
  context: AzureRuleContext,
): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  for (const nic of inventory.network_interfaces) {
    if (nic.virtual_machine_id || nic.private_endpoint_id || nic.private_link_service_id) continue;
    if (nic.hosted_workloads.length) continue;
    if (isExcluded(nic.tags, context.policy)) continue;
    drafts.push({
      ...base(context, nic, 'network_interface'),
      rule_id: 'azure.nic.orphaned',
      title: `Network interface ${nic.name} is attached to nothing`,
      details:
        'The NIC itself is free; it clutters the subscription and holds its private IP' +
        (nic.public_ip_ids.length ? ' and its public IP association.' : '.'),
      evidence: {
        virtualMachine: null,
        privateEndpoint: null,
        privateLinkService: null,
        public_ip_ids: nic.public_ip_ids,
        priority: 'low',
      },
      action_type: 'DELETE',
      recommendation: 'Delete the network interface if nothing will attach it again.',
      fix_command: `az network nic delete --ids ${quote(nic.id)}`,
      confidence: 'high',
      usage: [],
      fingerprint: fingerprint('nic', nic.id, nic.public_ip_ids.join(',')),
    });
  }
  return drafts;
}

/**
 * azure.image.unused: a managed image older than `ami_age_days` from which no VM was created in
 * that window (VMs point at it through `storageProfile.imageReference.id`).
 */
export function findUnusedImages(
  inventory: AzureInventory,
  context: AzureRuleContext,
): FindingDraft[] {
  const windowDays = context.policy.ami_age_days;
  const drafts: FindingDraft[] = [];
  for (const image of inventory.images) {
    if (isExcluded(image.tags, context.policy)) continue;
    const ageDays = daysSince(image.created_at, context.now);
    if (ageDays !== undefined && ageDays <= windowDays) continue;
    const builtFrom = inventory.virtual_machines.filter((vm) =>
      sameId(vm.image_reference_id, image.id),
    );
    // A VM of unknown creation time might be recent: count it as use.
    const recent = builtFrom.filter((vm) => {
      const days = daysSince(vm.time_created, context.now);
      return days === undefined || days <= windowDays;
    });
    if (recent.length) continue;
    const lastCreated = builtFrom
      .map((vm) => vm.time_created as string)
      .sort()
      .at(-1);
    drafts.push({
      ...base(context, image, 'image'),
      rule_id: 'azure.image.unused',
      title: `Managed image ${image.name} unused for ${windowDays} days`,
      details:
        `No VM was created from this image in the last ${windowDays} days` +
        (builtFrom.length ? ` (${builtFrom.length} older VMs still reference it).` : '.'),
      evidence: {
        createdAt: image.created_at ?? null,
        age_days: ageDays === undefined ? 'unknown' : Math.floor(ageDays),
        vms_from_image: builtFrom.length,
        last_vm_created_at: lastCreated ?? null,
        sourceVirtualMachine: image.source_vm_id ?? null,
        size_gib: image.size_gib,
      },
      action_type: 'REVIEW',
      recommendation: 'Delete the image if no deployment needs it (or move it to a gallery).',
      fix_command: `az image delete --ids ${quote(image.id)}`,
      confidence: ageDays === undefined ? 'low' : 'medium',
      usage: image.size_gib
        ? [
            {
              kind: 'snapshot',
              sku: `image:${imageStorage(image.storage_account_type)}`,
              gib: image.size_gib,
            },
          ]
        : [],
      fingerprint: fingerprint('image', image.id, builtFrom.length, image.size_gib),
    });
  }
  return drafts;
}

function base(
  context: AzureRuleContext,
  resource: { id: string; name: string; location: string },
  resourceType: string,
): Pick<
  FindingDraft,
  'provider' | 'account_id' | 'region' | 'resource_type' | 'resource_id' | 'resource_name'
> {
  return {
    provider: 'azure',
    account_id: context.account_id,
    region: normalizeLocation(resource.location),
    resource_type: resourceType,
    resource_id: resource.id,
    resource_name: resource.name,
  };
}

function diskUsage(billing: ReturnType<typeof azureDiskBilling>): Usage {
  return { kind: 'storage', sku: billing.sku, gib: billing.billed_gib, medium: billing.medium };
}

/** Incremental snapshots live on Standard HDD whatever the source; full ones keep their SKU. */
function snapshotStorage(snapshot: AzureSnapshot): string {
  if (snapshot.sku === 'Standard_ZRS') return 'Standard_ZRS';
  if (snapshot.incremental) return 'Standard_LRS';
  return snapshot.sku ?? 'Standard_LRS';
}

function imageStorage(storageAccountType: string | undefined): string {
  return storageAccountType?.startsWith('Premium') ? 'Premium_LRS' : 'Standard_LRS';
}

/** Azure locations come as `eastus`; display names (`East US`) are folded to that form. */
function normalizeLocation(location: string): string {
  return location.toLowerCase().replace(/\s+/g, '');
}

function sameId(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

function hoursSince(iso: string | undefined, now: Date): number | undefined {
  if (!iso) return undefined;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? undefined : (now.getTime() - at) / 3_600_000;
}

function daysSince(iso: string | undefined, now: Date): number | undefined {
  const hours = hoursSince(iso, now);
  return hours === undefined ? undefined : hours / 24;
}

function formatAge(hours: number): string {
  return hours >= 48 ? `${Math.floor(hours / 24)} days` : `${Math.floor(hours)} hours`;
}

function fingerprint(...parts: unknown[]): string {
  return parts.map((part) => String(part ?? '').toLowerCase()).join('|');
}

/** Quotes a shell word when it holds anything beyond plain path characters. */
function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
