import { afterAll, beforeEach, describe, expect, it } from 'bun:test';
import {
  buildSlackPayload,
  buildTeamsPayload,
  sendChatNotification,
  testChannel,
} from '../../../core/notify/chat';
import { buildScanNotice } from '../../../core/notify/message';
import { SAMPLE_FINDINGS, sampleSource } from '../../fixtures/reports/sample';
import { startHttpReceiver } from '../../fakes/http-receiver';

const receiver = startHttpReceiver();
const notice = buildScanNotice(sampleSource());
const SECRET_PATH = '/services/T000/B000/XXXXsecretXXXX';

afterAll(() => receiver.close());
beforeEach(() => receiver.reset({}));

/** A port nothing listens on: opened, then closed again. */
async function closedPort(): Promise<number> {
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') });
  const port = server.port as number;
  await server.stop(true);
  return port;
}

describe('sendChatNotification', () => {
  it('posts a Slack message with fallback text and blocks', async () => {
    const outcome = await sendChatNotification(
      { type: 'slack', url: `${receiver.url}${SECRET_PATH}` },
      notice,
      { timeoutMs: 2000 },
    );
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect(outcome.value.status_code).toBe(200);
    const [request] = receiver.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(SECRET_PATH);
    expect(request?.headers['content-type']).toBe('application/json');
    const body = JSON.parse(request?.body ?? '{}');
    expect(body.text).toBe('CWS scan scan_20261203_a1: $414.74 monthly waste in 5 findings');
    expect(body.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Cloud waste scan completed' },
    });
    const findings = body.blocks.find((block: { text?: { text: string } }) =>
      block.text?.text.startsWith('*Costliest findings*'),
    );
    expect(findings.text.text).toContain('`backup-volume-Zürich-数据`');
  });

  it('posts a Teams message carrying an Adaptive Card', async () => {
    const outcome = await sendChatNotification({ type: 'teams', url: receiver.url }, notice, {
      timeoutMs: 2000,
    });
    expect(outcome.ok).toBe(true);
    const body = JSON.parse(receiver.requests[0]?.body ?? '{}');
    expect(body.type).toBe('message');
    expect(body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = body.attachments[0].content;
    expect(card.type).toBe('AdaptiveCard');
    expect(card.version).toBe('1.4');
    const facts = card.body.find((item: { type: string }) => item.type === 'FactSet').facts;
    expect(facts).toContainEqual({ title: 'Monthly waste', value: '$414.74' });
  });

  it('posts the notice as JSON to a generic webhook', async () => {
    const outcome = await sendChatNotification({ type: 'webhook', url: receiver.url }, notice, {
      timeoutMs: 2000,
    });
    expect(outcome.ok).toBe(true);
    const body = JSON.parse(receiver.requests[0]?.body ?? '{}');
    expect(body.event).toBe('scan.completed');
    expect(body.scan).toEqual(JSON.parse(JSON.stringify(notice)));
  });

  it('fails with the status and the receiver words on a non-2xx answer, without the URL', async () => {
    receiver.reset({ failFirst: 1, status: 404, failBody: 'no_service' });
    const outcome = await sendChatNotification(
      { type: 'slack', url: `${receiver.url}${SECRET_PATH}` },
      notice,
      { timeoutMs: 2000 },
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.reason.code).toBe('notify.endpoint_not_found');
      expect(outcome.reason.category).toBe('not_found');
      expect(outcome.reason.message).toContain('HTTP 404');
      expect(outcome.reason.message).toContain('no_service');
      expect(outcome.reason.message).not.toContain('secret');
      expect(outcome.reason.message).not.toContain(String(receiver.port));
    }
    const retry = await sendChatNotification({ type: 'slack', url: receiver.url }, notice, {
      timeoutMs: 2000,
    });
    expect(retry.ok).toBe(true);
  });

  it('gives up after the timeout', async () => {
    receiver.reset({ delayMs: 1000 });
    const started = performance.now();
    const outcome = await sendChatNotification({ type: 'webhook', url: receiver.url }, notice, {
      timeoutMs: 150,
    });
    expect(performance.now() - started).toBeLessThan(900);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.reason.code).toBe('notify.timeout');
      expect(outcome.reason.category).toBe('timeout');
    }
  });

  it('uses the injected fetch', async () => {
    const seen: string[] = [];
    const fake = (async (input: string | URL | Request) => {
      seen.push(String(input));
      return new Response('1', { status: 200 });
    }) as typeof fetch;
    const outcome = await sendChatNotification(
      { type: 'teams', url: 'https://example.invalid/hook' },
      notice,
      { timeoutMs: 1000, fetch: fake },
    );
    expect(outcome.ok).toBe(true);
    expect(seen).toEqual(['https://example.invalid/hook']);
  });

  it('throws when the caller aborts', async () => {
    receiver.reset({ delayMs: 1000 });
    const controller = new AbortController();
    const sending = sendChatNotification({ type: 'webhook', url: receiver.url }, notice, {
      timeoutMs: 5000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    await expect(sending).rejects.toThrow('shutting down');
  });
});

