import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CwsClient, CwsError, verifyWebhookSignature, type Scan } from '../src/index.ts';

// The client against a real CWS server: these tests run only when CWS_BASE_URL, CWS_TOKEN and
// CWS_CA_FILE name one (test/e2e/js-client.test.ts starts the compiled binary with --demo and
// sets them). They leave the server's settings as they found them.
const BASE_URL = process.env.CWS_BASE_URL ?? '';
const TOKEN = process.env.CWS_TOKEN ?? '';
const CA_FILE = process.env.CWS_CA_FILE ?? '';
const CONFIGURED = Boolean(BASE_URL && TOKEN && CA_FILE);
const PAGE_SIZE = 5;
const SETUP_MS = 60_000;

/** Whether the server can reach a receiver this process opens on loopback. */
function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

async function caught(promise: Promise<unknown>): Promise<CwsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CwsError) return error;
    throw error;
  }
  throw new Error('expected a CwsError');
}

describe.skipIf(!CONFIGURED)('CwsClient against a live server', () => {
  let client: CwsClient;
  let scan: Scan;

  beforeAll(async () => {
    // The CA goes in as PEM text (caCert), as an application holding it in a secret would.
    client = new CwsClient({
      baseUrl: BASE_URL,
      token: TOKEN,
      caCert: readFileSync(CA_FILE, 'utf8'),
    });
    const accepted = await client.createScan({ demo_mode: true });
    scan = await client.waitForScan(accepted.scan_id, { intervalMs: 200, timeoutMs: SETUP_MS });
  }, SETUP_MS);

  afterAll(async () => {
    await client?.close();
  });

  it('reads /status without secrets in it', async () => {
    const status = await client.status();
    expect(status).toMatchObject({ status: 'running', api_version: 'v1', tls_enabled: true });
    expect(JSON.stringify(status)).not.toContain(TOKEN);
  });

  it('reads the OpenAPI document and the compatibility policy', async () => {
    const document = await client.openapi();
    expect(document.openapi).toStartWith('3.1');
    expect(Object.keys(document.paths)).toContain('/v1/findings');
    const policy = await client.compatibility();
    expect(policy.pagination.cursor_field).toBe('page.next_cursor');
    expect(policy.webhooks.signed_payload).toBe('<timestamp>.<raw body>');
  });

  it('changes a setting and restores it', async () => {
    const before = await client.getGeneralSettings();
    const other =
      before.notification_trigger_mode === 'waste_only' ? 'scan_complete' : 'waste_only';
    try {
      const changed = await client.updateGeneralSettings({ notification_trigger_mode: other });
      expect(changed.notification_trigger_mode).toBe(other);
    } finally {
      await client.updateGeneralSettings({
        notification_trigger_mode: before.notification_trigger_mode,
      });
    }
    expect(await client.getGeneralSettings()).toEqual(before);
  });

  it('waits for the demo scan to complete', async () => {
    expect(scan.status).toBe('completed');
    expect(scan.resources_found).toBeGreaterThan(PAGE_SIZE);
    expect((await client.getScan(scan.scan_id)).status).toBe('completed');
  });

  it('iterates every finding of the scan page by page', async () => {
    const ids: string[] = [];
    for await (const finding of client.iterFindings({ scan_id: scan.scan_id, limit: PAGE_SIZE })) {
      expect(finding.scan_id).toBe(scan.scan_id);
      ids.push(finding.id);
    }
    expect(ids.length).toBe(scan.resources_found);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists one envelope page of findings with a cursor to the next', async () => {
    const page = await client.listFindings({ scan_id: scan.scan_id, limit: PAGE_SIZE });
    expect(Object.keys(page).sort()).toEqual(['items', 'page']);
    expect(page.items.length).toBe(PAGE_SIZE);
    expect(page.page).toMatchObject({ limit: PAGE_SIZE, has_more: true });
    expect(typeof page.page.next_cursor).toBe('string');
    const next = await client.listFindings({
      scan_id: scan.scan_id,
      limit: PAGE_SIZE,
      cursor: page.page.next_cursor as string,
    });
    const first = new Set(page.items.map((finding) => finding.id));
    expect(next.items.some((finding) => first.has(finding.id))).toBe(false);
  });

  it('throws CwsError with status, code, details and request id', async () => {
    const invalid = await caught(
      client.request('PATCH', '/v1/settings/general', {
        body: { notification_trigger_mode: 'sometimes' },
      }),
    );
    expect(invalid).toMatchObject({ status: 400, code: 'request.validation_failed' });
    expect(invalid.requestId).toBeString();
    expect(invalid.details.map((detail) => detail.path)).toContain('notification_trigger_mode');
    const missing = await caught(client.getScan('scan_does_not_exist'));
    expect(missing).toMatchObject({ status: 404, code: 'resource.not_found' });
    const stranger = new CwsClient({
      baseUrl: BASE_URL,
      token: 'cws_not-the-token',
      caFile: CA_FILE,
    });
    try {
      expect(await caught(stranger.getGeneralSettings())).toMatchObject({
        status: 401,
        code: 'auth.invalid_token',
      });
    } finally {
      await stranger.close();
    }
  });

  it('generates a PDF report and downloads it to a buffer and a file', async () => {
    const report = await client.generateReport({ format: 'pdf', scan_id: scan.scan_id });
    const bytes = await client.downloadReport(report.report_id);
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
    expect(bytes.length).toBe(report.size_bytes);
    const dir = mkdtempSync(join(tmpdir(), 'cws-live-js-'));
    try {
      const path = await client.downloadReportToFile(report.report_id, join(dir, report.filename));
      expect(readFileSync(path).equals(bytes)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!CONFIGURED || !isLoopback(BASE_URL))(
    'verifies the signature of a real webhook delivery',
    async () => {
      const headers = (await client.compatibility()).webhooks.headers;
      const deliveries: Array<{ headers: Headers; body: string }> = [];
      const receiver = Bun.serve({
        hostname: '127.0.0.1',
        port: 0,
        async fetch(request) {
          deliveries.push({ headers: request.headers, body: await request.text() });
          return new Response(null, { status: 204 });
        },
      });
      const secret = 'live-test-secret';
      const webhook = await client.createWebhook({
        url: `http://127.0.0.1:${receiver.port}/hook`,
        events: ['scan.completed'],
        is_active: true,
        secret,
      });
      try {
        expect(JSON.stringify(webhook)).not.toContain(secret);
        expect((await client.testWebhook(webhook.id)).ok).toBe(true);
        const [delivery] = deliveries;
        if (!delivery) throw new Error('no delivery arrived');
        const timestamp = delivery.headers.get(headers.timestamp) as string;
        const signature = delivery.headers.get(headers.signature) as string;
        const body = delivery.body;
        expect(delivery.headers.get(headers.event)).toBe('webhook.test');
        expect(verifyWebhookSignature({ secret, timestamp, body, signature })).toBe(true);
        expect(verifyWebhookSignature({ secret: 'other', timestamp, body, signature })).toBe(false);
        expect(verifyWebhookSignature({ secret, timestamp, body: `${body} `, signature })).toBe(
          false,
        );
        const stale = Number(timestamp) - 301;
        expect(verifyWebhookSignature({ secret, timestamp: stale, body, signature })).toBe(false);
      } finally {
        await client.deleteWebhook(webhook.id);
        await receiver.stop(true);
      }
    },
  );
});
