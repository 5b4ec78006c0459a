/**
 * Benchmark of schedules and webhooks (issue 6). Run: `npx bun test/bench/schedules-webhooks.ts`.
 *
 * 1. 1,000 schedules come due at the same moment of the injected clock: how fast the scheduler
 *    starts their scans, and how fast those scans (a fake scanner, no network) finish.
 * 2. 10,000 webhook deliveries (1,000 `scan.completed` events × 10 webhooks) to a local receiver
 *    in a child process that checks every signature with the JavaScript client's verifier.
 * 3. p99 latency of GET /status over HTTPS, probed from another child process, idle and during
 *    each storm; the target is within 2× of idle during both storms (exit 1 otherwise).
 *
 * The app runs in this process with a file-backed database and a real HTTPS listener; its clock
 * is a manual one, jumped for the schedule storm and then driven at real speed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWebhookSignature } from '../../clients/js/src/webhooks';
import { silentLogger } from '../../runtime/logger';
import { startServer } from '../../runtime/server';
import { generateSelfSigned } from '../../runtime/tls';
import { createFakeScanner } from '../fakes/scanner';
import { writeAwsProfiles } from '../support/aws-profile';
import { createTestApp } from '../support/app';
import { ManualClock } from '../support/manual-clock';
import { fixed, report } from './support';

const SCHEDULES = Number(process.env.BENCH_SCHEDULES ?? 1_000);
const WEBHOOKS = 10;
const SECRET = 'bench-secret';
const IDLE_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const TARGET_RATIO = 2;

if (process.argv[2] === '--receiver') await serveReceiver();
else if (process.argv[2] === '--probe')
  await probe(process.argv[3] as string, process.argv[4] as string);
else process.exit(await main());

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'cws-bench-sw-'));
  const profiles = writeAwsProfiles({ bench: { endpoint: 'http://127.0.0.1:9' } });
  const time = new ManualClock(new Date());
  const test = await createTestApp({
    env: profiles.env,
    clock: time.clock,
    databasePath: join(dir, 'cws.sqlite'),
    config: { maxActiveScans: SCHEDULES * 2, scanConcurrency: 8 },
    scanners: { aws: createFakeScanner('aws') },
    background: { timer: time.timer },
  });
  const pair = await generateSelfSigned(['127.0.0.1']);
  const caPath = join(dir, 'ca.pem');
  await Bun.write(caPath, pair.cert);
  const server = startServer(test.app, {
    host: '127.0.0.1',
    port: 0,
    tls: { ...pair, selfSigned: true },
    logger: silentLogger,
  });
  const receiver = await startChild(['--receiver']);
  const receiverUrl = `http://127.0.0.1:${(await receiver.line()).trim()}`;
  const statusUrl = `${server.url}/status`;
  let failed = false;
  try {
    await test.app.scheduler.start();
    console.log(
      `# schedules and webhooks: ${SCHEDULES} scheduled runs, ${SCHEDULES * WEBHOOKS} deliveries`,
    );

    // 0. Idle latency.
    const idle = await measure(statusUrl, caPath, () => Bun.sleep(IDLE_SECONDS * 1000));
    report('GET /status idle', latencyText(idle));

    // 1. 1,000 schedules due at the same instant.
    const created = performance.now();
    const runAt = Math.floor(time.now / 1000) + 60;
    // Sixteen clients at a time, as scripts would: their durable writes share file flushes.
    let made = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (made < SCHEDULES) {
          const index = made++;
          const { status } = await test.callJson('POST', '/v1/schedules', {
            name: `bench ${index}`,
            run_at: runAt,
            interval_minutes: 60,
            scan: { selected_accounts: ['profile_bench'] },
          });
          if (status !== 201) throw new Error(`schedule creation answered ${status}`);
        }
      }),
    );
    report('schedules created (durable, via the API)', rate(SCHEDULES, created));
    let firedMs = 0;
    let scansMs = 0;
    const scheduleStorm = await measure(statusUrl, caPath, async () => {
      const started = performance.now();
      await time.advance(60_000, () => test.app.scheduler.settled());
      firedMs = performance.now() - started;
      await test.app.queue.whenIdle();
      scansMs = performance.now() - started;
    });
    const refused = test.app.store.get<{ n: number }>(
      'SELECT count(*) AS n FROM schedules WHERE last_error IS NOT NULL',
    )?.n;
    const scheduled = test.app.store.get<{ n: number }>(
      "SELECT count(*) AS n FROM scans WHERE trigger_source = 'schedule' AND status = 'completed'",
    )?.n;
    report(
      'scheduled runs fired',
      `${SCHEDULES} in ${fixed(firedMs, 0)} ms (${fixed((SCHEDULES / firedMs) * 1000, 0)} runs/s)`,
    );
    report(
      'their scans completed',
      `${scheduled} in ${fixed(scansMs, 0)} ms (${fixed((SCHEDULES / scansMs) * 1000, 0)} scans/s)`,
    );
    report('runs refused', String(refused));
    const scheduleRatio = scheduleStorm.p99 / idle.p99;
    report(
      'GET /status during the schedule storm',
      `${latencyText(scheduleStorm)}  ratio p99 ${fixed(scheduleRatio, 2)}× idle`,
    );
    if (scheduled !== SCHEDULES || refused !== 0) failed = true;

    // 2. 10,000 deliveries: 1,000 scan.completed events × 10 webhooks.
    for (let index = 0; index < WEBHOOKS; index += 1) {
      await test.callJson('POST', '/v1/webhooks', {
        url: `${receiverUrl}/hook/${index}`,
        events: ['scan.completed'],
        secret: SECRET,
      });
    }
    const scanIds = test.app.store
      .all<{ id: string }>("SELECT id FROM scans WHERE trigger_source = 'schedule'")
      .map((row) => row.id);
    const driver = driveClock(time);
    // 2a. The events come in while the receivers are unreachable (the worker is held): a backlog.
    const queueBacklog = async () => {
      await test.app.webhookWorker.stop();
      const queued = performance.now();
      for (const scanId of scanIds) {
        test.app.services.bus.publish('scan.completed', { scan_id: scanId });
        await new Promise((resolve) => setImmediate(resolve));
      }
      await test.app.store.commit();
      report(`events queued (${WEBHOOKS} deliveries each)`, rate(scanIds.length, queued));
    };
    const total = scanIds.length * WEBHOOKS;
    await queueBacklog();
    // 2b. The receivers are back: the backlog drains while the API is probed.
    let deliveryMs = 0;
    const deliveryStorm = await measure(statusUrl, caPath, async () => {
      const started = performance.now();
      test.app.webhookWorker.start();
      while ((await stats(receiverUrl)).received < total) await Bun.sleep(20);
      await test.app.webhookWorker.settled();
      deliveryMs = performance.now() - started;
    });
    const received = await stats(receiverUrl);
    const delivered = test.app.store.get<{ n: number }>(
      "SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'delivered'",
    )?.n;
    report(
      'webhook deliveries drained',
      `${total} in ${fixed(deliveryMs, 0)} ms (${fixed((total / deliveryMs) * 1000, 0)} deliveries/s)`,
    );
    report('signatures verified by the receiver', `${received.valid} of ${received.received}`);
    report('deliveries logged delivered', String(delivered));
    const ratio = deliveryStorm.p99 / idle.p99;
    report(
      'GET /status during the delivery storm',
      `${latencyText(deliveryStorm)}  ratio p99 ${fixed(ratio, 2)}× idle`,
    );
    if (received.valid !== total || delivered !== total) failed = true;

    // 2c. The same backlog again with nobody calling the API: the worker's own pace.
    await queueBacklog();
    const quiet = performance.now();
    test.app.webhookWorker.start();
    while ((await stats(receiverUrl)).received < 2 * total) await Bun.sleep(20);
    await test.app.webhookWorker.settled();
    report('webhook deliveries drained, API quiet', rate(total, quiet));
    clearInterval(driver);

    const verdictOf = (value: number) => (value <= TARGET_RATIO ? 'within' : 'OVER');
    console.log(
      `\nRESULT p99 GET /status during the delivery storm: ${fixed(ratio, 2)}× idle, ${verdictOf(ratio)} the ${TARGET_RATIO}× target`,
    );
    console.log(
      `RESULT p99 GET /status during the schedule storm: ${fixed(scheduleRatio, 2)}× idle, ${verdictOf(scheduleRatio)} the ${TARGET_RATIO}× target`,
    );
    if (ratio > TARGET_RATIO || scheduleRatio > TARGET_RATIO) failed = true;
  } finally {
    receiver.kill();
    await server.stop();
    await test.close();
    profiles.restore();
    rmSync(dir, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

/** Advances the manual clock at real speed (persist timers and retries then run as in life). */
function driveClock(time: ManualClock): ReturnType<typeof setInterval> {
  let last = performance.now();
  return setInterval(() => {
    const now = performance.now();
    void time.advance(Math.round(now - last));
    last = now;
  }, 10);
}

