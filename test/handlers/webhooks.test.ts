import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWebhookSignature as verifyWithJsClient } from '../../clients/js/src/webhooks';
import { createFakeScanner } from '../fakes/scanner';
import { startHttpReceiver, type CapturedRequest, type HttpReceiver } from '../fakes/http-receiver';
import { writeAwsProfiles, type AwsProfileFiles } from '../support/aws-profile';
import { createTestApp, waitForScan, type TestApp } from '../support/app';
import { ManualClock } from '../support/manual-clock';

const START = '2026-12-01T10:00:00Z';
const SECRET = 'shared-secret';
const BASE_DELAY_MS = 1000;
const MASTER_KEY = new Uint8Array(32).fill(7);
let profiles: AwsProfileFiles;
let dataDir: string;
const apps: TestApp[] = [];
const receivers: HttpReceiver[] = [];

beforeAll(() => {
  profiles = writeAwsProfiles({ abc123: { endpoint: 'http://127.0.0.1:9' } });
  dataDir = mkdtempSync(join(tmpdir(), 'cws-webhooks-'));
});
afterAll(() => {
  profiles.restore();
  rmSync(dataDir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function start(
  time: ManualClock,
  options: {
    databasePath?: string;
    maxAttempts?: number;
    timeoutMs?: number;
    masterKey?: Uint8Array;
  } = {},
) {
  const test = await createTestApp({
    env: profiles.env,
    clock: time.clock,
    scanners: { aws: createFakeScanner('aws') },
    databasePath: options.databasePath,
    masterKey: options.masterKey ?? MASTER_KEY,
    background: {
      timer: time.timer,
      webhookRetry: {
        baseDelayMs: BASE_DELAY_MS,
        maxDelayMs: 60_000,
        maxAttempts: options.maxAttempts ?? 6,
        timeoutMs: options.timeoutMs ?? 2000,
      },
    },
  });
  apps.push(test);
  return test;
}

function receiver(options: Parameters<typeof startHttpReceiver>[0] = {}): HttpReceiver {
  const started = startHttpReceiver(options);
  receivers.push(started);
  return started;
}

/** What a receiver does with each request: the client's check, at the receiver's clock. */
function isGenuine(request: CapturedRequest, now: number, secret = SECRET): boolean {
  return verifyWithJsClient({
    secret,
    timestamp: request.headers['x-cws-timestamp'] as string,
    body: request.bytes,
    signature: request.headers['x-cws-signature'] ?? '',
    now: now / 1000,
  });
}

async function deliveries(test: TestApp, webhookId: string) {
  return (await test.callJson('GET', `/v1/webhooks/${webhookId}/deliveries`)).body as Array<
    Record<string, any>
  >;
}

async function until<T>(probe: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  for (let tries = 0; tries < 400; tries += 1) {
    const value = await probe();
    if (accept(value)) return value;
    await Bun.sleep(10);
  }
  throw new Error('condition never held');
}

describe('POST /v1/webhooks', () => {
  it('answers 201 with has_secret and never shows the secret again', async () => {
    const test = await start(new ManualClock(START));
    const { status, body } = await test.callJson('POST', '/v1/webhooks', {
      url: 'https://example.com/cws-webhook',
      events: ['scan.completed'],
      is_active: true,
      secret: SECRET,
    });
    expect(status).toBe(201);
    expect(body).toEqual({
      id: expect.stringMatching(/^whk_/),
      name: null,
      url: 'https://example.com/cws-webhook',
      events: ['scan.completed'],
      is_active: true,
      has_secret: true,
      created_at: '2026-12-01T10:00:00.000Z',
      updated_at: '2026-12-01T10:00:00.000Z',
    });
    const patched = await test.callJson('PATCH', `/v1/webhooks/${body.id}`, { name: 'ops' });
    const texts = [
      JSON.stringify(patched.body),
      JSON.stringify((await test.callJson('GET', '/v1/webhooks')).body),
      JSON.stringify((await test.callJson('GET', `/v1/webhooks/${body.id}`)).body),
      JSON.stringify((await test.callJson('GET', '/v1/events')).body),
    ];
    for (const text of texts) expect(text).not.toContain(SECRET);
    expect(patched.body).toMatchObject({ name: 'ops', has_secret: true });
  });

  it('defaults to every scan and report event, active, no secret', async () => {
    const test = await start(new ManualClock(START));
    const { body } = await test.callJson('POST', '/v1/webhooks', { url: 'http://127.0.0.1:1/x' });
    expect(body).toMatchObject({
      events: [
        'scan.started',
        'scan.completed',
        'scan.failed',
        'scan.canceled',
        'report.generated',
      ],
      is_active: true,
      has_secret: false,
    });
  });

  it.each([
    [{ url: 'ftp://example.com/hook' }, 'url'],
    [{ url: 'https://user:pass@example.com/hook' }, 'url'],
    [{ url: 'https://token@example.com/hook' }, 'url'],
    [{ url: 'not a url' }, 'url'],
    [{ url: 'javascript:alert(1)' }, 'url'],
    [{ url: 'https://example.com', events: ['scan.exploded'] }, 'events.0'],
    [{ url: 'https://example.com', events: [] }, 'events'],
    [{ url: 'https://example.com', secret: '' }, 'secret'],
    [{ url: 'https://example.com', colour: 'red' }, 'colour'],
  ])('refuses %j with a detail naming %s', async (body, field) => {
    const test = await start(new ManualClock(START));
    const { status, body: answer } = await test.callJson('POST', '/v1/webhooks', body);
    expect(status).toBe(400);
    expect(answer.error.code).toBe('request.validation_failed');
    expect(answer.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('keeps the secret sealed in the database file', async () => {
    const time = new ManualClock(START);
    const path = join(dataDir, 'sealed.sqlite');
    const test = await start(time, { databasePath: path });
    await test.callJson('POST', '/v1/webhooks', {
      url: 'https://example.com/hook',
      secret: 'a-very-recognisable-secret',
    });
    await test.app.store.commit();
    expect(readFileSync(path).includes('a-very-recognisable-secret')).toBe(false);
  });
});

describe('POST /v1/webhooks/{id}/test', () => {
  it('sends a signed webhook.test and reports how the receiver answered', async () => {
    const time = new ManualClock(START);
    const test = await start(time);
    const target = receiver();
    const { body: hook } = await test.callJson('POST', '/v1/webhooks', {
      url: `${target.url}/hooks/cws`,
      secret: SECRET,
    });
    const { status, body } = await test.callJson('POST', `/v1/webhooks/${hook.id}/test`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, status_code: 200 });
    expect(body.duration_ms).toBeGreaterThanOrEqual(0);
    expect(body.error).toBeUndefined();

    const [request] = target.requests;
    expect(request!.path).toBe('/hooks/cws');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-cws-event']).toBe('webhook.test');
    expect(request!.headers['x-cws-timestamp']).toBe(String(time.now / 1000));
    expect(isGenuine(request!, time.now)).toBe(true);
    const payload = JSON.parse(request!.body);
    expect(payload).toMatchObject({ event: 'webhook.test', data: { webhook_id: hook.id } });
    expect(payload.id).toMatch(/^whe_/);

    const log = await deliveries(test, hook.id);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      id: request!.headers['x-cws-delivery'],
      event: 'webhook.test',
      status: 'delivered',
      attempts: 1,
      last_status_code: 200,
      next_attempt_at: null,
    });
    expect(JSON.stringify(log)).not.toContain(SECRET);
  });

  it('reports a failing and an unreachable receiver without retrying a test', async () => {
    const test = await start(new ManualClock(START));
    const failing = receiver({ failFirst: 1, status: 503 });
    const { body: hook } = await test.callJson('POST', '/v1/webhooks', { url: failing.url });
    const answered = await test.callJson('POST', `/v1/webhooks/${hook.id}/test`);
    expect(answered.body).toMatchObject({
      ok: false,
      status_code: 503,
      error: 'receiver answered HTTP 503',
    });

    const gone = receiver();
    await gone.close();
    await test.callJson('PATCH', `/v1/webhooks/${hook.id}`, { url: `${gone.url}/hook` });
    const unreachable = await test.callJson('POST', `/v1/webhooks/${hook.id}/test`);
    expect(unreachable.body.ok).toBe(false);
    expect(unreachable.body.status_code).toBeNull();
    expect(unreachable.body.error).toStartWith('could not reach the receiver');
    expect(unreachable.body.error).not.toContain(gone.url);
    const log = await deliveries(test, hook.id);
    expect(log.map((d) => d.status)).toEqual(['failed', 'failed']);
  });
});

describe('delivering events', () => {
  it('posts each subscribed scan event to each active webhook, signed', async () => {
    const time = new ManualClock(START);
    const test = await start(time);
    const target = receiver();
    const other = receiver();
    const { body: hook } = await test.callJson('POST', '/v1/webhooks', {
      url: target.url,
      events: ['scan.started', 'scan.completed'],
      secret: SECRET,
    });
    await test.callJson('POST', '/v1/webhooks', {
      url: other.url,
      events: ['scan.completed'],
      is_active: false,
    });
    await test.callJson('POST', '/v1/webhooks', { url: other.url, events: ['scan.failed'] });

    const started = await test.callJson('POST', '/v1/scans', {
      selected_accounts: ['profile_abc123'],
    });
    await waitForScan(test, started.body.scan_id);
    const requests = await target.waitForRequests(2);
    await test.app.webhookWorker.settled();

    expect(requests.map((r) => r.headers['x-cws-event']).sort()).toEqual([
      'scan.completed',
      'scan.started',
    ]);
    for (const request of requests) expect(isGenuine(request, time.now)).toBe(true);
    const completed = JSON.parse(
      requests.find((r) => r.headers['x-cws-event'] === 'scan.completed')!.body,
    );
    expect(completed.data).toMatchObject({
      scan_id: started.body.scan_id,
      status: 'completed',
      trigger_source: 'api',
      selected_accounts: ['profile_abc123'],
      currency: 'USD',
    });
    expect(completed.created_at).toBe('2026-12-01T10:00:00.000Z');
    expect(other.requests).toHaveLength(0);
    const log = await deliveries(test, hook.id);
    expect(log.map((d) => [d.event, d.status, d.attempts]).sort()).toEqual([
      ['scan.completed', 'delivered', 1],
      ['scan.started', 'delivered', 1],
    ]);
  });

  it('retries with growing, jittered waits and fresh signatures until the receiver accepts', async () => {
    const time = new ManualClock(START);
    const test = await start(time);
    const target = receiver({ failFirst: 3, status: 500 });
    const { body: hook } = await test.callJson('POST', '/v1/webhooks', {
      url: target.url,
      events: ['scan.completed'],
      secret: SECRET,
    });
    const scan = await test.callJson('POST', '/v1/scans', {});
    await waitForScan(test, scan.body.scan_id);
    await target.waitForRequests(1);
    await test.app.webhookWorker.settled();

    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const [entry] = await deliveries(test, hook.id);
      expect(entry).toMatchObject({
        status: 'pending',
        attempts: attempt,
        last_status_code: 500,
        last_error: 'receiver answered HTTP 500',
      });
      const wait = Date.parse(entry!.next_attempt_at) - time.now;
      const full = BASE_DELAY_MS * 2 ** (attempt - 1);
      expect(wait).toBeGreaterThanOrEqual(full / 2);
      expect(wait).toBeLessThanOrEqual(full);
      waits.push(wait);
      // Nothing goes out before the wait is over.
      await time.advance(wait - 1, () => test.app.webhookWorker.settled());
      expect(target.requests).toHaveLength(attempt);
      await time.advance(1, () => test.app.webhookWorker.settled());
      await target.waitForRequests(attempt + 1);
      await test.app.webhookWorker.settled();
    }
    const [done] = await deliveries(test, hook.id);
    expect(done).toMatchObject({
      status: 'delivered',
      attempts: 4,
      last_status_code: 200,
      next_attempt_at: null,
      last_error: null,
    });
    // Every attempt: same delivery id and body, its own timestamp, a signature that verifies then.
    const ids = new Set(target.requests.map((r) => r.headers['x-cws-delivery']));
    expect(ids.size).toBe(1);
    expect(new Set(target.requests.map((r) => r.body)).size).toBe(1);
    for (const request of target.requests) {
      const at = Number(request.headers['x-cws-timestamp']) * 1000;
      expect(isGenuine(request, at)).toBe(true);
    }
    // A receiver refuses a stale signature: the first attempt replayed at the end.
    expect(isGenuine(target.requests[0]!, time.now + 301_000)).toBe(false);
    expect(waits).toHaveLength(3);
  });

  it('gives up after the last attempt and says why', async () => {
    const time = new ManualClock(START);
    const test = await start(time, { maxAttempts: 5 });
    const target = receiver({ failFirst: 100, status: 502 });
    const { body: hook } = await test.callJson('POST', '/v1/webhooks', {
      url: target.url,
      events: ['scan.completed'],
    });
    const scan = await test.callJson('POST', '/v1/scans', {});
    await waitForScan(test, scan.body.scan_id);
    await target.waitForRequests(1);
    await test.app.webhookWorker.settled();
    for (let step = 0; step < 6; step += 1) {
      await time.advance(60_000, () => test.app.webhookWorker.settled());
    }
    expect(target.requests).toHaveLength(5);
    const [entry] = await deliveries(test, hook.id);
    expect(entry).toMatchObject({
      status: 'failed',
      attempts: 5,
      next_attempt_at: null,
      last_status_code: 502,
    });
    expect(target.requests[0]!.headers['x-cws-signature']).toBeUndefined();
  });

  it('resumes pending deliveries after a restart with the same id and body', async () => {
    const path = join(dataDir, 'resume.sqlite');
    const time = new ManualClock(START);
    const target = receiver({ failFirst: 1, status: 500 });
    const first = await start(time, { databasePath: path });
    const { body: hook } = await first.callJson('POST', '/v1/webhooks', {
      url: target.url,
      events: ['scan.completed'],
      secret: SECRET,
    });
    const scan = await first.callJson('POST', '/v1/scans', {});
    await waitForScan(first, scan.body.scan_id);
    await target.waitForRequests(1);
    await first.app.webhookWorker.settled();
    const [pending] = await deliveries(first, hook.id);
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    await time.advance(3_600_000);
    const second = await start(time, { databasePath: path });
    await target.waitForRequests(2);
    await second.app.webhookWorker.settled();
    const [retry] = target.requests.slice(1);
    expect(retry!.headers['x-cws-delivery']).toBe(pending!.id);
    expect(retry!.body).toBe(target.requests[0]!.body);
    expect(isGenuine(retry!, time.now)).toBe(true);
    const [done] = await deliveries(second, hook.id);
    expect(done).toMatchObject({ id: pending!.id, status: 'delivered', attempts: 2 });
  });

  it('never sends unsigned when the secret cannot be decrypted (master key changed)', async () => {
    const path = join(dataDir, 'rekeyed.sqlite');
    const time = new ManualClock(START);
    const target = receiver();
    const first = await start(time, { databasePath: path });
    const { body: hook } = await first.callJson('POST', '/v1/webhooks', {
      url: target.url,
      secret: SECRET,
    });
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    const second = await start(time, { databasePath: path, masterKey: new Uint8Array(32) });
    expect((await second.callJson('GET', `/v1/webhooks/${hook.id}`)).body.has_secret).toBe(true);
    const { body } = await second.callJson('POST', `/v1/webhooks/${hook.id}/test`);
    expect(body).toMatchObject({ ok: false, status_code: null });
    expect(body.error).toContain('cannot be decrypted');
    expect(target.requests).toHaveLength(0);
  });

  it('sends no signature once the secret is removed', async () => {
    const time = new ManualClock(START);
    const test = await start(time);
    const target = receiver();
    const { body: hook } = await test.callJson('POST', '/v1/webhooks', {
      url: target.url,
      secret: SECRET,
    });
    const patched = await test.callJson('PATCH', `/v1/webhooks/${hook.id}`, { secret: null });
    expect(patched.body.has_secret).toBe(false);
    await test.callJson('POST', `/v1/webhooks/${hook.id}/test`);
    expect(target.requests[0]!.headers['x-cws-signature']).toBeUndefined();
    expect(target.requests[0]!.headers['x-cws-delivery']).toBeString();
  });

  it('keeps the API and scans quick while a receiver hangs, and times attempts out', async () => {
    const time = new ManualClock(START);
    const test = await start(time, { timeoutMs: 300 });
    const slow = receiver({ delayMs: 1500 });
    const { body: hook } = await test.callJson('POST', '/v1/webhooks', { url: slow.url });
    for (let index = 0; index < 5; index += 1) {
      const scan = await test.callJson('POST', '/v1/scans', {});
      const started = performance.now();
      await waitForScan(test, scan.body.scan_id);
      expect(performance.now() - started).toBeLessThan(1000);
    }
    const started = performance.now();
    expect((await test.call('GET', '/status')).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(100);
    expect(test.app.webhookWorker.active).toBeLessThanOrEqual(8);
    await test.app.webhookWorker.settled();
    const log = await until(
      () => deliveries(test, hook.id),
      (entries) => entries.some((d) => d.attempts > 0),
    );
    expect(log.find((d) => d.attempts > 0)!.last_error).toBe('timed out after 300 ms');
  });

  it('drops the delivery log with its webhook', async () => {
    const test = await start(new ManualClock(START));
    const target = receiver();
    const { body: hook } = await test.callJson('POST', '/v1/webhooks', { url: target.url });
    await test.callJson('POST', `/v1/webhooks/${hook.id}/test`);
    expect((await test.call('DELETE', `/v1/webhooks/${hook.id}`)).status).toBe(204);
    expect((await test.callJson('GET', `/v1/webhooks/${hook.id}/deliveries`)).status).toBe(404);
    expect((await test.callJson('GET', `/v1/webhooks/${hook.id}`)).status).toBe(404);
  });
});

describe('GET /v1/meta/compatibility', () => {
  it('describes the signing, the events and the retries the deliveries follow', async () => {
    const test = await start(new ManualClock(START));
    const { body } = await test.callJson('GET', '/v1/meta/compatibility');
    expect(body.webhooks).toMatchObject({
      algorithm: 'hmac-sha256',
      headers: {
        event: 'X-CWS-Event',
        delivery: 'X-CWS-Delivery',
        timestamp: 'X-CWS-Timestamp',
        signature: 'X-CWS-Signature',
      },
      signature_format: 'sha256=<hex>',
      signed_payload: '<timestamp>.<raw body>',
      tolerance_seconds: 300,
      events: [
        'scan.started',
        'scan.completed',
        'scan.failed',
        'scan.canceled',
        'report.generated',
        'webhook.test',
      ],
    });
    expect(body.webhooks.retries.max_attempts).toBeGreaterThanOrEqual(5);
  });
});

describe('the Python client', () => {
  it('accepts the signatures CWS sends', async () => {
    const time = new ManualClock(START);
    const test = await start(time);
    const target = receiver();
    const { body: hook } = await test.callJson('POST', '/v1/webhooks', {
      url: target.url,
      secret: SECRET,
    });
    await test.callJson('POST', `/v1/webhooks/${hook.id}/test`);
    const [request] = target.requests;
    const file = join(dataDir, 'captured.json');
    writeFileSync(
      file,
      JSON.stringify({
        timestamp: request!.headers['x-cws-timestamp'],
        signature: request!.headers['x-cws-signature'],
        body: request!.body,
        now: time.now / 1000,
      }),
    );
    const script = [
      'import json, sys',
      'from cws_client import verify_webhook_signature as verify',
      'c = json.load(open(sys.argv[1]))',
      `ok = verify("${SECRET}", c["timestamp"], c["body"].encode(), c["signature"], now=c["now"])`,
      `stale = verify("${SECRET}", c["timestamp"], c["body"].encode(), c["signature"], now=c["now"] + 301)`,
      'print(json.dumps([ok, stale]))',
    ].join('\n');
    const run = spawnSync('python3', ['-c', script, file], {
      env: { ...process.env, PYTHONPATH: join(import.meta.dir, '../../clients/python') },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([true, false]);
  });
});