describe('testChannel', () => {
  it('reports ok with the status code after a test message', async () => {
    const diagnostics = await testChannel(
      { type: 'slack', url: receiver.url },
      { timeoutMs: 2000 },
    );
    expect(diagnostics).toMatchObject({
      ok: true,
      stage: 'send',
      reason_code: 'ok',
      status_code: 200,
    });
    expect(diagnostics.duration_ms).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(receiver.requests[0]?.body ?? '{}').text).toContain('test notification');
  });

  it('sends a notification.test event to generic webhooks', async () => {
    const now = new Date('2026-12-03T10:00:00Z');
    await testChannel({ type: 'webhook', url: receiver.url }, { timeoutMs: 2000, now });
    expect(JSON.parse(receiver.requests[0]?.body ?? '{}')).toMatchObject({
      event: 'notification.test',
      sent_at: '2026-12-03T10:00:00.000Z',
    });
  });

  it('stops at validation for a malformed or non-HTTP URL', async () => {
    for (const url of ['not a url', 'ftp://127.0.0.1/x']) {
      const diagnostics = await testChannel({ type: 'teams', url }, { timeoutMs: 500 });
      expect(diagnostics).toMatchObject({
        ok: false,
        stage: 'validate',
        reason_code: 'invalid_url',
      });
    }
    expect(receiver.requests).toHaveLength(0);
  });

  it('reports a refused connection at the connect stage', async () => {
    const port = await closedPort();
    const diagnostics = await testChannel(
      { type: 'webhook', url: `http://127.0.0.1:${port}/hook` },
      { timeoutMs: 2000 },
    );
    expect(diagnostics).toMatchObject({
      ok: false,
      stage: 'connect',
      reason_code: 'connection_refused',
    });
    expect(diagnostics.status_code).toBeUndefined();
  });

  it('classifies error statuses', async () => {
    const cases: [number, string][] = [
      [400, 'rejected'],
      [403, 'unauthorized'],
      [410, 'endpoint_not_found'],
      [429, 'rate_limited'],
      [503, 'server_error'],
    ];
    for (const [status, reason] of cases) {
      receiver.reset({ failFirst: 1, status });
      const diagnostics = await testChannel(
        { type: 'slack', url: receiver.url },
        { timeoutMs: 2000 },
      );
      expect(diagnostics).toMatchObject({
        ok: false,
        stage: 'send',
        reason_code: reason,
        status_code: status,
      });
    }
  });

  it('reports a slow receiver as a timeout', async () => {
    receiver.reset({ delayMs: 800 });
    const diagnostics = await testChannel({ type: 'teams', url: receiver.url }, { timeoutMs: 100 });
    expect(diagnostics).toMatchObject({ ok: false, reason_code: 'timeout' });
  });
});

describe('payload limits', () => {
  it('keeps Slack sections under 3,000 characters and escapes control characters', () => {
    const long = {
      ...SAMPLE_FINDINGS[0]!,
      title: `<!channel> & ${'x'.repeat(2000)}`,
    };
    const many = Array.from({ length: 5 }, (_, i) => ({ ...long, id: `f${i}` }));
    const payload = buildSlackPayload(buildScanNotice(sampleSource({ findings: many })));
    for (const block of payload.blocks as { text?: { text: string } }[]) {
      expect((block.text?.text ?? '').length).toBeLessThanOrEqual(3000);
    }
    expect(JSON.stringify(payload)).not.toContain('<!channel>');
    expect(JSON.stringify(payload)).toContain('&lt;!channel&gt; &amp;');
  });

  it('builds a Teams card without findings when there are none', () => {
    const payload = buildTeamsPayload(buildScanNotice(sampleSource({ findings: [] }))) as {
      attachments: { content: { body: { text?: string }[] } }[];
    };
    const texts = payload.attachments[0]?.content.body.map((item) => item.text);
    expect(texts).toContain('No waste found');
    expect(texts).not.toContain('Costliest findings');
  });
});
