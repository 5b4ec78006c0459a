import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subprocess } from 'bun';

/** The repository root and the compiled binary the e2e suites drive. */
export const REPO_ROOT = join(import.meta.dir, '..', '..', '..');
export const BINARY = join(REPO_ROOT, 'dist', 'cws');

let built: Promise<void> | undefined;

/**
 * Builds dist/cws once per test process (through the same `npm run build` script as everyone),
 * unless CWS_E2E_SKIP_BUILD says the caller built it already.
 */
export function ensureBinary(): Promise<void> {
  built ??= (async () => {
    if (process.env.CWS_E2E_SKIP_BUILD === '1' && existsSync(BINARY)) return;
    const build = Bun.spawn(['npm', 'run', '--silent', 'build'], {
      cwd: REPO_ROOT,
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const [code, out, err] = await Promise.all([
      build.exited,
      new Response(build.stdout).text(),
      new Response(build.stderr).text(),
    ]);
    if (code !== 0) throw new Error(`build failed (${code}): ${out}\n${err}`);
  })();
  return built;
}

/** A running binary, its data directory, token and certificate. */
export interface RunningBinary {
  process: Subprocess<'ignore', 'pipe', 'pipe'>;
  url: string;
  port: number;
  dataDir: string;
  token: string;
  ca: string;
  caPath: string;
  /** Everything the process wrote to stdout so far. */
  output(): string;
  /** Fetch verified against the generated certificate. */
  fetch(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  stop(signal?: NodeJS.Signals): Promise<number>;
}

/** Starts `cws serve` from a scratch working directory on an ephemeral port. */
export async function startBinary(
  options: { dataDir?: string; env?: Record<string, string | undefined>; args?: string[] } = {},
): Promise<RunningBinary> {
  await ensureBinary();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cws-e2e-data-'));
  const cwd = mkdtempSync(join(tmpdir(), 'cws-e2e-cwd-'));
  const child = Bun.spawn([BINARY, 'serve', '--port', '0', ...(options.args ?? [])], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      CWS_DATA_DIR: dataDir,
      CWS_LOG_FORMAT: 'json',
      ...options.env,
    },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  let output = '';
  const decoder = new TextDecoder();
  const listening = new Promise<string>((resolve, reject) => {
    const reader = child.stdout.getReader();
    const pump = async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return reject(new Error(`cws exited before listening: ${output}`));
        output += decoder.decode(value);
        const match = output.match(/"msg":"listening","url":"(https:\/\/[^"]+)"/);
        if (match) resolve(match[1] as string);
      }
    };
    pump().catch(reject);
  });
  const url = await Promise.race([
    listening,
    Bun.sleep(15_000).then(() => Promise.reject(new Error(`cws did not start: ${output}`))),
  ]);
  const token = options.env?.CWS_TOKEN ?? readFileSync(join(dataDir, 'token'), 'utf8').trim();
  const caPath = options.env?.CWS_TLS_CERT ?? join(dataDir, 'tls-cert.pem');
  const ca = readFileSync(caPath, 'utf8');
  return {
    process: child,
    url,
    port: Number(new URL(url).port),
    dataDir,
    token,
    ca,
    caPath,
    output: () => output,
    fetch(path, init = {}) {
      const { token: given, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (given !== null) headers.set('authorization', `Bearer ${given ?? token}`);
      return fetch(`${url}${path}`, { ...rest, headers, tls: { ca } } as RequestInit);
    },
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return child.exited;
    },
  };
}

/** The mode bits of a file. */
export function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}
