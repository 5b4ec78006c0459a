import { describe, expect, it } from 'bun:test';
import type { FindingDraft } from '../../../core/model';
import { quoteUsage } from '../../../core/pricing/price';
import { AWS_PRICES } from '../../../core/pricing/tables/aws';
import { normalizeAwsRegion } from '../../../core/providers/aws/normalize';
import { AWS_RULES, evaluateAwsRules, type AwsRegionInventory } from '../../../core/rules/aws';
import {
  address,
  attachedVolume,
  context,
  daysAgo,
  image,
  instance,
  natGateway,
  networkInterface,
  region,
  snapshot,
  stoppedInstance,
  templateVersion,
  volume,
} from '../../fixtures/aws/builders';
import {
  AWS_FIXTURE_EXPECTED,
  AWS_FIXTURE_NOW,
  fixtureAsRawRegion,
} from '../../fixtures/aws/region-inventory';

function run(inventory: AwsRegionInventory, policy = {}): FindingDraft[] {
  return evaluateAwsRules(inventory, context(policy));
}

function byRule(drafts: FindingDraft[], ruleId: string): FindingDraft[] {
  return drafts.filter((d) => d.rule_id === ruleId);
}

function only(drafts: FindingDraft[], ruleId: string): FindingDraft {
  const found = byRule(drafts, ruleId);
  expect(found).toHaveLength(1);
  return found[0] as FindingDraft;
}

function monthly(usage: FindingDraft['usage']) {
  return quoteUsage(AWS_PRICES, 'us-east-1', usage);
}

describe('evaluateAwsRules on the recorded-shape fixture region', () => {
  const drafts = evaluateAwsRules(normalizeAwsRegion(fixtureAsRawRegion()), {
    ...context(),
    now: AWS_FIXTURE_NOW,
  });

  for (const [ruleId, resourceIds] of Object.entries(AWS_FIXTURE_EXPECTED)) {
    it(`reports exactly the expected resources for ${ruleId}`, () => {
      const found = byRule(drafts, ruleId).map((d) => d.resource_id);
      expect(found.sort()).toEqual([...resourceIds].sort());
    });
  }

  it('reports nothing beyond the expected findings', () => {
    const expectedCount = Object.values(AWS_FIXTURE_EXPECTED).flat().length;
    expect(drafts).toHaveLength(expectedCount);
  });

  it('covers every AWS rule at least once', () => {
    const ruleIds = new Set(drafts.map((d) => d.rule_id));
    for (const rule of AWS_RULES) expect(ruleIds.has(rule.id)).toBe(true);
  });

  it('fills the fields every finding needs', () => {
    for (const d of drafts) {
      expect(d.provider).toBe('aws');
      expect(d.account_id).toBe('profile_test');
      expect(d.region).toBe('us-east-1');
      expect(d.title.length).toBeGreaterThan(0);
      expect(d.recommendation.length).toBeGreaterThan(0);
      expect(d.fingerprint).toContain(d.resource_id);
      expect(Object.keys(d.evidence).length).toBeGreaterThan(0);
      if (d.fix_command) expect(d.fix_command).toMatch(/^aws ec2 .* --region us-east-1/);
    }
  });

  it('is deterministic for the same inventory, policy and clock', () => {
    const again = evaluateAwsRules(normalizeAwsRegion(fixtureAsRawRegion()), {
      ...context(),
      now: AWS_FIXTURE_NOW,
    });
    expect(again).toEqual(drafts);
  });
});

