import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { testAzureConnection } from '../../../core/providers/azure/connectivity';
import { startFakeAzure, type FakeAzure } from '../../fakes/azure';

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = '66666666-7777-8888-9999-000000000000';
const SECRET = 'fake-secret-value-0123456789abcdef';
const GOOD = '00000000-0000-0000-0000-0000000000c1';
const DENIED = '00000000-0000-0000-0000-0000000000c2';
const SLOW = '00000000-0000-0000-0000-0000000000c3';

let fake: FakeAzure;

beforeAll(async () => {
  fake = await startFakeAzure({
    tenantId: TENANT,
    clientId: CLIENT,
    clientSecret: SECRET,
    subscriptions: {
      [GOOD]: {},
      [DENIED]: { denied: true },
      [SLOW]: { delayMs: { disks: 3000 } },
    },
  });
});

afterAll(async () => {
  await fake.stop();
});

function connection(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    tenant_id: TENANT,
    client_id: CLIENT,
    client_secret: SECRET,
    subscription_id: GOOD,
    authority_host: fake.url,
    resource_manager_endpoint: fake.url,
    ...overrides,
  };
}

function options(timeout_ms = 5000) {
  return { timeout_ms, ca: fake.ca, retry: { maxRetries: 0 } };
}

describe('testAzureConnection', () => {
  it('passes both steps with good credentials', async () => {
    const result = await testAzureConnection(connection(), options());
    expect(result.ok).toBe(true);
    expect(result.checks.map((check) => [check.name, check.ok])).toEqual([
      ['token', true],
      ['resource_manager', true],
    ]);
    expect(result.checks.every((check) => check.duration_ms >= 0)).toBe(true);
  });

  it('classifies a wrong client secret as auth and stops at the token step', async () => {
    const wrong = 'wrong-secret-value-that-must-not-leak';
    const result = await testAzureConnection(connection({ client_secret: wrong }), options());
    expect(result).toMatchObject({ ok: false, category: 'auth', code: 'AADSTS7000215' });
    expect(result.checks).toHaveLength(1);
    expect(result.checks[0]).toMatchObject({ name: 'token', ok: false });
    expect(result.checks[0]?.message).toContain('Invalid client secret');
    expect(JSON.stringify(result)).not.toContain(wrong);
  });

  it('classifies a subscription the principal may not read as permission', async () => {
    const result = await testAzureConnection(connection({ subscription_id: DENIED }), options());
    expect(result).toMatchObject({
      ok: false,
      category: 'permission',
      code: 'AuthorizationFailed',
    });
    expect(result.checks.map((check) => check.ok)).toEqual([true, false]);
  });

  it('classifies an authority nobody answers at as network', async () => {
    const closed = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') });
    const url = `https://127.0.0.1:${closed.port}`;
    await closed.stop(true);
    const result = await testAzureConnection(connection({ authority_host: url }), options());
    expect(result).toMatchObject({ ok: false, category: 'network' });
  });

  it('classifies a read slower than the bound as timeout', async () => {
    const result = await testAzureConnection(connection({ subscription_id: SLOW }), options(300));
    expect(result).toMatchObject({ ok: false, category: 'timeout' });
  });

  it('reports a tenant id the SDK refuses as client_setup_failed, like a scan check does', async () => {
    const result = await testAzureConnection(connection({ tenant_id: 'AZ_TENANT_ID' }), options());
    expect(result).toMatchObject({
      ok: false,
      category: 'invalid',
      code: 'client_setup_failed',
      checks: [{ name: 'client', ok: false }],
    });
    expect(result.checks[0]?.message).toContain('tenant id');
  });

  it('reports missing fields without calling the cloud', async () => {
    const result = await testAzureConnection({ tenant_id: TENANT }, options());
    expect(result).toMatchObject({ ok: false, category: 'invalid' });
    expect(result.checks[0]?.message).toContain('client_id, client_secret, subscription_id');
  });
});
