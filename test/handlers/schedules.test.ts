import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderScanner } from '../../core/model';
import type { Durability } from '../../core/repositories';
import { createFakeScanner } from '../fakes/scanner';
import { writeAwsProfiles, type AwsProfileFiles } from '../support/aws-profile';
import { createTestApp, waitForScan, type TestApp } from '../support/app';
import { ManualClock } from '../support/manual-clock';

const START = '2026-12-01T10:00:30Z';
const START_S = Date.parse(START) / 1000;
let profiles: AwsProfileFiles;
let dataDir: string;
const apps: TestApp[] = [];

beforeAll(() => {
  // The profile's endpoint is never reached: a fake scanner stands in for the AWS one.
  profiles = writeAwsProfiles({ abc123: { endpoint: 'http://127.0.0.1:9' } });
  dataDir = mkdtempSync(join(tmpdir(), 'cws-schedules-'));
});
afterAll(() => {
  profiles.restore();
  rmSync(dataDir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function start(
  time: ManualClock,
  options: {
    databasePath?: string;
    withProfile?: boolean;
    scheduler?: boolean;
    scanner?: ProviderScanner;
  } = {},
) {
  const test = await createTestApp({
    env: options.withProfile === false ? undefined : profiles.env,
    clock: time.clock,
    scanners: { aws: options.scanner ?? createFakeScanner('aws') },
    databasePath: options.databasePath,
    background: { timer: time.timer },
  });
  apps.push(test);
  if (options.scheduler !== false) await test.app.scheduler.start();
  return test;
}

const nightly = {
  name: 'nightly-cost-scan',
  enabled: true,
  run_at: 1762473600,
  interval_minutes: 1440,
  timezone: 'UTC',
  scan: {
    selected_accounts: ['profile_abc123'],
    report_emails: ['service@cloud-waste-scanner.com'],
  },
};

describe('POST /v1/schedules', () => {
  it('stores a run_at + interval schedule and answers 201 with its next run', async () => {
    const test = await start(new ManualClock(START));
    const { status, body } = await test.callJson('POST', '/v1/schedules', nightly);
    expect(status).toBe(201);
    expect(body).toMatchObject({
      name: 'nightly-cost-scan',
      enabled: true,
      run_at: 1762473600,
      interval_minutes: 1440,
      timezone: 'UTC',
      cron: null,
      scan: nightly.scan,
      last_run_at: null,
      last_scan_id: null,
      last_error: null,
    });
    expect(body.id).toMatch(/^sch_/);
    // The first run_at + k·interval at or after now: midnight UTC after START.
    expect(body.next_run_at).toBe(Date.parse('2026-12-02T00:00:00Z') / 1000);
    const listed = await test.callJson('GET', '/v1/schedules');
    expect(listed.body.map((s: { id: string }) => s.id)).toEqual([body.id]);
    expect((await test.callJson('GET', `/v1/schedules/${body.id}`)).body).toEqual(body);
  });

  it('takes a cron pattern in a time zone, defaults to full scope and UTC', async () => {
    const test = await start(new ManualClock(START));
    const { status, body } = await test.callJson('POST', '/v1/schedules', {
      name: 'weekday mornings',
      cron: '0 7 * * 1-5',
      timezone: 'Europe/Berlin',
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ run_at: null, interval_minutes: null, scan: {}, enabled: true });
    // 2026-12-01 is a Tuesday; 07:00 in Berlin (CET, UTC+1) has passed, so Wednesday 06:00Z.
    expect(body.next_run_at).toBe(Date.parse('2026-12-02T06:00:00Z') / 1000);
    const utc = await test.callJson('POST', '/v1/schedules', {
      name: 'hourly',
      run_at: START_S + 60,
      interval_minutes: 60,
    });
    expect(utc.body.timezone).toBe('UTC');
  });

  it('keeps the wall-clock time of daily runs across a daylight-saving change', async () => {
    const test = await start(new ManualClock('2026-03-28T12:00:00Z'));
    const { body } = await test.callJson('POST', '/v1/schedules', {
      name: 'berlin nights',
      // 2026-03-27 02:00 in Berlin (CET) = 01:00Z; clocks move forward on 2026-03-29.
      run_at: Date.parse('2026-03-27T01:00:00Z') / 1000,
      interval_minutes: 1440,
      timezone: 'Europe/Berlin',
    });
    expect(body.next_run_at).toBe(Date.parse('2026-03-29T01:00:00Z') / 1000);
    const later = await start(new ManualClock('2026-04-01T12:00:00Z'), { scheduler: false });
    const created = await later.callJson('POST', '/v1/schedules', {
      name: 'berlin nights',
      run_at: Date.parse('2026-03-27T01:00:00Z') / 1000,
      interval_minutes: 1440,
      timezone: 'Europe/Berlin',
    });
    // 02:00 CEST (UTC+2) is 00:00Z.
    expect(created.body.next_run_at).toBe(Date.parse('2026-04-02T00:00:00Z') / 1000);
  });

  it.each([
    [{ name: 'x', run_at: START_S, interval_minutes: 60, timezone: 'Mars/Olympus' }, 'timezone'],
    [{ name: 'x', cron: 'every tuesday' }, 'cron'],
    [{ name: 'x', cron: '61 * * * *' }, 'cron'],
    [{ name: 'x', cron: '*/10 * * * * *' }, 'cron'],
    [{ name: 'x', cron: '0 0 30 2 *' }, 'cron'],
    [{ name: 'x', cron: '0 3 * * *', run_at: START_S }, 'cron'],
    [{ name: 'x' }, 'run_at'],
    [{ name: 'x', run_at: START_S - 3600 }, 'run_at'],
    [{ name: 'x', run_at: START_S, interval_minutes: 0 }, 'interval_minutes'],
    [{ name: 'x', run_at: '1762473600', interval_minutes: 60 }, 'run_at'],
    [{ name: '', run_at: START_S, interval_minutes: 60 }, 'name'],
    [{ name: 'x', run_at: START_S, interval_minutes: 60, scan: { selected: [] } }, 'scan.selected'],
    [{ name: 'x', run_at: START_S, interval_minutes: 60, every: 'day' }, 'every'],
  ])('refuses %j with a detail naming %s', async (body, field) => {
    const test = await start(new ManualClock(START));
    const { status, body: answer } = await test.callJson('POST', '/v1/schedules', body);
    expect(status).toBe(400);
    expect(answer.error.code).toBe('request.validation_failed');
    expect(answer.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });
});

describe('the scheduler', () => {
  it('fires a due schedule on the injected clock and moves to the next run', async () => {
    const time = new ManualClock(START);
    const test = await start(time);
    const created = await test.callJson('POST', '/v1/schedules', {
      name: 'every hour',
      run_at: START_S + 60,
      interval_minutes: 60,
      scan: { selected_accounts: ['profile_abc123'] },
    });
    const settle = () => test.app.scheduler.settled();
    await time.advance(59_000, settle);
    expect((await test.callJson('GET', '/v1/scans')).body).toHaveLength(0);

    await time.advance(1_000, settle);
    const after = (await test.callJson('GET', `/v1/schedules/${created.body.id}`)).body;
    expect(after.last_run_at).toBe(START_S + 60);
    expect(after.last_error).toBeNull();
    expect(after.next_run_at).toBe(START_S + 60 + 3600);
    const scan = await waitForScan(test, after.last_scan_id);
    expect(scan).toMatchObject({ trigger_source: 'schedule', status: 'completed' });
    expect(scan.selected_accounts).toEqual(['profile_abc123']);

    await time.advance(3600_000, settle);
    const scans = (await test.callJson('GET', '/v1/scans')).body;
    expect(scans).toHaveLength(2);
  });

  it('fires each of many schedules due at the same moment exactly once', async () => {
    const time = new ManualClock(START);
    const test = await start(time);
    // More than one page of due schedules, some sharing a next run and some not.
    const ids: string[] = [];
    for (let i = 0; i < 75; i += 1) {
      const created = await test.callJson('POST', '/v1/schedules', {
        name: `burst ${i}`,
        run_at: START_S + 60 + (i % 3),
        interval_minutes: 60,
        scan: { selected_accounts: ['profile_abc123'] },
      });
      ids.push(created.body.id);
    }
    await time.advance(65_000, () => test.app.scheduler.settled());
    await test.app.queue.whenIdle();
    // Past the active-scan limit a run is refused and says so; either way it ran once.
    const scanIds = new Set<string>();
    for (const [i, id] of ids.entries()) {
      const after = (await test.callJson('GET', `/v1/schedules/${id}`)).body;
      expect(after.last_run_at).toBe(START_S + 60 + (i % 3));
      expect(after.next_run_at).toBe(START_S + 60 + (i % 3) + 3600);
      if (after.last_scan_id) scanIds.add(after.last_scan_id);
      else expect(after.last_error).toStartWith('scan.too_many_active: ');
    }
    const scans = (await test.callJson('GET', '/v1/scans?limit=250')).body;
    expect(scans.length).toBeGreaterThan(20);
    expect(new Set(scans.map((s: { id: string }) => s.id))).toEqual(scanIds);
  });

  it('records a refused scan in last_error and keeps the next run', async () => {
    const time = new ManualClock(START);
    const test = await start(time, { withProfile: false });
    const created = await test.callJson('POST', '/v1/schedules', {
      name: 'nothing to scan',
      run_at: START_S + 60,
      interval_minutes: 30,
    });
    await time.advance(60_000, () => test.app.scheduler.settled());
    const after = (await test.callJson('GET', `/v1/schedules/${created.body.id}`)).body;
    expect(after.last_error).toStartWith('scan.no_active_checks: ');
    expect(after.last_scan_id).toBeNull();
    expect(after.last_run_at).toBe(START_S + 60);
    expect(after.next_run_at).toBe(START_S + 60 + 1800);
    expect(after.enabled).toBe(true);
  });

  it('records quota.exceeded the same way', async () => {
    const time = new ManualClock(START);
    const test = await start(time);
    await test.callJson('PATCH', '/v1/settings/quota', { monthly_scan_limit: 0 });
    const created = await test.callJson('POST', '/v1/schedules', {
      name: 'over quota',
      run_at: START_S + 10,
      interval_minutes: 5,
    });
    await time.advance(10_000, () => test.app.scheduler.settled());
    const after = (await test.callJson('GET', `/v1/schedules/${created.body.id}`)).body;
    expect(after.last_error).toStartWith('quota.exceeded: ');
    expect(after.next_run_at).toBe(START_S + 10 + 300);
  });

  it('runs a schedule missed while the process was down once at start, not once per interval', async () => {
    const path = join(dataDir, 'missed.sqlite');
    const time = new ManualClock(START);
    const first = await start(time, { databasePath: path });
    const missed = await first.callJson('POST', '/v1/schedules', {
      name: 'every ten minutes',
      run_at: START_S + 600,
      interval_minutes: 10,
    });
    const ahead = await first.callJson('POST', '/v1/schedules', {
      name: 'tomorrow',
      run_at: START_S + 86_400,
    });
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    // Down for an hour and five minutes: six runs of the first schedule went by.
    time.jumpTo(new Date((START_S + 3900) * 1000));
    const second = await start(time, { databasePath: path });
    const scans = (await second.callJson('GET', '/v1/scans')).body;
    expect(scans).toHaveLength(1);
    expect(scans[0].trigger_source).toBe('schedule');
    const after = (await second.callJson('GET', `/v1/schedules/${missed.body.id}`)).body;
    expect(after.last_scan_id).toBe(scans[0].id);
    expect(after.last_run_at).toBe(START_S + 3900);
    expect(after.next_run_at).toBe(START_S + 4200);
    const untouched = (await second.callJson('GET', `/v1/schedules/${ahead.body.id}`)).body;
    expect(untouched).toMatchObject({ last_run_at: null, next_run_at: START_S + 86_400 });

    // The catch-up run's scan must be over, or the next run is skipped as still going.
    await second.app.queue.whenIdle();
    await time.advance(300_000, () => second.app.scheduler.settled());
    expect((await second.callJson('GET', '/v1/scans')).body).toHaveLength(2);
  });

  it('skips a run while the previous scan of the schedule is still going', async () => {
    const time = new ManualClock(START);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const scanner = createFakeScanner('aws');
    const test = await start(time, {
      scanner: {
        ...scanner,
        runCheck: async (...args) => {
          await held;
          return scanner.runCheck(...args);
        },
      },
    });
    const { body: created } = await test.callJson('POST', '/v1/schedules', {
      name: 'every minute',
      run_at: START_S + 60,
      interval_minutes: 1,
    });
    const settle = () => test.app.scheduler.settled();
    await time.advance(60_000, settle);
    const first = (await test.callJson('GET', `/v1/schedules/${created.id}`)).body;
    await waitForStatus(test, first.last_scan_id, 'running');

    await time.advance(60_000, settle);
    const skipped = (await test.callJson('GET', `/v1/schedules/${created.id}`)).body;
    expect(skipped.last_error).toBe(`skipped: scan ${first.last_scan_id} is still running`);
    expect(skipped.last_scan_id).toBe(first.last_scan_id);
    expect(skipped.next_run_at).toBe(START_S + 180);
    expect((await test.callJson('GET', '/v1/scans')).body).toHaveLength(1);

    release();
    await waitForScan(test, first.last_scan_id);
    await time.advance(60_000, settle);
    const resumed = (await test.callJson('GET', `/v1/schedules/${created.id}`)).body;
    expect(resumed.last_error).toBeNull();
    expect(resumed.last_scan_id).not.toBe(first.last_scan_id);
  });
});

async function waitForStatus(test: TestApp, scanId: string, status: string): Promise<void> {
  for (let tries = 0; tries < 500; tries += 1) {
    if ((await test.callJson('GET', `/v1/scans/${scanId}`)).body.status === status) return;
    await Bun.sleep(5);
  }
  throw new Error(`scan ${scanId} never became ${status}`);
}

/** Each write as `verb table` with the durability of the commit that covered it. */
function watchWrites(test: TestApp): Map<string, Set<Durability>> {
  const store = test.app.store;
  const seen = new Map<string, Set<Durability>>();
  let pending: string[] = [];
  const run = store.run.bind(store);
  store.run = (sql, params) => {
    const write = /^(INSERT INTO|UPDATE|DELETE FROM) (\w+)/.exec(sql);
    if (write) pending.push(`${write[1]} ${write[2]}`);
    run(sql, params);
  };
  const commit = store.commit.bind(store);
  store.commit = (durability = 'acknowledged') => {
    for (const write of pending) seen.set(write, (seen.get(write) ?? new Set()).add(durability));
    pending = [];
    return commit(durability);
  };
  return seen;
}

describe('how soon the writes of a run reach the disk', () => {
  it('lets every write of a run the timer fired wait to share a flush', async () => {
    const time = new ManualClock(START);
    const test = await start(time);
    await test.callJson('POST', '/v1/schedules', {
      name: 'every hour',
      run_at: START_S + 60,
      interval_minutes: 60,
      scan: { selected_accounts: ['profile_abc123'] },
    });
    const writes = watchWrites(test);
    await time.advance(60_000, () => test.app.scheduler.settled());
    await test.app.queue.whenIdle();

    expect(Object.fromEntries([...writes].map(([write, kinds]) => [write, [...kinds]]))).toEqual({
      'INSERT INTO scans': ['background'],
      'INSERT INTO audit_events': ['background'],
      'UPDATE schedules': ['background'],
      'UPDATE scans': ['background'],
    });
  });

  it("has the writes a run-now call answers for flushed promptly, and its scan's not", async () => {
    const test = await start(new ManualClock(START));
    const created = await test.callJson('POST', '/v1/schedules', nightly);
    const writes = watchWrites(test);
    const { body } = await test.callJson('POST', `/v1/schedules/${created.body.id}/run-now`);
    await waitForScan(test, body.scan_id);

    expect(writes.get('INSERT INTO scans')).toEqual(new Set(['acknowledged']));
    expect(writes.get('UPDATE schedules')).toEqual(new Set(['acknowledged']));
    expect(writes.get('UPDATE scans')).toEqual(new Set(['background']));
    // scan.started is answered for; the scan's end is not.
    expect(writes.get('INSERT INTO audit_events')).toEqual(new Set(['acknowledged', 'background']));
  });
});

describe('POST /v1/schedules/{id}/run-now', () => {
  it('starts the scan now, answers 202 and leaves the next run alone', async () => {
    const test = await start(new ManualClock(START));
    const created = await test.callJson('POST', '/v1/schedules', nightly);
    const { status, body } = await test.callJson(
      'POST',
      `/v1/schedules/${created.body.id}/run-now`,
    );
    expect(status).toBe(202);
    expect(body).toMatchObject({ status: 'queued', schedule_id: created.body.id });
    expect(body.scan_id).toMatch(/^scan_/);
    const scan = await waitForScan(test, body.scan_id);
    expect(scan.trigger_source).toBe('schedule');
    expect(scan.report_email_status.recipients).toEqual(['service@cloud-waste-scanner.com']);
    const after = (await test.callJson('GET', `/v1/schedules/${created.body.id}`)).body;
    expect(after).toMatchObject({
      last_scan_id: body.scan_id,
      last_run_at: START_S,
      last_error: null,
      next_run_at: created.body.next_run_at,
    });
  });

  it("answers a refused scan with the scan's error and records it", async () => {
    const test = await start(new ManualClock(START), { withProfile: false });
    const created = await test.callJson('POST', '/v1/schedules', { ...nightly, scan: {} });
    const { status, body } = await test.callJson(
      'POST',
      `/v1/schedules/${created.body.id}/run-now`,
    );
    expect(status).toBe(422);
    expect(body.error.code).toBe('scan.no_active_checks');
    const after = (await test.callJson('GET', `/v1/schedules/${created.body.id}`)).body;
    expect(after.last_error).toStartWith('scan.no_active_checks: ');
  });

  it('answers 404 for an unknown schedule', async () => {
    const test = await start(new ManualClock(START));
    const { status, body } = await test.callJson('POST', '/v1/schedules/sch_nope/run-now');
    expect(status).toBe(404);
    expect(body.error.code).toBe('resource.not_found');
  });
});

describe('selected accounts of a schedule', () => {
  it('refuses unknown account ids at creation with scan.unknown_accounts, listing them', async () => {
    const test = await start(new ManualClock(START));
    const { status, body } = await test.callJson('POST', '/v1/schedules', {
      ...nightly,
      scan: { selected_accounts: ['profile_abc123', 'nope', 'acct_gone'] },
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('scan.unknown_accounts');
    expect(body.error.message).toBe('unknown account ids: nope, acct_gone');
    expect(body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'scan.selected_accounts.1',
      'scan.selected_accounts.2',
    ]);
    expect((await test.callJson('GET', '/v1/schedules')).body).toEqual([]);
  });

  it('accepts the demo accounts, and only them in demo mode', async () => {
    const test = await start(new ManualClock(START));
    const demo = await test.callJson('POST', '/v1/schedules', {
      ...nightly,
      scan: { selected_accounts: ['demo_aws_prod', 'profile_abc123'] },
    });
    expect(demo.status).toBe(201);
    const demoMode = await test.callJson('POST', '/v1/schedules', {
      ...nightly,
      scan: { demo_mode: true, selected_accounts: ['demo_azure_corp', 'profile_abc123'] },
    });
    expect(demoMode.status).toBe(400);
    expect(demoMode.body.error).toMatchObject({
      code: 'scan.unknown_accounts',
      details: [{ path: 'scan.selected_accounts.1' }],
    });
  });

  it('refuses unknown account ids in a PATCH and leaves the schedule as it was', async () => {
    const test = await start(new ManualClock(START));
    const { body: created } = await test.callJson('POST', '/v1/schedules', nightly);
    const { status, body } = await test.callJson('PATCH', `/v1/schedules/${created.id}`, {
      name: 'renamed',
      scan: { selected_accounts: ['nope'] },
    });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({
      code: 'scan.unknown_accounts',
      details: [{ path: 'scan.selected_accounts.0' }],
    });
    expect((await test.callJson('GET', `/v1/schedules/${created.id}`)).body).toEqual(created);
    const fine = await test.callJson('PATCH', `/v1/schedules/${created.id}`, {
      scan: { selected_accounts: ['demo_k8s_prod'] },
    });
    expect(fine.status).toBe(200);
    expect(fine.body.scan).toEqual({ selected_accounts: ['demo_k8s_prod'] });
  });
});

describe('PATCH and DELETE /v1/schedules/{id}', () => {
  it('disables, re-enables from now and switches to cron', async () => {
    const time = new ManualClock(START);
    const test = await start(time);
    const { body: created } = await test.callJson('POST', '/v1/schedules', nightly);
    const disabled = await test.callJson('PATCH', `/v1/schedules/${created.id}`, {
      enabled: false,
    });
    expect(disabled.body).toMatchObject({ enabled: false, next_run_at: null });

    time.jumpTo('2026-12-05T12:00:00Z');
    const enabled = await test.callJson('PATCH', `/v1/schedules/${created.id}`, { enabled: true });
    expect(enabled.body.next_run_at).toBe(Date.parse('2026-12-06T00:00:00Z') / 1000);
    expect((await test.callJson('GET', '/v1/scans')).body).toHaveLength(0);

    const cron = await test.callJson('PATCH', `/v1/schedules/${created.id}`, {
      cron: '30 4 * * *',
    });
    expect(cron.body).toMatchObject({ cron: '30 4 * * *', run_at: null, interval_minutes: null });
    expect(cron.body.next_run_at).toBe(Date.parse('2026-12-06T04:30:00Z') / 1000);
    expect(cron.body.scan).toEqual(nightly.scan);

    const renamed = await test.callJson('PATCH', `/v1/schedules/${created.id}`, { name: 'n2' });
    expect(renamed.body).toMatchObject({ name: 'n2', next_run_at: cron.body.next_run_at });
    expect((await test.callJson('PATCH', `/v1/schedules/${created.id}`, {})).status).toBe(400);
    const both = await test.callJson('PATCH', `/v1/schedules/${created.id}`, {
      interval_minutes: 60,
    });
    expect(both.status).toBe(400);
  });

  it('deletes a schedule and records who changed what', async () => {
    const test = await start(new ManualClock(START));
    const { body: created } = await test.callJson('POST', '/v1/schedules', nightly);
    expect((await test.call('DELETE', `/v1/schedules/${created.id}`)).status).toBe(204);
    expect((await test.callJson('GET', `/v1/schedules/${created.id}`)).status).toBe(404);
    expect((await test.call('DELETE', `/v1/schedules/${created.id}`)).status).toBe(404);
    const actions = (await test.callJson('GET', '/v1/events')).body.map(
      (e: { action: string }) => e.action,
    );
    expect(actions).toContain('schedule.created');
    expect(actions).toContain('schedule.deleted');
  });
});