describe('aws.ebs.unattached', () => {
  it('prices a 1024 GiB gp3 volume by size times rate: $81.92, not $0.08', () => {
    const drafts = run(region({ volumes: [volume({ volume_id: 'vol-1', size_gib: 1024 })] }));
    const finding = only(drafts, 'aws.ebs.unattached');
    expect(finding.usage).toEqual([{ kind: 'storage', sku: 'ebs:gp3', gib: 1024, medium: 'ssd' }]);
    expect(monthly(finding.usage)).toEqual({ monthly_usd: 81.92, price_source: 'table:us-east-1' });
    expect(finding.action_type).toBe('DELETE');
    expect(finding.fix_command).toBe('aws ec2 delete-volume --volume-id vol-1 --region us-east-1');
    expect(finding.evidence).toMatchObject({ VolumeId: 'vol-1', State: 'available', Size: 1024 });
  });

  it('prices an unknown volume type at the fallback rate and says so', () => {
    const drafts = run(region({ volumes: [volume({ volume_id: 'vol-new', volume_type: 'gp9' })] }));
    const finding = only(drafts, 'aws.ebs.unattached');
    expect(monthly(finding.usage)).toEqual({ monthly_usd: 10, price_source: 'fallback:us-east-1' });
    expect(String(finding.evidence.price_note)).toContain('gp9');
  });

  it('prices provisioned gp3 and io2 performance above what the type includes', () => {
    const drafts = run(
      region({
        volumes: [
          volume({ volume_id: 'vol-gp3', iops: 6000, throughput_mibps: 250 }),
          volume({ volume_id: 'vol-io2', volume_type: 'io2', iops: 40000 }),
        ],
      }),
    );
    const [gp3, io2] = byRule(drafts, 'aws.ebs.unattached');
    // 100 × 0.08 + 3000 × 0.005 + 125 × 0.04
    expect(monthly(gp3!.usage).monthly_usd).toBe(28);
    // 100 × 0.125 + 32000 × 0.065 + 8000 × 0.0455
    expect(monthly(io2!.usage).monthly_usd).toBe(2456.5);
  });

  it('leaves volumes created within the grace period alone', () => {
    const fresh = volume({ volume_id: 'vol-fresh', create_time: daysAgo(0.5) });
    expect(run(region({ volumes: [fresh] }))).toHaveLength(0);
    expect(run(region({ volumes: [fresh] }), { grace_period_hours: 1 })).toHaveLength(1);
  });

  it('ignores volumes in use or being deleted', () => {
    const drafts = run(
      region({
        volumes: [
          volume({ volume_id: 'vol-deleting', state: 'deleting' }),
          attachedVolume({ volume_id: 'vol-used' }, 'i-run'),
        ],
        instances: [instance({ instance_id: 'i-run' })],
      }),
    );
    expect(byRule(drafts, 'aws.ebs.unattached')).toHaveLength(0);
  });
});

describe('aws.ebs.on_stopped_instance', () => {
  it('points at the ec2.stopped finding that carries the volume cost', () => {
    const drafts = run(
      region({
        instances: [stoppedInstance('i-old', 45)],
        volumes: [attachedVolume({ volume_id: 'vol-1', size_gib: 50 }, 'i-old')],
      }),
    );
    const finding = only(drafts, 'aws.ebs.on_stopped_instance');
    expect(finding.usage).toEqual([]);
    expect(finding.evidence.cost_counted_in).toEqual({
      rule_id: 'aws.ec2.stopped',
      resource_id: 'i-old',
    });
    expect(finding.action_type).toBe('REVIEW');
    expect(finding.confidence).toBe('high');
    expect(monthly(only(drafts, 'aws.ec2.stopped').usage).monthly_usd).toBe(4);
  });

  it('carries the volume cost itself when the instance is excluded from reporting', () => {
    const drafts = run(
      region({
        instances: [stoppedInstance('i-old', 45, { tags: { 'cws:ignore': 'true' } })],
        volumes: [attachedVolume({ volume_id: 'vol-1', size_gib: 50 }, 'i-old')],
      }),
    );
    expect(byRule(drafts, 'aws.ec2.stopped')).toHaveLength(0);
    expect(monthly(only(drafts, 'aws.ebs.on_stopped_instance').usage).monthly_usd).toBe(4);
  });

  it('skips a multi-attach volume that a running instance still uses', () => {
    const drafts = run(
      region({
        instances: [stoppedInstance('i-old', 45), instance({ instance_id: 'i-run' })],
        volumes: [attachedVolume({ volume_id: 'vol-1', volume_type: 'io2' }, 'i-old', 'i-run')],
      }),
    );
    expect(byRule(drafts, 'aws.ebs.on_stopped_instance')).toHaveLength(0);
    expect(only(drafts, 'aws.ec2.stopped').usage).toEqual([]);
  });

  it('skips volumes on instances stopped for fewer days than the policy allows', () => {
    const inventory = region({
      instances: [stoppedInstance('i-new', 10)],
      volumes: [attachedVolume({ volume_id: 'vol-1' }, 'i-new')],
    });
    expect(byRule(run(inventory), 'aws.ebs.on_stopped_instance')).toHaveLength(0);
    expect(
      byRule(run(inventory, { stopped_instance_days: 7 }), 'aws.ebs.on_stopped_instance'),
    ).toHaveLength(1);
  });

  it('reports at low confidence when the stop time is unknown', () => {
    const drafts = run(
      region({
        instances: [stoppedInstance('i-x', undefined)],
        volumes: [attachedVolume({ volume_id: 'vol-1' }, 'i-x')],
      }),
    );
    expect(only(drafts, 'aws.ebs.on_stopped_instance').confidence).toBe('low');
  });
});

