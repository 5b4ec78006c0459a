import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, startBinary, type RunningBinary } from './support/binary';

const CLIENT_DIR = join(REPO_ROOT, 'clients', 'js');
const LIVE_TEST = join('test', 'live.test.ts');

/** How many tests clients/js/test/live.test.ts declares, read from the file itself. */
function declaredLiveTests(): number {
  const source = readFileSync(join(CLIENT_DIR, LIVE_TEST), 'utf8');
  return source.match(/^ {2}it(\.skipIf\([^\n]*\))?\(/gm)?.length ?? 0;
}

/** The totals of a JUnit report's root element. */
function totals(xml: string): { tests: number; failures: number; skipped: number } {
  const head = xml.match(/<testsuites\b[^>]*>/)?.[0] ?? '';
  const count = (name: string) => Number(head.match(new RegExp(`${name}="(\\d+)"`))?.[1] ?? NaN);
  return { tests: count('tests'), failures: count('failures'), skipped: count('skipped') };
}

// The JavaScript client's live suite against the compiled binary, in its own `bun test` process:
// the suite reads the server from its environment when it loads, and the child runs from
// clients/js so that it writes no report over this run's test-results/junit.xml.
describe('the JavaScript client against the compiled binary', () => {
  let server: RunningBinary;
  let scratch: string;
  let run: { exitCode: number; output: string; report: string };

  beforeAll(async () => {
    server = await startBinary({ args: ['--demo'] });
    scratch = mkdtempSync(join(tmpdir(), 'cws-js-live-'));
    const report = join(scratch, 'junit.xml');
    const child = Bun.spawn(
      [
        process.execPath,
        'test',
        `./${LIVE_TEST}`,
        '--reporter=junit',
        `--reporter-outfile=${report}`,
      ],
      {
        cwd: CLIENT_DIR,
        env: {
          ...process.env,
          CWS_BASE_URL: server.url,
          CWS_TOKEN: server.token,
          CWS_CA_FILE: server.caPath,
        },
        stdout: 'pipe',
        stderr: 'pipe',
      },
    );
    const [exitCode, stdout, stderr] = await Promise.all([
      child.exited,
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
    ]);
    run = { exitCode, output: `${stdout}${stderr}`, report: readFileSync(report, 'utf8') };
  });
  afterAll(async () => {
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('passes every live test, none skipped', () => {
    if (run.exitCode !== 0) throw new Error(run.output);
    const declared = declaredLiveTests();
    expect(declared).toBeGreaterThanOrEqual(9);
    expect(totals(run.report)).toEqual({ tests: declared, failures: 0, skipped: 0 });
  });

  it('left the client-made demo scan completed and its webhook deleted', async () => {
    const scans: Array<{ status: string; trigger_source: string }> = await (
      await server.fetch('/v1/scans')
    ).json();
    const fromClient = scans.filter((scan) => scan.trigger_source === 'api');
    expect(fromClient.length).toBeGreaterThan(0);
    expect(fromClient.every((scan) => scan.status === 'completed')).toBe(true);
    expect(await (await server.fetch('/v1/webhooks')).json()).toEqual([]);
  });
});
