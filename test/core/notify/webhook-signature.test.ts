import { describe, expect, it } from 'bun:test';
import { createHmac } from 'node:crypto';
import {
  signWebhookPayload as signLikeJsClient,
  verifyWebhookSignature as verifyLikeJsClient,
} from '../../../clients/js/src/webhooks';
import { signWebhookPayload, verifyWebhookSignature } from '../../../core/notify/webhook-signature';

const SECRET = 'shared-secret';
const BODY = '{"id":"dlv_1","event":"scan.completed","data":{"scan_id":"scan_1","name":"Zürich"}}';
const NOW = 1_796_119_200;

describe('signWebhookPayload', () => {
  it('is sha256= and the hex HMAC of "<timestamp>.<raw body>"', () => {
    const expected = createHmac('sha256', SECRET).update(`${NOW}.${BODY}`).digest('hex');
    expect(signWebhookPayload({ secret: SECRET, timestamp: NOW, body: BODY })).toBe(
      `sha256=${expected}`,
    );
  });

  it('agrees byte for byte with the JavaScript client', () => {
    const bytes = new TextEncoder().encode(BODY);
    expect(signWebhookPayload({ secret: SECRET, timestamp: NOW, body: bytes })).toBe(
      signLikeJsClient({ secret: SECRET, timestamp: NOW, body: BODY }),
    );
    const signature = signWebhookPayload({ secret: SECRET, timestamp: NOW, body: BODY });
    expect(
      verifyLikeJsClient({ secret: SECRET, timestamp: NOW, body: BODY, signature, now: NOW }),
    ).toBe(true);
  });
});

describe('verifyWebhookSignature', () => {
  const signature = signWebhookPayload({ secret: SECRET, timestamp: NOW, body: BODY });

  it('accepts a genuine signature within the tolerance, in either case', () => {
    expect(
      verifyWebhookSignature({
        secret: SECRET,
        timestamp: NOW,
        body: BODY,
        signature,
        now: NOW + 299,
      }),
    ).toBe(true);
    expect(
      verifyWebhookSignature({
        secret: SECRET,
        timestamp: String(NOW),
        body: BODY,
        signature: signature.toUpperCase().replace('SHA256=', 'sha256='),
        now: NOW,
      }),
    ).toBe(true);
  });

  it.each([
    ['a stale timestamp', { now: NOW + 301 }],
    ['a future timestamp', { now: NOW - 301 }],
    ['another secret', { secret: 'other-secret' }],
    ['a changed body', { body: BODY.replace('Zürich', 'Zurich') }],
    ['another timestamp', { timestamp: NOW + 1, now: NOW + 1 }],
    ['a truncated signature', { signature: signature.slice(0, -2) }],
    ['a non-hex signature', { signature: `sha256=${'z'.repeat(64)}` }],
    ['a malformed timestamp', { timestamp: '17961192OO' }],
  ])('refuses %s', (_label, change) => {
    expect(
      verifyWebhookSignature({
        secret: SECRET,
        timestamp: NOW,
        body: BODY,
        signature,
        now: NOW,
        ...change,
      }),
    ).toBe(false);
  });
});
