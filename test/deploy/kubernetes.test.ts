import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { DEFAULT_SCAN_POLICY, type CheckResult, type Outcome } from '../../core/model';
import { KIND_SPECS } from '../../core/providers/kubernetes/collect';
import { listContexts } from '../../core/providers/kubernetes/kubeconfig';
import { findKubectl } from '../../runtime/kubectl';
import { resolveKubeconfigPath, wireKubernetes } from '../../runtime/kubernetes';
import { REPO_ROOT } from '../e2e/support/binary';
import { startFakeKubeApiServer, type FakeKubeApiServer } from '../fakes/kube-apiserver';
import { shopCluster } from '../fixtures/kubernetes/cluster';
import { NOW } from '../fixtures/kubernetes/objects';

// Manifests are checked as plain data: only the fields a test reads are typed.
type Manifest = Record<string, any>;

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  nonResourceURLs?: string[];
  resourceNames?: string[];
}

const DIR = join(REPO_ROOT, 'deploy', 'kubernetes');
const FILES = readdirSync(DIR).filter((name) => name.endsWith('.yaml'));
const KUSTOMIZATION = 'kustomization.yaml';
const SECRET_EXAMPLE = 'secret.example.yaml';
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Every Kubernetes object in the folder, by file. */
function loadManifests(): Map<string, Manifest[]> {
  const byFile = new Map<string, Manifest[]>();
  for (const file of FILES) {
    if (file === KUSTOMIZATION) continue;
    const documents = parseAllDocuments(readFileSync(join(DIR, file), 'utf8'));
    byFile.set(
      file,
      documents.map((document) => {
        if (document.errors.length) throw new Error(`${file}: ${document.errors[0]?.message}`);
        return document.toJS() as Manifest;
      }),
    );
  }
  return byFile;
}

const manifests = loadManifests();
const objects = [...manifests.values()].flat();

function only(kind: string): Manifest {
  const found = objects.filter((object) => object.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0] as Manifest;
}

const deployment = only('Deployment');
const pod = deployment.spec.template.spec;
const container = pod.containers.find((entry: Manifest) => entry.name === 'cws') as Manifest;
const role = only('ClusterRole');
const rules = role.rules as Rule[];

function envOf(name: string): Manifest | undefined {
  return container.env.find((entry: Manifest) => entry.name === name);
}

/** The (API group, resource) pairs the scanner lists, read from its own kind table. */
function scannedResources(): string[] {
  const pairs = KIND_SPECS.map((spec) => {
    // `--raw` calls read the metrics API; the others name `resource.group` (core has no group).
    if (spec.output === 'raw') return `metrics.k8s.io/${spec.resource}`;
    const dot = spec.resource.indexOf('.');
    return dot < 0
      ? `/${spec.resource}`
      : `${spec.resource.slice(dot + 1)}/${spec.resource.slice(0, dot)}`;
  });
  return [...new Set(pairs)].sort();
}

function grantedResources(): string[] {
  const pairs = rules.flatMap((rule) =>
    (rule.apiGroups ?? []).flatMap((group) =>
      (rule.resources ?? []).map((resource) => `${group}/${resource}`),
    ),
  );
  return [...new Set(pairs)].sort();
}

function allows(group: string, resource: string, verb: string): boolean {
  return rules.some(
    (rule) =>
      rule.apiGroups?.includes(group) &&
      rule.resources?.includes(resource) &&
      rule.verbs?.includes(verb),
  );
}

describe('deploy/kubernetes manifests', () => {
  it('parse as YAML objects that name no namespace of their own', () => {
    expect(FILES).toContain(KUSTOMIZATION);
    expect(objects.length).toBeGreaterThanOrEqual(8);
    for (const object of objects) {
      expect(typeof object.apiVersion).toBe('string');
      expect(typeof object.kind).toBe('string');
      expect(typeof object.metadata?.name).toBe('string');
      expect(object.metadata.namespace).toBeUndefined();
    }
  });

  it('are all listed in the kustomization, except the example Secret', () => {
    const kustomization = parse(readFileSync(join(DIR, KUSTOMIZATION), 'utf8')) as Manifest;
    const expected = FILES.filter((file) => file !== KUSTOMIZATION && file !== SECRET_EXAMPLE);
    expect([...kustomization.resources].sort()).toEqual(expected.sort());
    expect(kustomization.namespace).toBe(only('ClusterRoleBinding').subjects[0].namespace);
  });

  it('ship the token Secret only as a placeholder', () => {
    const [secret] = manifests.get(SECRET_EXAMPLE) ?? [];
    expect(secret?.kind).toBe('Secret');
    const token = secret?.stringData?.token as string;
    expect(token).toContain('REPLACE-ME');
    expect(token).not.toMatch(/^cws_[0-9a-f]{64}$/);
    const reference = envOf('CWS_TOKEN')?.valueFrom?.secretKeyRef;
    expect(reference).toEqual({ name: secret?.metadata.name, key: 'token' });
  });
});