describe('aws.ebs.gp2_to_gp3', () => {
  const running = instance({ instance_id: 'i-run' });

  it('prices the saving as size × (gp2 − gp3): $4 on 200 GiB', () => {
    const drafts = run(
      region({
        instances: [running],
        volumes: [
          attachedVolume({ volume_id: 'vol-1', volume_type: 'gp2', size_gib: 200 }, 'i-run'),
        ],
      }),
    );
    const finding = only(drafts, 'aws.ebs.gp2_to_gp3');
    expect(finding.action_type).toBe('RIGHTSIZE');
    expect(finding.usage).toEqual([{ kind: 'storage', sku: 'ebs:gp2', gib: 200, medium: 'ssd' }]);
    expect(finding.usage_after).toEqual([
      { kind: 'storage', sku: 'ebs:gp3', gib: 200, medium: 'ssd' },
    ]);
    const saving =
      monthly(finding.usage).monthly_usd - monthly(finding.usage_after ?? []).monthly_usd;
    expect(saving).toBeCloseTo(4, 10);
    expect(finding.fix_command).toBe(
      'aws ec2 modify-volume --volume-id vol-1 --volume-type gp3 --region us-east-1',
    );
    expect(finding.confidence).toBe('high');
  });

  it("nets out the gp3 IOPS needed to keep a big volume's baseline: $25 on 2000 GiB, not $40", () => {
    const drafts = run(
      region({
        instances: [running],
        volumes: [
          attachedVolume({ volume_id: 'vol-1', volume_type: 'gp2', size_gib: 2000 }, 'i-run'),
        ],
      }),
    );
    const finding = only(drafts, 'aws.ebs.gp2_to_gp3');
    expect(finding.confidence).toBe('medium');
    expect(finding.evidence).toMatchObject({
      gp2_baseline_iops: 6000,
      gp3_iops_priced: 6000,
      gp3_throughput_mibps_priced: 125,
      gp2_max_throughput_mibps: 250,
    });
    expect(finding.usage_after).toEqual([
      { kind: 'storage', sku: 'ebs:gp3', gib: 2000, medium: 'ssd' },
      { kind: 'hourly', sku: 'ebs:gp3:iops', hours: 3000 * 730 },
    ]);
    const saving =
      monthly(finding.usage).monthly_usd - monthly(finding.usage_after ?? []).monthly_usd;
    expect(saving).toBeCloseTo(25, 10);
    expect(finding.fix_command).toBe(
      'aws ec2 modify-volume --volume-id vol-1 --volume-type gp3 --iops 6000 --region us-east-1',
    );
    expect(finding.recommendation).toContain('gp3 with 6,000 IOPS');
    expect(finding.recommendation).toContain('--throughput 250');
    expect(finding.details).toContain('net of the 3,000 IOPS');
  });

  it('says nothing of extra throughput for a small volume whose gp2 ceiling gp3 matches', () => {
    const drafts = run(
      region({
        instances: [running],
        volumes: [
          attachedVolume({ volume_id: 'vol-1', volume_type: 'gp2', size_gib: 100 }, 'i-run'),
        ],
      }),
    );
    const finding = only(drafts, 'aws.ebs.gp2_to_gp3');
    expect(finding.recommendation).not.toContain('--throughput');
    expect(finding.usage_after).toEqual([
      { kind: 'storage', sku: 'ebs:gp3', gib: 100, medium: 'ssd' },
    ]);
  });

  it('leaves unattached gp2 volumes to ebs.unattached', () => {
    const drafts = run(region({ volumes: [volume({ volume_id: 'vol-1', volume_type: 'gp2' })] }));
    expect(byRule(drafts, 'aws.ebs.gp2_to_gp3')).toHaveLength(0);
    expect(byRule(drafts, 'aws.ebs.unattached')).toHaveLength(1);
  });
});

