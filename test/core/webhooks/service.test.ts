import { describe, expect, it } from 'bun:test';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from '../../../core/webhooks/service';
import { checkWebhookUrl } from '../../../core/webhooks/url';

describe('retryDelayMs', () => {
  it('doubles from the base, keeps at least half, and stops growing at the cap', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 10_000 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy, 0))).toEqual([
      500, 1000, 2000, 4000, 5000,
    ]);
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy, 0.999999))).toEqual([
      1000, 2000, 4000, 8000, 10_000,
    ]);
  });

  it('retries at least five times by default over hours, not seconds', () => {
    const policy = DEFAULT_RETRY_POLICY;
    expect(policy.maxAttempts).toBeGreaterThanOrEqual(5);
    let least = 0;
    for (let attempt = 1; attempt < policy.maxAttempts; attempt += 1) {
      least += retryDelayMs(attempt, policy, 0);
    }
    expect(least).toBeGreaterThan(3600_000);
  });
});

describe('checkWebhookUrl', () => {
  it.each([
    ['https://hooks.example.com/cws?team=ops', true],
    ['http://127.0.0.1:8080/hook', true],
    ['http://[::1]:8080/hook', true],
    ['ftp://example.com/hook', false],
    ['file:///etc/passwd', false],
    ['https://user@example.com/hook', false],
    ['https://:pw@example.com/hook', false],
    ['/relative/path', false],
    [`https://example.com/${'a'.repeat(2048)}`, false],
  ])('%s → %p', (url, ok) => {
    expect(checkWebhookUrl(url).ok).toBe(ok);
  });
});
