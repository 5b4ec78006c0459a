import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CwsClient, CwsError, type Scan } from '../src/index.ts';
import { REPORT_BYTES, startCwsFake, type CwsFake } from './fakes/cws-fake.ts';
import { createTlsPair, type TlsPair } from './fakes/tls-pair.ts';

let tls: TlsPair;
let fake: CwsFake;
const clients: CwsClient[] = [];
const savedCaEnv = process.env.CWS_CA_FILE;

beforeAll(async () => {
  tls = createTlsPair();
  fake = await startCwsFake(tls);
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  restoreCaEnv();
});

afterAll(async () => {
  await fake.stop();
  tls.remove();
});

function client(options: Partial<ConstructorParameters<typeof CwsClient>[0]> = {}): CwsClient {
  const made = new CwsClient({
    baseUrl: fake.baseUrl,
    token: fake.token,
    caFile: tls.certPath,
    ...options,
  });
  clients.push(made);
  return made;
}

function lastRequest() {
  const seen = fake.requests.at(-1);
  if (!seen) throw new Error('the fake saw no request');
  return seen;
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

function restoreCaEnv(): void {
  if (savedCaEnv === undefined) delete process.env.CWS_CA_FILE;
  else process.env.CWS_CA_FILE = savedCaEnv;
}

describe('CwsClient TLS', () => {
  it('trusts the server certificate given as caFile', async () => {
    expect((await client().status()).status).toBe('running');
  });

  it('trusts the server certificate given as caCert PEM text', async () => {
    const status = await client({ caFile: undefined, caCert: tls.cert }).status();
    expect(status.api_version).toBe('v1');
  });

  it('refuses the self-signed certificate when no CA is given', async () => {
    delete process.env.CWS_CA_FILE;
    const error = await caught(client({ caFile: undefined }).status());
    expect(error.code).toBe('client.tls_error');
    expect(error.status).toBe(0);
  });

  it('reads the CA from CWS_CA_FILE when no option names one', async () => {
    process.env.CWS_CA_FILE = tls.certPath;
    expect((await client({ caFile: undefined }).status()).status).toBe('running');
  });

  it('skips verification only when insecure is set', async () => {
    delete process.env.CWS_CA_FILE;
    expect((await client({ caFile: undefined, insecure: true }).status()).status).toBe('running');
  });

  it('reports an unreadable CA file as a TLS error', async () => {
    const error = await caught(client({ caFile: join(tls.dir, 'absent.pem') }).status());
    expect(error.code).toBe('client.tls_error');
  });
});

describe('CwsClient requests', () => {
  it('sends the bearer token and a JSON body', async () => {
    await client().updateGeneralSettings({ currency: 'EUR' });
    const seen = lastRequest();
    expect(seen.headers.authorization).toBe(`Bearer ${fake.token}`);
    expect(seen.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen.body)).toEqual({ currency: 'EUR' });
  });

  it('keeps the token out of inspected output', () => {
    expect(Bun.inspect(client())).not.toContain(fake.token);
  });

  const routes: Array<[string, (c: CwsClient) => Promise<unknown>, string, string, string?]> = [
    ['openapi', (c) => c.openapi(), 'GET', '/v1/openapi.json'],
    ['compatibility', (c) => c.compatibility(), 'GET', '/v1/meta/compatibility'],
    ['capabilities', (c) => c.capabilities(), 'GET', '/v1/meta/capabilities'],
    ['errors', (c) => c.errors(), 'GET', '/v1/meta/errors'],
    ['getScanPolicy', (c) => c.getScanPolicy(), 'GET', '/v1/settings/scan-policy'],
    [
      'updateQuota',
      (c) => c.updateQuota({ monthly_scan_limit: null }),
      'PATCH',
      '/v1/settings/quota',
    ],
    [
      'updateSmtpSettings',
      (c) => c.updateSmtpSettings({ port: 2525 }),
      'PATCH',
      '/v1/settings/smtp',
    ],
    [
      'updateNotificationPolicy',
      (c) => c.updateNotificationPolicy({ notification_trigger_mode: 'waste_only' }),
      'PATCH',
      '/v1/notifications/policy',
    ],
    [
      'listNotificationChannels',
      (c) => c.listNotificationChannels(),
      'GET',
      '/v1/notifications/channels',
      'envelope=true',
    ],
    [
      'testNotificationChannel',
      (c) => c.testNotificationChannel('ch 1'),
      'POST',
      '/v1/notifications/channels/ch%201/test',
    ],
    [
      'deleteCloudAccount',
      (c) => c.deleteCloudAccount('acc_1'),
      'DELETE',
      '/v1/cloud-accounts/acc_1',
    ],
    [
      'testCloudAccount',
      (c) => c.testCloudAccount({ provider: 'azure', credentials: '{}' }),
      'POST',
      '/v1/cloud-accounts/test',
    ],
    ['testProxy', (c) => c.testProxy({ url: 'http://proxy:3128' }), 'POST', '/v1/proxies/test'],
    ['getScanProgress', (c) => c.getScanProgress('s1'), 'GET', '/v1/scans/s1/progress'],
    [
      'listScans',
      (c) => c.listScans({ status: 'running' }),
      'GET',
      '/v1/scans',
      'status=running&envelope=true',
    ],
    ['markHandled', (c) => c.markHandled('f1'), 'POST', '/v1/findings/f1/handled'],
    [
      'listK8sContexts',
      (c) => c.listK8sContexts('/k/config'),
      'GET',
      '/v1/k8s/contexts',
      'path=%2Fk%2Fconfig',
    ],
    [
      'createK8sScan',
      (c) => c.createK8sScan({ kubeconfig_path: '/k', kube_context: 'prod' }),
      'POST',
      '/v1/k8s/scans',
    ],
    ['getK8sInventory', (c) => c.getK8sInventory(), 'GET', '/v1/k8s/inventory'],
    [
      'getK8sGovernance',
      (c) => c.getK8sGovernance({ window_days: 7 }),
      'GET',
      '/v1/reports/k8s-governance',
      'window_days=7',
    ],
    ['getK8sActionPlan', (c) => c.getK8sActionPlan(), 'GET', '/v1/reports/k8s-action-plan'],
    ['generateReport', (c) => c.generateReport({ format: 'csv' }), 'POST', '/v1/reports/generate'],
    [
      'getReportsOverview',
      (c) => c.getReportsOverview({ window_days: 30 }),
      'GET',
      '/v1/reports/overview',
      'window_days=30',
    ],
    ['runScheduleNow', (c) => c.runScheduleNow('sch_1'), 'POST', '/v1/schedules/sch_1/run-now'],
    [
      'updateSchedule',
      (c) => c.updateSchedule('sch_1', { enabled: false }),
      'PATCH',
      '/v1/schedules/sch_1',
    ],
    ['testWebhook', (c) => c.testWebhook('wh_1'), 'POST', '/v1/webhooks/wh_1/test'],
    [
      'listWebhookDeliveries',
      (c) => c.listWebhookDeliveries('wh_1'),
      'GET',
      '/v1/webhooks/wh_1/deliveries',
      'envelope=true',
    ],
    ['mcpCapabilities', (c) => c.mcpCapabilities(), 'GET', '/v1/mcp/capabilities'],
    ['mcpRunScan', (c) => c.mcpRunScan({ demo_mode: true }), 'POST', '/v1/mcp/tools/run-scan'],
    ['mcpGetScan', (c) => c.mcpGetScan('scan_9'), 'GET', '/v1/mcp/tools/get-scan/scan_9'],
    ['mcpTool', (c) => c.mcpTool('get_settings'), 'GET', '/v1/mcp/tools/get-settings'],
    [
      'listEvents',
      (c) => c.listEvents({ limit: 10 }),
      'GET',
      '/v1/events',
      'limit=10&envelope=true',
    ],
  ];

  it.each(routes)('%s calls its route', async (_name, call, method, path, query = '') => {
    await call(client());
    const seen = lastRequest();
    expect(`${seen.method} ${seen.path}?${seen.query.toString()}`).toBe(
      `${method} ${path}?${query}`,
    );
  });

  it('sends no body when a scan is created without one', async () => {
    const accepted = await client().createScan();
    expect(accepted.scan_id).toBe('scan_1');
    expect(lastRequest().body).toBe('');
    expect(lastRequest().headers['content-type']).toBeUndefined();
  });
});

