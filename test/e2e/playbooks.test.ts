import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkExchanges } from './support/openapi-check';
import {
  PLAYBOOKS_DIR,
  startPlaybookEnvironment,
  type PlaybookEnvironment,
} from './support/playbook-env';

/** Every runnable playbook script, in the runner's order. */
const SCRIPTS = readdirSync(PLAYBOOKS_DIR)
  .filter((name) => /^(pre-|p\d\d-).*\.(sh|py|cjs|mjs)$/.test(name))
  .sort();

let environment: PlaybookEnvironment;
const outcomes = new Map<string, string>();
let runnerSummary = '';
let workRoot = '';

beforeAll(async () => {
  environment = await startPlaybookEnvironment();
  const runner = Bun.spawn(['bash', join(PLAYBOOKS_DIR, 'run-all.sh')], {
    env: environment.scriptEnv,
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr] = await Promise.all([
    new Response(runner.stdout).text(),
    new Response(runner.stderr).text(),
    runner.exited,
  ]);
  workRoot = stderr.match(/working dirs in (\S+)/)?.[1] ?? '';
  for (const line of stdout.split('\n')) {
    const match = line.match(/^(PASS|FAIL) (\S+)/);
    if (match) outcomes.set(match[2] as string, match[1] as string);
  }
  runnerSummary = stdout.trim().split('\n').at(-1) ?? '';
}, 900_000);

afterAll(async () => {
  await environment?.close();
});

describe('the user playbooks against the compiled binary', () => {
  it('finds all 36 scripts', () => {
    expect(SCRIPTS).toHaveLength(36);
  });

  for (const script of SCRIPTS) {
    it(`${script} passes`, () => {
      const outcome = outcomes.get(script);
      if (outcome !== 'PASS') {
        const log = readLog(script);
        throw new Error(`${script}: ${outcome ?? 'not run'} (${runnerSummary})\n${log}`);
      }
      expect(outcome).toBe('PASS');
    });
  }

  it('ends Playbook 3 with a completed scan of profile_abc123', () => {
    const log = readLog('p03-scan-poll.sh');
    expect(log).toContain('status=completed');
    expect(log).toContain('profile_abc123');
  });

  it('downloads a valid PDF in Playbook 4', () => {
    const folder = join(workRoot, 'p04-report-artifacts');
    const pdfs = readdirSync(folder).filter((name) => /^report_.+\.pdf$/.test(name));
    expect(pdfs.length).toBeGreaterThan(0);
    for (const name of pdfs)
      expect(readFileSync(join(folder, name)).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('scans the fake cluster in Playbook 10 and reports its findings', async () => {
    const scans = await (await environment.server.fetch('/v1/scans?limit=250')).json();
    const clusterScans = scans.filter(
      (scan: { include_kubernetes: boolean }) => scan.include_kubernetes,
    );
    expect(clusterScans.length).toBeGreaterThanOrEqual(3);
    const deadline = Date.now() + 30_000;
    let findings: Array<{ provider: string }> = [];
    while (!findings.length && Date.now() < deadline) {
      findings = await (await environment.server.fetch('/v1/k8s/findings')).json();
      if (!findings.length) await Bun.sleep(200);
    }
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((finding) => finding.provider === 'kubernetes')).toBe(true);
  });

  it('got only answers that match the OpenAPI document', async () => {
    const document = await (await environment.server.fetch('/v1/openapi.json')).json();
    const { checked, problems } = checkExchanges(document, environment.proxy.exchanges);
    expect(environment.proxy.exchanges.length).toBeGreaterThan(100);
    expect(checked).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });

  it('delivers the signed scan.completed webhook that Playbook 6 registered', async () => {
    const deadline = Date.now() + 20_000;
    while (
      !environment.receiver.requests.some((r) => r.headers['x-cws-event'] === 'scan.completed') &&
      Date.now() < deadline
    ) {
      await Bun.sleep(100);
    }
    const delivery = environment.receiver.requests.find(
      (r) => r.headers['x-cws-event'] === 'scan.completed',
    );
    expect(delivery).toBeDefined();
    expect(delivery!.headers['x-cws-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});

function readLog(script: string): string {
  try {
    return readFileSync(
      join(environment.scriptEnv.PLAYBOOK_LOG_DIR as string, `${script}.log`),
      'utf8',
    ).slice(-3000);
  } catch {
    return '(no log)';
  }
}
