/**
 * Base benchmarks (`npx bun test/bench/api.ts`):
 * 1. overhead of the API (auth, routing, settings read) against a bare Bun.serve answering the same
 *    JSON over the same TLS, side by side in one run;
 * 2. durable write throughput: 200 concurrent PATCH /v1/settings/general, all acknowledged and present
 *    after a restart, with flushes per write;
 * 3. cold start of the compiled binary to its first GET /status, and its idle RSS.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSelfSigned } from '../../runtime/tls';
import { BINARY, ensureBinary, startBinary } from '../e2e/support/binary';
import { createTestApp } from '../support/app';
import { fixed, load, report, rssMiB, type LoadResult } from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const ROUNDS = 6;
const CONCURRENCY = 32;

await ensureBinary();
await overhead();
await durableWrites();
await coldStart();

async function overhead(): Promise<void> {
  const server = await startQuietBinary();
  const settings = await (await server.fetch('/v1/settings/general')).text();
  const pair = await generateSelfSigned(['127.0.0.1', 'localhost']);
  const bareDir = mkdtempSync(join(tmpdir(), 'cws-bench-bare-'));
  await Bun.write(join(bareDir, 'cert.pem'), pair.cert);
  await Bun.write(join(bareDir, 'key.pem'), pair.key);
  await Bun.write(join(bareDir, 'body.json'), settings);
  // The bare server runs in its own process, like the binary, so both compete equally with the load.
  await Bun.write(
    join(bareDir, 'bare.ts'),
    `const body = await Bun.file(${JSON.stringify(join(bareDir, 'body.json'))}).text();
const server = Bun.serve({ hostname: '127.0.0.1', port: 0, tls: { cert: Bun.file(${JSON.stringify(join(bareDir, 'cert.pem'))}), key: Bun.file(${JSON.stringify(join(bareDir, 'key.pem'))}) },
  fetch: () => new Response(body, { headers: { 'content-type': 'application/json; charset=utf-8' } }) });
console.log(server.port);`,
  );
  const bareChild = Bun.spawn([process.execPath, join(bareDir, 'bare.ts')], {
    stdout: 'pipe',
    stderr: 'inherit',
  });
  const port = Number((await readLine(bareChild.stdout)).trim());

  const warm = { seconds: 0.5, concurrency: CONCURRENCY };
  const bareRequest = () =>
    fetch(`https://127.0.0.1:${port}/v1/settings/general`, {
      tls: { ca: pair.cert },
    } as RequestInit);
  const apiRequest = () => server.fetch('/v1/settings/general');
  await load(bareRequest, warm);
  await load(apiRequest, warm);
  // Alternating short rounds: a neighbour's burst on a shared machine then hits both sides
  // alike, where one long run per side would charge it to whichever ran at the time.
  const bareRuns: LoadResult[] = [];
  const apiRuns: LoadResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const options = { seconds: SECONDS / ROUNDS, concurrency: CONCURRENCY };
    bareRuns.push(await load(bareRequest, options));
    apiRuns.push(await load(apiRequest, options));
  }
  const ratios = apiRuns.map((run, i) => run.perSecond / (bareRuns[i] as LoadResult).perSecond);
  const bareResult = median(bareRuns);
  const apiResult = median(apiRuns);
  console.log(
    '\n# API overhead: GET /v1/settings/general with auth vs bare Bun.serve (same TLS, same JSON)',
  );
  report(
    `bare Bun.serve requests/s, median of ${ROUNDS} rounds`,
    `${fixed(bareResult.perSecond, 0)} (p50 ${fixed(bareResult.p50, 2)} ms, p99 ${fixed(bareResult.p99, 2)} ms, errors ${bareResult.errors})`,
  );
  report(
    `cws API requests/s, median of ${ROUNDS} rounds`,
    `${fixed(apiResult.perSecond, 0)} (p50 ${fixed(apiResult.p50, 2)} ms, p99 ${fixed(apiResult.p99, 2)} ms, errors ${apiResult.errors})`,
  );
  report(
    'throughput ratio cws/bare, median (target >= 0.7)',
    `${fixed(middle(ratios), 2)} (rounds: ${ratios.map((r) => fixed(r, 2)).join(' ')})`,
  );
  report('p99 ratio cws/bare', fixed(apiResult.p99 / bareResult.p99, 2));
  bareChild.kill();
  server.stop();
}

/**
 * The binary with its log going to a file, as in production: reading it through a pipe in this
 * process would charge the log's cost to the load generator.
 */