describe('aws.ec2.stopped', () => {
  it('reads the age from "User initiated (YYYY-MM-DD HH:MM:SS GMT)"', () => {
    const drafts = run(
      region({
        instances: [
          stoppedInstance('i-1', 0, {
            state_transition_reason: 'User initiated (2026-10-01 12:00:00 GMT)',
          }),
        ],
      }),
    );
    const finding = only(drafts, 'aws.ec2.stopped');
    expect(finding.evidence.stopped_days).toBe(60);
    expect(finding.evidence.stopped_since).toBe('2026-10-01T12:00:00.000Z');
    expect(finding.confidence).toBe('high');
  });

  it('reports only past the stopped_instance_days threshold', () => {
    const inventory = region({
      instances: [stoppedInstance('i-30', 30), stoppedInstance('i-31', 31)],
    });
    expect(byRule(run(inventory), 'aws.ec2.stopped').map((d) => d.resource_id)).toEqual(['i-31']);
    expect(byRule(run(inventory, { stopped_instance_days: 60 }), 'aws.ec2.stopped')).toHaveLength(
      0,
    );
  });

  it('counts a partial day past the threshold as more than the threshold', () => {
    const drafts = run(region({ instances: [stoppedInstance('i-1', 30.5)] }));
    expect(only(drafts, 'aws.ec2.stopped').evidence.stopped_days).toBe(30);
  });

  it('still reports an instance whose reason has no timestamp, age unknown, low confidence', () => {
    const drafts = run(
      region({
        instances: [
          stoppedInstance('i-1', undefined, { state_transition_reason: 'Server.ScheduledStop' }),
        ],
      }),
    );
    const finding = only(drafts, 'aws.ec2.stopped');
    expect(finding.confidence).toBe('low');
    expect(finding.evidence.stopped_days).toBe('unknown');
    expect(finding.evidence.stopped_since).toBe('unknown');
  });

  it('counts its EBS volumes and public IPv4, never compute', () => {
    const drafts = run(
      region({
        instances: [
          stoppedInstance('i-1', 40, { instance_type: 'm5.large', public_ip: '3.3.3.3' }),
        ],
        volumes: [
          attachedVolume({ volume_id: 'vol-a', volume_type: 'gp2', size_gib: 30 }, 'i-1'),
          attachedVolume({ volume_id: 'vol-b', volume_type: 'st1', size_gib: 500 }, 'i-1'),
        ],
        addresses: [
          address({ public_ip: '3.3.3.3', association_id: 'eipassoc-1', instance_id: 'i-1' }),
        ],
      }),
    );
    const finding = only(drafts, 'aws.ec2.stopped');
    expect(finding.usage.some((u) => u.kind === 'compute')).toBe(false);
    // 30 × 0.10 + 500 × 0.045 + 730 × 0.005 (the instance address and its EIP are one address)
    expect(monthly(finding.usage).monthly_usd).toBe(29.15);
    expect(finding.evidence.compute_billed).toBe(false);
    expect(finding.fix_command).toBe(
      'aws ec2 terminate-instances --instance-ids i-1 --region us-east-1',
    );
    expect(finding.title).toBe('EC2 instance i-1 has been stopped for 40 days');
    expect(finding.details).toBe(
      'The m5.large instance has been stopped for 40 days. Its compute is not billed, ' +
        'but its 2 EBS volumes and 1 public IPv4 address are still billed.',
    );
  });

  it('names only what a stopped instance still pays for, in plain English', () => {
    const drafts = run(
      region({
        instances: [
          stoppedInstance('i-1', undefined, { state_transition_reason: 'Server.ScheduledStop' }),
        ],
        volumes: [attachedVolume({ volume_id: 'vol-a', size_gib: 30 }, 'i-1')],
      }),
    );
    const finding = only(drafts, 'aws.ec2.stopped');
    expect(finding.title).toBe('EC2 instance i-1 has been stopped for an unknown time');
    expect(finding.details).toEndWith(
      'Its compute is not billed, but its 1 EBS volume is still billed.',
    );
  });

  it('ignores running instances', () => {
    const drafts = run(region({ instances: [instance({ instance_id: 'i-run' })] }));
    expect(drafts).toHaveLength(0);
  });
});

