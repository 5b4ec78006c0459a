import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeEc2, type FakeEc2 } from '../fakes/ec2';
import { AWS_FIXTURE_REGION } from '../fixtures/aws/region-inventory';
import { createTestApp, waitForScan, type TestApp } from '../support/app';
import { writeAwsProfiles, type AwsProfileFiles } from '../support/aws-profile';

let ec2: FakeEc2;
let profiles: AwsProfileFiles;
const apps: TestApp[] = [];
const NOW = new Date('2026-12-01T00:00:00Z');

beforeAll(async () => {
  ec2 = await startFakeEc2({
    inventory: { 'us-east-1': AWS_FIXTURE_REGION, 'eu-west-1': {} },
    regions: ['us-east-1', 'eu-west-1'],
    pageSize: 5,
  });
  profiles = writeAwsProfiles({ abc123: { endpoint: ec2.url }, other: { endpoint: ec2.url } });
  profiles.activate();
});
afterAll(async () => {
  profiles.restore();
  await ec2.close();
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function app(options: Parameters<typeof createTestApp>[0] = {}): Promise<TestApp> {
  const created = await createTestApp({
    env: profiles.env,
    clock: () => new Date(NOW),
    ...options,
  });
  apps.push(created);
  return created;
}

describe('POST /v1/scans', () => {
  it('scans a selected AWS profile through the SDK and stores priced findings', async () => {
    const test = await app();
    const started = await test.callJson('POST', '/v1/scans', {
      selected_accounts: ['profile_abc123'],
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'queued' });
    const scan = await waitForScan(test, started.body.scan_id);
    expect(scan.status).toBe('completed');
    expect(scan.accounts).toHaveLength(1);
    expect(scan.accounts[0]).toMatchObject({
      account_id: 'profile_abc123',
      checks_run: 2,
      checks_failed: 0,
    });
    expect(scan.resources_found).toBeGreaterThan(5);
    expect(scan.estimated_monthly_savings).toBeGreaterThan(0);
    expect(scan.counted_toward_quota).toBe(true);

    const findings = await test.callJson('GET', '/v1/findings');
    expect(Array.isArray(findings.body)).toBe(true);
    expect(findings.body).toHaveLength(scan.resources_found);
    const costs = findings.body.map(
      (f: { estimated_monthly_cost_usd: number }) => f.estimated_monthly_cost_usd,
    );
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    for (const finding of findings.body) {
      expect(finding.scan_id).toBe(scan.id);
      expect(finding.currency).toBe('USD');
      expect(finding.price_source).toMatch(/^(table|fallback):/);
    }
  });

  it('accepts no body as a full-scope scan of every profile', async () => {
    const test = await app();
    const response = await test.call('POST', '/v1/scans', undefined);
    const body = await response.json();
    expect(response.status).toBe(202);
    const scan = await waitForScan(test, body.scan_id);
    expect(scan.selected_accounts.sort()).toEqual(['profile_abc123', 'profile_other']);
  });

  it('refuses unknown accounts and lists them', async () => {
    const test = await app();
    const { status, body } = await test.callJson('POST', '/v1/scans', {
      selected_accounts: ['profile_abc123', 'nope', 'gone'],
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('scan.unknown_accounts');
    expect(body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'selected_accounts.1',
      'selected_accounts.2',
    ]);
  });

  it('answers 422 scan.no_active_checks when nothing resolves and counts nothing', async () => {
    const test = await createTestApp();
    apps.push(test);
    const { status, body } = await test.callJson('POST', '/v1/scans', {});
    expect(status).toBe(422);
    expect(body.error.code).toBe('scan.no_active_checks');
    expect((await test.callJson('GET', '/v1/settings/quota')).body.used).toBe(0);
  });

  it('refuses malformed bodies with the field named', async () => {
    const test = await app();
    expect(
      (await test.callJson('POST', '/v1/scans', '{"selected_accounts":')).body.error.code,
    ).toBe('request.invalid_json');
    const wrong = await test.callJson('POST', '/v1/scans', { selected_accounts: 'profile_abc123' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details[0].path).toBe('selected_accounts');
    const emails = await test.callJson('POST', '/v1/scans', { report_emails: ['not-an-address'] });
    expect(emails.body.error.details[0].path).toBe('report_emails.0');
  });

  it('stops at the monthly quota with quota.exceeded', async () => {
    const test = await app();
    await test.callJson('PATCH', '/v1/settings/quota', { monthly_scan_limit: 1 });
    const first = await test.callJson('POST', '/v1/scans', {
      selected_accounts: ['profile_abc123'],
    });
    await waitForScan(test, first.body.scan_id);
    const second = await test.callJson('POST', '/v1/scans', {
      selected_accounts: ['profile_abc123'],
    });
    expect(second.status).toBe(429);
    expect(second.body.error.code).toBe('quota.exceeded');
  });

  it('isolates a denied region as a failed check and still completes', async () => {
    const denied = await startFakeEc2({
      inventory: { 'us-east-1': AWS_FIXTURE_REGION, 'eu-west-1': {} },
      regions: ['us-east-1', 'eu-west-1'],
      deniedRegions: ['eu-west-1'],
    });
    const files = writeAwsProfiles({ partial: { endpoint: denied.url } });
    files.activate();
    try {
      const test = await app({ env: files.env });
      const started = await test.callJson('POST', '/v1/scans', {});
      const scan = await waitForScan(test, started.body.scan_id);
      expect(scan.status).toBe('completed');
      expect(scan.accounts[0]).toMatchObject({
        status: 'partial',
        checks_run: 2,
        checks_failed: 1,
      });
      expect(scan.accounts[0].errors[0]).toMatchObject({
        region: 'eu-west-1',
        code: 'UnauthorizedOperation',
      });
    } finally {
      files.restore();
      profiles.activate();
      await denied.close();
    }
  });
});

describe('scan scope', () => {
  it('scans only the selected demo accounts in demo mode and refuses unknown ones', async () => {
    const test = await app();
    const unknown = await test.callJson('POST', '/v1/scans', {
      demo_mode: true,
      selected_accounts: ['nope'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('scan.unknown_accounts');
    const real = await test.callJson('POST', '/v1/scans', {
      demo_mode: true,
      selected_accounts: ['profile_abc123'],
    });
    expect(real.status).toBe(400);
    const one = await test.callJson('POST', '/v1/scans', {
      demo_mode: true,
      selected_accounts: ['demo_aws_prod'],
    });
    const scan = await waitForScan(test, one.body.scan_id);
    expect(scan.selected_accounts).toEqual(['demo_aws_prod']);
    expect(scan.accounts.map((a: { account_id: string }) => a.account_id)).toEqual([
      'demo_aws_prod',
    ]);
  });

  it('fails a region the account does not have instead of scanning nothing', async () => {
    const test = await app();
    const started = await test.callJson('POST', '/v1/scans', {
      selected_accounts: ['profile_abc123'],
      regions: ['mars-1'],
    });
    const scan = await waitForScan(test, started.body.scan_id);
    expect(scan.status).toBe('failed');
    expect(scan.counted_toward_quota).toBe(false);
    expect(scan.accounts[0].errors[0]).toMatchObject({
      region: 'mars-1',
      code: 'region.unavailable',
    });
    const mixed = await test.callJson('POST', '/v1/scans', {
      selected_accounts: ['profile_abc123'],
      regions: ['us-east-1', 'mars-1'],
    });
    const partial = await waitForScan(test, mixed.body.scan_id);
    expect(partial.status).toBe('completed');
    expect(partial.accounts[0]).toMatchObject({
      status: 'partial',
      checks_run: 2,
      checks_failed: 1,
    });
  });

  it('keeps honouring cws:ignore=true when the operator sets other excluded tags', async () => {
    const test = await app();
    const before = await test.callJson('POST', '/v1/scans', { demo_mode: true });
    const baseline = (await waitForScan(test, before.body.scan_id)).resources_found;
    await test.callJson('PATCH', '/v1/settings/scan-policy', { excluded_tags: ['team=sandbox'] });
    const after = await test.callJson('POST', '/v1/scans', { demo_mode: true });
    expect((await waitForScan(test, after.body.scan_id)).resources_found).toBeLessThanOrEqual(
      baseline,
    );
    const findings = await test.callJson(
      'GET',
      `/v1/findings?scan_id=${after.body.scan_id}&limit=250`,
    );
    expect(JSON.stringify(findings.body)).not.toContain('cws:ignore');
  });
});

describe('scan progress, events and cancel', () => {
  it('reports real check counts and streams events to the terminal status', async () => {
    const test = await app();
    const started = await test.callJson('POST', '/v1/scans', {
      selected_accounts: ['profile_abc123'],
    });
    const events = await test.call('GET', `/v1/scans/${started.body.scan_id}/events`);
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    const text = await events.text();
    expect(text).toContain('event: progress');
    expect(text).toMatch(/event: status\ndata: \{"scan_id":"[^"]+","status":"completed"\}/);
    const progress = await test.callJson('GET', `/v1/scans/${started.body.scan_id}/progress`);
    expect(progress.body).toMatchObject({
      phase: 'completed',
      checks_total: 2,
      checks_done: 2,
      progress_percent: 100,
    });
  });

  it('cancels a running scan at its next call', async () => {
    const slow = await startFakeEc2({
      inventory: { 'us-east-1': AWS_FIXTURE_REGION },
      regions: ['us-east-1'],
      latencyMs: 300,
    });
    const files = writeAwsProfiles({ slow: { endpoint: slow.url } });
    files.activate();
    try {
      const test = await app({ env: files.env });
      const started = await test.callJson('POST', '/v1/scans', {});
      for (
        let i = 0;
        i < 100 &&
        (await test.callJson('GET', `/v1/scans/${started.body.scan_id}`)).body.status !== 'running';
        i++
      ) {
        await Bun.sleep(10);
      }
      const canceled = await test.callJson('POST', `/v1/scans/${started.body.scan_id}/cancel`);
      expect(canceled.status).toBe(202);
      const scan = await waitForScan(test, started.body.scan_id);
      expect(scan.status).toBe('canceled');
      expect(scan.counted_toward_quota).toBe(false);
      const again = await test.callJson('POST', `/v1/scans/${started.body.scan_id}/cancel`);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('scan.not_cancelable');
    } finally {
      files.restore();
      profiles.activate();
      await slow.close();
    }
  });
});

describe('GET /v1/findings', () => {
  it('pages with an opaque cursor and filters', async () => {
    const test = await app();
    const started = await test.callJson('POST', '/v1/scans', {
      selected_accounts: ['profile_abc123'],
    });
    const scan = await waitForScan(test, started.body.scan_id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await test.callJson('GET', `/v1/findings?envelope=true&limit=3${query}`);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((f: { id: string }) => f.id));
      cursor = page.body.page.next_cursor;
      expect(page.body.page.has_more).toBe(cursor !== null);
    } while (cursor);
    expect(seen).toHaveLength(scan.resources_found);
    expect(new Set(seen).size).toBe(seen.length);

    const bad = await test.callJson('GET', '/v1/findings?cursor=garbage');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('request.validation_failed');
    const tooMany = await test.callJson('GET', '/v1/findings?limit=251');
    expect(tooMany.status).toBe(400);

    const volumes = await test.callJson('GET', '/v1/findings?rule=aws.ebs.unattached');
    expect(volumes.body.length).toBeGreaterThan(0);
    expect(volumes.body.every((f: { rule_id: string }) => f.rule_id === 'aws.ebs.unattached')).toBe(
      true,
    );
  });

  it('converts money to the configured currency and keeps USD', async () => {
    const test = await app();
    const started = await test.callJson('POST', '/v1/scans', {
      selected_accounts: ['profile_abc123'],
    });
    await waitForScan(test, started.body.scan_id);
    await test.callJson('PATCH', '/v1/settings/general', {
      currency: 'EUR',
      currency_rates: { EUR: 0.5 },
    });
    const [top] = (await test.callJson('GET', '/v1/findings?limit=1')).body;
    expect(top.currency).toBe('EUR');
    expect(top.estimated_monthly_cost).toBeCloseTo(top.estimated_monthly_cost_usd * 0.5, 2);
  });

  it('keeps a handled finding handled in the next scan of the unchanged resource', async () => {
    const test = await app();
    const first = await test.callJson('POST', '/v1/scans', {
      selected_accounts: ['profile_abc123'],
    });
    await waitForScan(test, first.body.scan_id);
    const [top] = (await test.callJson('GET', '/v1/findings?limit=1')).body;
    const marked = await test.callJson('POST', `/v1/findings/${top.id}/handled`);
    expect(marked.body.handled).toBe(true);
    const second = await test.callJson('POST', '/v1/scans', {
      selected_accounts: ['profile_abc123'],
    });
    await waitForScan(test, second.body.scan_id);
    const again = (await test.callJson('GET', `/v1/findings?rule=${top.rule_id}`)).body.find(
      (f: { resource_id: string }) => f.resource_id === top.resource_id,
    );
    expect(again.scan_id).toBe(second.body.scan_id);
    expect(again.handled).toBe(true);
    expect(again.first_seen_at).toBe(top.first_seen_at);
    expect((await test.callJson('GET', '/v1/findings/nope')).status).toBe(404);
    const reopened = await test.callJson('POST', `/v1/findings/${again.id}/handled`, {
      handled: false,
      note: 'still needed',
    });
    expect(reopened.body.handled).toBe(false);
    expect((await test.callJson('GET', `/v1/findings/${again.id}`)).body.handled).toBe(false);
    const bad = await test.callJson('POST', `/v1/findings/${again.id}/handled`, {
      handled: 'maybe',
    });
    expect(bad.status).toBe(400);
  });
});

describe('restart', () => {
  it('fails scans left running as interrupted and runs queued ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cws-restart-'));
    try {
      const databasePath = join(dir, 'cws.sqlite');
      const first = await createTestApp({ env: profiles.env, databasePath });
      const scanRecords = first.app.services.scanRecords;
      const base = {
        trigger_source: 'api',
        request: { selected_accounts: ['profile_abc123'] },
        selected_accounts: ['profile_abc123'],
        started_at: null,
        finished_at: null,
        resources_scanned: 0,
        resources_found: 0,
        estimated_monthly_savings_usd: 0,
        carbon_kg_monthly: 0,
        accounts: [],
        inventory: null,
        includes_kubernetes: false,
        error: null,
        report_email_status: null,
        counted_toward_quota: false,
      } as const;
      await scanRecords.create({
        ...base,
        id: 'scan_running',
        status: 'running',
        created_at: '2026-11-30T00:00:00.000Z',
      } as never);
      await scanRecords.create({
        ...base,
        id: 'scan_queued',
        status: 'queued',
        created_at: '2026-11-30T00:00:01.000Z',
      } as never);
      await first.app.store.close();

      const second = await createTestApp({ env: profiles.env, databasePath });
      await second.app.recover();
      const interrupted = (await second.callJson('GET', '/v1/scans/scan_running')).body;
      expect(interrupted).toMatchObject({
        status: 'failed',
        error: 'interrupted',
        counted_toward_quota: false,
      });
      expect((await waitForScan(second, 'scan_queued')).status).toBe('completed');
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
