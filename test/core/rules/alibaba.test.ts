import { describe, expect, it } from 'bun:test';
import { estimateCarbonKg } from '../../../core/carbon/carbon';
import { CARBON_COEFFICIENTS } from '../../../core/carbon/coefficients';
import { DEFAULT_SCAN_POLICY, type FindingDraft, type ScanPolicy } from '../../../core/model';
import { quoteUsage } from '../../../core/pricing/price';
import { ALIBABA_PRICED_REGIONS, ALIBABA_PRICES } from '../../../core/pricing/tables/alibaba';
import {
  evaluateAlibabaRules,
  type AlibabaDisk,
  type AlibabaEip,
  type AlibabaInstance,
  type AlibabaInventory,
  type AlibabaNatGateway,
  type AlibabaSnapshot,
} from '../../../core/rules/alibaba';

const NOW = new Date('2026-12-01T00:00:00Z');
const REGION = 'cn-hangzhou';

function ago(days: number): string {
  return new Date(NOW.getTime() - days * 86_400_000).toISOString();
}

function disk(overrides: Partial<AlibabaDisk> = {}): AlibabaDisk {
  return {
    disk_id: 'd-1',
    name: 'data-1',
    category: 'cloud_essd',
    performance_level: 'PL1',
    size_gib: 100,
    status: 'Available',
    type: 'data',
    creation_time: ago(200),
    detached_time: ago(20),
    charge_type: 'PostPaid',
    tags: {},
    ...overrides,
  };
}

function instance(overrides: Partial<AlibabaInstance> = {}): AlibabaInstance {
  return {
    instance_id: 'i-1',
    name: 'api',
    instance_type: 'ecs.g6.large',
    cpu: 2,
    memory_mib: 8192,
    status: 'Stopped',
    stopped_mode: 'KeepCharging',
    charge_type: 'PostPaid',
    creation_time: ago(400),
    start_time: ago(90),
    tags: {},
    ...overrides,
  };
}

function snapshot(overrides: Partial<AlibabaSnapshot> = {}): AlibabaSnapshot {
  return {
    snapshot_id: 's-1',
    name: 'nightly',
    source_disk_id: 'd-1',
    source_disk_size_gib: 100,
    usage: 'none',
    status: 'accomplished',
    creation_time: ago(120),
    snapshot_type: 'user',
    tags: {},
    ...overrides,
  };
}

function eip(overrides: Partial<AlibabaEip> = {}): AlibabaEip {
  return {
    allocation_id: 'eip-1',
    ip_address: '47.0.0.1',
    status: 'Available',
    internet_charge_type: 'PayByTraffic',
    charge_type: 'PostPaid',
    allocation_time: ago(30),
    tags: {},
    ...overrides,
  };
}

function nat(overrides: Partial<AlibabaNatGateway> = {}): AlibabaNatGateway {
  return {
    nat_gateway_id: 'ngw-1',
    name: 'egress',
    status: 'Available',
    creation_time: ago(30),
    charge_type: 'PostPaid',
    snat_entry_count: 0,
    dnat_entry_count: 0,
    tags: {},
    ...overrides,
  };
}

function evaluate(
  inventory: Partial<AlibabaInventory>,
  policy: Partial<ScanPolicy> = {},
  region = REGION,
): FindingDraft[] {
  return evaluateAlibabaRules(
    { region, disks: [], instances: [], snapshots: [], eips: [], nat_gateways: [], ...inventory },
    { account_id: 'acc_ali', policy: { ...DEFAULT_SCAN_POLICY, ...policy }, now: NOW },
  );
}

function hits(drafts: FindingDraft[], rule: string): string[] {
  return drafts.filter((draft) => draft.rule_id === rule).map((draft) => draft.resource_id);
}

function monthly(draft: FindingDraft | undefined, region = REGION): number {
  return quoteUsage(ALIBABA_PRICES, region, draft?.usage ?? []).monthly_usd;
}

