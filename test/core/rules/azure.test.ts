import { describe, expect, it } from 'bun:test';
import { estimateCarbonKg } from '../../../core/carbon/carbon';
import { CARBON_COEFFICIENTS } from '../../../core/carbon/coefficients';
import { DEFAULT_SCAN_POLICY, type FindingDraft, type ScanPolicy } from '../../../core/model';
import { quoteUsage } from '../../../core/pricing/price';
import { AZURE_PRICED_REGIONS, AZURE_PRICES } from '../../../core/pricing/tables/azure';
import {
  evaluateAzureRules,
  type AzureDisk,
  type AzureImage,
  type AzureInventory,
  type AzureNic,
  type AzurePublicIp,
  type AzureSnapshot,
  type AzureVm,
} from '../../../core/rules/azure';

const NOW = new Date('2026-12-01T00:00:00Z');
const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001';

function ago(days: number): string {
  return new Date(NOW.getTime() - days * 86_400_000).toISOString();
}

function id(group: string, type: string, name: string): string {
  const provider =
    type === 'publicIPAddresses' || type === 'networkInterfaces' ? 'Network' : 'Compute';
  return `${SUB}/resourceGroups/${group}/providers/Microsoft.${provider}/${type}/${name}`;
}

function disk(overrides: Partial<AzureDisk> = {}): AzureDisk {
  const name = overrides.name ?? 'disk-1';
  return {
    id: id('rg-app', 'disks', name),
    name,
    resource_group: 'rg-app',
    location: 'eastus',
    sku: 'Premium_LRS',
    size_gib: 128,
    disk_state: 'Unattached',
    managed_by_extended: [],
    time_created: ago(400),
    last_ownership_update_time: ago(10),
    tags: {},
    ...overrides,
  };
}

function vm(overrides: Partial<AzureVm> = {}): AzureVm {
  const name = overrides.name ?? 'vm-1';
  const group = overrides.resource_group ?? 'rg-app';
  return {
    id: id(group, 'virtualMachines', name),
    name,
    resource_group: group,
    location: 'eastus',
    vm_size: 'Standard_D2s_v5',
    power_state: 'running',
    time_created: ago(400),
    data_disk_ids: [],
    tags: {},
    ...overrides,
  };
}

function snapshot(overrides: Partial<AzureSnapshot> = {}): AzureSnapshot {
  return {
    id: id('rg-backup', 'snapshots', 'snap-1'),
    name: 'snap-1',
    resource_group: 'rg-backup',
    location: 'eastus',
    sku: 'Standard_LRS',
    size_gib: 128,
    incremental: true,
    time_created: ago(120),
    tags: {},
    ...overrides,
  };
}

function publicIp(overrides: Partial<AzurePublicIp> = {}): AzurePublicIp {
  return {
    id: id('rg-net', 'publicIPAddresses', 'pip-1'),
    name: 'pip-1',
    resource_group: 'rg-net',
    location: 'eastus',
    sku_name: 'Standard',
    allocation_method: 'Static',
    ip_address: '20.0.0.1',
    tags: {},
    ...overrides,
  };
}

function nic(overrides: Partial<AzureNic> = {}): AzureNic {
  return {
    id: id('rg-net', 'networkInterfaces', 'nic-1'),
    name: 'nic-1',
    resource_group: 'rg-net',
    location: 'eastus',
    hosted_workloads: [],
    public_ip_ids: [],
    tags: {},
    ...overrides,
  };
}

function image(overrides: Partial<AzureImage> = {}): AzureImage {
  return {
    id: id('rg-images', 'images', 'image-1'),
    name: 'image-1',
    resource_group: 'rg-images',
    location: 'eastus',
    created_at: ago(400),
    size_gib: 30,
    storage_account_type: 'Standard_LRS',
    tags: {},
    ...overrides,
  };
}

