import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { testAlibabaConnection } from '../../../core/providers/alibaba/connectivity';
import { startFakeAlibaba, type FakeAlibaba } from '../../fakes/alibaba';

const KEY_ID = 'LTAI5tFakeKeyId0002';
const KEY_SECRET = 'fakeSecretValue0123456789abcdef';

let fake: FakeAlibaba;

beforeAll(async () => {
  fake = await startFakeAlibaba({
    accessKeyId: KEY_ID,
    accessKeySecret: KEY_SECRET,
    regions: {
      'cn-hangzhou': {},
      'cn-beijing': {},
      'ap-southeast-1': { denied: true },
      'us-east-1': { delayMs: { DescribeRegions: 3000 } },
    },
  });
});

afterAll(async () => {
  await fake.stop();
});

function options(extra: Record<string, unknown> = {}) {
  return {
    timeout_ms: 5000,
    endpointPattern: fake.endpointPattern,
    retry: { maxRetries: 0 },
    ...extra,
  };
}

describe('testAlibabaConnection', () => {
  it('passes with a good AccessKey pair and counts the regions', async () => {
    const result = await testAlibabaConnection(
      { access_key_id: KEY_ID, access_key_secret: KEY_SECRET },
      options(),
    );
    expect(result.ok).toBe(true);
    expect(result.checks).toHaveLength(1);
    expect(result.checks[0]).toMatchObject({ name: 'describe_regions', ok: true });
    expect(result.checks[0]?.message).toContain('4 regions');
  });

  it('classifies a wrong secret as auth without echoing it', async () => {
    const wrong = 'wrongSecretValue-must-not-leak';
    const result = await testAlibabaConnection(
      { access_key_id: KEY_ID, access_key_secret: wrong },
      options(),
    );
    expect(result).toMatchObject({ ok: false, category: 'auth', code: 'SignatureDoesNotMatch' });
    expect(JSON.stringify(result)).not.toContain(wrong);
  });

  it('classifies an unknown AccessKey id as auth', async () => {
    const result = await testAlibabaConnection(
      { access_key_id: 'LTAI5tNobody', access_key_secret: KEY_SECRET },
      options(),
    );
    expect(result).toMatchObject({
      ok: false,
      category: 'auth',
      code: 'InvalidAccessKeyId.NotFound',
    });
  });

  it('asks in the requested region and reports a RAM denial as permission', async () => {
    const result = await testAlibabaConnection(
      { access_key_id: KEY_ID, access_key_secret: KEY_SECRET },
      options({ region: 'ap-southeast-1' }),
    );
    expect(result).toMatchObject({ ok: false, category: 'permission', code: 'Forbidden.RAM' });
  });

  it('classifies an endpoint nobody answers at as network', async () => {
    const closed = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') });
    const port = closed.port;
    const pattern = `http://127.0.0.1:${port}/{service}/{region}`;
    await closed.stop(true);
    const result = await testAlibabaConnection(
      { access_key_id: KEY_ID, access_key_secret: KEY_SECRET, endpoint: pattern },
      options(),
    );
    expect(result).toMatchObject({ ok: false, category: 'network' });
    const message = result.checks[0]?.message ?? '';
    expect(message).toContain(
      `connect ECONNREFUSED 127.0.0.1:${port} (POST http://127.0.0.1:${port}/ecs/cn-hangzhou/)`,
    );
    expect(message).not.toContain('failed.');
    expect(message).not.toContain(KEY_SECRET);
  });

  it('classifies a call slower than the bound as timeout', async () => {
    const result = await testAlibabaConnection(
      { access_key_id: KEY_ID, access_key_secret: KEY_SECRET, regions: ['us-east-1'] },
      options({ timeout_ms: 250 }),
    );
    expect(result).toMatchObject({ ok: false, category: 'timeout', code: 'timeout' });
  });

  it('reports missing fields without calling the cloud', async () => {
    const before = fake.calls.length;
    const result = await testAlibabaConnection({ access_key_id: KEY_ID }, options());
    expect(result).toMatchObject({ ok: false, category: 'invalid' });
    expect(result.checks[0]?.message).toContain('access_key_secret');
    expect(fake.calls.length).toBe(before);
  });
});
