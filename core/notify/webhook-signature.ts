import { createHmac, timingSafeEqual } from 'node:crypto';

/** Receivers refuse timestamps further than this from their clock (CONTRACT.md "Webhooks"). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The prefix of `X-CWS-Signature`; the rest is the lower-case hex digest. */
export const SIGNATURE_PREFIX = 'sha256=';

const HEX_DIGEST = /^[0-9a-f]{64}$/i;
const TIMESTAMP = /^\d{1,12}$/;

/**
 * The `X-CWS-Signature` value of one delivery: HMAC-SHA256 under the webhook secret over
 * `"<timestamp>.<raw body>"`, the same bytes the clients' verifiers hash.
 */
export function signWebhookPayload(input: {
  secret: string;
  timestamp: number | string;
  body: string | Uint8Array;
}): string {
  return (
    SIGNATURE_PREFIX + digest(input.secret, String(input.timestamp), input.body).toString('hex')
  );
}

/**
 * True when `signature` signs `body` at `timestamp` under `secret` and the timestamp lies within
 * the tolerance of `now` (a replayed or future-dated delivery is refused). Compares in constant
 * time; malformed input is simply not a valid signature.
 */
export function verifyWebhookSignature(input: {
  secret: string;
  timestamp: number | string;
  body: string | Uint8Array;
  signature: string;
  /** Current unix time in seconds. */
  now: number;
  toleranceSeconds?: number;
}): boolean {
  const timestamp = String(input.timestamp).trim();
  if (!TIMESTAMP.test(timestamp)) return false;
  const tolerance = input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(input.now - Number(timestamp)) > tolerance) return false;
  const received = input.signature.trim();
  const hex = received.startsWith(SIGNATURE_PREFIX)
    ? received.slice(SIGNATURE_PREFIX.length)
    : received;
  if (!HEX_DIGEST.test(hex)) return false;
  return timingSafeEqual(digest(input.secret, timestamp, input.body), Buffer.from(hex, 'hex'));
}

function digest(secret: string, timestamp: string, body: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}
