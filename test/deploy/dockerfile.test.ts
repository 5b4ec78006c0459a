import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import {
  BINARY,
  REPO_ROOT,
  ensureBinary,
  startBinary,
  type RunningBinary,
} from '../e2e/support/binary';

/** One Dockerfile instruction, continuation lines joined. */
interface Instruction {
  keyword: string;
  args: string;
}

/** The instructions of each stage, starting with its FROM. */
function readStages(text: string): Instruction[][] {
  const stages: Instruction[][] = [];
  for (const instruction of readInstructions(text)) {
    if (instruction.keyword === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

function readInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    // Comment lines are dropped, inside a continuation too, as the Docker parser does.
    if (/^\s*#/.test(line)) continue;
    const continues = /\\\s*$/.test(line);
    pending += `${line.replace(/\\\s*$/, '').trim()} `;
    if (continues) continue;
    const joined = pending.trim();
    pending = '';
    if (!joined) continue;
    const [keyword = '', ...rest] = joined.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(' ') });
  }
  return instructions;
}

function argsOf(stage: Instruction[], keyword: string): string[] {
  return stage.filter((instruction) => instruction.keyword === keyword).map(({ args }) => args);
}

/** `A=1 B="2"` as a map (the only ENV form the Dockerfile uses). */
function readEnv(stage: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const args of argsOf(stage, 'ENV')) {
    for (const match of args.matchAll(/([A-Z_][A-Z0-9_]*)=("[^"]*"|\S+)/g)) {
      env[match[1] as string] = (match[2] as string).replace(/^"|"$/g, '');
    }
  }
  return env;
}

const DOCKERFILE = readFileSync(join(REPO_ROOT, 'deploy', 'Dockerfile'), 'utf8');
const stages = readStages(DOCKERFILE);
const build = stages[0] ?? [];
const run = stages.at(-1) ?? [];
const healthcheck = argsOf(run, 'HEALTHCHECK')[0] ?? '';
/** The shell command of `HEALTHCHECK [options] CMD <command>`. */
const healthCommand = healthcheck.replace(/^.*?\bCMD\s+/, '');

describe('deploy/Dockerfile', () => {
  it('builds in a Node stage and runs on a slim glibc Debian stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(argsOf(build, 'FROM')[0]).toMatch(/^node:\d+-bookworm(-slim)? AS build$/);
    expect(argsOf(run, 'FROM')[0]).toMatch(/^debian:bookworm-slim\b/);
  });

  it('builds with npm ci and the same npm build script the tests use', () => {
    const commands = argsOf(build, 'RUN');
    expect(commands.some((command) => /^npm ci\b/.test(command))).toBe(true);
    expect(commands).toContain('npm run build');
    expect(packageJson.scripts.build).toBe('bun runtime/build.ts');
    // The lockfile is in place before `npm ci`, which refuses to run without one.
    const copies = argsOf(build, 'COPY');
    expect(copies[0]).toContain('package-lock.json');
  });

  it('copies the binary the build script writes into the run stage', () => {
    const workdir = argsOf(build, 'WORKDIR')[0] as string;
    const built = posix.join(workdir, packageJson.bin.cws);
    expect(argsOf(run, 'COPY')).toContain(`--from=build ${built} /usr/local/bin/cws`);
    expect(argsOf(run, 'ENTRYPOINT')).toEqual(['["/usr/local/bin/cws"]']);
    expect(argsOf(run, 'CMD')).toEqual(['["serve"]']);
  });

  it('runs as the unprivileged uid 10001 with its data under the /data volume', () => {
    const user = argsOf(run, 'USER');
    expect(user).toEqual(['10001:10001']);
    expect(DOCKERFILE).toContain('--uid 10001');
    expect(argsOf(run, 'VOLUME')).toEqual(['["/data"]']);
    expect(argsOf(run, 'EXPOSE')).toEqual(['9123']);
    expect(readEnv(run)).toEqual({
      CWS_DATA_DIR: '/data',
      CWS_HOST: '0.0.0.0',
      CWS_PORT: '9123',
    });
    const owned = argsOf(run, 'RUN').find((command) => command.includes('/data'));
    expect(owned).toContain('-o 10001 -g 10001 -m 0700 /data');
  });

  it('never bakes a token into the image: CWS_TOKEN is left to run time', () => {
    const baked = [...stages.flat()].filter(
      ({ keyword, args }) => (keyword === 'ENV' || keyword === 'ARG') && args.includes('CWS_TOKEN'),
    );
    expect(baked).toEqual([]);
    expect(DOCKERFILE).toContain('-e CWS_TOKEN=');
  });

  it('installs kubectl only when the WITH_KUBECTL build argument is true', () => {
    expect(argsOf(run, 'ARG')).toContain('WITH_KUBECTL=false');
    const install = argsOf(run, 'RUN').find((command) => command.includes('apt-get install'));
    expect(install).toContain('if [ "$WITH_KUBECTL" = "true" ]; then');
    expect(install).toContain('kubernetes-client');
    expect(install).toContain('--no-install-recommends');
    expect(install).toContain('rm -rf /var/lib/apt/lists/*');
  });

  it('checks health on /status over verified TLS', () => {
    expect(healthcheck).toMatch(/^--interval=\S+ --timeout=\S+ --start-period=\S+ --retries=\d+/);
    expect(healthCommand).toContain('https://127.0.0.1:${CWS_PORT}/status');
    expect(healthCommand).toContain('--cacert');
    expect(healthCommand).not.toMatch(/\s(-k|--insecure)\b/);
  });
});

describe('.dockerignore', () => {
  const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

  it('keeps local installs, builds and history out of the build context', () => {
    expect(ignored).toEqual(
      expect.arrayContaining(['node_modules', 'dist', 'test-results', '.git']),
    );
  });

  it('keeps every input of the build in the context', () => {
    const inputs = ['package.json', 'package-lock.json', 'runtime', 'core', 'handlers', 'storage'];
    for (const input of inputs) expect(ignored).not.toContain(input);
  });
});

describe('the image binary and its health check', () => {
  let server: RunningBinary;

  beforeAll(async () => {
    // The image's environment, with an ephemeral port (the flag beats CWS_PORT) and a token as a
    // secret would hand it in.
    server = await startBinary({
      env: { CWS_HOST: '0.0.0.0', CWS_TOKEN: 'cws_from-a-secret' },
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is the dist/cws that `npm run build` writes, and reports the package version', async () => {
    await ensureBinary();
    expect(BINARY).toBe(join(REPO_ROOT, packageJson.bin.cws));
    const version = Bun.spawnSync([BINARY, 'version']);
    expect(version.exitCode).toBe(0);
    expect(version.stdout.toString().trim()).toBe(`cws ${packageJson.version}`);
  });

  it('serves with the token from CWS_TOKEN', async () => {
    expect((await server.fetch('/v1/meta/compatibility')).status).toBe(200);
    const other = await server.fetch('/v1/meta/compatibility', { token: 'cws_other' });
    expect(other.status).toBe(401);
  });

  it('passes the HEALTHCHECK command against a running server and fails without one', () => {
    const check = (port: number) =>
      Bun.spawnSync(['sh', '-c', healthCommand], {
        env: { PATH: process.env.PATH, CWS_PORT: String(port), CWS_DATA_DIR: server.dataDir },
      }).exitCode;
    expect(check(server.port)).toBe(0);
    expect(check(1)).not.toBe(0);
  });
});
