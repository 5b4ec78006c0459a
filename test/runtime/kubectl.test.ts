import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertReadOnly, createKubectlRunner, findKubectl } from '../../runtime/kubectl';

/** A stand-in kubectl whose behaviour the second argument picks. */
const FAKE_KUBECTL = `#!/bin/sh
case "$2" in
  echo) printf '%s\\n' "$@" ;;
  forbidden) echo 'Error from server (Forbidden): pods is forbidden: User "reader" cannot list' >&2; exit 1 ;;
  slow) exec sleep 30 ;;
  big) exec head -c 200000 /dev/zero ;;
esac
`;

let dir: string;
let binary: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cws-kubectl-'));
  binary = join(dir, 'kubectl');
  await writeFile(binary, FAKE_KUBECTL);
  await chmod(binary, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const call = (
  overrides: Partial<{ signal: AbortSignal; timeoutMs: number; maxBytes: number }> = {},
) => ({
  signal: new AbortController().signal,
  timeoutMs: 10_000,
  maxBytes: 1_000_000,
  ...overrides,
});

describe('findKubectl', () => {
  it('prefers CWS_KUBECTL when it points at an executable', () => {
    expect(findKubectl({ CWS_KUBECTL: binary, PATH: '' })).toBe(binary);
    expect(findKubectl({ CWS_KUBECTL: join(dir, 'missing'), PATH: dir })).toBeNull();
  });

  it('looks kubectl up on PATH otherwise', () => {
    expect(findKubectl({ PATH: dir })).toBe(binary);
    expect(findKubectl({ PATH: join(dir, 'empty') })).toBeNull();
  });
});

describe('assertReadOnly', () => {
  it.each([
    [['get', 'pods', '-o', 'json']],
    [['--kubeconfig=/k', '--context=prod', 'get', 'pods', '--all-namespaces']],
    [['--kubeconfig', '/k', '--context', 'prod', 'version', '-o', 'json']],
    [['--context', 'prod', 'get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']],
    [['api-resources']],
    [['config', 'view']],
    [['--kubeconfig=/k', 'config', 'get-contexts']],
  ])('allows %p', (args) => {
    expect(() => assertReadOnly(args)).not.toThrow();
  });

  it.each([
    [['delete', 'pvc', 'data'], 'not read-only'],
    [['--context', 'get', 'delete', 'pod', 'x'], 'not read-only'],
    [['apply', '-f', 'x.yaml'], 'not read-only'],
    [['exec', 'pod', '--', 'sh'], 'not read-only'],
    [['-n', 'shop', 'scale', 'deployment', 'web', '--replicas=0'], 'not read-only'],
    [['config', 'set-context', 'x'], 'not read-only'],
    [['config', 'view', '--raw'], 'credentials'],
    [['get', 'pods', '--watch'], 'not allowed'],
    [['get', 'pods', '--token=abc'], 'not allowed'],
    [[], 'not read-only'],
  ])('refuses %p', (args, message) => {
    expect(() => assertReadOnly(args)).toThrow(message);
  });
});

describe('createKubectlRunner', () => {
  it('returns stdout and gives kubectl its own discovery cache', async () => {
    const cacheDir = join(dir, 'cache');
    const run = createKubectlRunner({ binary, cacheDir });
    const result = await run(['get', 'echo'], call());
    expect(result).toEqual({ ok: true, value: `get\necho\n--cache-dir=${cacheDir}\n` });
    expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
  });

  it('maps stderr to a failure category', async () => {
    const run = createKubectlRunner({ binary, cacheDir: join(dir, 'cache') });
    const result = await run(['get', 'forbidden'], call());
    expect(result).toEqual({
      ok: false,
      reason: {
        code: 'k8s.forbidden',
        category: 'permission',
        message: 'Error from server (Forbidden): pods is forbidden: User "reader" cannot list',
      },
    });
  });

  it('kills kubectl when it runs past its time', async () => {
    const run = createKubectlRunner({ binary, cacheDir: join(dir, 'cache') });
    const started = Date.now();
    const result = await run(['get', 'slow'], call({ timeoutMs: 200 }));
    expect(result.ok ? 'ok' : result.reason.category).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('kills kubectl and fails when it prints more than the limit', async () => {
    const run = createKubectlRunner({ binary, cacheDir: join(dir, 'cache') });
    const result = await run(['get', 'big'], call({ maxBytes: 1_000 }));
    expect(result.ok ? 'ok' : result.reason.code).toBe('k8s.output_too_large');
  });

  it('kills kubectl and throws when the scan is cancelled', async () => {
    const run = createKubectlRunner({ binary, cacheDir: join(dir, 'cache') });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(run(['get', 'slow'], call({ signal: controller.signal }))).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses a write verb before starting anything', async () => {
    const run = createKubectlRunner({ binary, cacheDir: join(dir, 'cache') });
    await expect(run(['delete', 'pod', 'x'], call())).rejects.toThrow('not read-only');
  });

  it('reports a binary that cannot be started', async () => {
    const run = createKubectlRunner({ binary: join(dir, 'gone'), cacheDir: join(dir, 'cache') });
    const result = await run(['get', 'echo'], call());
    expect(result.ok ? 'ok' : result.reason.code).toBe('k8s.kubectl_not_found');
  });
});