describe('CwsClient pagination', () => {
  it('returns one envelope page from listFindings', async () => {
    const page = await client().listFindings({ limit: 3 });
    expect(lastRequest().query.get('envelope')).toBe('true');
    expect(page.items.map((f) => f.id)).toEqual(['fnd_000', 'fnd_001', 'fnd_002']);
    expect(page.page.has_more).toBe(true);
    expect(typeof page.page.next_cursor).toBe('string');
  });

  it('walks every page through page.next_cursor', async () => {
    const before = fake.requests.length;
    const ids: string[] = [];
    for await (const finding of client().iterFindings({ limit: 3, provider: 'aws' })) {
      ids.push(finding.id);
    }
    expect(ids).toEqual([
      'fnd_000',
      'fnd_001',
      'fnd_002',
      'fnd_003',
      'fnd_004',
      'fnd_005',
      'fnd_006',
    ]);
    const seen = fake.requests.slice(before);
    expect(seen.length).toBe(3);
    expect(seen.map((r) => r.query.get('provider'))).toEqual(['aws', 'aws', 'aws']);
    expect(seen[0]?.query.has('cursor')).toBe(false);
    expect(seen[2]?.query.get('cursor')).toBe(Buffer.from('after:6').toString('base64url'));
  });

  it('collects whole lists across server-limited pages', async () => {
    const accounts = await client().listAccounts();
    expect(accounts.map((a) => a.id)).toEqual([
      'profile_a',
      'profile_b',
      'profile_c',
      'azure_1',
      'alibaba_1',
    ]);
  });

  it('surfaces a rejected cursor as a validation error', async () => {
    const error = await caught(client().listFindings({ cursor: 'not-a-cursor' }));
    expect(error.status).toBe(400);
    expect(error.code).toBe('request.validation_failed');
    expect(error.details).toEqual([{ path: 'cursor', message: 'unknown cursor' }]);
  });
});

