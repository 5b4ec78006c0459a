import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { createServer, type AddressInfo, type Server } from 'node:net';
import {
  isEmailAddress,
  sendReportEmail,
  testSmtp,
  validateEmailAddresses,
  type SmtpSettings,
} from '../../../core/notify/email';
import { buildPdfReport } from '../../../core/reports/pdf';
import { sampleSource } from '../../fixtures/reports/sample';
import { leafParts, parseMail, startSmtpFake, type SmtpFake } from '../../fakes/smtp';

const PASSWORD = 'S3cr3t-pa55word!';
let smtp: SmtpFake;
let open: SmtpFake;
let settings: SmtpSettings;

beforeAll(async () => {
  smtp = await startSmtpFake({
    auth: { user: 'reports', password: PASSWORD },
    rejectRecipients: ['nobody@example.com'],
  });
  open = await startSmtpFake();
  settings = {
    host: smtp.host,
    port: smtp.port,
    secure: false,
    user: 'reports',
    password: PASSWORD,
    from: 'Cloud Waste Scanner <cws@example.com>',
  };
});

afterAll(async () => {
  await smtp.close();
  await open.close();
});

/** A TCP server that accepts connections and never says a word (no SMTP greeting). */
async function silentServer(): Promise<Server> {
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return server;
}

