import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import {
  DEFAULT_SCAN_POLICY,
  type CallOptions,
  type CheckResult,
  type CheckSpec,
  type Outcome,
  type ScanAccount,
} from '../../../core/model';
import { createAlibabaScanner } from '../../../core/providers/alibaba/scanner';
import { startFakeAlibaba, type FakeAlibaba, type FakeAlibabaRegion } from '../../fakes/alibaba';
import { startConnectProxy } from '../../fakes/azure/connect-proxy';
import mixed from '../../fixtures/alibaba/region-mixed.json';

const KEY_ID = 'LTAI5tFakeKeyId0001';
const KEY_SECRET = 'fakeSecretValue0123456789abcdef';
const NOW = new Date('2026-12-01T00:00:00Z');

const { region: _, ...mixedRegion } = mixed;
const hangzhou = mixedRegion as unknown as FakeAlibabaRegion;

let fake: FakeAlibaba;

beforeAll(async () => {
  fake = await startFakeAlibaba({
    accessKeyId: KEY_ID,
    accessKeySecret: KEY_SECRET,
    maxPageSize: 2,
    regions: {
      'cn-hangzhou': hangzhou,
      'cn-shanghai': {},
      'ap-southeast-1': { denied: true },
      'eu-central-1': {
        disks: hangzhou.disks?.slice(0, 1),
        throttle: { DescribeDisks: 2, DescribeEipAddresses: 1 },
      },
      'us-west-1': { delayMs: { DescribeSnapshots: 3000, DescribeDisks: 3000 } },
    },
  });
});

afterAll(async () => {
  await fake.stop();
});

function scanner() {
  return createAlibabaScanner({
    endpointPattern: fake.endpointPattern,
    retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20 },
  });
}

function account(connection: Record<string, unknown> = {}, regions: string[] = []): ScanAccount {
  return {
    id: 'acc_ali',
    provider: 'alibaba',
    name: 'prod-cn',
    source: 'cloud_account',
    connection: { access_key_id: KEY_ID, access_key_secret: KEY_SECRET, ...connection },
    regions,
  };
}

function callOptions(overrides: Partial<CallOptions> = {}): CallOptions {
  return {
    signal: new AbortController().signal,
    timeout_ms: 5000,
    policy: DEFAULT_SCAN_POLICY,
    now: NOW,
    ...overrides,
  };
}

function check(region: string): CheckSpec {
  return { id: `acc_ali:${region}`, account_id: 'acc_ali', region, label: `region ${region}` };
}

function run(
  region: string,
  target = account(),
  options = callOptions(),
): Promise<Outcome<CheckResult>> {
  return scanner().runCheck(target, check(region), options);
}

function findingsByRule(result: CheckResult): Record<string, string[]> {
  const byRule: Record<string, string[]> = {};
  for (const draft of result.drafts) (byRule[draft.rule_id] ??= []).push(draft.resource_id);
  for (const ids of Object.values(byRule)) ids.sort();
  return byRule;
}