interface Latency {
  count: number;
  p50: number;
  p99: number;
}

/** Probes GET /status from a child process while `during` runs. */
async function measure(url: string, caPath: string, during: () => Promise<void>): Promise<Latency> {
  const child = await startChild(['--probe', url, caPath]);
  await child.line();
  await during();
  child.process.kill('SIGTERM');
  return JSON.parse(await child.line()) as Latency;
}

function latencyText(latency: Latency): string {
  return `p50 ${fixed(latency.p50, 2)} ms, p99 ${fixed(latency.p99, 2)} ms (${latency.count} requests)`;
}

function rate(count: number, startedAt: number): string {
  const ms = performance.now() - startedAt;
  return `${count} in ${fixed(ms, 0)} ms (${fixed((count / ms) * 1000, 0)}/s)`;
}

async function stats(receiverUrl: string): Promise<{ received: number; valid: number }> {
  return (await fetch(`${receiverUrl}/stats`)).json() as Promise<{
    received: number;
    valid: number;
  }>;
}

/** A child process running this file in another mode, read line by line. */
async function startChild(args: string[]) {
  const child = Bun.spawn([process.execPath, import.meta.path, ...args], {
    stdout: 'pipe',
    stderr: 'inherit',
  });
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    process: child,
    kill: () => child.kill(),
    async line(): Promise<string> {
      for (;;) {
        const end = buffer.indexOf('\n');
        if (end >= 0) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 1);
          return line;
        }
        const { done, value } = await reader.read();
        if (done) throw new Error(`child ${args[0]} ended early`);
        buffer += decoder.decode(value);
      }
    },
  };
}