describe('alibaba.disk.unattached', () => {
  it.each<[string, boolean, Partial<AlibabaDisk>]>([
    ['an Available disk detached 20 days ago', true, {}],
    ['an In_use disk', false, { status: 'In_use', instance_id: 'i-9' }],
    ['a disk being attached', false, { status: 'Attaching' }],
    ['a disk detached 3 hours ago (grace period)', false, { detached_time: ago(3 / 24) }],
    ['an excluded disk', false, { tags: { 'cws:ignore': 'true' } }],
  ])('%s → reported: %p', (_label, reported, overrides) => {
    expect(hits(evaluate({ disks: [disk(overrides)] }), 'alibaba.disk.unattached')).toEqual(
      reported ? ['d-1'] : [],
    );
  });

  it('prices the disk by size and category and gives the aliyun command', () => {
    const [draft] = evaluate({ disks: [disk({ size_gib: 1000 })] });
    expect(draft?.usage).toEqual([
      { kind: 'storage', sku: 'disk:cloud_essd:PL1', gib: 1000, medium: 'ssd' },
    ]);
    expect(monthly(draft)).toBeCloseTo(138.12, 1);
    expect(draft?.fix_command).toContain('aliyun ecs DeleteDisk --region cn-hangzhou --DiskId d-1');
    expect(draft?.fix_command).toStartWith('aliyun ecs CreateSnapshot');
  });

  it('treats an ultra disk as hdd and a subscription disk with medium confidence', () => {
    const [draft] = evaluate({
      disks: [
        disk({
          category: 'cloud_efficiency',
          performance_level: undefined,
          charge_type: 'PrePaid',
        }),
      ],
    });
    expect(draft?.usage[0]).toMatchObject({ sku: 'disk:cloud_efficiency', medium: 'hdd' });
    expect(draft?.confidence).toBe('medium');
  });

  it('costs more outside the mainland and falls back for an unlisted region', () => {
    const [hangzhou] = evaluate({ disks: [disk()] });
    const [singapore] = evaluate({ disks: [disk()] }, {}, 'ap-southeast-1');
    const [unlisted] = evaluate({ disks: [disk()] }, {}, 'me-east-1');
    expect(monthly(singapore, 'ap-southeast-1')).toBeGreaterThan(monthly(hangzhou));
    expect(quoteUsage(ALIBABA_PRICES, 'me-east-1', unlisted?.usage ?? []).price_source).toBe(
      'fallback:me-east-1',
    );
  });
});

describe('alibaba.disk.on_stopped_instance', () => {
  const stopped = instance({ stopped_mode: 'StopCharging', start_time: ago(60) });
  const system = disk({ disk_id: 'd-sys', type: 'system', status: 'In_use', instance_id: 'i-1' });
  const data = disk({ disk_id: 'd-data', status: 'In_use', instance_id: 'i-1' });

  it('reports the disks of an instance stopped (at most) since a start 60 days ago', () => {
    const drafts = evaluate({ instances: [stopped], disks: [system, data] });
    expect(hits(drafts, 'alibaba.disk.on_stopped_instance').sort()).toEqual(['d-data', 'd-sys']);
    const sys = drafts.find((draft) => draft.resource_id === 'd-sys');
    const dat = drafts.find((draft) => draft.resource_id === 'd-data');
    expect(sys?.fix_command).toBe(
      'aliyun ecs DeleteInstance --region cn-hangzhou --InstanceId i-1',
    );
    expect(dat?.fix_command).toStartWith(
      'aliyun ecs DetachDisk --region cn-hangzhou --InstanceId i-1',
    );
    expect(sys).toMatchObject({ action_type: 'REVIEW', confidence: 'low' });
    expect(sys?.evidence.stopped_since).toBe('unknown');
  });

  it('skips an instance started within stopped_instance_days (it cannot be stopped longer)', () => {
    const recent = instance({ ...stopped, start_time: ago(10) });
    expect(evaluate({ instances: [recent], disks: [system] })).toEqual([]);
  });

  it('skips running instances and disks of other instances', () => {
    const running = instance({ status: 'Running', stopped_mode: 'Not-applicable' });
    const other = disk({ status: 'In_use', instance_id: 'i-2' });
    expect(evaluate({ instances: [running], disks: [system, other] })).toEqual([]);
  });
});

