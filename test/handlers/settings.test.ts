import { afterEach, beforeEach, describe, expect, it } from 'bun:test';
import { createTestApp, type TestApp } from '../support/app';

let test: TestApp;
beforeEach(async () => {
  test = await createTestApp();
});
afterEach(() => test.close());

describe('general settings', () => {
  it('returns the defaults on a fresh database', async () => {
    const { status, body } = await test.callJson('GET', '/v1/settings/general');
    expect(status).toBe(200);
    expect(body).toEqual({
      currency: 'USD',
      api_timeout_seconds: 15,
      notification_trigger_mode: 'scan_complete',
      currency_rates: {},
    });
  });

  it('changes only the fields a PATCH names and records it in the audit log', async () => {
    const { status, body } = await test.callJson('PATCH', '/v1/settings/general', {
      currency: 'EUR',
      api_timeout_seconds: 30,
    });
    expect(status).toBe(200);
    expect(body.currency).toBe('EUR');
    expect(body.api_timeout_seconds).toBe(30);
    expect(body.notification_trigger_mode).toBe('scan_complete');
    const events = await test.callJson('GET', '/v1/events');
    expect(events.body[0]).toMatchObject({
      action: 'settings.updated',
      target: 'settings/general',
    });
  });

  it('refuses an empty PATCH', async () => {
    const { status, body } = await test.callJson('PATCH', '/v1/settings/general', {});
    expect(status).toBe(400);
    expect(body.error.code).toBe('request.validation_failed');
  });

  it.each([
    [{ api_timeout_seconds: 0 }, 'api_timeout_seconds'],
    [{ api_timeout_seconds: 601 }, 'api_timeout_seconds'],
    [{ api_timeout_seconds: '15' }, 'api_timeout_seconds'],
    [{ currency: 'XYZ' }, 'currency'],
    [{ notification_trigger_mode: 'always' }, 'notification_trigger_mode'],
    [{ colour: 'blue' }, 'colour'],
    [{ currency_rates: { USD: 2 } }, 'currency_rates.USD'],
    [{ currency_rates: { EUR: 1e308 } }, 'currency_rates.EUR'],
    [{ currency_rates: { EUR: 1e-10 } }, 'currency_rates.EUR'],
    [{ currency_rates: { EUR: 0 } }, 'currency_rates.EUR'],
  ])('refuses %j with a detail naming the field', async (patch, field) => {
    const { status, body } = await test.callJson('PATCH', '/v1/settings/general', patch);
    expect(status).toBe(400);
    expect(body.error.code).toBe('request.validation_failed');
    expect(body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });
});

describe('notification policy', () => {
  it('accepts scan_complete and waste_only and nothing else', async () => {
    expect(
      (
        await test.callJson('PATCH', '/v1/notifications/policy', {
          notification_trigger_mode: 'waste_only',
        })
      ).body,
    ).toEqual({
      notification_trigger_mode: 'waste_only',
    });
    expect(
      (await test.callJson('GET', '/v1/notifications/policy')).body.notification_trigger_mode,
    ).toBe('waste_only');
    const bad = await test.callJson('PATCH', '/v1/notifications/policy', {
      notification_trigger_mode: 'sometimes',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'notification_trigger_mode must be one of scan_complete, waste_only',
    );
  });
});

describe('scan policy', () => {
  it('merges per-provider overrides over the defaults', async () => {
    const { body } = await test.callJson('PATCH', '/v1/settings/scan-policy', {
      snapshot_age_days: 60,
      providers: { aws: { stopped_instance_days: 7 } },
    });
    expect(body.snapshot_age_days).toBe(60);
    expect(body.stopped_instance_days).toBe(30);
    expect(body.providers.aws).toEqual({ stopped_instance_days: 7 });
    expect(body.excluded_tags).toEqual(['cws:ignore=true']);
  });

  it('refuses an unknown provider override', async () => {
    const { status } = await test.callJson('PATCH', '/v1/settings/scan-policy', {
      providers: { gcp: {} },
    });
    expect(status).toBe(400);
  });
});

describe('quota', () => {
  it('reports unlimited by default and accepts a limit', async () => {
    expect((await test.callJson('GET', '/v1/settings/quota')).body).toMatchObject({
      monthly_scan_limit: null,
      used: 0,
    });
    const { body } = await test.callJson('PATCH', '/v1/settings/quota', { monthly_scan_limit: 10 });
    expect(body).toMatchObject({ monthly_scan_limit: 10, used: 0, remaining: 10 });
    expect(body.period_start).toMatch(/^\d{4}-\d{2}-01T00:00:00.000Z$/);
  });
});

describe('validation messages', () => {
  it('calls a missing field required and an unknown one unknown', async () => {
    const missing = await test.callJson('PATCH', '/v1/settings/quota', {});
    expect(missing.body.error.message).toBe('monthly_scan_limit is required');
    const unknown = await test.callJson('PATCH', '/v1/settings/quota', {
      monthly_scan_limit: 1,
      used: 0,
    });
    expect(unknown.body.error.details).toEqual([{ path: 'used', message: 'is not a quota field' }]);
    const none = await test.call('PATCH', '/v1/settings/general');
    expect((await none.json()).error.message).toBe('a JSON object body is required');
    const array = await test.callJson('PATCH', '/v1/settings/general', 'true');
    expect(array.body.error.message).toBe('must be a JSON object');
  });
});

describe('HEAD', () => {
  it('answers what GET would, without a body, and lists HEAD as allowed', async () => {
    const head = await test.call('HEAD', '/v1/settings/general');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(
      (
        await test.call('HEAD', '/v1/settings/general', undefined, {
          authorization: 'Bearer wrong',
        })
      ).status,
    ).toBe(401);
    const wrong = await test.call('PUT', '/v1/settings/general', {});
    expect(wrong.headers.get('allow')).toContain('HEAD');
  });
});