describe('aws.eip.unassociated', () => {
  it('reports an address without AssociationId at the hourly IPv4 rate', () => {
    const drafts = run(region({ addresses: [address({ public_ip: '52.0.0.1' })] }));
    const finding = only(drafts, 'aws.eip.unassociated');
    expect(finding.resource_id).toBe('eipalloc-52.0.0.1');
    expect(monthly(finding.usage).monthly_usd).toBe(3.65);
    expect(finding.fix_command).toBe(
      'aws ec2 release-address --allocation-id eipalloc-52.0.0.1 --region us-east-1',
    );
  });

  it('treats addresses used by a NAT gateway or a bare interface as in use', () => {
    const drafts = run(
      region({
        addresses: [
          address({
            public_ip: '52.0.0.2',
            association_id: 'eipassoc-nat',
            network_interface_id: 'eni-nat',
          }),
          address({
            public_ip: '52.0.0.3',
            association_id: 'eipassoc-eni',
            network_interface_id: 'eni-app',
          }),
        ],
      }),
    );
    expect(drafts).toHaveLength(0);
  });
});

describe('aws.snapshot.orphaned', () => {
  it('reports a snapshot whose volume is gone and which nothing references', () => {
    const drafts = run(region({ snapshots: [snapshot({ snapshot_id: 'snap-1' })] }));
    const finding = only(drafts, 'aws.snapshot.orphaned');
    expect(finding.confidence).toBe('high');
    expect(finding.usage).toEqual([{ kind: 'snapshot', sku: 'snapshot:standard', gib: 100 }]);
    expect(monthly(finding.usage).monthly_usd).toBe(5);
    expect(byRule(drafts, 'aws.snapshot.old')).toHaveLength(0);
  });

  it('judges copies (vol-ffffffff) by references only', () => {
    const copy = snapshot({ snapshot_id: 'snap-copy', volume_id: 'vol-ffffffff' });
    const unreferenced = run(region({ snapshots: [copy] }));
    expect(only(unreferenced, 'aws.snapshot.orphaned').confidence).toBe('medium');
    expect(only(unreferenced, 'aws.snapshot.orphaned').evidence.placeholder_volume_id).toBe(true);
    const referenced = run(
      region({
        snapshots: [copy],
        images: [
          image({ image_id: 'ami-1', snapshot_ids: ['snap-copy'], creation_date: daysAgo(10) }),
        ],
      }),
    );
    expect(referenced).toHaveLength(0);
  });

  it('counts references from disabled images and launch template versions', () => {
    const drafts = run(
      region({
        snapshots: [snapshot({ snapshot_id: 'snap-a' }), snapshot({ snapshot_id: 'snap-b' })],
        images: [
          image({
            image_id: 'ami-off',
            state: 'disabled',
            snapshot_ids: ['snap-a'],
            creation_date: daysAgo(10),
          }),
        ],
        launch_template_versions: [
          templateVersion({ launch_template_id: 'lt-1', snapshot_ids: ['snap-b'] }),
        ],
      }),
    );
    expect(drafts).toHaveLength(0);
  });

  it('skips snapshots made by AWS Backup, by description or by tag', () => {
    const drafts = run(
      region({
        snapshots: [
          snapshot({
            snapshot_id: 'snap-a',
            description: 'This snapshot is created by the AWS Backup service for vol-1',
          }),
          snapshot({
            snapshot_id: 'snap-b',
            tags: { 'aws:backup:source-resource': 'arn:aws:ec2:us-east-1::volume/vol-1' },
          }),
        ],
      }),
    );
    expect(drafts).toHaveLength(0);
  });

  it('skips snapshots still pending or younger than the grace period', () => {
    const drafts = run(
      region({
        snapshots: [
          snapshot({ snapshot_id: 'snap-pending', state: 'pending' }),
          snapshot({ snapshot_id: 'snap-new', start_time: daysAgo(0.25) }),
        ],
      }),
    );
    expect(drafts).toHaveLength(0);
  });
});

