import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BINARY, ensureBinary, modeOf, startBinary, type RunningBinary } from './support/binary';

let server: RunningBinary;

beforeAll(async () => {
  server = await startBinary();
});
afterAll(async () => {
  await server?.stop();
});

describe('the compiled binary over TLS', () => {
  it('serves /status without a token over a certificate it generated', async () => {
    const response = await server.fetch('/status', { token: null });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      status: 'running',
      api_version: 'v1',
      tls_enabled: true,
      self_signed_tls: true,
    });
    expect(JSON.stringify(body)).not.toContain(server.token);
  });

  it('keeps its data directory, token and key private', () => {
    expect(modeOf(server.dataDir)).toBe(0o700);
    expect(modeOf(join(server.dataDir, 'token'))).toBe(0o600);
    expect(modeOf(join(server.dataDir, 'tls-key.pem'))).toBe(0o600);
    expect(server.token).toMatch(/^cws_[0-9a-f]{64}$/);
  });

  it('puts localhost and loopback addresses in the certificate', () => {
    const text = Bun.spawnSync([
      'openssl',
      'x509',
      '-noout',
      '-text',
      '-in',
      server.caPath,
    ]).stdout.toString();
    expect(text).toContain('DNS:localhost');
    expect(text).toContain('IP Address:127.0.0.1');
    expect(text).toContain('ASN1 OID: prime256v1');
  });

  it('demands the bearer token on /v1 routes and echoes request ids', async () => {
    const missing = await server.fetch('/v1/meta/capabilities', { token: null });
    expect(missing.status).toBe(401);
    expect((await missing.json()).error.code).toBe('auth.missing_token');
    const ok = await server.fetch('/v1/meta/capabilities', {
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-request-id')).toBe('trace-123');
  });

  it('refuses oversize bodies with 413 and never answers 500 to bad input', async () => {
    const big = await server.fetch('/v1/settings/general', {
      method: 'PATCH',
      body: `{"currency":"${'x'.repeat(1024 * 1024 + 10)}"}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('request.body_too_large');
    for (const body of ['', 'not json', '[]', '{"currency":5}', 'null']) {
      const response = await server.fetch('/v1/settings/general', {
        method: 'PATCH',
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(400);
    }
    expect((await server.fetch('/v1/nothing-here')).status).toBe(404);
    expect((await server.fetch('/v1/settings/general', { method: 'DELETE' })).status).toBe(405);
  });

  it('logs one JSON line per request without the token', async () => {
    await server.fetch('/v1/settings/general', { headers: { 'x-request-id': 'log-check' } });
    await Bun.sleep(50);
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes('"request_id":"log-check"'));
    expect(line).toBeDefined();
    expect(JSON.parse(line as string)).toMatchObject({
      msg: 'request',
      method: 'GET',
      path: '/v1/settings/general',
      status: 200,
    });
    expect(server.output()).not.toContain(server.token);
  });
});

describe('token and rate limit', () => {
  it('rate-limits an address after 30 failures in a minute', async () => {
    const limited = await startBinary();
    try {
      for (let i = 0; i < 30; i++)
        expect((await limited.fetch('/v1/events', { token: 'wrong' })).status).toBe(401);
      const blocked = await limited.fetch('/v1/events');
      expect(blocked.status).toBe(429);
      expect((await blocked.json()).error.code).toBe('auth.rate_limited');
    } finally {
      await limited.stop();
    }
  });

  it('prints and rotates the token with `cws token`', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cws-token-'));
    const env = { PATH: process.env.PATH, CWS_DATA_DIR: dataDir };
    const first = Bun.spawnSync([BINARY, 'token'], { env }).stdout.toString().trim();
    expect(first).toMatch(/^cws_[0-9a-f]{64}$/);
    expect(Bun.spawnSync([BINARY, 'token'], { env }).stdout.toString().trim()).toBe(first);
    const rotated = Bun.spawnSync([BINARY, 'token', '--rotate'], { env }).stdout.toString().trim();
    expect(rotated).not.toBe(first);
    expect(readFileSync(join(dataDir, 'token'), 'utf8').trim()).toBe(rotated);
  });
});

describe('command line', () => {
  it('answers version, openapi and help, and exits 2 on unknown commands and flags', async () => {
    await ensureBinary();
    expect(Bun.spawnSync([BINARY, 'version']).stdout.toString()).toMatch(/^cws \d+\.\d+\.\d+/);
    const openapi = JSON.parse(Bun.spawnSync([BINARY, 'openapi']).stdout.toString());
    expect(openapi.openapi).toBe('3.1.0');
    expect(Bun.spawnSync([BINARY, 'help']).stdout.toString()).toContain('usage: cws');
    expect(Bun.spawnSync([BINARY, 'serve', '--help']).stdout.toString()).toContain('--port');
    const unknown = Bun.spawnSync([BINARY, 'frobnicate']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr.toString()).toContain('unknown command');
    expect(Bun.spawnSync([BINARY, 'serve', '--colour']).exitCode).toBe(2);
  });
});

describe('storage safety', () => {
  it('refuses a corrupt database file, names it and leaves it untouched', async () => {
    await ensureBinary();
    const dataDir = mkdtempSync(join(tmpdir(), 'cws-corrupt-'));
    const database = join(dataDir, 'cws.sqlite');
    writeFileSync(database, 'this is not a database, but somebody cares about it');
    const before = readFileSync(database);
    const run = Bun.spawnSync([BINARY, 'serve', '--port', '0'], {
      env: { PATH: process.env.PATH, CWS_DATA_DIR: dataDir },
      timeout: 10_000,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr.toString()).toContain(database);
    expect(readFileSync(database).equals(before)).toBe(true);
  });

  it('keeps every acknowledged write across SIGKILL in the middle of a write stream', async () => {
    const victim = await startBinary();
    const acknowledged: number[] = [];
    let stop = false;
    const writers = Array.from({ length: 8 }, async (_, writer) => {
      for (let i = 0; !stop; i++) {
        const value = writer * 100_000 + i;
        const response = await victim
          .fetch('/v1/settings/general', {
            method: 'PATCH',
            body: JSON.stringify({ currency_rates: { [`EUR`]: 1 + value / 1e7 } }),
            headers: { 'content-type': 'application/json' },
          })
          .catch(() => undefined);
        if (response?.status === 200) acknowledged.push(value);
        else break;
      }
    });
    await Bun.sleep(400);
    victim.process.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await victim.process.exited;
    expect(acknowledged.length).toBeGreaterThan(20);

    // The audit log holds one entry per acknowledged PATCH: every one must be there after restart.
    const copy = mkdtempSync(join(tmpdir(), 'cws-after-kill-'));
    for (const name of ['cws.sqlite', 'token', 'tls-cert.pem', 'tls-key.pem'])
      copyFileSync(join(victim.dataDir, name), join(copy, name));
    const revived = await startBinary({ dataDir: copy });
    try {
      const logged = new Set<number>();
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${cursor}` : '';
        const page = await (
          await revived.fetch(`/v1/events?envelope=true&limit=250${query}`)
        ).json();
        for (const event of page.items) {
          const rate = event.details?.currency_rates?.EUR;
          if (typeof rate === 'number') logged.add(Math.round((rate - 1) * 1e7));
        }
        cursor = page.page.next_cursor;
      } while (cursor);
      const missing = acknowledged.filter((value) => !logged.has(value));
      expect(missing).toEqual([]);
    } finally {
      await revived.stop();
    }
  });

  it('shuts down gracefully on SIGTERM with exit code 0', async () => {
    const graceful = await startBinary();
    expect(await graceful.stop('SIGTERM')).toBe(0);
    expect(graceful.output()).toContain('"msg":"stopped"');
  });
});
