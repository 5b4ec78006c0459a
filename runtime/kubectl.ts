import { accessSync, constants, mkdirSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Outcome } from '../core/model';
import { classifyKubectlFailure } from '../core/providers/kubernetes/kubectl-errors';
import type { KubectlRunner } from '../core/providers/kubernetes/scanner';

/**
 * The kubectl binary to run: `CWS_KUBECTL` when set (a path, or a name looked up on PATH), else
 * `kubectl` on PATH; null when there is none, which the API answers with 424
 * `k8s.kubectl_not_found`.
 */
export function findKubectl(env: Record<string, string | undefined>): string | null {
  const wanted = env.CWS_KUBECTL?.trim() || 'kubectl';
  if (isAbsolute(wanted) || wanted.includes('/')) return isExecutable(wanted) ? wanted : null;
  return Bun.which(wanted, { PATH: env.PATH ?? '' });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Settings of the real kubectl runner. */
export interface KubectlRunnerOptions {
  /** From `findKubectl`. */
  binary: string;
  /** kubectl's discovery cache (`--cache-dir`), kept apart from the operator's ~/.kube/cache. */
  cacheDir: string;
  /** Environment for kubectl and its credential plugins; defaults to this process's. */
  env?: Record<string, string | undefined>;
}

/**
 * Creates the runner the Kubernetes scanner uses: spawns kubectl with read-only verbs only, kills
 * it when it runs past its time, prints more than `maxBytes`, or the scan is cancelled, and maps
 * its stderr to failure categories. It logs nothing: kubectl's arguments name a kubeconfig whose
 * contents must never reach a log.
 */
export function createKubectlRunner(options: KubectlRunnerOptions): KubectlRunner {
  mkdirSync(options.cacheDir, { recursive: true, mode: 0o700 });
  return async (args, call) => {
    assertReadOnly(args);
    call.signal.throwIfAborted();
    let child: Bun.Subprocess<'ignore', 'pipe', 'pipe'>;
    try {
      child = Bun.spawn([options.binary, ...args, `--cache-dir=${options.cacheDir}`], {
        stdin: 'ignore',
        stdout: 'pipe',
        stderr: 'pipe',
        env: { ...(options.env ?? process.env) },
      });
    } catch {
      return failure(
        'k8s.kubectl_not_found',
        `kubectl could not be started (${options.binary})`,
        'not_found',
      );
    }
    return supervise(child, call);
  };
}

type Stop = 'timeout' | 'overflow' | 'abort';

async function supervise(
  child: Bun.Subprocess<'ignore', 'pipe', 'pipe'>,
  call: { signal: AbortSignal; timeoutMs: number; maxBytes: number },
): Promise<Outcome<string>> {
  let stop: Stop | undefined;
  const kill = (reason: Stop) => {
    stop ??= reason;
    child.kill('SIGKILL');
  };
  const timer = setTimeout(() => kill('timeout'), call.timeoutMs);
  const onAbort = () => kill('abort');
  call.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const [stdout, stderr, exitCode] = await Promise.all([
      readCapped(child.stdout, call.maxBytes, () => kill('overflow')),
      readTail(child.stderr, STDERR_KEEP_BYTES),
      child.exited,
    ]);
    if (stop === 'abort') throw call.signal.reason ?? new DOMException('Aborted', 'AbortError');
    if (stop === 'timeout') {
      return failure(
        'k8s.timeout',
        `kubectl did not finish within ${call.timeoutMs / 1000} s`,
        'timeout',
      );
    }
    if (stop === 'overflow') {
      return failure(
        'k8s.output_too_large',
        `kubectl printed more than ${call.maxBytes} bytes; scan fewer namespaces at a time`,
        'invalid',
      );
    }
    if (exitCode !== 0) return { ok: false, reason: classifyKubectlFailure(stderr, exitCode) };
    return { ok: true, value: stdout };
  } finally {
    clearTimeout(timer);
    call.signal.removeEventListener('abort', onAbort);
  }
}

/** kubectl's stderr is short unless something loops; only its end matters for the error. */
const STDERR_KEEP_BYTES = 64 * 1024;

async function readCapped(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
  onOverflow: () => void,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      onOverflow();
      return '';
    }
    chunks.push(chunk);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

async function readTail(stream: ReadableStream<Uint8Array>, keep: number): Promise<string> {
  let tail = Buffer.alloc(0);
  for await (const chunk of stream) {
    tail = Buffer.concat([tail, chunk]);
    if (tail.byteLength > keep) tail = tail.subarray(tail.byteLength - keep);
  }
  return tail.toString('utf8');
}

function failure(
  code: string,
  message: string,
  category: 'timeout' | 'invalid' | 'not_found',
): Outcome<string> {
  return { ok: false, reason: { code, message, category } };
}

/** Global flags that take their value as the next argument. */
const FLAGS_WITH_VALUE = new Set([
  '--kubeconfig',
  '--context',
  '--cluster',
  '--user',
  '-n',
  '--namespace',
  '--request-timeout',
  '-s',
  '--server',
  '--cache-dir',
  '-o',
  '--output',
  '--raw',
  '--chunk-size',
  '-l',
  '--selector',
  '--field-selector',
]);

const READ_ONLY_VERBS = new Set(['get', 'version', 'api-resources', 'api-versions', 'config']);
const READ_ONLY_CONFIG = new Set(['view', 'get-contexts', 'current-context']);
/** Watching never ends; credentials on a command line show up in `ps`; `config view --raw` prints keys. */
const REFUSED_FLAGS = ['--watch', '-w', '--watch-only', '--token', '--password', '--username'];

/**
 * Throws unless the command only reads: `get`, `version`, `api-resources`, `api-versions` or
 * `config view|get-contexts|current-context` (without `--raw` for config). A refused command is
 * a bug in the caller, never something a request can trigger.
 */
export function assertReadOnly(args: string[]): void {
  const positionals: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    const flag = arg.split('=')[0] as string;
    if (REFUSED_FLAGS.includes(flag)) throw new Error(`kubectl flag ${flag} is not allowed`);
    if (arg.startsWith('-')) {
      if (!arg.includes('=') && FLAGS_WITH_VALUE.has(arg)) index++;
      continue;
    }
    positionals.push(arg);
  }
  const [verb, subcommand] = positionals;
  if (!verb || !READ_ONLY_VERBS.has(verb)) {
    throw new Error(`kubectl verb ${verb ?? '(none)'} is not read-only`);
  }
  if (verb === 'config') {
    if (!subcommand || !READ_ONLY_CONFIG.has(subcommand)) {
      throw new Error(`kubectl config ${subcommand ?? '(none)'} is not read-only`);
    }
    if (args.some((arg) => arg === '--raw' || arg.startsWith('--raw='))) {
      throw new Error('kubectl config view --raw would print credentials');
    }
  }
}
