import { CwsError } from '../core/errors';
import type { Authenticator } from '../handlers/router';
import { tokensMatch } from './token';

/** Failed attempts from one address within a minute before it is refused for the rest of it. */
export const FAILURES_PER_MINUTE = 30;

/**
 * Bearer-token authentication with a per-address failure limit. Failures are counted in one-minute
 * windows; past the limit, every request from that address gets 429 until the window ends.
 */
export function createAuthenticator(
  token: () => string,
  clock: () => number = Date.now,
): Authenticator {
  const failures = new Map<string, { windowStart: number; count: number }>();
  // The token's bytes, re-encoded only when the token changes (rotation).
  let expected = { text: '', bytes: new Uint8Array() };
  const expectedBytes = () => {
    const text = token();
    if (text !== expected.text) expected = { text, bytes: Buffer.from(text) };
    return expected.bytes;
  };
  return (request, clientAddress) => {
    const now = clock();
    // With no failures on record (the usual case), the address is not needed unless this one fails.
    let address = failures.size ? clientAddress() : undefined;
    const entry = address === undefined ? undefined : failures.get(address);
    const current = entry && now - entry.windowStart < 60_000 ? entry : undefined;
    if (current && current.count >= FAILURES_PER_MINUTE) {
      return new CwsError(
        'auth.rate_limited',
        'too many failed attempts; retry after the minute ends',
      );
    }
    const header = request.headers.get('authorization');
    const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
    if (match && tokensMatch(expectedBytes(), match[1] as string)) return undefined;
    address ??= clientAddress();
    const next = current ?? { windowStart: now, count: 0 };
    next.count += 1;
    failures.set(address, next);
    if (failures.size > 10_000) pruneExpired(failures, now);
    return header
      ? new CwsError('auth.invalid_token', 'bearer token not accepted')
      : new CwsError('auth.missing_token', 'send Authorization: Bearer <token>');
  };
}

function pruneExpired(failures: Map<string, { windowStart: number }>, now: number): void {
  for (const [address, entry] of failures)
    if (now - entry.windowStart >= 60_000) failures.delete(address);
}