describe('createAlibabaScanner', () => {
  it('plans one check per region DescribeRegions returns', async () => {
    const plan = await scanner().planChecks(account(), callOptions());
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.value.map((spec) => spec.id).sort()).toEqual([
      'acc_ali:ap-southeast-1',
      'acc_ali:cn-hangzhou',
      'acc_ali:cn-shanghai',
      'acc_ali:eu-central-1',
      'acc_ali:us-west-1',
    ]);
    expect(
      fake.calls.some((call) => call.action === 'DescribeRegions' && call.status === 200),
    ).toBe(true);
  });

  it('plans the regions the credentials list without calling the cloud', async () => {
    const before = fake.calls.length;
    const plan = await scanner().planChecks(
      account({ regions: 'cn-shanghai, cn-hangzhou' }),
      callOptions(),
    );
    expect(plan).toMatchObject({ ok: true });
    if (plan.ok)
      expect(plan.value.map((spec) => spec.region)).toEqual(['cn-shanghai', 'cn-hangzhou']);
    expect(fake.calls.length).toBe(before);
  });

  it('fails planning with the cloud code when the AccessKey is unknown', async () => {
    const plan = await scanner().planChecks(
      account({ access_key_id: 'LTAI5tUnknown' }),
      callOptions(),
    );
    expect(plan).toMatchObject({
      ok: false,
      reason: { code: 'InvalidAccessKeyId.NotFound', category: 'auth' },
    });
  });

  it('fails with SignatureDoesNotMatch when the secret is wrong, without echoing it', async () => {
    const wrong = 'wrongSecretValue-must-not-leak';
    const outcome = await run('cn-hangzhou', account({ access_key_secret: wrong }));
    expect(outcome).toMatchObject({
      ok: false,
      reason: { code: 'SignatureDoesNotMatch', category: 'auth' },
    });
    expect(JSON.stringify(outcome)).not.toContain(wrong);
    expect(JSON.stringify(outcome)).not.toContain('URL:');
  });

  it('pages every list with signed calls and runs the rules', async () => {
    const outcome = await run('cn-hangzhou');
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(findingsByRule(outcome.value)).toEqual({
      'alibaba.disk.unattached': ['d-bp1avail000000001'],
      'alibaba.disk.on_stopped_instance': [
        'd-bp1keepdat0000004',
        'd-bp1keepsys0000003',
        'd-bp1oldsys00000006',
      ],
      'alibaba.ecs.stopped_keep_charging': ['i-bp1keep000000001'],
      'alibaba.eip.unbound': ['eip-bp1idle00000001'],
      'alibaba.snapshot.old': ['s-bp1oldnone000001'],
      'alibaba.snapshot.orphaned': ['s-bp1oldorphan0007', 's-bp1orphan0000002'],
      'alibaba.nat.idle': ['ngw-bp1idle00000001'],
    });
    expect(outcome.value.resources_scanned).toBe(8 + 4 + 7 + 3 + 4);

    const hz = fake.calls.filter((call) => call.region === 'cn-hangzhou' && call.status === 200);
    const diskCalls = hz.filter((call) => call.action === 'DescribeDisks');
    expect(diskCalls).toHaveLength(4);
    expect(diskCalls[0]?.params.NextToken).toBeUndefined();
    expect(diskCalls.slice(1).every((call) => call.params.NextToken)).toBe(true);
    const snapshotPages = hz
      .filter((call) => call.action === 'DescribeSnapshots')
      .map((call) => call.params.PageNumber);
    expect(snapshotPages).toEqual(['1', '2', '3', '4']);
    expect(hz.every((call) => call.params.RegionId === 'cn-hangzhou')).toBe(true);
    expect(hz.filter((call) => call.action === 'DescribeSnatTableEntries')).toHaveLength(4);
  });

  it('retries Throttling.User and ServiceUnavailable with back-off', async () => {
    const outcome = await run('eu-central-1');
    expect(outcome).toMatchObject({ ok: true, value: { resources_scanned: 1 } });
    const disks = fake.calls
      .filter((call) => call.region === 'eu-central-1' && call.action === 'DescribeDisks')
      .map((call) => call.code ?? call.status);
    expect(disks).toEqual(['Throttling.User', 'ServiceUnavailable', 200]);
  });

  it('gives up after the bounded retries and reports the throttling', async () => {
    const scanner = createAlibabaScanner({
      endpointPattern: fake.endpointPattern,
      retry: { maxRetries: 0 },
    });
    const fresh = await startFakeAlibaba({
      accessKeyId: KEY_ID,
      accessKeySecret: KEY_SECRET,
      regions: { 'cn-hangzhou': { throttle: { DescribeDisks: 5 } } },
    });
    try {
      const target = account({ endpoint: fresh.endpointPattern });
      const outcome = await scanner.runCheck(target, check('cn-hangzhou'), callOptions());
      expect(outcome).toMatchObject({
        ok: false,
        reason: { code: 'Throttling.User', category: 'throttled' },
      });
    } finally {
      await fresh.stop();
    }
  });

  it('fails a denied region with Forbidden.RAM and leaves the others alone', async () => {
    const [denied, empty] = await Promise.all([run('ap-southeast-1'), run('cn-shanghai')]);
    expect(denied).toMatchObject({
      ok: false,
      reason: { code: 'Forbidden.RAM', category: 'permission' },
    });
    expect(empty).toMatchObject({ ok: true, value: { resources_scanned: 0, drafts: [] } });
  });

  it('fails a check whose call outlives the per-call timeout', async () => {
    const started = performance.now();
    const outcome = await run('us-west-1', account(), callOptions({ timeout_ms: 300 }));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(outcome).toMatchObject({ ok: false, reason: { code: 'timeout', category: 'timeout' } });
    if (!outcome.ok) expect(outcome.reason.message).toContain('DescribeDisks');
  });

  it('stops at once and throws an AbortError when the scan is canceled', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const running = run('us-west-1', account(), callOptions({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 150);
    const error = await running.then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(error?.name).toBe('AbortError');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('sends every call through the account proxy when proxy_url is set', async () => {
    const proxy = await startConnectProxy();
    try {
      const outcome = await run('cn-shanghai', account({ proxy_url: proxy.url }));
      expect(outcome.ok).toBe(true);
      expect(new Set(proxy.targets)).toEqual(new Set([new URL(fake.url).host]));
    } finally {
      await proxy.stop();
    }
  });
});