describe('CwsClient errors', () => {
  it('maps the error body onto CwsError', async () => {
    const error = await caught(client().getFinding('missing'));
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(404);
    expect(error.code).toBe('resource.not_found');
    expect(error.message).toBe('No such resource');
    expect(error.requestId).toMatch(/^req_/);
  });

  it('carries validation details', async () => {
    const error = await caught(client().updateGeneralSettings({}));
    expect(error.code).toBe('request.validation_failed');
    expect(error.details).toEqual([{ path: '', message: 'at least one field is required' }]);
  });

  it('reports a wrong token as auth.invalid_token', async () => {
    const error = await caught(client({ token: 'cws_wrong' }).openapi());
    expect([error.status, error.code]).toEqual([401, 'auth.invalid_token']);
  });

  it('names the HTTP status when the error body is not JSON', async () => {
    const error = await caught(client().request('GET', '/v1/not-json'));
    expect([error.status, error.code]).toEqual([502, 'http.502']);
  });

  it('gives up after timeoutMs with client.timeout', async () => {
    const error = await caught(client().request('GET', '/v1/slow', { timeoutMs: 100 }));
    expect(error.code).toBe('client.timeout');
  });

  it("passes the caller's abort reason through unchanged", async () => {
    const controller = new AbortController();
    const reason = new Error('caller stopped');
    const pending = client().request('GET', '/v1/slow', { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
  });
});

describe('CwsClient scans and reports', () => {
  it('waits until the scan reaches a terminal status', async () => {
    const seen: string[] = [];
    const scan = await client().waitForScan('scan_wait', {
      intervalMs: 10,
      onPoll: (s: Scan) => seen.push(s.status),
    });
    expect(scan.status).toBe('completed');
    expect(seen).toEqual(['queued', 'running', 'completed']);
  });

  it('stops waiting with client.timeout', async () => {
    const error = await caught(
      client().waitForScan('scan_slow', { intervalMs: 50, timeoutMs: 20 }),
    );
    expect(error.code).toBe('client.timeout');
  });

  it('reports a cancel of a finished scan as scan.not_cancelable', async () => {
    const error = await caught(client().cancelScan('scan_done'));
    expect([error.status, error.code]).toEqual([409, 'scan.not_cancelable']);
  });

  it('downloads report bytes unchanged', async () => {
    expect(await client().downloadReport('rep_1')).toEqual(REPORT_BYTES);
    expect(lastRequest().headers.accept).toBe('*/*');
  });

  it('writes a downloaded report to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cws-client-report-'));
    try {
      const path = await client().downloadReportToFile('rep_1', join(dir, 'report.pdf'));
      expect(new Uint8Array(readFileSync(path))).toEqual(REPORT_BYTES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
