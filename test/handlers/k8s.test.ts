import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findKubectl } from '../../runtime/kubectl';
import { type FakeKubeApiServer, startFakeKubeApiServer } from '../fakes/kube-apiserver';
import { EXPECTED_FINDINGS, shopCluster } from '../fixtures/kubernetes/cluster';
import { NOW } from '../fixtures/kubernetes/objects';
import { createTestApp, type TestApp, waitForScan } from '../support/app';

const KUBECTL = findKubectl(process.env);
const DAY_MS = 86_400_000;

let dir: string;
let server: FakeKubeApiServer;
let kubeconfig: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cws-k8s-handlers-'));
  server = await startFakeKubeApiServer({ objects: shopCluster(), withMetrics: true, pageSize: 3 });
  kubeconfig = await server.writeKubeconfig(dir, [
    { name: 'prod' },
    { name: 'staging', namespace: 'shop' },
  ]);
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** An environment with kubectl on PATH and no AWS profiles or default kubeconfig. */
function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: join(dir, 'home'),
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    ...extra,
  };
}

/** A clock that starts at the fixtures' date, runs with real time, and can be moved ahead. */
function movableClock() {
  const start = Date.now();
  let offset = 0;
  return {
    now: () => new Date(NOW.getTime() + (Date.now() - start) + offset),
    advance: (ms: number) => {
      offset += ms;
    },
  };
}

async function app(env: NodeJS.ProcessEnv = baseEnv(), clock = movableClock()) {
  return createTestApp({ env, clock: clock.now, kubectlCacheDir: join(dir, 'kube-cache') });
}

describe('GET /v1/k8s/contexts', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await app();
  });
  afterAll(() => test.close());

  it('lists the contexts of a kubeconfig by name, without any credential or address', async () => {
    const { status, body } = await test.callJson(
      'GET',
      `/v1/k8s/contexts?path=${encodeURIComponent(kubeconfig)}`,
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      path: kubeconfig,
      current_context: 'prod',
      contexts: [
        { name: 'prod', cluster: 'cluster-0', namespace: null, user: 'user-0' },
        { name: 'staging', cluster: 'cluster-1', namespace: 'shop', user: 'user-1' },
      ],
    });
    const text = JSON.stringify(body);
    expect(text).not.toContain(server.token);
    expect(text).not.toContain(server.url);
    expect(text).not.toContain('certificate-authority');
  });

  it('reads KUBECONFIG (its first entry) when no path is given', async () => {
    const other = await app(baseEnv({ KUBECONFIG: `${kubeconfig}:/nonexistent/second` }));
    try {
      const { status, body } = await other.callJson('GET', '/v1/k8s/contexts');
      expect(status).toBe(200);
      expect(body.path).toBe(kubeconfig);
      expect(body.contexts).toHaveLength(2);
    } finally {
      await other.close();
    }
  });

  it('falls back to ~/.kube/config', async () => {
    const home = join(dir, 'home-with-config');
    await mkdir(join(home, '.kube'), { recursive: true });
    await writeFile(
      join(home, '.kube', 'config'),
      'contexts:\n- name: lab\n  context: {cluster: lab}\n',
    );
    const other = await app(baseEnv({ HOME: home }));
    try {
      const { status, body } = await other.callJson('GET', '/v1/k8s/contexts');
      expect(status).toBe(200);
      expect(body).toEqual({
        path: join(home, '.kube', 'config'),
        current_context: null,
        contexts: [{ name: 'lab', cluster: 'lab', namespace: null, user: null }],
      });
    } finally {
      await other.close();
    }
  });

  it('answers 400 k8s.kubeconfig_not_found for a missing file', async () => {
    const missing = join(dir, 'no-such-kubeconfig');
    const { status, body } = await test.callJson(
      'GET',
      `/v1/k8s/contexts?path=${encodeURIComponent(missing)}`,
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe('k8s.kubeconfig_not_found');
    expect(body.error.message).toContain(missing);
  });

  it('answers 400 k8s.kubeconfig_invalid naming the line, without quoting the file', async () => {
    const broken = join(dir, 'broken-kubeconfig');
    await writeFile(
      broken,
      'apiVersion: v1\nusers:\n- name: u\n  user:\n    token: leaked-token-123\n  bad: [unclosed\n',
    );
    const { status, body } = await test.callJson(
      'GET',
      `/v1/k8s/contexts?path=${encodeURIComponent(broken)}`,
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe('k8s.kubeconfig_invalid');
    expect(body.error.message).toMatch(/line \d+/);
    expect(JSON.stringify(body)).not.toContain('leaked-token-123');
  });
});

