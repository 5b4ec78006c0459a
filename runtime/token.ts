import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readOptional, writeSecretFile } from './data-dir';

/** A new bearer token: `cws_` and 32 random bytes in hex. */
export function generateToken(): string {
  return `cws_${randomBytes(32).toString('hex')}`;
}

/**
 * The token in force: CWS_TOKEN when set, else the stored one, else a new one stored 0600.
 * `created` says whether this call made it (it is printed once, then).
 */
export function loadToken(path: string, override?: string): { token: string; created: boolean } {
  if (override) return { token: override, created: false };
  const stored = readOptional(path);
  if (stored) return { token: stored, created: false };
  const token = generateToken();
  writeSecretFile(path, `${token}\n`);
  return { token, created: true };
}

/** Replaces the stored token and returns the new one. */
export function rotateToken(path: string): string {
  const token = generateToken();
  writeSecretFile(path, `${token}\n`);
  return token;
}

/**
 * Compares a token with the expected one's bytes in constant time (for equal lengths; length
 * itself is not secret).
 */
export function tokensMatch(expected: Uint8Array, given: string): boolean {
  const bytes = Buffer.from(given);
  return expected.length === bytes.length && timingSafeEqual(expected, bytes);
}
