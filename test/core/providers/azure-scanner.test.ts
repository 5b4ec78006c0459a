import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import {
  DEFAULT_SCAN_POLICY,
  type CallOptions,
  type CheckResult,
  type Outcome,
  type ScanAccount,
} from '../../../core/model';
import { createAzureScanner } from '../../../core/providers/azure/scanner';
import { startFakeAzure, type ArmCollection, type FakeAzure } from '../../fakes/azure';
import { startConnectProxy } from '../../fakes/azure/connect-proxy';
import mixed from '../../fixtures/azure/subscription-mixed.json';

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = '66666666-7777-8888-9999-000000000000';
const SECRET = 'fake-secret-value-0123456789abcdef';
const MIXED = mixed.subscriptionId;
const EMPTY = '00000000-0000-0000-0000-0000000000e0';
const DENIED = '00000000-0000-0000-0000-0000000000d0';
const THROTTLED = '00000000-0000-0000-0000-0000000000f0';
const SLOW = '00000000-0000-0000-0000-0000000000b0';
const NOW = new Date('2026-12-01T00:00:00Z');

const { subscriptionId: _, ...mixedResources } = mixed;
const resources = mixedResources as unknown as Record<ArmCollection, Record<string, unknown>[]>;

let fake: FakeAzure;

beforeAll(async () => {
  fake = await startFakeAzure({
    tenantId: TENANT,
    clientId: CLIENT,
    clientSecret: SECRET,
    subscriptions: {
      [MIXED]: { resources },
      [EMPTY]: {},
      [DENIED]: { denied: true },
      [THROTTLED]: { resources: { disks: resources.disks.slice(0, 3) }, throttle: { disks: 1 } },
      [SLOW]: { resources, delayMs: { snapshots: 3000, disks: 3000 } },
    },
  });
});

afterAll(async () => {
  await fake.stop();
});

function scanner() {
  return createAzureScanner({
    authorityHost: fake.url,
    resourceManagerEndpoint: fake.url,
    ca: fake.ca,
    retry: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 100 },
  });
}

