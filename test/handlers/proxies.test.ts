import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'bun:test';
import net from 'node:net';
import { startConnectProxy, type FakeConnectProxy } from '../fakes/azure/connect-proxy';
import { startCloudFakes, type CloudFakes } from '../e2e/support/cloud-fakes';
import { createTestApp, type TestApp } from '../support/app';

let fakes: CloudFakes;
let proxy: FakeConnectProxy;
let test: TestApp;

beforeAll(async () => {
  fakes = await startCloudFakes();
  proxy = await startConnectProxy();
});
afterAll(async () => {
  await proxy.stop();
  await fakes.close();
});
beforeEach(async () => {
  test = await createTestApp({
    config: {
      endpoints: {
        azureAuthorityHost: fakes.azure.url,
        azureResourceManager: fakes.azure.url,
        alibabaEndpointPattern: fakes.alibaba.endpointPattern,
      },
    },
  });
});
afterEach(() => test.close());

const PASSWORD = 'proxy-password-value-77';

async function createProxy(body: Record<string, unknown> = {}) {
  const response = await test.callJson('POST', '/v1/proxies', {
    name: 'corp',
    url: proxy.url,
    username: 'scanner',
    password: PASSWORD,
    ...body,
  });
  expect(response.status).toBe(201);
  return response.body;
}

/**
 * A proxy that wants `user:secret` (Basic) before it answers a CONNECT with 200; it never opens
 * the tunnel, which a test of the answer does not need.
 */