describe('the CWS Deployment', () => {
  it('takes its token from a Secret and never from a literal value', () => {
    const token = envOf('CWS_TOKEN');
    expect(token?.value).toBeUndefined();
    expect(token?.valueFrom?.secretKeyRef?.key).toBe('token');
    expect(envOf('CWS_HOST')?.value).toBe('0.0.0.0');
    expect(envOf('CWS_PORT')?.value).toBe('9123');
  });

  it('probes readiness and liveness on /status over HTTPS at the API port', () => {
    const port = container.ports.find((entry: Manifest) => entry.containerPort === 9123);
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(probe.httpGet.path).toBe('/status');
      expect(probe.httpGet.scheme).toBe('HTTPS');
      expect([port.name, port.containerPort]).toContain(probe.httpGet.port);
    }
  });

  it('runs as the image user, non-root, on a read-only root with /data and /tmp writable', () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
    });
    const dockerfile = readFileSync(join(REPO_ROOT, 'deploy', 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`USER ${pod.securityContext.runAsUser}:`);
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    const mounts = new Map(
      container.volumeMounts.map((mount: Manifest) => [mount.mountPath, mount]),
    );
    const volumes = new Map(pod.volumes.map((volume: Manifest) => [volume.name, volume]));
    const data = volumes.get((mounts.get('/data') as Manifest).name) as Manifest;
    expect(data.persistentVolumeClaim.claimName).toBe(only('PersistentVolumeClaim').metadata.name);
    const tmp = volumes.get((mounts.get('/tmp') as Manifest).name) as Manifest;
    expect(tmp.emptyDir).toBeDefined();
    expect(envOf('CWS_DATA_DIR')?.value).toStartWith('/data/');
  });

  it('sets resource requests and limits', () => {
    for (const side of ['requests', 'limits']) {
      expect(container.resources[side].cpu).toBeDefined();
      expect(container.resources[side].memory).toBeDefined();
    }
  });

  it('runs as the ServiceAccount the ClusterRole is bound to', () => {
    const account = only('ServiceAccount').metadata.name;
    expect(pod.serviceAccountName).toBe(account);
    const binding = only('ClusterRoleBinding');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role.metadata.name,
    });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: account, namespace: expect.any(String) },
    ]);
  });

  it('is reached through a ClusterIP Service on port 9123', () => {
    const service = only('Service');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels);
    expect(service.spec.ports).toMatchObject([{ port: 9123, targetPort: 'https' }]);
    expect(container.ports).toMatchObject([{ name: 'https', containerPort: 9123 }]);
  });
});

describe('the read-only ClusterRole', () => {
  it('grants get and list only, on named resources, in every rule', () => {
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.verbs?.length).toBeGreaterThan(0);
      for (const verb of rule.verbs ?? []) expect(['get', 'list']).toContain(verb);
      expect(rule.nonResourceURLs).toBeUndefined();
      expect(rule.apiGroups).not.toContain('*');
      expect(rule.resources).not.toContain('*');
      for (const resource of rule.resources ?? []) expect(resource).not.toContain('/');
    }
  });

  it('covers exactly the resources the Kubernetes scan lists, with list and get', () => {
    expect(grantedResources()).toEqual(scannedResources());
    for (const pair of scannedResources()) {
      const [group = '', resource = ''] = pair.split('/');
      expect(allows(group, resource, 'list')).toBe(true);
      expect(allows(group, resource, 'get')).toBe(true);
    }
  });
});

const KUBECTL = findKubectl(process.env);