describe('aws.snapshot.old', () => {
  const live = volume({ volume_id: 'vol-live', state: 'in-use' });

  it('reports an unreferenced snapshot older than snapshot_age_days, as an upper bound', () => {
    const drafts = run(
      region({
        volumes: [live],
        snapshots: [
          snapshot({ snapshot_id: 'snap-old', volume_id: 'vol-live', start_time: daysAgo(91) }),
          snapshot({ snapshot_id: 'snap-90', volume_id: 'vol-live', start_time: daysAgo(90) }),
        ],
      }),
    );
    const finding = only(drafts, 'aws.snapshot.old');
    expect(finding.resource_id).toBe('snap-old');
    expect(finding.action_type).toBe('ARCHIVE');
    expect(finding.evidence.size_is_upper_bound).toBe(true);
    expect(String(finding.evidence.price_note)).toContain('upper bound');
    expect(finding.fix_command).toContain('modify-snapshot-tier --snapshot-id snap-old');
  });

  it('skips snapshots already in the archive tier', () => {
    const drafts = run(
      region({
        volumes: [live],
        snapshots: [
          snapshot({ snapshot_id: 'snap-1', volume_id: 'vol-live', storage_tier: 'archive' }),
        ],
      }),
    );
    expect(drafts).toHaveLength(0);
  });
});

describe('aws.ami.unused', () => {
  const old = image({ image_id: 'ami-old', snapshot_ids: ['snap-1'] });
  const behind = snapshot({ snapshot_id: 'snap-1', volume_size_gib: 8 });

  it('reports an old image no instance or template uses, priced by its snapshots', () => {
    const drafts = run(region({ images: [old], snapshots: [behind] }));
    const finding = only(drafts, 'aws.ami.unused');
    expect(monthly(finding.usage).monthly_usd).toBe(0.4);
    expect(finding.fix_command).toBe(
      'aws ec2 deregister-image --image-id ami-old --region us-east-1 && ' +
        'aws ec2 delete-snapshot --snapshot-id snap-1 --region us-east-1',
    );
    expect(byRule(drafts, 'aws.snapshot.orphaned')).toHaveLength(0);
  });

  it('titles the image by the same age its evidence names: days since its last launch', () => {
    const launched = { ...old, creation_date: daysAgo(410), last_launched_time: daysAgo(380) };
    const finding = only(
      run(region({ images: [launched], snapshots: [behind] })),
      'aws.ami.unused',
    );
    expect(finding.title).toBe('AMI ami-old not launched for 380 days');
    expect(finding.evidence).toMatchObject({
      LastLaunchedTime: launched.last_launched_time,
      age_days: 410,
      unused_days: 380,
      unused_days_basis: 'LastLaunchedTime',
    });
    expect(finding.details).toContain('last launched 380 days ago');
    expect(finding.details).toContain('is 410 days old');
  });

  it('falls back to the creation date, and says so, when no launch was ever recorded', () => {
    const unlaunched = { ...old, creation_date: daysAgo(410) };
    const finding = only(
      run(region({ images: [unlaunched], snapshots: [behind] })),
      'aws.ami.unused',
    );
    expect(finding.title).toBe('AMI ami-old has no recorded launch in its 410 days');
    expect(finding.evidence).toMatchObject({
      LastLaunchedTime: null,
      unused_days: 410,
      unused_days_basis: 'CreationDate',
    });
  });

  it('treats an image referenced only by a launch template version as in use', () => {
    const drafts = run(
      region({
        images: [old],
        snapshots: [behind],
        launch_template_versions: [
          templateVersion({ launch_template_id: 'lt-1', version_number: 1, image_id: 'ami-old' }),
          templateVersion({ launch_template_id: 'lt-1', version_number: 2, image_id: 'ami-new' }),
        ],
      }),
    );
    expect(drafts).toHaveLength(0);
  });

  it('treats an image an instance runs, or launched recently, as in use', () => {
    expect(
      run(
        region({
          images: [old],
          instances: [instance({ instance_id: 'i-1', image_id: 'ami-old' })],
        }),
      ),
    ).toHaveLength(0);
    expect(
      run(region({ images: [{ ...old, last_launched_time: daysAgo(5) }], snapshots: [behind] })),
    ).toHaveLength(0);
  });

  it('reports only images older than ami_age_days', () => {
    const young = { ...old, creation_date: daysAgo(100) };
    expect(run(region({ images: [young], snapshots: [behind] }))).toHaveLength(0);
    expect(
      byRule(
        run(region({ images: [young], snapshots: [behind] }), { ami_age_days: 30 }),
        'aws.ami.unused',
      ),
    ).toHaveLength(1);
  });
});

