import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../runtime/logger';
import { startHttpReceiver, type HttpReceiver } from '../fakes/http-receiver';
import { createFakeScanner, volumeDraft, type FakeScanner } from '../fakes/scanner';
import { leafParts, parseMail, startSmtpFake, type SmtpFake } from '../fakes/smtp';
import { createTestApp, waitForScan, type TestApp } from '../support/app';
import { writeAwsProfiles, type AwsProfileFiles } from '../support/aws-profile';

const PASSWORD = 'Sm7p-pa55word-never-shown';
const SLACK_SECRET = '/services/T0000/B0000/XXXXsecretXXXX';

let profiles: AwsProfileFiles;
let mailbox: SmtpFake;
let authMailbox: SmtpFake;
let receiver: HttpReceiver;
let scanner: FakeScanner;
let test: TestApp;
let closed: boolean;
let logLines: string[];

/** A logger that keeps every line, fields included, so tests can look for leaked secrets. */
const capturingLogger: Logger = {
  info: (message, fields) => void logLines.push(JSON.stringify({ message, ...fields })),
  warn: (message, fields) => void logLines.push(JSON.stringify({ message, ...fields })),
  error: (message, fields) => void logLines.push(JSON.stringify({ message, ...fields })),
};

beforeAll(async () => {
  profiles = writeAwsProfiles({ abc123: { endpoint: 'http://127.0.0.1:9' } });
  mailbox = await startSmtpFake();
  authMailbox = await startSmtpFake({ auth: { user: 'reports', password: PASSWORD } });
  receiver = startHttpReceiver();
});
afterAll(async () => {
  profiles.restore();
  await mailbox.close();
  await authMailbox.close();
  await receiver.close();
});
beforeEach(async () => {
  mailbox.mails.length = 0;
  authMailbox.mails.length = 0;
  receiver.reset({});
  logLines = [];
  closed = false;
  scanner = createFakeScanner();
  scanner.setDrafts([volumeDraft(1, 1024), volumeDraft(2, 50)]);
  test = await createTestApp({
    env: profiles.env,
    scanners: { aws: scanner },
    logger: capturingLogger,
  });
});
afterEach(async () => {
  if (!closed) await test.close();
});

/** Closes the app, which waits for every delivery in flight to be recorded. */
async function settle(): Promise<void> {
  closed = true;
  await test.close();
}

async function closedPort(): Promise<number> {
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function configureSmtp(target: SmtpFake, extra: Record<string, unknown> = {}) {
  const { status } = await test.callJson('PATCH', '/v1/settings/smtp', {
    host: target.host,
    port: target.port,
    secure: false,
    from: 'CWS Reports <cws@example.com>',
    ...extra,
  });
  expect(status).toBe(200);
}

async function scanWithEmails(emails: string[]): Promise<any> {
  const started = await test.callJson('POST', '/v1/scans', { report_emails: emails });
  expect(started.status).toBe(202);
  const scan = await waitForScan(test, started.body.scan_id);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { body } = await test.callJson('GET', `/v1/scans/${scan.id}`);
    if (body.report_email_status?.status !== 'pending') return body;
    if (Date.now() > deadline) throw new Error('report e-mail still pending');
    await Bun.sleep(20);
  }
}