async function startQuietBinary() {
  const dataDir = mkdtempSync(join(tmpdir(), 'cws-bench-api-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = Bun.spawn([BINARY, 'serve', '--port', String(port)], {
    env: { PATH: process.env.PATH, CWS_DATA_DIR: dataDir, CWS_LOG_FORMAT: 'json' },
    stdout: Bun.file(join(dataDir, 'server.log')),
    stderr: 'ignore',
  });
  const deadline = performance.now() + 15_000;
  let ca = '';
  for (;;) {
    try {
      ca = readFileSync(join(dataDir, 'tls-cert.pem'), 'utf8');
      const status = await fetch(`https://127.0.0.1:${port}/status`, {
        tls: { ca },
      } as RequestInit);
      if (status.ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error('binary did not start');
    await Bun.sleep(20);
  }
  const token = readFileSync(join(dataDir, 'token'), 'utf8').trim();
  return {
    fetch: (path: string) =>
      fetch(`https://127.0.0.1:${port}${path}`, {
        headers: { authorization: `Bearer ${token}` },
        tls: { ca },
      } as RequestInit),
    stop: () => child.kill(),
  };
}

async function durableWrites(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cws-bench-writes-'));
  const databasePath = join(dir, 'cws.sqlite');
  const writer = await createTestApp({ databasePath });
  // As the server does once it listens, so the first flush does not wait for the thread to load.
  writer.app.store.prepareReplica();
  await Bun.sleep(200);
  const flushesBefore = writer.app.store.flushCount;
  const started = performance.now();
  const responses = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      writer.call('PATCH', '/v1/settings/general', { currency_rates: { EUR: 1 + i / 1000 } }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const acknowledged = responses.filter((r) => r.status === 200).length;
  const flushes = writer.app.store.flushCount - flushesBefore;
  await writer.app.store.close();
  const reader = await createTestApp({ databasePath });
  const { body } = await reader.callJson('GET', '/v1/events?limit=250');
  const present = body.filter((e: { target: string }) => e.target === 'settings/general').length;
  await reader.close();
  console.log('\n# Durable writes: 200 concurrent PATCH /v1/settings/general');
  report('acknowledged', `${acknowledged}/200`);
  report('present after restart', `${present}/200`);
  report('writes/s', fixed(acknowledged / seconds, 0));
  report('file flushes per write (target well under 1)', fixed(flushes / acknowledged, 3));
}

async function coldStart(): Promise<void> {
  const runs: number[] = [];
  let idleRss = NaN;
  for (let i = 0; i < 5; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'cws-bench-cold-'));
    // Prepare the data directory (token, certificate) so the timing is a restart, not a first start.
    const first = await startBinary({ dataDir });
    await first.stop();
    const port = 20000 + Math.floor(Math.random() * 20000);
    const ca = readFileSync(join(dataDir, 'tls-cert.pem'), 'utf8');
    const started = performance.now();
    const child = Bun.spawn([BINARY, 'serve', '--port', String(port)], {
      env: { PATH: process.env.PATH, CWS_DATA_DIR: dataDir, CWS_LOG_FORMAT: 'json' },
      stdout: 'ignore',
      stderr: 'ignore',
    });
    for (;;) {
      const ok = await fetch(`https://127.0.0.1:${port}/status`, {
        tls: { ca },
      } as RequestInit).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (performance.now() - started > 10_000) throw new Error('binary did not start');
      await Bun.sleep(2);
    }
    runs.push(performance.now() - started);
    await Bun.sleep(500);
    idleRss = rssMiB(child.pid);
    child.kill();
    await child.exited;
  }
  runs.sort((a, b) => a - b);
  console.log('\n# Cold start of the compiled binary (restart with an existing data directory)');
  report(
    'start to first GET /status, median of 5 (target < 300 ms)',
    `${fixed(runs[2] as number, 0)} ms (min ${fixed(runs[0] as number, 0)}, max ${fixed(runs[4] as number, 0)})`,
  );
  report('idle RSS', `${fixed(idleRss, 1)} MiB`);
}

/** The run with the median throughput. */
function median(runs: LoadResult[]): LoadResult {
  return [...runs].sort((a, b) => a.perSecond - b.perSecond)[
    Math.floor(runs.length / 2)
  ] as LoadResult;
}

function middle(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

async function readLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  let text = '';
  while (!text.includes('\n')) {
    const { done, value } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return text;
}
