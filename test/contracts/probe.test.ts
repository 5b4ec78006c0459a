import { it, expect } from 'bun:test';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeKubeApiServer } from '/work/main/test/fakes/kube-apiserver';
import { shopCluster } from '/work/main/test/fixtures/kubernetes/cluster';
import { createKubectlRunner } from '/work/main/runtime/kubectl';
import { createKubernetesScanner } from '/work/main/core/providers/kubernetes/scanner';
import { DEFAULT_SCAN_POLICY } from '/work/main/core/model';
import { NOW } from '/work/main/test/fixtures/kubernetes/objects';

it('throttle', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8s-t-'));
  const server = await startFakeKubeApiServer({ objects: shopCluster(), withMetrics: true, throttledKinds: { pods: 2, nodes: 1 }, retryAfterSeconds: 0 });
  const kc = await server.writeKubeconfig(dir, [{ name: 'prod' }]);
  const scanner = createKubernetesScanner({ runKubectl: createKubectlRunner({ binary: '/usr/bin/kubectl', cacheDir: join(dir, 'c') }) });
  const account = { id: 'k', provider: 'kubernetes' as const, name: 'prod', source: 'kubeconfig' as const, connection: { kubeconfig_path: kc, context: 'prod' }, regions: [] };
  const t = performance.now();
  const r = await scanner.runCheck(account, { id: 'x', account_id: 'k', region: 'cluster', label: 'x' }, { signal: new AbortController().signal, timeout_ms: 5000, policy: DEFAULT_SCAN_POLICY, now: NOW });
  console.log(performance.now() - t, r.ok, r.ok ? r.value.warnings : r.reason);
  console.log(server.requests.filter(q => q.path.endsWith('/pods') || q.path.endsWith('/nodes')).map(q => q.path));
  await server.close();
});