function evaluate(
  inventory: Partial<AzureInventory>,
  policy: Partial<ScanPolicy> = {},
): FindingDraft[] {
  return evaluateAzureRules(
    {
      subscription_id: '00000000-0000-0000-0000-000000000001',
      disks: [],
      virtual_machines: [],
      snapshots: [],
      public_ips: [],
      network_interfaces: [],
      images: [],
      ...inventory,
    },
    { account_id: 'acc_az', policy: { ...DEFAULT_SCAN_POLICY, ...policy }, now: NOW },
  );
}

function ruleHits(drafts: FindingDraft[], rule: string): string[] {
  return drafts.filter((draft) => draft.rule_id === rule).map((draft) => draft.resource_name);
}

function monthly(draft: FindingDraft | undefined, region = 'eastus'): number {
  return quoteUsage(AZURE_PRICES, region, draft?.usage ?? []).monthly_usd;
}

describe('azure.disk.unattached', () => {
  it.each<[string, boolean, Partial<AzureDisk>]>([
    ['an ownerless Unattached disk idle for 10 days', true, {}],
    [
      'a disk detached 2 hours ago (grace period)',
      false,
      { last_ownership_update_time: ago(2 / 24) },
    ],
    [
      'a never-attached disk created 2 hours ago',
      false,
      { last_ownership_update_time: undefined, time_created: ago(2 / 24) },
    ],
    ['a disk exported through SAS (ActiveSAS)', false, { disk_state: 'ActiveSAS' }],
    ['a Site Recovery disk (ActiveSASFrozen)', false, { disk_state: 'ActiveSASFrozen' }],
    ['a disk waiting for an upload (ReadyToUpload)', false, { disk_state: 'ReadyToUpload' }],
    ['a disk being uploaded (ActiveUpload)', false, { disk_state: 'ActiveUpload' }],
    [
      'an Attached disk',
      false,
      { disk_state: 'Attached', managed_by: id('rg-app', 'virtualMachines', 'vm-1') },
    ],
    [
      'a shared disk attached through managedByExtended',
      false,
      { managed_by_extended: ['/x/vm-2'] },
    ],
    ['a disk tagged cws:ignore=true', false, { tags: { 'cws:ignore': 'true' } }],
    ['an ownerless disk without diskState (old API)', true, { disk_state: undefined }],
  ])('%s → reported: %p', (_label, reported, overrides) => {
    const drafts = evaluate({ disks: [disk(overrides)] });
    expect(ruleHits(drafts, 'azure.disk.unattached')).toEqual(reported ? ['disk-1'] : []);
  });

  it('says for how long the disk has had no VM, in plain English', () => {
    const [draft] = evaluate({ disks: [disk({ last_ownership_update_time: ago(45) })] });
    expect(draft?.details).toBe(
      'Premium_LRS disk of 128 GiB (billed as P10) has had no VM for 45 days.',
    );
  });

  it('does not report a Reserved disk: it belongs to a deallocated VM', () => {
    const owner = vm({ power_state: 'deallocated' });
    const drafts = evaluate({
      disks: [disk({ disk_state: 'Reserved', managed_by: owner.id })],
      virtual_machines: [owner],
    });
    expect(ruleHits(drafts, 'azure.disk.unattached')).toEqual([]);
  });

  it('prices a 1024 GiB Premium disk as a P30 (about $135 a month, not cents)', () => {
    const [draft] = evaluate({ disks: [disk({ size_gib: 1024 })] });
    expect(draft?.usage).toEqual([
      { kind: 'storage', sku: 'disk:Premium_LRS:P30', gib: 1024, medium: 'ssd' },
    ]);
    expect(monthly(draft)).toBe(135.17);
  });

  it('bills a 100 GiB disk at its tier: P10 as is, P40 when the tier was raised', () => {
    const [plain] = evaluate({ disks: [disk({ size_gib: 100 })] });
    const [raised] = evaluate({ disks: [disk({ size_gib: 100, tier: 'P40' })] });
    expect(monthly(plain)).toBe(19.71);
    expect(monthly(raised)).toBe(259.05);
  });

  it('prices Standard SSD and Standard HDD by their own ladders, HDD as hdd', () => {
    const [ssd] = evaluate({ disks: [disk({ sku: 'StandardSSD_LRS', size_gib: 1024 })] });
    const [hdd] = evaluate({ disks: [disk({ sku: 'Standard_LRS', size_gib: 20 })] });
    expect(monthly(ssd)).toBe(76.8);
    expect(hdd?.usage).toEqual([
      { kind: 'storage', sku: 'disk:Standard_LRS:S4', gib: 32, medium: 'hdd' },
    ]);
  });

  it('prices an unknown disk type with a fallback marked as such', () => {
    const [draft] = evaluate({ disks: [disk({ sku: 'FutureSSD_LRS', size_gib: 100 })] });
    const quote = quoteUsage(AZURE_PRICES, 'eastus', draft?.usage ?? []);
    expect(quote.price_source).toBe('fallback:eastus');
    expect(quote.monthly_usd).toBeGreaterThan(0);
  });

  it('recommends a snapshot first and gives the az command', () => {
    const [draft] = evaluate({ disks: [disk()] });
    expect(draft).toMatchObject({ action_type: 'DELETE', confidence: 'high', region: 'eastus' });
    expect(draft?.fix_command).toContain(`az disk delete --ids ${disk().id} --yes`);
    expect(draft?.fix_command).toContain('az snapshot create');
  });
});