async function closedPort(): Promise<number> {
  const server = await silentServer();
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('sendReportEmail', () => {
  it('delivers the report with a PDF attachment to every recipient', async () => {
    const pdf = buildPdfReport(sampleSource());
    const outcome = await sendReportEmail(
      settings,
      {
        to: ['finops@example.com', 'cto@example.org'],
        subject: 'CWS report: $414.74 monthly waste',
        text: 'See the attached report.',
        html: '<p>See the attached report.</p>',
        attachments: [{ filename: 'cws-report.pdf', content: pdf, contentType: 'application/pdf' }],
      },
      { timeoutMs: 5000 },
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value.accepted).toEqual(['finops@example.com', 'cto@example.org']);
    expect(outcome.value.rejected).toEqual([]);
    expect(outcome.value.messageId).toMatch(/^<.+@.+>$/);

    const mail = smtp.mails.at(-1);
    expect(mail?.to).toEqual(['finops@example.com', 'cto@example.org']);
    expect(mail?.from).toBe('cws@example.com');
    expect(mail?.user).toBe('reports');
    const message = parseMail(mail?.raw ?? '');
    expect(message.headers.subject).toBe('CWS report: $414.74 monthly waste');
    expect(message.headers.to).toBe('finops@example.com, cto@example.org');
    const attachment = leafParts(message).find((part) => part.filename === 'cws-report.pdf');
    expect(attachment?.contentType).toBe('application/pdf');
    expect(new TextDecoder().decode(attachment?.body.slice(0, 5))).toBe('%PDF-');
    expect(attachment?.body.length).toBe(pdf.length);
    expect(Buffer.from(attachment?.body ?? []).equals(Buffer.from(pdf))).toBe(true);
    const text = leafParts(message).find((part) => part.contentType === 'text/plain');
    expect(new TextDecoder().decode(text?.body)).toBe('See the attached report.');
  });

  it('sends without authentication when no user is set', async () => {
    const outcome = await sendReportEmail(
      { host: open.host, port: open.port, secure: false, from: 'cws@example.com' },
      { to: ['a@example.com'], subject: 'Zürich-数据 report', text: 'x', attachments: [] },
      { timeoutMs: 5000 },
    );
    expect(outcome.ok).toBe(true);
    expect(parseMail(open.mails.at(-1)?.raw ?? '').headers.subject).toBe('Zürich-数据 report');
  });

  it('keeps header injection out of the subject', async () => {
    await sendReportEmail(
      settings,
      {
        to: ['a@example.com'],
        subject: 'Report\r\nBcc: victim@example.com',
        text: 'x',
        attachments: [],
      },
      { timeoutMs: 5000 },
    );
    const message = parseMail(smtp.mails.at(-1)?.raw ?? '');
    expect(message.headers.bcc).toBeUndefined();
    expect(smtp.mails.at(-1)?.to).toEqual(['a@example.com']);
  });

  it('reports recipients the server refused next to the accepted ones', async () => {
    const outcome = await sendReportEmail(
      settings,
      { to: ['ok@example.com', 'nobody@example.com'], subject: 's', text: 't', attachments: [] },
      { timeoutMs: 5000 },
    );
    expect(outcome.ok).toBe(true);
    if (outcome.ok) {
      expect(outcome.value.accepted).toEqual(['ok@example.com']);
      expect(outcome.value.rejected).toEqual(['nobody@example.com']);
    }
  });

  it('fails when the server refuses every recipient', async () => {
    const outcome = await sendReportEmail(
      settings,
      { to: ['nobody@example.com'], subject: 's', text: 't', attachments: [] },
      { timeoutMs: 5000 },
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.reason.code).toBe('smtp.recipients_rejected');
  });

  it('fails on a wrong password without ever echoing it', async () => {
    const wrong = 'Wr0ng-pa55word?';
    const outcome = await sendReportEmail(
      { ...settings, password: wrong },
      { to: ['a@example.com'], subject: 's', text: 't', attachments: [] },
      { timeoutMs: 5000 },
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason.code).toBe('smtp.auth_failed');
    expect(outcome.reason.category).toBe('auth');
    for (const secret of [wrong, Buffer.from(wrong).toString('base64'), PASSWORD]) {
      expect(outcome.reason.message).not.toContain(secret);
    }
    expect(outcome.reason.message).not.toContain(
      Buffer.from(`\u0000reports\u0000${wrong}`).toString('base64'),
    );
  });

  it('fails on a refused connection', async () => {
    const outcome = await sendReportEmail(
      { ...settings, port: await closedPort() },
      { to: ['a@example.com'], subject: 's', text: 't', attachments: [] },
      { timeoutMs: 3000 },
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.reason.code).toBe('smtp.connection_refused');
      expect(outcome.reason.category).toBe('network');
    }
  });

  it('gives up on a server that never greets within the timeout', async () => {
    const silent = await silentServer();
    const started = performance.now();
    const outcome = await sendReportEmail(
      { ...settings, port: (silent.address() as AddressInfo).port },
      { to: ['a@example.com'], subject: 's', text: 't', attachments: [] },
      { timeoutMs: 300 },
    );
    silent.close();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.reason.code).toBe('smtp.timeout');
  });

  it('refuses invalid recipients or sender before connecting', async () => {
    const before = smtp.mails.length;
    const bad = await sendReportEmail(
      settings,
      { to: ['ok@example.com', 'not-an-address'], subject: 's', text: 't', attachments: [] },
      { timeoutMs: 1000 },
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason.message).toContain('"not-an-address"');
    const none = await sendReportEmail(
      settings,
      { to: [], subject: 's', text: 't', attachments: [] },
      { timeoutMs: 1000 },
    );
    expect(none.ok).toBe(false);
    const sender = await sendReportEmail(
      { ...settings, from: 'CWS <nope>' },
      { to: ['a@example.com'], subject: 's', text: 't', attachments: [] },
      { timeoutMs: 1000 },
    );
    expect(sender.ok).toBe(false);
    if (!sender.ok) expect(sender.reason.code).toBe('email.invalid_sender');
    expect(smtp.mails.length).toBe(before);
  });
});