describe('SMTP settings', () => {
  it('starts unconfigured', async () => {
    const { status, body } = await test.callJson('GET', '/v1/settings/smtp');
    expect(status).toBe(200);
    expect(body).toEqual({
      configured: false,
      host: null,
      port: 587,
      secure: false,
      user: null,
      from: null,
      has_password: false,
      updated_at: null,
    });
  });

  it('stores the password but never returns or audits it', async () => {
    const patched = await test.call('PATCH', '/v1/settings/smtp', {
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      user: 'reports',
      password: PASSWORD,
      from: 'reports@example.com',
    });
    const text = await patched.text();
    expect(text).not.toContain(PASSWORD);
    expect(JSON.parse(text)).toMatchObject({
      configured: true,
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      user: 'reports',
      has_password: true,
    });
    const read = await (await test.call('GET', '/v1/settings/smtp')).text();
    expect(read).not.toContain(PASSWORD);
    expect(JSON.parse(read).has_password).toBe(true);
    // Sealed with the master key (AES-256-GCM): not even the database file holds it in clear.
    expect(Buffer.from(test.app.store.exportBytes()).includes(PASSWORD)).toBe(false);
    const audit = await (await test.call('GET', '/v1/events')).text();
    expect(audit).toContain('settings/smtp');
    expect(audit).not.toContain(PASSWORD);
    const cleared = await test.callJson('PATCH', '/v1/settings/smtp', { password: null });
    expect(cleared.body.has_password).toBe(false);
    expect(cleared.body.user).toBe('reports');
  });

  it.each([
    [{}, ''],
    [{ port: 0 }, 'port'],
    [{ port: '25' }, 'port'],
    [{ host: 'smtp example.com' }, 'host'],
    [{ from: 'not an address' }, 'from'],
    [{ secure: 'yes' }, 'secure'],
    [{ tls: true }, 'tls'],
  ])('refuses %j', async (patch, field) => {
    const { status, body } = await test.callJson('PATCH', '/v1/settings/smtp', patch);
    expect(status).toBe(400);
    expect(body.error.code).toBe('request.validation_failed');
    if (field) expect(body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });
});

describe('report e-mails', () => {
  it('sends the PDF report to every address once the scan completes', async () => {
    await configureSmtp(mailbox);
    const scan = await scanWithEmails(['finops@example.com', 'cto@example.org']);
    expect(scan.status).toBe('completed');
    expect(scan.report_email_status).toEqual({
      status: 'sent',
      recipients: ['finops@example.com', 'cto@example.org'],
    });
    expect(mailbox.mails).toHaveLength(1);
    const mail = mailbox.mails[0]!;
    expect(mail.to).toEqual(['finops@example.com', 'cto@example.org']);
    expect(mail.from).toBe('cws@example.com');
    const parsed = parseMail(mail.raw);
    expect(parsed.headers.subject).toContain(scan.id);
    expect(parsed.headers.subject).toContain('monthly waste in 2 findings');
    const pdf = leafParts(parsed).find((part) => part.contentType === 'application/pdf');
    expect(pdf?.filename).toMatch(/^cws-report-.+\.pdf$/);
    expect(new TextDecoder().decode(pdf?.body.slice(0, 5))).toBe('%PDF-');
    expect(pdf!.body.byteLength).toBeGreaterThan(2000);
  });

  it('authenticates with the stored password', async () => {
    await configureSmtp(authMailbox, { user: 'reports', password: PASSWORD });
    const scan = await scanWithEmails(['finops@example.com']);
    expect(scan.report_email_status.status).toBe('sent');
    expect(authMailbox.mails[0]?.user).toBe('reports');
  });

  it('says failed with a reason, and no password, when the SMTP server is unreachable', async () => {
    const port = await closedPort();
    await test.callJson('PATCH', '/v1/settings/smtp', {
      host: '127.0.0.1',
      port,
      user: 'reports',
      password: PASSWORD,
      from: 'cws@example.com',
    });
    const scan = await scanWithEmails(['finops@example.com']);
    expect(scan.status).toBe('completed');
    expect(scan.report_email_status.status).toBe('failed');
    expect(scan.report_email_status.reason).toContain('connection_refused');
    expect(JSON.stringify(scan)).not.toContain(PASSWORD);
    await settle();
    expect(logLines.some((line) => line.includes('report e-mail failed'))).toBe(true);
    expect(logLines.join('\n')).not.toContain(PASSWORD);
  });

  it('says failed when the server rejects the credentials, without echoing them', async () => {
    await configureSmtp(authMailbox, { user: 'reports', password: 'wrong-secret-value' });
    const scan = await scanWithEmails(['finops@example.com']);
    expect(scan.report_email_status.status).toBe('failed');
    expect(scan.report_email_status.reason).toContain('auth_failed');
    expect(JSON.stringify(scan)).not.toContain('wrong-secret-value');
    expect(authMailbox.mails).toHaveLength(0);
  });

  it('skips the e-mail when no SMTP server is configured', async () => {
    const scan = await scanWithEmails(['finops@example.com']);
    expect(scan.status).toBe('completed');
    expect(scan.report_email_status).toMatchObject({
      status: 'skipped',
      recipients: ['finops@example.com'],
    });
    expect(scan.report_email_status.reason).toContain('SMTP is not configured');
  });

  it('skips the e-mail under waste_only when the scan found no waste', async () => {
    await configureSmtp(mailbox);
    await test.callJson('PATCH', '/v1/notifications/policy', {
      notification_trigger_mode: 'waste_only',
    });
    scanner.setDrafts([]);
    const clean = await scanWithEmails(['finops@example.com']);
    expect(clean.report_email_status.status).toBe('skipped');
    expect(clean.report_email_status.reason).toContain('waste_only');
    expect(mailbox.mails).toHaveLength(0);

    scanner.setDrafts([volumeDraft(7, 300)]);
    const wasteful = await scanWithEmails(['finops@example.com']);
    expect(wasteful.report_email_status.status).toBe('sent');
    expect(mailbox.mails).toHaveLength(1);
  });

  it('skips the e-mail of a failed scan and says why', async () => {
    await configureSmtp(mailbox);
    scanner.failWith({ code: 'AuthFailure', message: 'denied' });
    const scan = await scanWithEmails(['finops@example.com']);
    expect(scan.status).toBe('failed');
    expect(scan.report_email_status).toEqual({
      status: 'skipped',
      reason: 'the scan failed; no report was sent',
      recipients: ['finops@example.com'],
    });
    expect(mailbox.mails).toHaveLength(0);
  });

  it('refuses more than five addresses and invalid ones when the scan is created', async () => {
    const many = Array.from({ length: 6 }, (_, i) => `user${i}@example.com`);
    expect((await test.callJson('POST', '/v1/scans', { report_emails: many })).status).toBe(400);
    const bad = await test.callJson('POST', '/v1/scans', { report_emails: ['not-an-address'] });
    expect(bad.status).toBe(400);
  });
});

describe('notification channels', () => {
  async function createChannel(body: Record<string, unknown>) {
    return test.callJson('POST', '/v1/notifications/channels', body);
  }

  it('creates, lists, reads, changes and deletes a channel without showing its URL', async () => {
    const created = await createChannel({
      type: 'slack',
      name: 'FinOps',
      config: { url: `${receiver.url}${SLACK_SECRET}` },
      min_savings: 100,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({
      type: 'slack',
      name: 'FinOps',
      trigger_mode: null,
      effective_trigger_mode: 'scan_complete',
      min_savings: 100,
      min_findings: null,
      is_active: true,
      last_delivery: null,
    });
    expect(created.body.config.url_masked).toBe(`${receiver.url}/****XXXX`);
    expect(JSON.stringify(created.body)).not.toContain('secret');
    expect(Buffer.from(test.app.store.exportBytes()).includes('XXXXsecretXXXX')).toBe(false);

    expect((await test.callJson('GET', '/v1/notifications/channels')).body).toEqual([created.body]);
    expect((await test.callJson('GET', `/v1/notifications/channels/${id}`)).body).toEqual(
      created.body,
    );

    const patched = await test.callJson('PATCH', `/v1/notifications/channels/${id}`, {
      trigger_mode: 'waste_only',
      is_active: false,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      trigger_mode: 'waste_only',
      effective_trigger_mode: 'waste_only',
      is_active: false,
      name: 'FinOps',
    });
    const back = await test.callJson('PATCH', `/v1/notifications/channels/${id}`, {
      trigger_mode: null,
    });
    expect(back.body.effective_trigger_mode).toBe('scan_complete');

    expect((await test.call('DELETE', `/v1/notifications/channels/${id}`)).status).toBe(204);
    expect((await test.callJson('GET', `/v1/notifications/channels/${id}`)).status).toBe(404);
    expect((await test.callJson('DELETE', `/v1/notifications/channels/${id}`)).status).toBe(404);
  });

  it.each([
    [{ type: 'sms', config: { url: 'https://example.com' } }, 'type'],
    [{ type: 'slack', config: { url: 'ftp://example.com/x' } }, 'config.url'],
    [{ type: 'slack', config: { recipients: ['a@example.com'] } }, 'config.url'],
    [{ type: 'email', config: { recipients: [] } }, 'config.recipients'],
    [{ type: 'email', config: { recipients: ['nope'] } }, 'config.recipients.0'],
    [
      {
        type: 'email',
        config: { recipients: Array.from({ length: 6 }, (_, i) => `u${i}@example.com`) },
      },
      'config.recipients',
    ],
    [
      { type: 'webhook', config: { url: 'https://example.com' }, trigger_mode: 'always' },
      'trigger_mode',
    ],
    [
      { type: 'webhook', config: { url: 'https://example.com' }, min_findings: 1.5 },
      'min_findings',
    ],
    [{ type: 'webhook', config: { url: 'https://example.com' }, min_savings: -1 }, 'min_savings'],
  ])('refuses %j', async (body, field) => {
    const { status, body: answer } = await createChannel(body);
    expect(status).toBe(400);
    expect(answer.error.code).toBe('request.validation_failed');
    expect(answer.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('refuses a PATCH that changes the type or gives a config of the wrong shape', async () => {
    const { body } = await createChannel({
      type: 'email',
      config: { recipients: ['finops@example.com'] },
    });
    const path = `/v1/notifications/channels/${body.id}`;
    expect((await test.callJson('PATCH', path, {})).status).toBe(400);
    expect((await test.callJson('PATCH', path, { type: 'slack' })).status).toBe(400);
    const wrong = await test.callJson('PATCH', path, { config: { url: 'https://example.com' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.map((d: { path: string }) => d.path)).toContain(
      'config.recipients',
    );
    const right = await test.callJson('PATCH', path, {
      config: { recipients: ['cto@example.org'] },
    });
    expect(right.body.config).toEqual({ recipients: ['cto@example.org'] });
  });

  it('tests a chat channel against a live receiver without touching the quota', async () => {
    const { body } = await createChannel({
      type: 'webhook',
      config: { url: `${receiver.url}/hook` },
    });
    const before = (await test.callJson('GET', '/v1/settings/quota')).body.used;
    const result = await test.callJson('POST', `/v1/notifications/channels/${body.id}/test`);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      channel_id: body.id,
      type: 'webhook',
      ok: true,
      stage: 'send',
      reason_code: 'ok',
      status_code: 200,
    });
    expect(typeof result.body.duration_ms).toBe('number');
    expect(JSON.parse(receiver.requests[0]!.body).event).toBe('notification.test');
    expect((await test.callJson('GET', '/v1/settings/quota')).body.used).toBe(before);
    expect((await test.callJson('GET', '/v1/scans')).body).toEqual([]);

    receiver.reset({ failFirst: 1, status: 500 });
    const failed = await test.callJson('POST', `/v1/notifications/channels/${body.id}/test`);
    expect(failed.body).toMatchObject({ ok: false, reason_code: 'server_error', status_code: 500 });
    expect((await test.callJson('POST', '/v1/notifications/channels/nch_nope/test')).status).toBe(
      404,
    );
  });

  it('tests an e-mail channel through the SMTP settings', async () => {
    const { body } = await createChannel({
      type: 'email',
      config: { recipients: ['finops@example.com'] },
    });
    const path = `/v1/notifications/channels/${body.id}/test`;
    const unconfigured = await test.callJson('POST', path);
    expect(unconfigured.body).toMatchObject({
      ok: false,
      stage: 'validate',
      reason_code: 'smtp_not_configured',
    });
    await configureSmtp(mailbox);
    const ok = await test.callJson('POST', path);
    expect(ok.body).toMatchObject({ ok: true, stage: 'send', reason_code: 'ok' });
    expect(mailbox.mails[0]?.to).toEqual(['finops@example.com']);
  });

  it('notifies the channels whose trigger mode and thresholds say yes after a scan', async () => {
    const make = async (name: string, extra: Record<string, unknown>) =>
      (
        await createChannel({
          type: 'webhook',
          name,
          config: { url: `${receiver.url}/${name}` },
          ...extra,
        })
      ).body.id as string;
    const always = await make('always', {});
    const waste = await make('waste', { trigger_mode: 'waste_only' });
    const rich = await make('rich', { trigger_mode: 'waste_only', min_savings: 1_000_000 });
    const many = await make('many', { trigger_mode: 'waste_only', min_findings: 5 });
    const off = await make('off', { is_active: false });
    const slack = (
      await createChannel({ type: 'slack', config: { url: `${receiver.url}${SLACK_SECRET}` } })
    ).body.id as string;

    const started = await test.callJson('POST', '/v1/scans', {});
    const scan = await waitForScan(test, started.body.scan_id);
    await receiver.waitForRequests(3);
    const paths = () => receiver.requests.map((request) => request.path).sort();
    const deadline = Date.now() + 5000;
    while (
      (await test.callJson('GET', `/v1/notifications/channels/${slack}`)).body.last_delivery ===
        null &&
      Date.now() < deadline
    ) {
      await Bun.sleep(20);
    }
    expect(paths()).toEqual(['/always', SLACK_SECRET, '/waste'].sort());
    const body = JSON.parse(receiver.requests.find((r) => r.path === '/always')!.body);
    expect(body).toMatchObject({
      event: 'scan.completed',
      scan: { scan_id: scan.id, findings: 2 },
    });
    const slackBody = JSON.parse(receiver.requests.find((r) => r.path === SLACK_SECRET)!.body);
    expect(slackBody.blocks.length).toBeGreaterThan(2);

    for (const id of [always, waste]) {
      const deliveryDeadline = Date.now() + 5000;
      let channel = (await test.callJson('GET', `/v1/notifications/channels/${id}`)).body;
      while (!channel.last_delivery && Date.now() < deliveryDeadline) {
        await Bun.sleep(20);
        channel = (await test.callJson('GET', `/v1/notifications/channels/${id}`)).body;
      }
      expect(channel.last_delivery).toMatchObject({
        scan_id: scan.id,
        status: 'delivered',
        reason_code: 'ok',
        status_code: 200,
      });
    }
    for (const id of [rich, many, off]) {
      expect(
        (await test.callJson('GET', `/v1/notifications/channels/${id}`)).body.last_delivery,
      ).toBe(null);
    }
  });

  it('sends waste_only channels nothing after a scan without waste', async () => {
    await test.callJson('PATCH', '/v1/notifications/policy', {
      notification_trigger_mode: 'waste_only',
    });
    await createChannel({ type: 'webhook', config: { url: `${receiver.url}/global` } });
    await createChannel({
      type: 'webhook',
      trigger_mode: 'scan_complete',
      config: { url: `${receiver.url}/own` },
    });
    scanner.setDrafts([]);
    const started = await test.callJson('POST', '/v1/scans', {});
    await waitForScan(test, started.body.scan_id);
    await settle();
    expect(receiver.requests.map((request) => request.path)).toEqual(['/own']);
  });

  it('records a failed delivery on the channel and leaves the scan completed', async () => {
    receiver.reset({ failFirst: 10, status: 503, failBody: 'maintenance' });
    const { body } = await createChannel({
      type: 'teams',
      config: { url: `${receiver.url}/teams` },
    });
    const started = await test.callJson('POST', '/v1/scans', {});
    const scan = await waitForScan(test, started.body.scan_id);
    expect(scan.status).toBe('completed');
    const deadline = Date.now() + 5000;
    let channel = (await test.callJson('GET', `/v1/notifications/channels/${body.id}`)).body;
    while (!channel.last_delivery && Date.now() < deadline) {
      await Bun.sleep(20);
      channel = (await test.callJson('GET', `/v1/notifications/channels/${body.id}`)).body;
    }
    expect(channel.last_delivery).toMatchObject({
      scan_id: scan.id,
      status: 'failed',
      reason_code: 'server_error',
    });
    expect(channel.last_delivery.message).toContain('503');
    await settle();
    expect(logLines.some((line) => line.includes('channel notification failed'))).toBe(true);
    expect(logLines.join('\n')).not.toContain('/teams');
  });

  it('says config_unreadable when another master key sealed the channel config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cws-channel-key-'));
    try {
      const databasePath = join(dir, 'cws.sqlite');
      const first = await createTestApp({ databasePath, reportsDir: dir });
      const created = await first.callJson('POST', '/v1/notifications/channels', {
        type: 'slack',
        config: { url: `${receiver.url}${SLACK_SECRET}` },
      });
      await first.close();
      // In-memory test apps draw a fresh master key each time, as a lost key file would.
      const second = await createTestApp({ databasePath, reportsDir: dir });
      try {
        const answer = await second.callJson(
          'POST',
          `/v1/notifications/channels/${created.body.id}/test`,
        );
        expect(answer.body).toMatchObject({
          ok: false,
          stage: 'validate',
          reason_code: 'config_unreadable',
        });
        expect(receiver.requests).toHaveLength(0);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('e-mails the notice to an e-mail channel through SMTP', async () => {
    await configureSmtp(mailbox);
    await createChannel({ type: 'email', config: { recipients: ['ops@example.com'] } });
    const started = await test.callJson('POST', '/v1/scans', {});
    await waitForScan(test, started.body.scan_id);
    await settle();
    expect(mailbox.mails).toHaveLength(1);
    expect(mailbox.mails[0]?.to).toEqual(['ops@example.com']);
    const parts = leafParts(parseMail(mailbox.mails[0]!.raw));
    expect(parts.some((part) => part.contentType === 'application/pdf')).toBe(false);
  });
});
