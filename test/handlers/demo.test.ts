import { afterEach, describe, expect, it } from 'bun:test';
import { DEMO_ACCOUNT_IDS } from '../../core/demo';
import { createTestApp, waitForScan, type TestApp } from '../support/app';

const apps: TestApp[] = [];
const DEMO_IDS = Object.values(DEMO_ACCOUNT_IDS).sort();

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function app(options: Parameters<typeof createTestApp>[0] = {}): Promise<TestApp> {
  const created = await createTestApp(options);
  apps.push(created);
  return created;
}

async function allFindings(test: TestApp, query = ''): Promise<any[]> {
  return (await test.callJson('GET', `/v1/findings?limit=250${query}`)).body;
}

describe('POST /v1/scans with demo_mode', () => {
  it('scans the demo cloud across all four providers without counting toward the quota', async () => {
    const test = await app();
    const started = await test.callJson('POST', '/v1/scans', { demo_mode: true });
    expect(started.status).toBe(202);
    const scan = await waitForScan(test, started.body.scan_id);
    expect(scan).toMatchObject({
      status: 'completed',
      demo_mode: true,
      counted_toward_quota: false,
    });
    expect(scan.selected_accounts.sort()).toEqual(DEMO_IDS);
    for (const account of scan.accounts) {
      expect(account).toMatchObject({ status: 'completed', checks_failed: 0 });
      expect(account.checks_run).toBeGreaterThan(0);
    }
    expect(scan.resources_found).toBeGreaterThanOrEqual(40);
    expect(scan.estimated_monthly_savings).toBeGreaterThan(1_000);

    const findings = await allFindings(test);
    expect(findings).toHaveLength(scan.resources_found);
    expect(new Set(findings.map((f) => f.provider))).toEqual(
      new Set(['aws', 'azure', 'alibaba', 'kubernetes']),
    );
    expect(findings.every((f) => f.scan_id === scan.id && f.currency === 'USD')).toBe(true);
    const cluster = (await test.callJson('GET', '/v1/k8s/inventory')).body;
    expect(cluster.scan_id).toBe(scan.id);
    expect(cluster.clusters.map((c: { account_id: string }) => c.account_id)).toEqual([
      DEMO_ACCOUNT_IDS.kubernetes,
    ]);
    expect(cluster.totals.nodes).toBe(5);
    expect((await test.callJson('GET', '/v1/settings/quota')).body.used).toBe(0);
  });

  it('is accepted even when the monthly quota is used up', async () => {
    const test = await app();
    await test.callJson('PATCH', '/v1/settings/quota', { monthly_scan_limit: 0 });
    const started = await test.callJson('POST', '/v1/scans', { demo_mode: true });
    expect(started.status).toBe(202);
    expect((await waitForScan(test, started.body.scan_id)).status).toBe('completed');
    expect((await test.callJson('GET', '/v1/settings/quota')).body.used).toBe(0);
  });

  it('runs from the MCP run_scan tool', async () => {
    const test = await app();
    const run = await test.callJson('POST', '/v1/mcp/tools/run-scan', { demo_mode: true });
    expect(run.body.tool).toBe('run_scan');
    const scan = await waitForScan(test, run.body.result.scan_id);
    expect(scan.status).toBe('completed');
    expect(scan.selected_accounts.sort()).toEqual(DEMO_IDS);
  });
});

describe('serve --demo', () => {
  it('lists the demo accounts only when the server runs with --demo', async () => {
    const plain = await app();
    const none = (await plain.callJson('GET', '/v1/accounts')).body;
    expect(none.filter((a: { source: string }) => a.source === 'demo')).toEqual([]);

    const demo = await app({ config: { demo: true } });
    const accounts = (await demo.callJson('GET', '/v1/accounts')).body;
    expect(accounts.map((a: { id: string }) => a.id).sort()).toEqual(DEMO_IDS);
    expect(accounts.find((a: { id: string }) => a.id === DEMO_ACCOUNT_IDS.aws)).toEqual({
      id: DEMO_ACCOUNT_IDS.aws,
      provider: 'aws',
      name: expect.stringContaining('demo'),
      source: 'demo',
      regions: ['us-east-1', 'eu-west-1', 'ap-southeast-1'],
    });
  });

  it('scans every demo account on a full-scope scan with no body', async () => {
    const test = await app({ config: { demo: true } });
    const response = await test.call('POST', '/v1/scans');
    expect(response.status).toBe(202);
    const scan = await waitForScan(test, (await response.json()).scan_id);
    expect(scan.status).toBe('completed');
    expect(scan.selected_accounts.sort()).toEqual(DEMO_IDS);
    expect(scan.resources_found).toBeGreaterThanOrEqual(40);
  });

  it('scans selected demo accounts by id', async () => {
    const test = await app({ config: { demo: true } });
    const started = await test.callJson('POST', '/v1/scans', {
      selected_accounts: [DEMO_ACCOUNT_IDS.azure],
    });
    const scan = await waitForScan(test, started.body.scan_id);
    expect(scan.status).toBe('completed');
    const findings = await allFindings(test);
    expect(findings.length).toBeGreaterThan(5);
    expect(findings.every((f) => f.account_id === DEMO_ACCOUNT_IDS.azure)).toBe(true);
  });

  it('starts one demo scan on a fresh database and none once findings exist', async () => {
    const test = await app({ config: { demo: true } });
    const scanId = await test.app.startDemo();
    expect(scanId).toEqual(expect.any(String));
    // While it runs (or once it is done) a second start has nothing to do.
    expect(await test.app.startDemo()).toBeNull();
    const scan = await waitForScan(test, scanId as string);
    expect(scan).toMatchObject({
      status: 'completed',
      trigger_source: 'startup',
      counted_toward_quota: false,
    });
    expect((await allFindings(test)).length).toBe(scan.resources_found);
    expect(await test.app.startDemo()).toBeNull();
    expect((await test.callJson('GET', '/v1/scans')).body).toHaveLength(1);
  });

  it('starts no demo scan without --demo', async () => {
    const test = await app();
    expect(await test.app.startDemo()).toBeNull();
    expect((await test.callJson('GET', '/v1/scans')).body).toEqual([]);
  });
});