describe('azure.disk.on_deallocated_vm', () => {
  const owner = vm({
    name: 'vm-db',
    power_state: 'deallocated',
    os_disk_id: id('rg-app', 'disks', 'os'),
  });

  it('reports disks of a VM deallocated for 60 days, managedBy compared case-insensitively', () => {
    const drafts = evaluate({
      virtual_machines: [owner],
      disks: [
        disk({
          name: 'data',
          disk_state: 'Reserved',
          managed_by: owner.id.replace('rg-app', 'RG-APP'),
          last_ownership_update_time: ago(60),
        }),
        disk({
          name: 'os',
          disk_state: 'Reserved',
          managed_by: owner.id,
          last_ownership_update_time: ago(60),
        }),
      ],
    });
    expect(ruleHits(drafts, 'azure.disk.on_deallocated_vm').sort()).toEqual(['data', 'os']);
    const os = drafts.find((draft) => draft.resource_name === 'os');
    const data = drafts.find((draft) => draft.resource_name === 'data');
    expect(os?.fix_command).toStartWith(`az vm delete --ids ${owner.id}`);
    expect(data?.fix_command).toStartWith(
      'az vm disk detach --resource-group rg-app --vm-name vm-db --name data',
    );
    expect(data).toMatchObject({ action_type: 'REVIEW', confidence: 'high' });
    expect(data?.evidence.deallocated_days).toBe(60);
  });

  it('skips a VM deallocated for less than stopped_instance_days', () => {
    const drafts = evaluate({
      virtual_machines: [owner],
      disks: [
        disk({ disk_state: 'Reserved', managed_by: owner.id, last_ownership_update_time: ago(10) }),
      ],
    });
    expect(ruleHits(drafts, 'azure.disk.on_deallocated_vm')).toEqual([]);
  });

  it('never matches by name: a running namesake in another group keeps its disk', () => {
    const running = vm({ name: 'vm-db', resource_group: 'rg-other', power_state: 'running' });
    const drafts = evaluate({
      virtual_machines: [owner, running],
      disks: [
        disk({
          disk_state: 'Attached',
          managed_by: running.id,
          last_ownership_update_time: ago(90),
        }),
      ],
    });
    expect(drafts).toEqual([]);
  });

  it('reports a deallocated VM of unknown duration with low confidence', () => {
    const drafts = evaluate({
      virtual_machines: [owner],
      disks: [
        disk({
          disk_state: 'Reserved',
          managed_by: owner.id,
          last_ownership_update_time: undefined,
        }),
      ],
    });
    const [draft] = drafts;
    expect(draft).toMatchObject({ rule_id: 'azure.disk.on_deallocated_vm', confidence: 'low' });
    expect(draft?.evidence.deallocated_days).toBe('unknown');
  });

  it('uses the power state time when the disk is not Reserved', () => {
    const timed = vm({ ...owner, power_state_time: ago(45) });
    const drafts = evaluate({
      virtual_machines: [timed],
      disks: [
        disk({ disk_state: 'Attached', managed_by: timed.id, last_ownership_update_time: ago(2) }),
      ],
    });
    expect(ruleHits(drafts, 'azure.disk.on_deallocated_vm')).toEqual(['disk-1']);
  });

  it('skips disks of an excluded VM', () => {
    const excluded = vm({ ...owner, tags: { 'cws:ignore': 'true' } });
    const drafts = evaluate({
      virtual_machines: [excluded],
      disks: [
        disk({
          disk_state: 'Reserved',
          managed_by: excluded.id,
          last_ownership_update_time: ago(90),
        }),
      ],
    });
    expect(drafts).toEqual([]);
  });
});

