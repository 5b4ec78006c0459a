import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, startBinary, type RunningBinary } from './support/binary';

const CLIENT_DIR = join(REPO_ROOT, 'clients', 'python');
const PYTHON = Bun.which('python3');

/** The test methods of tests/test_live.py, read from the file so the list cannot drift. */
function liveTestNames(): string[] {
  const source = readFileSync(join(CLIENT_DIR, 'tests', 'test_live.py'), 'utf8');
  return [...source.matchAll(/^ {4}def (test_\w+)\(/gm)].map((match) => match[1] as string);
}

/** `name (module.Class[.name]) ... outcome` lines of unittest's verbose output. */
function outcomes(output: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of output.matchAll(/^(test_\w+) \(tests\.test_live\.[\w.]+\) \.\.\. (.+)$/gm)) {
    found.set(match[1] as string, match[2] as string);
  }
  return found;
}

// The Python client's own unittest suite, live tests included, against the compiled binary.
// CI installs python3 (.ci/run); a machine without it has no Python client to test.
describe.skipIf(!PYTHON)('the Python client against the compiled binary', () => {
  let server: RunningBinary;
  let run: { exitCode: number; output: string };

  beforeAll(async () => {
    server = await startBinary({ args: ['--demo'] });
    const child = Bun.spawn(
      [PYTHON as string, '-m', 'unittest', 'discover', '-s', 'tests', '-t', '.', '-v'],
      {
        cwd: CLIENT_DIR,
        env: {
          ...process.env,
          CWS_BASE_URL: server.url,
          CWS_TOKEN: server.token,
          CWS_CA_FILE: server.caPath,
          PYTHONDONTWRITEBYTECODE: '1',
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
    run = { exitCode, output: `${stdout}${stderr}` };
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('passes the whole unittest suite', () => {
    if (run.exitCode !== 0) throw new Error(run.output);
    expect(run.output).toMatch(/^OK\b/m);
  });

  it('ran every live test against the server instead of skipping it', () => {
    const names = liveTestNames();
    expect(names.length).toBeGreaterThanOrEqual(10);
    const results = outcomes(run.output);
    for (const name of names) expect(`${name}: ${results.get(name)}`).toBe(`${name}: ok`);
  });

  it('left a completed demo scan and a PDF report on the server', async () => {
    const scans: Array<{ status: string; trigger_source: string }> = await (
      await server.fetch('/v1/scans')
    ).json();
    const fromClient = scans.filter((scan) => scan.trigger_source === 'api');
    expect(fromClient.length).toBeGreaterThan(0);
    expect(fromClient.every((scan) => scan.status === 'completed')).toBe(true);
    const reports = await (await server.fetch('/v1/reports')).json();
    expect(reports.some((report: { format: string }) => report.format === 'pdf')).toBe(true);
  });
});
