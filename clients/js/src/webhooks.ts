import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a receiver got: the secret it shares with CWS and the request exactly as it arrived. */
export interface WebhookSignatureInput {
  secret: string | Uint8Array;
  /** `X-CWS-Timestamp`: unix seconds. */
  timestamp: string | number;
  /** The raw request body; never a re-serialised object, whose bytes would differ. */
  body: string | Uint8Array;
  /** `X-CWS-Signature`: `sha256=<hex>`. */
  signature: string;
  /** Largest accepted distance between the timestamp and now, in seconds. */
  toleranceSeconds?: number;
  /** Current unix time in seconds (tests pin it). */
  now?: number;
}

const SIGNATURE_PREFIX = 'sha256=';
const HEX_DIGEST = /^[0-9a-f]{64}$/i;
const TIMESTAMP = /^\d{1,12}$/;

/**
 * True when `signature` is the HMAC-SHA256 of `"<timestamp>.<body>"` under `secret` and the
 * timestamp lies within the tolerance of now (old or future ones are replays). Never throws on
 * malformed input: anything unexpected is simply not a valid signature.
 */
export function verifyWebhookSignature(input: WebhookSignatureInput): boolean {
  if (typeof input.signature !== 'string' || !isKeyOrText(input.body)) return false;
  if (!isKeyOrText(input.secret)) return false;
  const timestamp = String(input.timestamp).trim();
  if (!TIMESTAMP.test(timestamp)) return false;
  const now = input.now ?? Date.now() / 1000;
  if (Math.abs(now - Number(timestamp)) > (input.toleranceSeconds ?? 300)) return false;

  const received = input.signature.trim();
  const hex = received.startsWith(SIGNATURE_PREFIX)
    ? received.slice(SIGNATURE_PREFIX.length)
    : received;
  if (!HEX_DIGEST.test(hex)) return false;

  const expected = digest(input.secret, timestamp, input.body);
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}

/** The `X-CWS-Signature` value CWS would send for this timestamp and body. */
export function signWebhookPayload(input: {
  secret: string | Uint8Array;
  timestamp: string | number;
  body: string | Uint8Array;
}): string {
  return (
    SIGNATURE_PREFIX + digest(input.secret, String(input.timestamp), input.body).toString('hex')
  );
}

function isKeyOrText(value: unknown): value is string | Uint8Array {
  return typeof value === 'string' || value instanceof Uint8Array;
}

function digest(secret: string | Uint8Array, timestamp: string, body: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}