describe('aws.nat.unused', () => {
  it('reports an available gateway no route table routes to, at hourly rate × 730', () => {
    const drafts = run(region({ nat_gateways: [natGateway({ nat_gateway_id: 'nat-1' })] }));
    const finding = only(drafts, 'aws.nat.unused');
    expect(finding.usage).toEqual([{ kind: 'hourly', sku: 'nat:hourly', hours: 730 }]);
    expect(monthly(finding.usage).monthly_usd).toBe(32.85);
  });

  it('ignores routed and deleted gateways', () => {
    const drafts = run(
      region({
        nat_gateways: [
          natGateway({ nat_gateway_id: 'nat-routed' }),
          natGateway({ nat_gateway_id: 'nat-gone', state: 'deleted' }),
        ],
        route_tables: [{ route_table_id: 'rtb-1', nat_gateway_ids: ['nat-routed'] }],
      }),
    );
    expect(drafts).toHaveLength(0);
  });
});

describe('aws.eni.public_ip_unused', () => {
  it('reports a detached interface holding a public IPv4, priced for the address', () => {
    const drafts = run(
      region({
        network_interfaces: [
          networkInterface({
            network_interface_id: 'eni-1',
            public_ips: [
              { public_ip: '52.0.0.3', allocation_id: 'eipalloc-1', association_id: 'eipassoc-1' },
            ],
          }),
        ],
      }),
    );
    const finding = only(drafts, 'aws.eni.public_ip_unused');
    expect(monthly(finding.usage).monthly_usd).toBe(3.65);
    expect(finding.fix_command).toContain('release-address --allocation-id eipalloc-1');
  });

  it('does not report plain detached interfaces: they cost nothing', () => {
    const drafts = run(
      region({ network_interfaces: [networkInterface({ network_interface_id: 'eni-plain' })] }),
    );
    expect(drafts).toHaveLength(0);
  });
});

describe('aws.ipv4.public_on_stopped', () => {
  it('prices the addresses of a recently stopped instance itself', () => {
    const drafts = run(
      region({
        instances: [stoppedInstance('i-1', 5, { public_ip: '4.4.4.4' })],
        addresses: [
          address({ public_ip: '4.4.4.4', association_id: 'eipassoc-4', instance_id: 'i-1' }),
        ],
      }),
    );
    const finding = only(drafts, 'aws.ipv4.public_on_stopped');
    expect(monthly(finding.usage).monthly_usd).toBe(3.65);
    expect(finding.fix_command).toBe(
      'aws ec2 disassociate-address --association-id eipassoc-4 --region us-east-1 && ' +
        'aws ec2 release-address --allocation-id eipalloc-4.4.4.4 --region us-east-1',
    );
    expect(byRule(drafts, 'aws.ec2.stopped')).toHaveLength(0);
  });

  it('points at ec2.stopped when that finding already carries the address cost', () => {
    const drafts = run(
      region({ instances: [stoppedInstance('i-1', 50, { public_ip: '4.4.4.4' })] }),
    );
    const finding = only(drafts, 'aws.ipv4.public_on_stopped');
    expect(finding.usage).toEqual([]);
    expect(finding.evidence.cost_counted_in).toEqual({
      rule_id: 'aws.ec2.stopped',
      resource_id: 'i-1',
    });
    expect(monthly(only(drafts, 'aws.ec2.stopped').usage).monthly_usd).toBe(3.65);
  });

  it('counts addresses held through attached interfaces and ignores running instances', () => {
    const drafts = run(
      region({
        instances: [
          stoppedInstance('i-1', 5),
          instance({ instance_id: 'i-run', public_ip: '9.9.9.9' }),
        ],
        network_interfaces: [
          networkInterface({
            network_interface_id: 'eni-2',
            status: 'in-use',
            attached_instance_id: 'i-1',
            public_ips: [{ public_ip: '5.5.5.5', allocation_id: 'eipalloc-5' }],
          }),
        ],
      }),
    );
    const finding = only(drafts, 'aws.ipv4.public_on_stopped');
    expect(finding.resource_id).toBe('i-1');
    expect(monthly(finding.usage).monthly_usd).toBe(3.65);
  });

  it('waits out the grace period after a stop', () => {
    const drafts = run(
      region({ instances: [stoppedInstance('i-1', 0.5, { public_ip: '4.4.4.4' })] }),
    );
    expect(drafts).toHaveLength(0);
  });
});

