import { describe, expect, it } from 'bun:test';
import { createAuthenticator, FAILURES_PER_MINUTE } from '../../runtime/auth';

const TOKEN = 'cws_secret_token';
const withToken = (token?: string) =>
  new Request('https://127.0.0.1/v1/events', {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('bearer authentication', () => {
  it('accepts the token without looking up the address while nothing has failed', () => {
    const authenticate = createAuthenticator(() => TOKEN);
    let lookups = 0;
    const address = () => (lookups++, '10.0.0.1');
    expect(authenticate(withToken(TOKEN), address)).toBeUndefined();
    expect(lookups).toBe(0);
  });

  it('tells a missing token from a wrong one', () => {
    const authenticate = createAuthenticator(() => TOKEN);
    expect(authenticate(withToken(), () => '10.0.0.1')?.code).toBe('auth.missing_token');
    expect(authenticate(withToken('cws_wrong'), () => '10.0.0.1')?.code).toBe('auth.invalid_token');
  });

  it('refuses an address past the limit, even with the right token, until the minute ends', () => {
    let now = 1_000_000;
    const authenticate = createAuthenticator(
      () => TOKEN,
      () => now,
    );
    for (let i = 0; i < FAILURES_PER_MINUTE; i++)
      expect(authenticate(withToken('cws_wrong'), () => '10.0.0.1')?.code).toBe(
        'auth.invalid_token',
      );
    expect(authenticate(withToken(TOKEN), () => '10.0.0.1')?.code).toBe('auth.rate_limited');
    // Another address is unaffected.
    expect(authenticate(withToken(TOKEN), () => '10.0.0.2')).toBeUndefined();
    now += 60_000;
    expect(authenticate(withToken(TOKEN), () => '10.0.0.1')).toBeUndefined();
  });

  it('follows a rotated token', () => {
    let token = TOKEN;
    const authenticate = createAuthenticator(() => token);
    expect(authenticate(withToken(TOKEN), () => '10.0.0.1')).toBeUndefined();
    token = 'cws_rotated_token';
    expect(authenticate(withToken(TOKEN), () => '10.0.0.1')?.code).toBe('auth.invalid_token');
    expect(authenticate(withToken(token), () => '10.0.0.1')).toBeUndefined();
  });
});