function account(subscriptionId: string, extra: Record<string, unknown> = {}): ScanAccount {
  return {
    id: `acc_${subscriptionId.slice(-2)}`,
    provider: 'azure',
    name: 'test subscription',
    source: 'cloud_account',
    connection: {
      tenant_id: TENANT,
      client_id: CLIENT,
      client_secret: SECRET,
      subscription_id: subscriptionId,
      ...extra,
    },
    regions: [],
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

async function scan(target: ScanAccount, options = callOptions()): Promise<Outcome<CheckResult>> {
  const azure = scanner();
  const plan = await azure.planChecks(target, options);
  if (!plan.ok) return plan;
  const [check] = plan.value;
  return azure.runCheck(target, check!, options);
}

function findingsByRule(result: CheckResult): Record<string, string[]> {
  const byRule: Record<string, string[]> = {};
  for (const draft of result.drafts) (byRule[draft.rule_id] ??= []).push(draft.resource_name);
  for (const names of Object.values(byRule)) names.sort();
  return byRule;
}

describe('createAzureScanner', () => {
  it('plans one check per subscription', async () => {
    const plan = await scanner().planChecks(account(MIXED), callOptions());
    expect(plan).toEqual({
      ok: true,
      value: [
        {
          id: 'acc_a1:subscription',
          account_id: 'acc_a1',
          region: 'global',
          label: `subscription ${MIXED}`,
        },
      ],
    });
  });

  it('rejects a connection that lacks credential fields, naming them', async () => {
    const target = account(MIXED);
    delete target.connection.client_secret;
    delete target.connection.tenant_id;
    const plan = await scanner().planChecks(target, callOptions());
    expect(plan.ok).toBe(false);
    if (!plan.ok) {
      expect(plan.reason.category).toBe('invalid');
      expect(plan.reason.message).toContain('tenant_id, client_secret');
    }
  });

  it('lists every page of every collection through the SDKs and runs the rules', async () => {
    const outcome = await scan(account(MIXED));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(findingsByRule(outcome.value)).toEqual({
      'azure.disk.unattached': ['disk-orphan'],
      'azure.disk.on_deallocated_vm': ['disk-db-data', 'disk-db-os'],
      'azure.vm.stopped_not_deallocated': ['vm-legacy'],
      'azure.snapshot.old': ['snap-old', 'snap-premium-full'],
      'azure.publicip.unassociated': ['pip-basic-dynamic', 'pip-idle-standard'],
      'azure.nic.orphaned': ['nic-orphan'],
      'azure.image.unused': ['image-stale'],
    });
    const total = Object.entries(resources).reduce((sum, [, items]) => sum + items.length, 0);
    expect(outcome.value.resources_scanned).toBe(total);

    const diskPages = fake.calls.filter(
      (call) => call.path === `/subscriptions/${MIXED}/providers/Microsoft.Compute/disks`,
    );
    expect(diskPages.map((call) => call.query.$skiptoken ?? '0')).toEqual([
      '0',
      '2',
      '4',
      '6',
      '8',
    ]);
    expect(diskPages.every((call) => call.query['api-version'])).toBe(true);
    expect(
      fake.calls.some(
        (call) => call.path.endsWith('/virtualMachines') && call.query.statusOnly === 'true',
      ),
    ).toBe(true);
    expect(fake.tokenScopes).toContain(`${fake.url}/.default`);
  });

  it('prices a stopped VM by its size and a 100 GiB Premium disk as a P10', async () => {
    const outcome = await scan(account(MIXED));
    if (!outcome.ok) throw new Error(outcome.reason.message);
    const stopped = outcome.value.drafts.find(
      (d) => d.rule_id === 'azure.vm.stopped_not_deallocated',
    );
    expect(stopped?.usage).toEqual([
      {
        kind: 'compute',
        sku: 'vm:Standard_E4s_v5',
        vcpus: 4,
        memory_gib: 32,
        hours: 730,
        powered: false,
      },
    ]);
    const orphan = outcome.value.drafts.find((d) => d.resource_name === 'disk-orphan');
    expect(orphan?.usage).toEqual([
      { kind: 'storage', sku: 'disk:Premium_LRS:P10', gib: 128, medium: 'ssd' },
    ]);
  });

  it('keeps only the findings of the regions a scan is limited to', async () => {
    const elsewhere = await scan({ ...account(MIXED), regions: ['westeurope'] });
    const here = await scan({ ...account(MIXED), regions: ['eastus'] });
    expect(elsewhere).toMatchObject({ ok: true, value: { drafts: [] } });
    expect(here.ok && here.value.drafts.length).toBe(10);
  });

  it('retries a list the service throttled with 429 and Retry-After', async () => {
    const outcome = await scan(account(THROTTLED));
    expect(outcome.ok).toBe(true);
    const statuses = fake.calls
      .filter(
        (call) => call.path === `/subscriptions/${THROTTLED}/providers/Microsoft.Compute/disks`,
      )
      .map((call) => call.status);
    expect(statuses).toEqual([429, 200, 200]);
  });

  it('fails a denied subscription (AuthorizationFailed) and leaves the others alone', async () => {
    const [denied, fine] = await Promise.all([scan(account(DENIED)), scan(account(EMPTY))]);
    expect(denied.ok).toBe(false);
    if (!denied.ok) {
      expect(denied.reason.code).toBe('AuthorizationFailed');
      expect(denied.reason.category).toBe('permission');
      expect(denied.reason.message).toContain('does not have authorization');
    }
    expect(fine.ok).toBe(true);
  });

  it('scans an empty subscription to zero resources and no findings', async () => {
    const outcome = await scan(account(EMPTY));
    expect(outcome).toMatchObject({ ok: true, value: { resources_scanned: 0, drafts: [] } });
  });

  it('fails a check whose call outlives the per-call timeout', async () => {
    const started = performance.now();
    const outcome = await scan(account(SLOW), callOptions({ timeout_ms: 400 }));
    expect(performance.now() - started).toBeLessThan(2500);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.reason.category).toBe('timeout');
      expect(outcome.reason.message).toContain('disks.list');
    }
  });

  it('stops at once and throws an AbortError when the scan is canceled', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const running = scan(account(SLOW), callOptions({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 200);
    const error = await running.then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(error?.name).toBe('AbortError');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('reports a wrong client secret as an auth failure without echoing the secret', async () => {
    const wrong = 'wrong-secret-value-that-must-not-leak';
    const outcome = await scan(account(MIXED, { client_secret: wrong }));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.reason.category).toBe('auth');
      expect(outcome.reason.code).toBe('AADSTS7000215');
      expect(outcome.reason.message).not.toContain(wrong);
    }
  });

  it('fails the check as client_setup_failed when the SDK refuses the tenant id, never throwing', async () => {
    const before = fake.calls.length;
    const outcome = await scan(account(MIXED, { tenant_id: 'AZ_TENANT_ID' }));
    expect(outcome).toMatchObject({
      ok: false,
      reason: { code: 'client_setup_failed', category: 'invalid' },
    });
    if (!outcome.ok) {
      expect(outcome.reason.message).toContain('tenant id');
      expect(outcome.reason.message).not.toContain(SECRET);
    }
    expect(fake.calls.length).toBe(before);
  });

  it('sends every call through the account proxy when proxy_url is set', async () => {
    const proxy = await startConnectProxy();
    try {
      const outcome = await scan(account(EMPTY, { proxy_url: proxy.url }));
      expect(outcome.ok).toBe(true);
      expect(proxy.targets.length).toBeGreaterThan(0);
      expect(new Set(proxy.targets)).toEqual(new Set([new URL(fake.url).host]));
    } finally {
      await proxy.stop();
    }
  });
});