describe('alibaba.ecs.stopped_keep_charging', () => {
  it('reports a KeepCharging instance priced at its type', () => {
    const drafts = evaluate({ instances: [instance()] });
    expect(hits(drafts, 'alibaba.ecs.stopped_keep_charging')).toEqual(['i-1']);
    const [draft] = drafts;
    expect(draft?.usage).toEqual([
      {
        kind: 'compute',
        sku: 'ecs:ecs.g6.large',
        vcpus: 2,
        memory_gib: 8,
        hours: 730,
        powered: false,
      },
    ]);
    expect(monthly(draft)).toBeGreaterThan(40);
    expect(draft).toMatchObject({ action_type: 'STOP', confidence: 'high' });
  });

  it('counts only the embodied carbon of the stopped instance, whose compute is still billed', () => {
    const [draft] = evaluate({ instances: [instance()] });
    const embodied = 2 * 730 * CARBON_COEFFICIENTS.embodied_kg_per_vcpu_hour;
    expect(estimateCarbonKg('alibaba', REGION, draft?.usage ?? [])).toBeCloseTo(embodied, 3);
  });

  it('suggests releasing it or stopping it economically at its next run, never booting it now', () => {
    const [draft] = evaluate({ instances: [instance()] });
    expect(draft?.fix_command).toBeUndefined();
    expect(draft?.recommendation).toContain(
      `aliyun ecs DeleteInstance --region ${REGION} --InstanceId i-1`,
    );
    expect(draft?.recommendation).toContain(
      `aliyun ecs StopInstance --region ${REGION} --InstanceId i-1 --StoppedMode StopCharging`,
    );
    expect(draft?.recommendation).toContain('the next time it has been started');
    expect(JSON.stringify(draft)).not.toContain('StartInstance');
  });

  it('does not offer economical mode to a subscription instance', () => {
    const [draft] = evaluate({ instances: [instance({ charge_type: 'PrePaid' })] });
    expect(draft?.recommendation).toContain('pay-as-you-go instances only');
    expect(draft?.recommendation).not.toContain('StopCharging');
  });

  it.each([['StopCharging'], ['Not-applicable'], [undefined]])(
    'does not bill compute for a stopped instance in mode %p',
    (mode) => {
      const drafts = evaluate({
        instances: [instance({ stopped_mode: mode, start_time: ago(5) })],
      });
      expect(hits(drafts, 'alibaba.ecs.stopped_keep_charging')).toEqual([]);
    },
  );

  it('reads an unknown type from the reported Cpu and Memory', () => {
    const [draft] = evaluate({
      instances: [instance({ instance_type: 'ecs.hfg9.4xlarge', cpu: 16, memory_mib: 65536 })],
    });
    expect(draft?.usage[0]).toMatchObject({ vcpus: 16, memory_gib: 64 });
    expect(draft?.confidence).toBe('medium');
  });

  it('waits out the grace period after the last start', () => {
    expect(evaluate({ instances: [instance({ start_time: ago(2 / 24) })] })).toEqual([]);
  });
});

describe('alibaba.eip.unbound', () => {
  it.each<[string, boolean, Partial<AlibabaEip>]>([
    ['an Available EIP', true, {}],
    ['an EIP in use', false, { status: 'InUse', instance_id: 'i-1' }],
    ['an EIP allocated an hour ago', false, { allocation_time: ago(1 / 24) }],
    ['an excluded EIP', false, { tags: { 'cws:ignore': 'true' } }],
  ])('%s → reported: %p', (_label, reported, overrides) => {
    expect(hits(evaluate({ eips: [eip(overrides)] }), 'alibaba.eip.unbound')).toEqual(
      reported ? ['eip-1'] : [],
    );
  });

  it('bills the idle hours and gives the release command', () => {
    const [draft] = evaluate({ eips: [eip()] });
    expect(draft?.usage).toEqual([{ kind: 'hourly', sku: 'eip:idle', hours: 730 }]);
    expect(monthly(draft)).toBeGreaterThan(0);
    expect(draft?.fix_command).toBe(
      'aliyun vpc ReleaseEipAddress --region cn-hangzhou --AllocationId eip-1',
    );
  });
});

