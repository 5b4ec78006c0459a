import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_SCAN_POLICY,
  type CheckResult,
  type Outcome,
  type ScanAccount,
} from '../../../core/model';
import type { KubernetesInventory } from '../../../core/providers/kubernetes/inventory';
import { createKubernetesScanner } from '../../../core/providers/kubernetes/scanner';
import { createKubectlRunner, findKubectl } from '../../../runtime/kubectl';
import { type FakeKubeApiServer, startFakeKubeApiServer } from '../../fakes/kube-apiserver';
import {
  EXPECTED_FINDINGS,
  SECRET_BASE64,
  SECRET_PLAINTEXT,
  shopCluster,
} from '../../fixtures/kubernetes/cluster';
import { NOW } from '../../fixtures/kubernetes/objects';

const KUBECTL = findKubectl(process.env);

/** Scans one context of a kubeconfig through the real kubectl. */
async function scan(
  kubeconfig: string,
  context: string,
  cacheDir: string,
  namespaces?: string[],
): Promise<Outcome<CheckResult>> {
  const runner = createKubectlRunner({ binary: KUBECTL as string, cacheDir });
  const scanner = createKubernetesScanner({ runKubectl: runner });
  const account: ScanAccount = {
    id: `k8s-${context}`,
    provider: 'kubernetes',
    name: context,
    source: 'kubeconfig',
    connection: { kubeconfig_path: kubeconfig, context, ...(namespaces ? { namespaces } : {}) },
    regions: [],
  };
  const plan = await scanner.planChecks(account, options());
  if (!plan.ok) return plan;
  return scanner.runCheck(account, plan.value[0] as NonNullable<(typeof plan.value)[0]>, options());
}

function options() {
  return {
    signal: new AbortController().signal,
    timeout_ms: 10_000,
    policy: DEFAULT_SCAN_POLICY,
    now: NOW,
  };
}

// These tests drive the kubectl binary itself; without one on PATH (or CWS_KUBECTL) there is
// nothing to drive, and the scanner's logic is covered by kubernetes-scanner.test.ts.
describe.skipIf(!KUBECTL)('Kubernetes scanner through the real kubectl', () => {
  let server: FakeKubeApiServer;
  let dir: string;
  let kubeconfig: string;
  let prod: Outcome<CheckResult>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cws-kube-e2e-'));
    server = await startFakeKubeApiServer({
      objects: shopCluster(),
      withMetrics: true,
      pageSize: 2,
    });
    kubeconfig = await server.writeKubeconfig(dir, [
      { name: 'prod' },
      { name: 'insecure', insecure: true },
      { name: 'down', server: 'https://127.0.0.1:1' },
      { name: 'stale-token', token: 'expired' },
    ]);
    prod = await scan(kubeconfig, 'prod', join(dir, 'cache-prod'));
  });

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds every planted case over TLS, paging through continue tokens', () => {
    const result = prod;
    if (!result.ok) throw new Error(result.reason.message);
    const found = result.value.drafts.map((draft) => [draft.rule_id, draft.resource_id]);
    expect(found.sort()).toEqual([...EXPECTED_FINDINGS].sort());
    expect(result.value.warnings).toEqual([]);
    const podPages = server.requests.filter((request) => request.path === '/api/v1/pods');
    expect(podPages.length).toBe(2);
    expect(podPages[1]?.query.continue).toBeDefined();
    const inventory = result.value.inventory as KubernetesInventory;
    expect(inventory.kinds.pods.count).toBe(4);
    expect(inventory.kinds.persistentvolumeclaims.count).toBe(5);
    expect(inventory.server_version).toBe('v1.29.6');
    expect(inventory.metrics_available).toBe(true);
  });

  it('never lets a Secret value reach the result, not even through last-applied-configuration', () => {
    expect(JSON.stringify(shopCluster())).toContain(SECRET_BASE64);
    const serialized = JSON.stringify(prod);
    expect(serialized).toContain('orphan-secret');
    expect(serialized).not.toContain(SECRET_PLAINTEXT);
    expect(serialized).not.toContain(SECRET_BASE64);
  });

  it('works with certificate verification switched off too', async () => {
    const result = await scan(kubeconfig, 'insecure', join(dir, 'cache-insecure'));
    expect(result.ok && result.value.drafts.length).toBe(EXPECTED_FINDINGS.length);
  });

  it('scans only the namespaces an account names', async () => {
    const result = await scan(kubeconfig, 'prod', join(dir, 'cache-ns'), ['other']);
    if (!result.ok) throw new Error(result.reason.message);
    const namespaced = result.value.drafts.filter(
      (draft) => !draft.resource_id.startsWith('_cluster/'),
    );
    expect(namespaced).toEqual([]);
    expect((result.value.inventory as KubernetesInventory).kinds.pods.count).toBe(0);
  });

  it('fails the check of an unreachable cluster as a network failure', async () => {
    const result = await scan(kubeconfig, 'down', join(dir, 'cache-down'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.category).toBe('network');
  });

  it('fails the check of a rejected token as an auth failure', async () => {
    const result = await scan(kubeconfig, 'stale-token', join(dir, 'cache-auth'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.code).toBe('k8s.unauthorized');
  });

  it('fails the check of a context the kubeconfig lacks', async () => {
    const result = await scan(kubeconfig, 'nosuch', join(dir, 'cache-none'));
    expect(result.ok ? 'ok' : result.reason.code).toBe('k8s.context_not_found');
  });
});