describe('azure.vm.stopped_not_deallocated', () => {
  it('reports a stopped VM priced at its size, since compute is still billed', () => {
    const [draft] = evaluate({
      virtual_machines: [vm({ power_state: 'stopped', vm_size: 'Standard_E4s_v5' })],
    });
    expect(draft).toMatchObject({
      rule_id: 'azure.vm.stopped_not_deallocated',
      action_type: 'STOP',
      fix_command: `az vm deallocate --ids ${vm().id}`,
      confidence: 'high',
    });
    expect(draft?.usage).toEqual([
      {
        kind: 'compute',
        sku: 'vm:Standard_E4s_v5',
        vcpus: 4,
        memory_gib: 32,
        hours: 730,
        powered: false,
      },
    ]);
    expect(monthly(draft)).toBe(183.96);
    expect(monthly(draft, 'westeurope')).toBeGreaterThan(183.96);
  });

  it('counts only the embodied carbon of the stopped VM: it draws no compute power', () => {
    const [draft] = evaluate({
      virtual_machines: [vm({ power_state: 'stopped', vm_size: 'Standard_E4s_v5' })],
    });
    const embodied = 4 * 730 * CARBON_COEFFICIENTS.embodied_kg_per_vcpu_hour;
    expect(estimateCarbonKg('azure', 'eastus', draft?.usage ?? [])).toBeCloseTo(embodied, 3);
  });

  it.each([['deallocated'], ['running'], ['starting'], [undefined]])(
    'does not bill compute for a VM in power state %p',
    (state) => {
      expect(evaluate({ virtual_machines: [vm({ power_state: state })] })).toEqual([]);
    },
  );

  it('matches the size name case-insensitively', () => {
    const [draft] = evaluate({
      virtual_machines: [vm({ power_state: 'stopped', vm_size: 'standard_d4s_v5' })],
    });
    expect(draft?.usage[0]).toMatchObject({ sku: 'vm:Standard_D4s_v5', vcpus: 4 });
  });

  it('reads an unknown size from its name and marks the price as fallback', () => {
    const [draft] = evaluate({
      virtual_machines: [vm({ power_state: 'stopped', vm_size: 'Standard_Q12zx_v9' })],
    });
    expect(draft).toMatchObject({ confidence: 'medium' });
    expect(draft?.usage[0]).toMatchObject({ vcpus: 12, memory_gib: 48 });
    expect(quoteUsage(AZURE_PRICES, 'eastus', draft?.usage ?? []).price_source).toBe(
      'fallback:eastus',
    );
  });

  it('waits out the grace period when the stop time is known', () => {
    const drafts = evaluate({
      virtual_machines: [vm({ power_state: 'stopped', power_state_time: ago(0.5 / 24) })],
    });
    expect(drafts).toEqual([]);
  });
});

