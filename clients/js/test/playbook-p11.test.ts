import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startCwsFake, type CwsFake } from './fakes/cws-fake.ts';
import { createTlsPair, type TlsPair } from './fakes/tls-pair.ts';

const clientDir = resolve(import.meta.dir, '..');
const repoDir = resolve(clientDir, '../..');
// The playbooks live beside the repository (shared/playbooks), not inside it.
const playbookDir = process.env.CWS_PLAYBOOKS_DIR ?? resolve(repoDir, '../shared/playbooks');
const hasPlaybooks = existsSync(join(playbookDir, 'run-all.sh'));

let tls: TlsPair;
let fake: CwsFake;
let scratch: string;

beforeAll(async () => {
  if (!hasPlaybooks) return;
  scratch = mkdtempSync(join(tmpdir(), 'cws-p11-'));
  // The runner takes the package from a NODE_PATH folder holding @cloud-waste-scanner/client.
  const build = spawnSync('sh', [join(clientDir, 'build.sh'), join(scratch, 'node-path')], {
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`build.sh failed: ${build.stdout}${build.stderr}`);
  tls = createTlsPair();
  fake = await startCwsFake(tls, 60);
});

afterAll(async () => {
  if (!hasPlaybooks) return;
  await fake.stop();
  tls.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe('playbook 11 (OpenAPI, SDK, pagination, webhook verification)', () => {
  it.skipIf(!hasPlaybooks)(
    'passes run-all.sh for its .sh, .py and .mjs scripts with both client packages',
    async () => {
      const logDir = join(scratch, 'logs');
      // Asynchronous spawn: the fake answers from this same event loop.
      const runner = Bun.spawn(['bash', join(playbookDir, 'run-all.sh'), 'p11-*'], {
        env: {
          ...process.env,
          CWS_BASE_URL: fake.baseUrl,
          CWS_TOKEN: fake.token,
          PYTHONPATH: resolve(repoDir, 'clients/python'),
          NODE_PATH: join(scratch, 'node-path'),
          CWS_CA_FILE: tls.certPath,
          NODE_EXTRA_CA_CERTS: tls.certPath,
          PLAYBOOK_LOG_DIR: logDir,
          TMPDIR: scratch,
        },
        stdout: 'pipe',
        stderr: 'pipe',
      });
      const [output, code] = await Promise.all([new Response(runner.stdout).text(), runner.exited]);
      const logs = readdirSync(logDir)
        .map((name) => `--- ${name}\n${readFileSync(join(logDir, name), 'utf8')}`)
        .join('\n');
      expect({ code, output, logs: code === 0 ? '' : logs }).toEqual({
        code: 0,
        output: expect.stringContaining('3 passed, 0 failed'),
        logs: '',
      });
      for (const script of ['sh', 'py', 'mjs']) {
        expect(output).toContain(`PASS p11-openapi-sdk-pagination.${script}`);
      }

      const findingPages = fake.requests.filter((r) => r.path === '/v1/findings');
      const agents = findingPages.map((r) => String(r.headers['user-agent']).split('/')[0]);
      expect(agents).toEqual(['curl', 'cws-client-python', 'cws-client-js']);
      for (const request of findingPages) {
        expect(request.query.get('envelope')).toBe('true');
        expect(request.query.get('limit')).toBe('50');
      }
      expect(readFileSync(join(logDir, 'p11-openapi-sdk-pagination.mjs.log'), 'utf8')).toContain(
        'next_cursor',
      );
    },
  );
});
