import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeKubeApiServer, startFakeKubeApiServer } from '../../fakes/kube-apiserver';
import { shopCluster } from '../../fixtures/kubernetes/cluster';

/** A running fake cluster and the kubeconfig that reaches it. */
export interface KubeFixture {
  /** A kubeconfig with contexts `prod` (current) and `staging` (namespace `shop`). */
  kubeconfigPath: string;
  /** The context to scan: `prod`. */
  context: string;
  server: FakeKubeApiServer;
  /** Stops the API server and removes the kubeconfig. */
  close(): Promise<void>;
}

/**
 * Starts the fake Kubernetes API server (HTTPS on 127.0.0.1, ephemeral port) with the shop
 * cluster (every rule's planted case, metrics API served, lists paged two at a time) and writes a
 * kubeconfig with contexts `prod` and `staging` that the real kubectl can use.
 */
export async function startKubeFixture(): Promise<KubeFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'cws-kube-fixture-'));
  const server = await startFakeKubeApiServer({
    objects: shopCluster(),
    withMetrics: true,
    pageSize: 2,
  });
  const kubeconfigPath = await server.writeKubeconfig(dir, [
    { name: 'prod' },
    { name: 'staging', namespace: 'shop' },
  ]);
  return {
    kubeconfigPath,
    context: 'prod',
    server,
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// Run directly (`bun test/e2e/support/kube-fixture.ts`), it serves until SIGINT or SIGTERM and
// prints the settings playbook 10 needs as shell assignments on its first line.
if (import.meta.main) {
  const fixture = await startKubeFixture();
  process.stdout.write(
    `KUBECONFIG_PATH=${fixture.kubeconfigPath} KUBE_CONTEXT=${fixture.context}\n`,
  );
  const stop = async () => {
    await fixture.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
