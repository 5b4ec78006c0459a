/**
 * Benchmark of a Kubernetes scan (issue 4): a fake cluster of 200 nodes, 5,000 pods and 2,000
 * PVCs, scanned through the real kubectl and the whole scan pipeline (POST /v1/k8s/scans to
 * `scan.completed`: kubectl, parsing, rules, pricing, storage). Wall time is split into kubectl
 * time (the wall-clock union of the kubectl processes' lifetimes: they run four at a time, so
 * summing them would count overlaps twice) and our own time (everything else). Our share must stay
 * under 10 %; the process exits 1 otherwise.
 *
 * Run: `npx bun test/bench/kubernetes.ts`. The fake API server runs in a child process so that
 * the peak RSS printed is the scanner's own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createKubernetesScanner,
  type KubectlRunner,
} from '../../core/providers/kubernetes/scanner';
import { createKubectlRunner, findKubectl } from '../../runtime/kubectl';
import { startFakeKubeApiServer } from '../fakes/kube-apiserver';
import { generateCluster } from '../fakes/kube/cluster';
import { createTestApp } from '../support/app';

const SIZE = { nodes: 200, pods: 5_000, pvcs: 2_000 };
const MAX_OWN_SHARE = 0.1;
const RUNS = 2;
const FAKE_FLAG = '--fake-cluster';

if (process.argv.includes(FAKE_FLAG)) await serveFakeCluster(process.argv.at(-1) as string);
else process.exit(await main());

/** One measured scan. */
interface RunResult {
  wallMs: number;
  kubectlMs: number;
  kubectlCalls: number;
  /** Summed process lifetimes, for comparison with the union. */
  kubectlSumMs: number;
  findings: number;
  resources: number;
}

async function main(): Promise<number> {
  const binary = findKubectl(process.env);
  if (!binary) {
    console.error('kubectl not found on PATH (or CWS_KUBECTL); nothing to benchmark');
    return 2;
  }
  const dir = await mkdtemp(join(tmpdir(), 'cws-bench-k8s-'));
  const fake = await startFakeClusterProcess(dir);
  try {
    console.log(
      `cluster: ${SIZE.nodes} nodes, ${SIZE.pods} pods, ${SIZE.pvcs} PVCs; kubectl ${binary}`,
    );
    let failed = false;
    for (let run = 1; run <= RUNS; run++) {
      const result = await measureScan(binary, fake.kubeconfig, join(dir, 'kube-cache'));
      failed = report(run, result) || failed;
    }
    const peakRssMib = process.resourceUsage().maxRSS / 1024;
    console.log(`peak RSS of the scanning process: ${peakRssMib.toFixed(1)} MiB`);
    return failed ? 1 : 0;
  } finally {
    fake.child.kill('SIGTERM');
    await fake.child.exited;
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs one scan through the app and times it; the first run also fills kubectl's cache. */
async function measureScan(binary: string, kubeconfig: string, cacheDir: string) {
  const timed = timeKubectl(createKubectlRunner({ binary, cacheDir }));
  const test = await createTestApp({
    env: {
      PATH: process.env.PATH,
      HOME: cacheDir,
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    },
    scanners: { kubernetes: createKubernetesScanner({ runKubectl: timed.run }) },
  });
  try {
    const finished = new Promise<string>((resolve) => {
      for (const event of ['scan.completed', 'scan.failed', 'scan.canceled'] as const) {
        test.app.services.bus.subscribe(event, () => resolve(event));
      }
    });
    const started = performance.now();
    const { status, body } = await test.callJson('POST', '/v1/k8s/scans', {
      kubeconfig_path: kubeconfig,
      kube_context: 'bench',
    });
    if (status !== 202) throw new Error(`scan refused: ${JSON.stringify(body)}`);
    const outcome = await finished;
    const wallMs = performance.now() - started;
    const scan = (await test.callJson('GET', `/v1/scans/${body.scan_id}`)).body;
    if (outcome !== 'scan.completed') throw new Error(`scan ended ${outcome}: ${scan.error}`);
    return {
      wallMs,
      kubectlMs: unionMs(timed.intervals),
      kubectlCalls: timed.intervals.length,
      kubectlSumMs: timed.intervals.reduce((sum, [start, end]) => sum + end - start, 0),
      findings: scan.resources_found,
      resources: scan.resources_scanned,
    } satisfies RunResult;
  } finally {
    await test.close();
  }
}

/** Wraps a runner to record when each kubectl process ran. */
function timeKubectl(inner: KubectlRunner) {
  const intervals: Array<[number, number]> = [];
  const run: KubectlRunner = async (args, call) => {
    const start = performance.now();
    try {
      return await inner(args, call);
    } finally {
      intervals.push([start, performance.now()]);
    }
  };
  return { intervals, run };
}

/** Length of the union of time intervals: overlapping kubectl processes count once. */
function unionMs(intervals: Array<[number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let current: [number, number] | undefined;
  for (const [start, end] of sorted) {
    if (current && start <= current[1]) {
      current[1] = Math.max(current[1], end);
      continue;
    }
    if (current) total += current[1] - current[0];
    current = [start, end];
  }
  return current ? total + current[1] - current[0] : total;
}

/** Prints one run; true when our share is over the limit. */
function report(run: number, result: RunResult): boolean {
  const ownMs = result.wallMs - result.kubectlMs;
  const share = ownMs / result.wallMs;
  const over = share >= MAX_OWN_SHARE;
  console.log(
    [
      `run ${run}${run === 1 ? ' (cold kubectl cache)' : ''}:`,
      `wall ${result.wallMs.toFixed(0)} ms,`,
      `kubectl ${result.kubectlMs.toFixed(0)} ms`,
      `(${result.kubectlCalls} calls, ${result.kubectlSumMs.toFixed(0)} ms summed),`,
      `ours ${ownMs.toFixed(0)} ms,`,
      `ours/total ${(share * 100).toFixed(1)} %`,
      over ? `OVER the ${MAX_OWN_SHARE * 100} % limit` : `(limit ${MAX_OWN_SHARE * 100} %)`,
      `| ${result.resources} resources, ${result.findings} findings`,
    ].join(' '),
  );
  return over;
}

/** Starts this file in fake-cluster mode and waits for the kubeconfig it writes. */
async function startFakeClusterProcess(dir: string) {
  const child = Bun.spawn([process.execPath, import.meta.path, FAKE_FLAG, dir], {
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'inherit',
  });
  const reader = child.stdout.getReader();
  let text = '';
  while (!text.includes('\n')) {
    const { done, value } = await reader.read();
    if (done) throw new Error('the fake cluster exited before it was ready');
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return { child, kubeconfig: text.trim() };
}

/** Child mode: serves the generated cluster and prints the kubeconfig path once ready. */
async function serveFakeCluster(dir: string): Promise<void> {
  const server = await startFakeKubeApiServer({ objects: generateCluster(SIZE) });
  const kubeconfig = await server.writeKubeconfig(dir, [{ name: 'bench' }], 'bench-kubeconfig');
  process.stdout.write(`${kubeconfig}\n`);
  process.once('SIGTERM', async () => {
    await server.close();
    process.exit(0);
  });
}