describe('azure.snapshot.old', () => {
  it.each<[string, boolean, Partial<AzureSnapshot>]>([
    ['a snapshot of 120 days', true, {}],
    ['a snapshot of 30 days', false, { time_created: ago(30) }],
    ['a snapshot of unknown age', false, { time_created: undefined }],
    ['an excluded snapshot', false, { tags: { 'cws:ignore': 'true' } }],
  ])('%s → reported: %p', (_label, reported, overrides) => {
    const drafts = evaluate({ snapshots: [snapshot(overrides)] });
    expect(ruleHits(drafts, 'azure.snapshot.old')).toEqual(reported ? ['snap-1'] : []);
  });

  it('prices incremental snapshots as Standard HDD, full Premium ones as Premium', () => {
    const [incremental] = evaluate({
      snapshots: [snapshot({ sku: 'Premium_LRS', incremental: true })],
    });
    const [full] = evaluate({ snapshots: [snapshot({ sku: 'Premium_LRS', incremental: false })] });
    expect(incremental?.usage).toEqual([
      { kind: 'snapshot', sku: 'snapshot:Standard_LRS', gib: 128 },
    ]);
    expect(full?.usage).toEqual([{ kind: 'snapshot', sku: 'snapshot:Premium_LRS', gib: 128 }]);
    expect(monthly(incremental)).toBe(6.4);
    expect(String(full?.evidence.size_note)).toContain('upper bound');
    expect(full?.action_type).toBe('ARCHIVE');
  });
});

describe('azure.publicip.unassociated', () => {
  it.each<[string, number | null, Partial<AzurePublicIp>]>([
    ['a Standard static address with no association', 3.65, {}],
    ['a Basic static address with no association', 2.63, { sku_name: 'Basic' }],
    [
      'a Basic dynamic address (no IP held: no money)',
      0,
      { sku_name: 'Basic', allocation_method: 'Dynamic', ip_address: undefined },
    ],
    [
      'an address on a NIC',
      null,
      {
        ip_configuration_id: `${id('rg-app', 'networkInterfaces', 'nic')}/ipConfigurations/ip1`,
      },
    ],
    ['an address of a NAT gateway', null, { nat_gateway_id: '/x/natGateways/nat-1' }],
  ])('%s → monthly USD %p (null: not reported)', (_label, expected, overrides) => {
    const drafts = evaluate({ public_ips: [publicIp(overrides)] });
    if (expected === null) {
      expect(drafts).toEqual([]);
      return;
    }
    expect(ruleHits(drafts, 'azure.publicip.unassociated')).toEqual(['pip-1']);
    expect(monthly(drafts[0])).toBe(expected);
  });

  it('gives the delete command', () => {
    const [draft] = evaluate({ public_ips: [publicIp()] });
    expect(draft?.fix_command).toBe(`az network public-ip delete --ids ${publicIp().id}`);
  });
});

describe('azure.nic.orphaned', () => {
  it.each<[string, boolean, Partial<AzureNic>]>([
    ['a NIC attached to nothing', true, {}],
    ['a NIC of a VM', false, { virtual_machine_id: id('rg-app', 'virtualMachines', 'vm-1') }],
    ['a private endpoint NIC', false, { private_endpoint_id: '/x/privateEndpoints/pe-1' }],
    [
      'a private link service NIC',
      false,
      { private_link_service_id: '/x/privateLinkServices/pls-1' },
    ],
    ['a NIC hosting a service workload', false, { hosted_workloads: ['/x/netAppAccounts/a'] }],
  ])('%s → reported: %p', (_label, reported, overrides) => {
    const drafts = evaluate({ network_interfaces: [nic(overrides)] });
    expect(ruleHits(drafts, 'azure.nic.orphaned')).toEqual(reported ? ['nic-1'] : []);
  });

  it('reports an orphaned NIC at cost 0 and low priority', () => {
    const [draft] = evaluate({ network_interfaces: [nic()] });
    expect(draft?.usage).toEqual([]);
    expect(monthly(draft)).toBe(0);
    expect(draft?.evidence.priority).toBe('low');
    expect(draft?.fix_command).toBe(`az network nic delete --ids ${nic().id}`);
  });
});