async function startAuthProxy(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = net.createServer((socket) => {
    socket.once('data', (head) => {
      const expected = `Basic ${Buffer.from('user:secret').toString('base64')}`;
      const sent = /\r\nProxy-Authorization: ([^\r\n]+)/i.exec(head.toString('latin1'))?.[1];
      socket.end(
        sent === expected
          ? 'HTTP/1.1 200 Connection Established\r\n\r\n'
          : 'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n',
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('proxy profiles', () => {
  it('creates a profile whose password is write-only', async () => {
    const body = await createProxy();
    expect(body).toMatchObject({
      name: 'corp',
      url: proxy.url,
      username: 'scanner',
      has_password: true,
    });
    expect(body.password).toBeUndefined();
    expect(body.password_sealed).toBeUndefined();
    const listed = await test.callJson('GET', '/v1/proxies');
    expect(listed.body).toEqual([body]);
    expect(JSON.stringify(listed.body)).not.toContain(PASSWORD);
    const events = await test.callJson('GET', '/v1/events');
    expect(events.body[0]).toMatchObject({ action: 'proxy.created' });
    expect(JSON.stringify(events.body)).not.toContain(PASSWORD);
  });

  it.each([
    [{ url: 'http://user:pw@127.0.0.1:3128' }, 'url'],
    [{ url: 'socks5://127.0.0.1:1080' }, 'url'],
    [{ url: 'http://127.0.0.1:3128/path' }, 'url'],
    [{ url: 'proxy:3128' }, 'url'],
    [{ name: '' }, 'name'],
    [{ password: 7 }, 'password'],
    [{ port: 3128 }, 'port'],
  ])('refuses %j with a detail naming the field', async (change, path) => {
    const { status, body } = await test.callJson('POST', '/v1/proxies', {
      name: 'corp',
      url: proxy.url,
      ...change,
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('request.validation_failed');
    expect(body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('changes fields, keeps the password unless told, and clears it with null', async () => {
    const created = await createProxy();
    const renamed = await test.callJson('PATCH', `/v1/proxies/${created.id}`, { name: 'edge' });
    expect(renamed.body).toMatchObject({ name: 'edge', has_password: true });
    const cleared = await test.callJson('PATCH', `/v1/proxies/${created.id}`, {
      username: null,
      password: null,
    });
    expect(cleared.body).toMatchObject({ username: null, has_password: false });
    expect((await test.callJson('PATCH', `/v1/proxies/${created.id}`, {})).status).toBe(400);
    expect((await test.callJson('GET', `/v1/proxies/${created.id}`)).body.name).toBe('edge');
  });

  it('deletes an unused profile and refuses one a cloud account uses', async () => {
    const used = await createProxy();
    const unused = await createProxy({ name: 'spare' });
    const account = await test.callJson('POST', '/v1/cloud-accounts', {
      provider: 'alibaba',
      name: 'behind proxy',
      credentials: fakes.credentials.alibaba,
      proxy_profile_id: used.id,
    });
    expect(account.body.proxy_profile_id).toBe(used.id);

    const refused = await test.callJson('DELETE', `/v1/proxies/${used.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('resource.conflict');
    expect((await test.call('DELETE', `/v1/proxies/${unused.id}`)).status).toBe(204);
    expect((await test.callJson('GET', `/v1/proxies/${unused.id}`)).status).toBe(404);

    await test.callJson('PATCH', `/v1/cloud-accounts/${account.body.id}`, {
      proxy_profile_id: null,
    });
    expect((await test.call('DELETE', `/v1/proxies/${used.id}`)).status).toBe(204);
  });
});

describe('POST /v1/proxies/test', () => {
  it('opens a tunnel to the target URL through a stored profile', async () => {
    const stored = await createProxy();
    const { status, body } = await test.callJson('POST', '/v1/proxies/test', {
      proxy_profile_id: stored.id,
      target_url: fakes.azure.url,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ok: true,
      stage: 'tunnel',
      reason_code: 'ok',
      target: new URL(fakes.azure.url).host,
      proxy_url: proxy.url,
      status_code: 200,
    });
    expect(body.duration_ms).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(body)).not.toContain(PASSWORD);
  });

  it("tunnels to a cloud account's endpoint when given its id", async () => {
    const account = await test.callJson('POST', '/v1/cloud-accounts', {
      provider: 'alibaba',
      name: 'cn',
      credentials: fakes.credentials.alibaba,
    });
    const { body } = await test.callJson('POST', '/v1/proxies/test', {
      url: proxy.url,
      account_id: account.body.id,
    });
    expect(body).toMatchObject({ ok: true, target: new URL(fakes.alibaba.url).host });
    expect(proxy.targets).toContain(new URL(fakes.alibaba.url).host);
  });

  it('reports a refused tunnel at stage tunnel', async () => {
    const { body } = await test.callJson('POST', '/v1/proxies/test', {
      url: proxy.url,
      target_url: 'https://example.invalid',
    });
    expect(body).toMatchObject({
      ok: false,
      stage: 'tunnel',
      reason_code: 'tunnel_refused',
      status_code: 403,
    });
  });

  it('reports a proxy nobody listens on at stage connect', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { body } = await test.callJson('POST', '/v1/proxies/test', {
      url: `http://127.0.0.1:${port}`,
      target_url: fakes.azure.url,
    });
    expect(body).toMatchObject({ ok: false, stage: 'connect', reason_code: 'proxy_refused' });
  });

  it('tells a missing password from a wrong one and passes with the right one', async () => {
    const auth = await startAuthProxy();
    try {
      const attempt = (extra: Record<string, unknown>) =>
        test.callJson('POST', '/v1/proxies/test', {
          url: auth.url,
          target_url: 'https://management.example:443',
          ...extra,
        });
      expect((await attempt({})).body.reason_code).toBe('proxy_auth_required');
      expect((await attempt({ username: 'user', password: 'nope' })).body.reason_code).toBe(
        'proxy_auth_rejected',
      );
      expect((await attempt({ username: 'user', password: 'secret' })).body).toMatchObject({
        ok: true,
        target: 'management.example:443',
      });
    } finally {
      await auth.stop();
    }
  });

  it.each([
    [{ target_url: 'https://example.com' }, 'url'],
    [{ url: 'http://127.0.0.1:1' }, 'target_url'],
    [{ url: 'http://127.0.0.1:1', target_url: 'ftp://x' }, 'target_url'],
  ])('refuses %j', async (body, path) => {
    const { status, body: answer } = await test.callJson('POST', '/v1/proxies/test', body);
    expect(status).toBe(400);
    expect(answer.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('answers 404 for an unknown profile or account', async () => {
    const unknownProfile = await test.callJson('POST', '/v1/proxies/test', {
      proxy_profile_id: 'proxy_nope',
      target_url: fakes.azure.url,
    });
    expect(unknownProfile.status).toBe(404);
    const unknownAccount = await test.callJson('POST', '/v1/proxies/test', {
      url: proxy.url,
      account_id: 'acct_nope',
    });
    expect(unknownAccount.status).toBe(404);
  });
});