describe('starting a Kubernetes scan: refusals', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await app();
  });
  afterAll(() => test.close());

  it('answers 400 k8s.context_not_found for a context the kubeconfig lacks', async () => {
    const { status, body } = await test.callJson('POST', '/v1/k8s/scans', {
      kubeconfig_path: kubeconfig,
      kube_context: 'nosuch',
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('k8s.context_not_found');
    expect(body.error.details[0].message).toContain('prod, staging');
  });

  it('answers 400 k8s.kubeconfig_not_found before touching kubectl', async () => {
    const { status, body } = await test.callJson('POST', '/v1/k8s/scans', {
      path: join(dir, 'absent'),
      context: 'prod',
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('k8s.kubeconfig_not_found');
  });

  it.each([
    [{ kubeconfig_path: 'a', path: 'b' }, 'path'],
    [{ kube_context: 'prod', context: 'staging' }, 'context'],
    [{ namespaces: ['Not_A_Namespace'] }, 'namespaces.0'],
    [{ cluster: 'prod' }, 'cluster'],
  ])('refuses %j with a detail naming %s', async (body, field) => {
    const response = await test.callJson('POST', '/v1/k8s/scans', body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('request.validation_failed');
    expect(response.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('answers 424 k8s.kubectl_not_found when CWS_KUBECTL names no executable', async () => {
    const other = await app(baseEnv({ CWS_KUBECTL: '/nonexistent/kubectl' }));
    try {
      for (const [path, body] of [
        ['/v1/k8s/scans', { kubeconfig_path: kubeconfig, kube_context: 'prod' }],
        ['/v1/scans', { include_kubernetes: true, kubeconfig_path: kubeconfig }],
      ] as const) {
        const response = await other.callJson('POST', path, body);
        expect(response.status).toBe(424);
        expect(response.body.error.code).toBe('k8s.kubectl_not_found');
      }
      const { body } = await other.callJson('GET', `/v1/k8s/contexts?path=${kubeconfig}`);
      expect(body.contexts).toHaveLength(2);
    } finally {
      await other.close();
    }
  });
});

describe('Kubernetes results before any cluster was scanned', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await app();
  });
  afterAll(() => test.close());

  it('answers empty findings, inventory and reports that say why', async () => {
    const findings = await test.callJson('GET', '/v1/k8s/findings');
    expect(findings).toMatchObject({ status: 200, body: [] });
    const inventory = await test.callJson('GET', '/v1/k8s/inventory');
    expect(inventory.status).toBe(200);
    expect(inventory.body).toMatchObject({ scan_id: null, clusters: [], totals: { pods: 0 } });
    expect(inventory.body.message).toContain('no completed scan with a Kubernetes cluster');
    for (const path of ['/v1/reports/k8s-governance', '/v1/reports/k8s-action-plan']) {
      const { status, body } = await test.callJson('GET', path);
      expect(status).toBe(200);
      expect(body.scan_id).toBeNull();
      expect(body.window_days).toBe(30);
      expect(body.actions).toEqual([]);
      expect(body.message).toContain('in the last 30 days');
    }
  });

  it.each(['0', '366', 'abc', '1.5', '', '-3'])(
    'refuses window_days=%p with request.validation_failed',
    async (value) => {
      for (const path of ['/v1/reports/k8s-governance', '/v1/reports/k8s-action-plan']) {
        const { status, body } = await test.callJson('GET', `${path}?window_days=${value}`);
        expect(status).toBe(400);
        expect(body.error.code).toBe('request.validation_failed');
        expect(body.error.details[0].path).toBe('window_days');
      }
    },
  );
});

// The scans below run the kubectl binary itself against the fake API server.
describe.skipIf(!KUBECTL)('a Kubernetes scan through the real kubectl', () => {
  let test: TestApp;
  let clock: ReturnType<typeof movableClock>;
  let scan: any;

  beforeAll(async () => {
    clock = movableClock();
    test = await app(baseEnv(), clock);
    const started = await test.callJson('POST', '/v1/k8s/scans', {
      kubeconfig_path: kubeconfig,
      kube_context: 'prod',
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'queued', account_id: 'k8s_prod' });
    expect(started.body.message).toContain(started.body.scan_id);
    scan = await waitForScan(test, started.body.scan_id, 60_000);
  }, 90_000);
  afterAll(() => test.close());

  it('completes with every planted finding, priced', () => {
    expect(scan.status).toBe('completed');
    expect(scan.include_kubernetes).toBe(true);
    expect(scan.selected_accounts).toEqual(['k8s_prod']);
    expect(scan.accounts[0]).toMatchObject({ account_id: 'k8s_prod', status: 'completed' });
    expect(scan.resources_found).toBe(EXPECTED_FINDINGS.length);
    expect(scan.estimated_monthly_savings_usd).toBeGreaterThan(0);
  });

  it('lists the Kubernetes findings of that scan, paginated like /v1/findings', async () => {
    const all = await test.callJson('GET', '/v1/k8s/findings?limit=250');
    expect(all.status).toBe(200);
    const found = all.body.map((f: any) => [f.rule_id, f.resource_id]).sort();
    expect(found).toEqual([...EXPECTED_FINDINGS].sort());
    expect(all.body.every((f: any) => f.provider === 'kubernetes' && f.scan_id === scan.id)).toBe(
      true,
    );
    const priced = all.body.find((f: any) => f.rule_id === 'k8s.pv.unbound');
    expect(priced.estimated_monthly_cost).toBeGreaterThan(0);
    expect(priced.fix_command).toContain('kubectl');

    const first = await test.callJson('GET', '/v1/k8s/findings?limit=4&envelope=true');
    expect(first.body.items).toHaveLength(4);
    expect(first.body.page).toMatchObject({ limit: 4, has_more: true });
    const ids = first.body.items.map((f: any) => f.id);
    let cursor = first.body.page.next_cursor;
    while (cursor) {
      const next = await test.callJson('GET', `/v1/k8s/findings?limit=4&cursor=${cursor}`);
      ids.push(...next.body.items.map((f: any) => f.id));
      cursor = next.body.page.next_cursor;
    }
    expect(ids.sort()).toEqual(all.body.map((f: any) => f.id).sort());

    const filtered = await test.callJson('GET', '/v1/k8s/findings?rule=k8s.pvc.unused');
    expect(filtered.body.map((f: any) => f.resource_id).sort()).toEqual([
      'shop/persistentvolumeclaim/data-db-1',
      'shop/persistentvolumeclaim/orphan-claim',
    ]);
  });

  it('serves the inventory the scan kept, per kind', async () => {
    const { status, body } = await test.callJson('GET', '/v1/k8s/inventory');
    expect(status).toBe(200);
    expect(body).toMatchObject({ scan_id: scan.id, message: null, pending_scan_id: null });
    expect(body.totals).toEqual({
      nodes: 3,
      pods: 4,
      workloads: body.clusters[0].kinds.workloads.count,
      services: body.clusters[0].kinds.services.count,
      persistentvolumes: body.clusters[0].kinds.persistentvolumes.count,
      persistentvolumeclaims: 5,
    });
    const [cluster] = body.clusters;
    expect(cluster).toMatchObject({
      account_id: 'k8s_prod',
      context: 'prod',
      server_version: 'v1.29.6',
      metrics_available: true,
    });
    expect(cluster.kinds.nodes.names.sort()).toEqual(['node-a', 'node-b', 'node-cp']);
    expect(cluster.kinds.workloads.names).toContain('shop/deployment/web');
    expect(JSON.stringify(body)).not.toContain(server.token);
  });

  it('builds the governance report from that scan', async () => {
    const { status, body } = await test.callJson('GET', '/v1/reports/k8s-governance?window_days=7');
    expect(status).toBe(200);
    expect(body).toMatchObject({ scan_id: scan.id, message: null, window_days: 7 });
    expect(body.currency).toBe('USD');
    expect(body.totals).toMatchObject({
      findings: EXPECTED_FINDINGS.length,
      open_findings: EXPECTED_FINDINGS.length,
      clusters: 1,
    });
    expect(body.totals.estimated_monthly_savings).toBeCloseTo(scan.estimated_monthly_savings, 1);
    const rules = body.categories.map((c: any) => c.rule_id);
    expect(new Set(rules)).toEqual(new Set(EXPECTED_FINDINGS.map(([rule]) => rule)));
    expect(body.by_namespace.map((n: any) => n.namespace)).toContain('shop');
    expect(body.top_offenders.resources.length).toBeGreaterThan(0);
    expect(body.clusters[0]).toMatchObject({ account_id: 'k8s_prod', context: 'prod', nodes: 3 });
    expect(body.actions.length).toBeGreaterThan(0);
  });

  it('builds the action plan: ordered actions with their kubectl commands and findings', async () => {
    const { status, body } = await test.callJson('GET', '/v1/reports/k8s-action-plan');
    expect(status).toBe(200);
    expect(body).toMatchObject({ scan_id: scan.id, window_days: 30, currency: 'USD' });
    expect(body.actions.map((a: any) => a.priority)).toEqual(
      body.actions.map((_: unknown, index: number) => index + 1),
    );
    const findingIds = body.actions.flatMap((a: any) => a.finding_ids);
    expect(findingIds).toHaveLength(EXPECTED_FINDINGS.length);
    const pvc = body.actions.find((a: any) => a.rule_id === 'k8s.pvc.unused');
    expect(pvc.namespace).toBe('shop');
    expect(pvc.commands.length).toBe(2);
    expect(pvc.commands.every((c: string) => c.startsWith('kubectl '))).toBe(true);
    expect(body.total_estimated_monthly_savings).toBeGreaterThan(0);
  });

  it('leaves a scan older than the window out of the reports', async () => {
    clock.advance(40 * DAY_MS);
    const narrow = await test.callJson('GET', '/v1/reports/k8s-governance?window_days=30');
    expect(narrow.status).toBe(200);
    expect(narrow.body.scan_id).toBeNull();
    expect(narrow.body.totals.findings).toBe(0);
    const wide = await test.callJson('GET', '/v1/reports/k8s-action-plan?window_days=60');
    expect(wide.body.scan_id).toBe(scan.id);
    expect(wide.body.actions.length).toBeGreaterThan(0);
  });

  it('scans a cluster through include_kubernetes on POST /v1/scans too', async () => {
    const started = await test.callJson('POST', '/v1/scans', {
      include_kubernetes: true,
      kubeconfig_path: kubeconfig,
      kube_context: 'staging',
      namespaces: ['shop'],
    });
    expect(started.status).toBe(202);
    const done = await waitForScan(test, started.body.scan_id, 60_000);
    expect(done).toMatchObject({ status: 'completed', selected_accounts: ['k8s_staging'] });
    expect(done.resources_found).toBeGreaterThan(0);
    const { body } = await test.callJson('GET', '/v1/k8s/inventory');
    expect(body.scan_id).toBe(done.scan_id);
    expect(body.clusters[0]).toMatchObject({ account_id: 'k8s_staging', context: 'staging' });
  }, 60_000);
});