describe.skipIf(!KUBECTL)('Kubernetes scanner against a restricted or bare cluster', () => {
  it('turns a forbidden kind into a warning, keeps the check, and skips dependent rules', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cws-kube-rbac-'));
    const server = await startFakeKubeApiServer({
      objects: shopCluster(),
      withMetrics: true,
      forbiddenKinds: ['secrets'],
    });
    try {
      const kubeconfig = await server.writeKubeconfig(dir, [{ name: 'reader' }]);
      const result = await scan(kubeconfig, 'reader', join(dir, 'cache'));
      if (!result.ok) throw new Error(result.reason.message);
      expect(
        (result.value.warnings ?? []).some((warning) =>
          warning.startsWith('secrets forbidden: Error from server (Forbidden)'),
        ),
      ).toBe(true);
      expect(result.value.warnings).toContain('k8s.secret.unused skipped: secrets forbidden');
      expect(result.value.drafts.some((draft) => draft.rule_id === 'k8s.secret.unused')).toBe(
        false,
      );
      expect(result.value.drafts.some((draft) => draft.rule_id === 'k8s.pvc.unused')).toBe(true);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('without the metrics API, falls back to requests and says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cws-kube-bare-'));
    const objects = shopCluster().filter((object) => object.kind !== 'ScaledObject');
    const server = await startFakeKubeApiServer({ objects });
    try {
      const kubeconfig = await server.writeKubeconfig(dir, [{ name: 'bare' }]);
      const result = await scan(kubeconfig, 'bare', join(dir, 'cache'));
      if (!result.ok) throw new Error(result.reason.message);
      const inventory = result.value.inventory as KubernetesInventory;
      expect(inventory.metrics_available).toBe(false);
      expect(inventory.availability.node_metrics).toBe('absent');
      expect(inventory.availability.scaledobjects).toBe('absent');
      expect(
        (result.value.warnings ?? []).some((warning) =>
          warning.startsWith('k8s.workload.overrequested: metrics API absent'),
        ),
      ).toBe(true);
      const node = result.value.drafts.find((draft) => draft.rule_id === 'k8s.node.underutilized');
      expect(node?.confidence).toBe('medium');
      // Without KEDA the once-scaled consumer is just another deployment at zero.
      expect(result.value.drafts.map((draft) => draft.resource_id)).toContain(
        'shop/deployment/queue-consumer',
      );
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