describe('azure.image.unused', () => {
  it('reports an old image whose only VM was created before the window', () => {
    const old = vm({ image_reference_id: image().id, time_created: ago(300) });
    const [draft] = evaluate({ images: [image()], virtual_machines: [old] });
    expect(draft).toMatchObject({
      rule_id: 'azure.image.unused',
      action_type: 'REVIEW',
      confidence: 'medium',
    });
    expect(draft?.evidence.vms_from_image).toBe(1);
    expect(draft?.fix_command).toBe(`az image delete --ids ${image().id}`);
    expect(draft?.usage).toEqual([{ kind: 'snapshot', sku: 'image:Standard_LRS', gib: 30 }]);
  });

  it('keeps an image a VM was built from 10 days ago (ids compared case-insensitively)', () => {
    const recent = vm({ image_reference_id: image().id.toUpperCase(), time_created: ago(10) });
    expect(evaluate({ images: [image()], virtual_machines: [recent] })).toEqual([]);
  });

  it('counts a referencing VM of unknown creation time as use', () => {
    const unknown = vm({ image_reference_id: image().id, time_created: undefined });
    expect(evaluate({ images: [image()], virtual_machines: [unknown] })).toEqual([]);
  });

  it('skips an image younger than ami_age_days', () => {
    expect(evaluate({ images: [image({ created_at: ago(30) })] })).toEqual([]);
  });

  it('reports an image of unknown age with low confidence', () => {
    const [draft] = evaluate({ images: [image({ created_at: undefined })] });
    expect(draft).toMatchObject({ confidence: 'low' });
    expect(draft?.evidence.age_days).toBe('unknown');
  });

  it('follows a shorter ami_age_days from the policy', () => {
    expect(
      evaluate({ images: [image({ created_at: ago(30) })] }, { ami_age_days: 20 }),
    ).toHaveLength(1);
  });
});

describe('evaluateAzureRules', () => {
  it('folds display-name locations into region ids and keeps fingerprints stable', () => {
    const first = evaluate({ disks: [disk({ location: 'East US' })] });
    const second = evaluate({ disks: [disk({ location: 'East US' })] });
    expect(first[0]?.region).toBe('eastus');
    expect(first[0]?.fingerprint).toBe(second[0]?.fingerprint as string);
    const resized = evaluate({ disks: [disk({ size_gib: 256 })] });
    expect(resized[0]?.fingerprint).not.toBe(first[0]?.fingerprint as string);
  });

  it('honours every excluded tag pair of the policy', () => {
    const drafts = evaluate(
      { public_ips: [publicIp({ tags: { keep: 'yes' } })] },
      { excluded_tags: ['keep=yes'] },
    );
    expect(drafts).toEqual([]);
  });
});

describe('AZURE_PRICES', () => {
  it.each(AZURE_PRICED_REGIONS.map((region) => [region]))(
    'prices every rule usage in %s from its own table',
    (region) => {
      const drafts = evaluate({
        disks: [disk({ location: region })],
        virtual_machines: [vm({ location: region, power_state: 'stopped' })],
        snapshots: [snapshot({ location: region })],
        public_ips: [publicIp({ location: region })],
        images: [image({ location: region })],
      });
      expect(drafts).toHaveLength(5);
      for (const draft of drafts) {
        const quote = quoteUsage(AZURE_PRICES, draft.region, draft.usage);
        expect(quote.price_source).toBe(`table:${region}`);
        expect(quote.monthly_usd).toBeGreaterThan(0);
      }
    },
  );

  it('is dated and sourced', () => {
    expect(AZURE_PRICES.priced_at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(AZURE_PRICES.source_url).toStartWith('https://');
  });
});