describe('excluded tags', () => {
  const tagged = { 'cws:ignore': 'true' };
  const cases: [string, AwsRegionInventory][] = [
    ['aws.ebs.unattached', region({ volumes: [volume({ volume_id: 'v', tags: tagged })] })],
    [
      'aws.ebs.gp2_to_gp3',
      region({
        instances: [instance({ instance_id: 'i' })],
        volumes: [attachedVolume({ volume_id: 'v', volume_type: 'gp2', tags: tagged }, 'i')],
      }),
    ],
    [
      'aws.ebs.on_stopped_instance',
      region({
        instances: [stoppedInstance('i', 60)],
        volumes: [attachedVolume({ volume_id: 'v', tags: tagged }, 'i')],
      }),
    ],
    ['aws.ec2.stopped', region({ instances: [stoppedInstance('i', 60, { tags: tagged })] })],
    [
      'aws.snapshot.old',
      region({
        volumes: [volume({ volume_id: 'vol-live', state: 'in-use' })],
        snapshots: [snapshot({ snapshot_id: 's', volume_id: 'vol-live', tags: tagged })],
      }),
    ],
    [
      'aws.ipv4.public_on_stopped',
      region({ instances: [stoppedInstance('i', 5, { public_ip: '4.4.4.4', tags: tagged })] }),
    ],
    [
      'aws.eip.unassociated',
      region({ addresses: [address({ public_ip: '1.1.1.1', tags: tagged })] }),
    ],
    [
      'aws.snapshot.orphaned',
      region({ snapshots: [snapshot({ snapshot_id: 's', tags: tagged })] }),
    ],
    ['aws.ami.unused', region({ images: [image({ image_id: 'a', tags: tagged })] })],
    [
      'aws.nat.unused',
      region({ nat_gateways: [natGateway({ nat_gateway_id: 'n', tags: tagged })] }),
    ],
    [
      'aws.eni.public_ip_unused',
      region({
        network_interfaces: [
          networkInterface({
            network_interface_id: 'e',
            tags: tagged,
            public_ips: [{ public_ip: '2.2.2.2' }],
          }),
        ],
      }),
    ],
  ];

  for (const [ruleId, inventory] of cases) {
    it(`keeps ${ruleId} silent for a resource tagged cws:ignore=true`, () => {
      expect(byRule(run(inventory), ruleId)).toHaveLength(0);
      const untagged = JSON.parse(JSON.stringify(inventory).replaceAll('"cws:ignore":"true"', ''));
      expect(byRule(run(untagged), ruleId).length).toBeGreaterThan(0);
    });
  }

  it('honours any key=value pair of the policy', () => {
    const inventory = region({ volumes: [volume({ volume_id: 'v', tags: { env: 'prod' } })] });
    expect(run(inventory, { excluded_tags: ['env=prod'] })).toHaveLength(0);
    expect(run(inventory, { excluded_tags: ['env=dev'] })).toHaveLength(1);
  });
});

describe('fingerprints', () => {
  it('stay stable for an unchanged resource and change when it changes', () => {
    const first = run(region({ volumes: [volume({ volume_id: 'vol-1', size_gib: 100 })] }));
    const same = run(region({ volumes: [volume({ volume_id: 'vol-1', size_gib: 100 })] }));
    const grown = run(region({ volumes: [volume({ volume_id: 'vol-1', size_gib: 200 })] }));
    expect(same[0]?.fingerprint).toBe(first[0]?.fingerprint as string);
    expect(grown[0]?.fingerprint).not.toBe(first[0]?.fingerprint as string);
  });
});