/** Child: a webhook receiver that verifies every signature and counts. */
async function serveReceiver(): Promise<void> {
  let received = 0;
  let valid = 0;
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      if (request.method === 'GET') return Response.json({ received, valid });
      const body = new Uint8Array(await request.arrayBuffer());
      received += 1;
      const genuine = verifyWebhookSignature({
        secret: SECRET,
        timestamp: request.headers.get('x-cws-timestamp') ?? '',
        body,
        // Checked against the real time: the app's manual clock runs about a minute ahead.
        signature: request.headers.get('x-cws-signature') ?? '',
      });
      if (genuine) valid += 1;
      return new Response('ok');
    },
  });
  console.log(server.port);
}

/** Child: GET /status in a loop until SIGTERM, then one line of latency figures. */
async function probe(url: string, caPath: string): Promise<void> {
  const ca = await Bun.file(caPath).text();
  const latencies: number[] = [];
  let stopping = false;
  process.on('SIGTERM', () => (stopping = true));
  console.log('probing');
  while (!stopping) {
    const started = performance.now();
    const response = await fetch(url, { tls: { ca } } as RequestInit);
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
    await Bun.sleep(1);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  console.log(JSON.stringify({ count: latencies.length, p50: at(0.5), p99: at(0.99) }));
  process.exit(0);
}
