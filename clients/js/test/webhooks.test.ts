import { describe, expect, it } from 'bun:test';
import { signWebhookPayload, verifyWebhookSignature } from '../src/index.ts';

const secret = 'shared-secret';
const timestamp = '1762502400';
const body = '{"event":"scan.completed"}';
// HMAC-SHA256("shared-secret", `${timestamp}.${body}`), computed with `openssl dgst -hmac`.
const signature = 'sha256=44e48726c8c8e0fcff40647586af3ac76ebf7ad6eae63d647dc8b19954d9c656';
const now = Number(timestamp) + 10;

describe('signWebhookPayload', () => {
  it('signs "<timestamp>.<raw body>" with HMAC-SHA256 in the sha256=<hex> form', () => {
    expect(signWebhookPayload({ secret, timestamp, body })).toBe(signature);
  });
});

describe('verifyWebhookSignature', () => {
  it('accepts a correct signature within the tolerance', () => {
    expect(verifyWebhookSignature({ secret, timestamp, body, signature, now })).toBe(true);
  });

  it('accepts the raw body as bytes and the timestamp as a number', () => {
    const bytes = new TextEncoder().encode(body);
    const input = { secret, timestamp: Number(timestamp), body: bytes, signature, now };
    expect(verifyWebhookSignature(input)).toBe(true);
  });

  it('rejects a signature made with another secret', () => {
    const forged = signWebhookPayload({ secret: 'other', timestamp, body });
    expect(verifyWebhookSignature({ secret, timestamp, body, signature: forged, now })).toBe(false);
  });

  it('rejects a tampered body, even one that is the same JSON re-serialised', () => {
    const tampered = '{"event":"scan.failed"}';
    expect(verifyWebhookSignature({ secret, timestamp, body: tampered, signature, now })).toBe(
      false,
    );
    const respaced = '{ "event": "scan.completed" }';
    expect(verifyWebhookSignature({ secret, timestamp, body: respaced, signature, now })).toBe(
      false,
    );
  });

  it('rejects a signature moved to another timestamp', () => {
    const input = { secret, timestamp: '1762502401', body, signature, now };
    expect(verifyWebhookSignature(input)).toBe(false);
  });

  it('rejects stale and future timestamps beyond the tolerance', () => {
    const base = { secret, timestamp, body, signature };
    expect(verifyWebhookSignature({ ...base, now: Number(timestamp) + 300 })).toBe(true);
    expect(verifyWebhookSignature({ ...base, now: Number(timestamp) + 301 })).toBe(false);
    expect(verifyWebhookSignature({ ...base, now: Number(timestamp) - 301 })).toBe(false);
    const wide = { ...base, now: Number(timestamp) + 1000, toleranceSeconds: 3600 };
    expect(verifyWebhookSignature(wide)).toBe(true);
  });

  it('checks against the real clock when now is not given', () => {
    const fresh = String(Math.floor(Date.now() / 1000));
    const signed = signWebhookPayload({ secret, timestamp: fresh, body });
    expect(verifyWebhookSignature({ secret, timestamp: fresh, body, signature: signed })).toBe(
      true,
    );
    expect(verifyWebhookSignature({ secret, timestamp, body, signature })).toBe(false);
  });

  it('returns false for malformed signatures and timestamps instead of throwing', () => {
    const base = { secret, timestamp, body, now };
    for (const bad of [
      'sha256=RECEIVED_SIGNATURE',
      '',
      'sha256=',
      signature.slice(0, -2),
      'md5=00',
    ]) {
      expect(verifyWebhookSignature({ ...base, signature: bad })).toBe(false);
    }
    for (const bad of ['', 'soon', '-1762502400', '1762502400.5']) {
      expect(verifyWebhookSignature({ ...base, timestamp: bad, signature })).toBe(false);
    }
  });
});