// kubectl renders the kustomization and runs the scan below; without it (CI installs it) there
// is nothing to drive, and the static checks above still hold.
describe.skipIf(!KUBECTL)('the sidecar through kubectl', () => {
  let server: FakeKubeApiServer;
  let dir: string;
  let scan: Outcome<CheckResult>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cws-deploy-k8s-'));
    server = await startFakeKubeApiServer({ objects: shopCluster(), withMetrics: true });
    scan = await scanInCluster(server, dir);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders with kustomize into one namespace, the binding subject included', () => {
    const rendered = Bun.spawnSync([KUBECTL as string, 'kustomize', DIR]);
    expect(rendered.exitCode).toBe(0);
    const output = parseAllDocuments(rendered.stdout.toString()).map(
      (document) => document.toJS() as Manifest,
    );
    const account = output.find((object) => object.kind === 'ServiceAccount');
    const binding = output.find((object) => object.kind === 'ClusterRoleBinding');
    expect(account?.metadata.namespace).toBe('cws');
    expect(binding?.subjects[0].namespace).toBe(account?.metadata.namespace);
    expect(output.map((object) => object.kind).sort()).toEqual(
      objects
        .filter((object) => object.kind !== 'Secret')
        .map((object) => object.kind)
        .sort(),
    );
  });

  it('scans the cluster with the in-cluster kubeconfig and the ServiceAccount token file', () => {
    if (!scan.ok) throw new Error(`scan failed: ${scan.reason.code} ${scan.reason.message}`);
    expect(scan.value.resources_scanned).toBeGreaterThan(0);
    expect(scan.value.drafts.length).toBeGreaterThan(0);
  });

  it('needs no permission beyond the ClusterRole for any request it makes', () => {
    const reads = server.requests.map(resourceOf).filter((read) => read !== undefined);
    expect(reads.length).toBeGreaterThanOrEqual(KIND_SPECS.length - 1);
    const denied = reads.filter((read) => !allows(read.group, read.resource, read.verb));
    expect(denied).toEqual([]);
    expect(server.requests.every((request) => request.method === 'GET')).toBe(true);
  });
});

/**
 * Runs the CWS Kubernetes scan as the sidecar would: KUBECONFIG from the Deployment pointing at
 * the ConfigMap's kubeconfig, whose in-cluster address and ServiceAccount files are swapped for
 * the fake API server's, and no kubeconfig path or context in the request.
 */
async function scanInCluster(
  server: FakeKubeApiServer,
  dir: string,
): Promise<Outcome<CheckResult>> {
  const configMap = only('ConfigMap');
  const volume = pod.volumes.find(
    (entry: Manifest) => entry.configMap?.name === configMap.metadata.name,
  );
  const mount = container.volumeMounts.find((entry: Manifest) => entry.name === volume.name);
  const item = volume.configMap.items.find((entry: Manifest) => entry.key === 'kubeconfig');
  const mounted = posix.join(mount.mountPath, item.path);
  expect(envOf('KUBECONFIG')?.value).toBe(mounted);
  expect(resolveKubeconfigPath(undefined, { KUBECONFIG: mounted, HOME: dir })).toBe(mounted);

  const text = configMap.data.kubeconfig as string;
  const contexts = listContexts(text);
  if (!contexts.ok) throw new Error(contexts.reason.message);
  expect(contexts.value.current_context).toBe('in-cluster');

  writeFileSync(join(dir, 'ca.crt'), server.caCertPem);
  writeFileSync(join(dir, 'token'), server.token, { mode: 0o600 });
  const local = text
    .replace('https://kubernetes.default.svc', server.url)
    .replaceAll(SERVICE_ACCOUNT_DIR, dir);
  expect(local).not.toContain(server.token);
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, local);

  const kubernetes = wireKubernetes({
    env: { ...process.env, HOME: dir, KUBECONFIG: kubeconfig },
    cacheDir: join(dir, 'cache'),
  });
  try {
    const account = kubernetes.accountFor({});
    const options = {
      signal: new AbortController().signal,
      timeout_ms: 10_000,
      policy: DEFAULT_SCAN_POLICY,
      now: NOW,
    };
    const plan = await kubernetes.scanner.planChecks(account, options);
    if (!plan.ok) return plan;
    const [check] = plan.value;
    if (!check) throw new Error('the scanner planned no check');
    return await kubernetes.scanner.runCheck(account, check, options);
  } finally {
    kubernetes.close();
  }
}

/** The resource read of one recorded API request; undefined for discovery and /version. */
function resourceOf(request: {
  method: string;
  path: string;
}): { group: string; resource: string; verb: 'get' | 'list' } | undefined {
  const parts = request.path.split('/').filter(Boolean);
  let rest: string[];
  let group: string;
  if (parts[0] === 'api') [group, rest] = ['', parts.slice(2)];
  else if (parts[0] === 'apis') [group, rest] = [parts[1] ?? '', parts.slice(3)];
  else return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  const [resource, name] = rest;
  if (!resource) return undefined;
  return { group, resource, verb: name ? 'get' : 'list' };
}