describe('testSmtp', () => {
  it('passes connect and auth with good settings', async () => {
    const diagnostics = await testSmtp(settings, { timeoutMs: 3000 });
    expect(diagnostics).toMatchObject({ ok: true, stage: 'auth', reason_code: 'ok' });
    expect(diagnostics.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('reaches the send stage when given an address', async () => {
    const before = smtp.mails.length;
    const diagnostics = await testSmtp(settings, { timeoutMs: 3000, sendTo: 'ops@example.com' });
    expect(diagnostics).toMatchObject({ ok: true, stage: 'send', reason_code: 'ok' });
    expect(smtp.mails.length).toBe(before + 1);
    expect(smtp.mails.at(-1)?.to).toEqual(['ops@example.com']);
  });

  it('stops at connect without authentication when no user is set', async () => {
    const diagnostics = await testSmtp(
      { host: open.host, port: open.port, secure: false, from: 'cws@example.com' },
      { timeoutMs: 3000 },
    );
    expect(diagnostics).toMatchObject({ ok: true, stage: 'connect', reason_code: 'ok' });
  });

  it('names the auth stage for a wrong password and keeps the password out', async () => {
    const diagnostics = await testSmtp({ ...settings, password: 'nope-nope' }, { timeoutMs: 3000 });
    expect(diagnostics).toMatchObject({ ok: false, stage: 'auth', reason_code: 'auth_failed' });
    expect(JSON.stringify(diagnostics)).not.toContain('nope-nope');
  });

  it('names the connect stage for a refused connection', async () => {
    const diagnostics = await testSmtp(
      { ...settings, port: await closedPort() },
      { timeoutMs: 3000 },
    );
    expect(diagnostics).toMatchObject({
      ok: false,
      stage: 'connect',
      reason_code: 'connection_refused',
    });
  });

  it('times out on a server that never greets', async () => {
    const silent = await silentServer();
    const diagnostics = await testSmtp(
      { ...settings, port: (silent.address() as AddressInfo).port },
      { timeoutMs: 300 },
    );
    silent.close();
    expect(diagnostics).toMatchObject({ ok: false, stage: 'connect', reason_code: 'timeout' });
    expect(diagnostics.duration_ms).toBeLessThan(2000);
  });

  it('names the send stage when the test recipient is refused', async () => {
    const diagnostics = await testSmtp(settings, { timeoutMs: 3000, sendTo: 'nobody@example.com' });
    expect(diagnostics).toMatchObject({
      ok: false,
      stage: 'send',
      reason_code: 'recipients_rejected',
    });
  });
});

describe('validateEmailAddresses', () => {
  it('trims, keeps order and drops case-insensitive duplicates', () => {
    expect(
      validateEmailAddresses([' finops@company.com ', 'FinOps@Company.com', 'b@x.io']),
    ).toEqual({
      ok: true,
      value: ['finops@company.com', 'b@x.io'],
    });
    expect(validateEmailAddresses([])).toEqual({ ok: true, value: [] });
  });

  it('accepts at most five addresses', () => {
    const six = Array.from({ length: 6 }, (_, i) => `u${i}@example.com`);
    expect(validateEmailAddresses(six.slice(0, 5)).ok).toBe(true);
    const outcome = validateEmailAddresses(six);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.reason.code).toBe('email.too_many_recipients');
      expect(outcome.reason.message).toContain('At most 5');
    }
  });

  it('lists every invalid address in the error', () => {
    const outcome = validateEmailAddresses(['ok@example.com', 'bad@', 'two@@example.com', 'x@y']);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.reason.category).toBe('invalid');
      expect(outcome.reason.message).toBe(
        'Not valid e-mail addresses: "bad@", "two@@example.com", "x@y".',
      );
    }
  });
});

describe('isEmailAddress', () => {
  it('accepts the addresses real mailboxes use', () => {
    for (const address of [
      'service@cloud-waste-scanner.com',
      'first.last+tag@sub.example.co.uk',
      "o'brien@example.ie",
      'x@xn--bcher-kva.example',
      'a@b.xn--p1ai',
    ]) {
      expect(isEmailAddress(address)).toBe(true);
    }
  });

  it('refuses malformed addresses, display names and line breaks', () => {
    for (const address of [
      '',
      'plain',
      '@example.com',
      'a@example',
      'a..b@example.com',
      '.a@example.com',
      'a@-example.com',
      'a@example..com',
      'a b@example.com',
      'Name <a@example.com>',
      'a@example.com\r\nBcc: x@y.com',
      `${'a'.repeat(65)}@example.com`,
      'a@example.c0m',
    ]) {
      expect(isEmailAddress(address)).toBe(false);
    }
  });
});