describe('alibaba.snapshot.old and alibaba.snapshot.orphaned', () => {
  const sourceDisk = disk({ status: 'In_use', instance_id: 'i-1' });

  it.each<[string, string | null, Partial<AlibabaSnapshot>]>([
    ['an unused snapshot of 120 days whose disk exists', 'alibaba.snapshot.old', {}],
    ['an unused snapshot of 30 days whose disk exists', null, { creation_time: ago(30) }],
    ['a snapshot an image uses', null, { usage: 'image' }],
    ['a snapshot a disk was created from', null, { usage: 'disk' }],
    ['a snapshot still in progress', null, { status: 'progressing' }],
    [
      'a snapshot whose disk is gone',
      'alibaba.snapshot.orphaned',
      { source_disk_id: 'd-gone', creation_time: ago(5) },
    ],
    [
      'an old snapshot whose disk is gone (reported once, as orphaned)',
      'alibaba.snapshot.orphaned',
      { source_disk_id: 'd-gone' },
    ],
    [
      'a final snapshot of a disk deleted 2 hours ago (grace period)',
      null,
      { source_disk_id: 'd-gone', creation_time: ago(2 / 24) },
    ],
    [
      'an image-backing snapshot whose disk is gone',
      null,
      { source_disk_id: 'd-gone', usage: 'image' },
    ],
    ['an excluded snapshot', null, { tags: { 'cws:ignore': 'true' } }],
  ])('%s → %p', (_label, rule, overrides) => {
    const drafts = evaluate({ disks: [sourceDisk], snapshots: [snapshot(overrides)] });
    expect(drafts.map((draft) => draft.rule_id)).toEqual(rule ? [rule] : []);
  });

  it('archives an old snapshot, deletes an orphaned one, prices the size as an upper bound', () => {
    const [old] = evaluate({ disks: [sourceDisk], snapshots: [snapshot()] });
    const [orphan] = evaluate({ snapshots: [snapshot({ source_disk_id: 'd-gone' })] });
    expect(old).toMatchObject({ action_type: 'ARCHIVE' });
    expect(old?.fix_command).toContain('ModifySnapshotCategory');
    expect(orphan).toMatchObject({ action_type: 'DELETE' });
    expect(orphan?.fix_command).toBe(
      'aliyun ecs DeleteSnapshot --region cn-hangzhou --SnapshotId s-1',
    );
    expect(orphan?.usage).toEqual([{ kind: 'snapshot', sku: 'snapshot:standard', gib: 100 }]);
    expect(String(orphan?.evidence.size_note)).toContain('upper bound');
  });
});

describe('alibaba.nat.idle', () => {
  it.each<[string, boolean, Partial<AlibabaNatGateway>]>([
    ['an available gateway with no entries, 30 days old', true, {}],
    ['a gateway with SNAT entries', false, { snat_entry_count: 3 }],
    ['a gateway with DNAT entries only', false, { dnat_entry_count: 1 }],
    ['a gateway created 3 days ago', false, { creation_time: ago(3) }],
    ['a gateway being created', false, { status: 'Creating' }],
    ['an excluded gateway', false, { tags: { 'cws:ignore': 'true' } }],
  ])('%s → reported: %p', (_label, reported, overrides) => {
    expect(hits(evaluate({ nat_gateways: [nat(overrides)] }), 'alibaba.nat.idle')).toEqual(
      reported ? ['ngw-1'] : [],
    );
  });

  it('bills the gateway hourly × 730 and gives the delete command', () => {
    const [draft] = evaluate({ nat_gateways: [nat()] });
    expect(draft?.usage).toEqual([{ kind: 'hourly', sku: 'nat:gateway', hours: 730 }]);
    expect(monthly(draft)).toBeCloseTo((0.3 / 7.24) * 730, 1);
    expect(draft?.fix_command).toBe(
      'aliyun vpc DeleteNatGateway --region cn-hangzhou --NatGatewayId ngw-1',
    );
  });
});

describe('ALIBABA_PRICES', () => {
  it.each(ALIBABA_PRICED_REGIONS.map((region) => [region]))(
    'prices every rule usage in %s from its own table',
    (region) => {
      const drafts = evaluate(
        {
          disks: [disk()],
          instances: [instance()],
          snapshots: [snapshot({ source_disk_id: 'd-gone' })],
          eips: [eip()],
          nat_gateways: [nat()],
        },
        {},
        region,
      );
      expect(drafts.map((draft) => draft.rule_id).sort()).toEqual([
        'alibaba.disk.unattached',
        'alibaba.ecs.stopped_keep_charging',
        'alibaba.eip.unbound',
        'alibaba.nat.idle',
        'alibaba.snapshot.orphaned',
      ]);
      for (const draft of drafts) {
        const quote = quoteUsage(ALIBABA_PRICES, region, draft.usage);
        expect(quote.price_source).toBe(`table:${region}`);
        expect(quote.monthly_usd).toBeGreaterThan(0);
      }
    },
  );

  it('prices every ESSD performance level above the one below it', () => {
    const levels = ['PL0', 'PL1', 'PL2', 'PL3'].map(
      (level) => ALIBABA_PRICES.regions[REGION]?.[`disk:cloud_essd:${level}`] ?? 0,
    );
    expect(levels.every((price, index) => index === 0 || price > (levels[index - 1] ?? 0))).toBe(
      true,
    );
  });
});
