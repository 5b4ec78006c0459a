import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BUILT_IN_RESOURCES,
  KEDA_RESOURCES,
  METRICS_RESOURCES,
  type FakeResource,
} from './kube/resources';
import { createLoopbackTls } from './kube/tls';

/** A Kubernetes object as the fake stores it: `kind` picks the list it belongs to. */
export interface FakeKubeObject {
  apiVersion?: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** What the fake serves and how it misbehaves. */
export interface FakeKubeApiServerOptions {
  objects: FakeKubeObject[];
  /** Plural resource names (`secrets`) whose lists answer 403 Forbidden. */
  forbiddenKinds?: string[];
  /** Serve the metrics.k8s.io API from the NodeMetrics/PodMetrics objects. */
  withMetrics?: boolean;
  /** Largest page a list returns whatever `limit` asks, to force `continue` tokens. */
  pageSize?: number;
  /** Plural resource names whose lists never answer, for request timeouts. */
  stalledKinds?: string[];
  /**
   * Plural resource name → how many of its first lists answer 429 TooManyRequests with a
   * Retry-After header (client-go waits that long and retries).
   */
  throttledKinds?: Record<string, number>;
  /** Seconds the throttled answers ask the client to wait; 1 when absent. */
  retryAfterSeconds?: number;
  /** `gitVersion` that /version reports (kubectl's dispatcher picks its binary by it). */
  serverVersion?: string;
}

/** One context of a kubeconfig written for the fake. */
export interface FakeContext {
  name: string;
  namespace?: string;
  /** Defaults to the fake's own token; anything else is answered 401. */
  token?: string;
  /** Defaults to the fake's URL; point it at a closed port for an unreachable cluster. */
  server?: string;
  /** Skip certificate verification instead of trusting the fake's CA. */
  insecure?: boolean;
}

/** A request the fake received, for assertions on what kubectl asked. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  accept: string | null;
  /** The status it was answered with; absent while it is still stalled. */
  status?: number;
}

/** A running fake API server; `close()` stops it. */
export interface FakeKubeApiServer {
  url: string;
  caCertPem: string;
  token: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
  /** Writes a kubeconfig with the given contexts into `dir` and returns its path. */
  writeKubeconfig(dir: string, contexts: FakeContext[], fileName?: string): Promise<string>;
}

/**
 * Starts an HTTPS Kubernetes API server on 127.0.0.1 (ephemeral port) that the real kubectl can
 * talk to: version, legacy discovery, paginated lists in the documented List shape, 401/403/404
 * Status objects, and the metrics API when enabled.
 */
export async function startFakeKubeApiServer(
  options: FakeKubeApiServerOptions,
): Promise<FakeKubeApiServer> {
  const tls = await createLoopbackTls();
  const token = `fake-${crypto.randomUUID()}`;
  const requests: RecordedRequest[] = [];
  const hasKeda = options.objects.some((object) => object.kind === 'ScaledObject');
  const resources = [
    ...BUILT_IN_RESOURCES,
    ...(options.withMetrics ? METRICS_RESOURCES : []),
    ...(hasKeda ? KEDA_RESOURCES : []),
  ];
  const stalled = new Set<() => void>();
  const state: ServerState = { options, resources, token, stalled, listed: new Map() };

  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    tls: { cert: tls.certPem, key: tls.keyPem },
    async fetch(request) {
      const url = new URL(request.url);
      const recorded: RecordedRequest = {
        method: request.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        accept: request.headers.get('accept'),
      };
      requests.push(recorded);
      const response = await route(state, request, url);
      recorded.status = response.status;
      return response;
    },
  });
  const baseUrl = `https://127.0.0.1:${server.port}`;
  state.baseUrl = baseUrl;

  return {
    url: baseUrl,
    caCertPem: tls.caCertPem,
    token,
    requests,
    async close() {
      for (const release of stalled) release();
      await server.stop(true);
    },
    async writeKubeconfig(dir, contexts, fileName = 'kubeconfig') {
      await mkdir(dir, { recursive: true });
      const path = join(dir, fileName);
      await writeFile(path, renderKubeconfig(baseUrl, tls.caCertPem, token, contexts), {
        mode: 0o600,
      });
      return path;
    },
  };
}

interface ServerState {
  options: FakeKubeApiServerOptions;
  resources: FakeResource[];
  token: string;
  stalled: Set<() => void>;
  /** Lists served so far per plural name, throttled ones included. */
  listed: Map<string, number>;
  baseUrl?: string;
}

async function route(state: ServerState, request: Request, url: URL): Promise<Response> {
  if (request.headers.get('authorization') !== `Bearer ${state.token}`) {
    return status(401, 'Unauthorized', 'Unauthorized');
  }
  if (request.method !== 'GET') return status(405, 'MethodNotAllowed', 'method not allowed');
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '/version') return Response.json(versionInfo(state.options.serverVersion));
  if (path === '/api') return Response.json(apiVersions(state.baseUrl ?? ''));
  if (path === '/apis') return Response.json(groupList(state.resources));
  const discovery = discoveryFor(state.resources, path);
  if (discovery) return Response.json(discovery);
  const list = matchList(state.resources, path);
  if (list) return serveList(state, list, url);
  return status(404, 'NotFound', 'the server could not find the requested resource');
}

function versionInfo(gitVersion = 'v1.29.6') {
  const [major = '1', minor = '29'] = gitVersion.replace(/^v/, '').split('.');
  return {
    major,
    minor,
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-06-11T20:22:11Z',
    goVersion: 'go1.22.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

function apiVersions(baseUrl: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [
      { clientCIDR: '0.0.0.0/0', serverAddress: baseUrl.replace('https://', '') },
    ],
  };
}

function groupList(resources: FakeResource[]) {
  const groups = new Map<string, string>();
  for (const resource of resources) {
    if (resource.group) groups.set(resource.group, resource.version);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, version]) => {
      const entry = { groupVersion: `${name}/${version}`, version };
      return { name, versions: [entry], preferredVersion: entry };
    }),
  };
}

function discoveryFor(resources: FakeResource[], path: string) {
  const groupVersion = path === '/api/v1' ? 'v1' : path.match(/^\/apis\/([^/]+\/[^/]+)$/)?.[1];
  if (!groupVersion) return undefined;
  const served = resources.filter((resource) => gv(resource) === groupVersion);
  if (!served.length) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: served.map((resource) => ({
      name: resource.plural,
      singularName: resource.singular,
      namespaced: resource.namespaced,
      kind: resource.kind,
      verbs: ['get', 'list', 'watch'],
      ...(resource.shortNames ? { shortNames: resource.shortNames } : {}),
    })),
  };
}

function gv(resource: FakeResource): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

interface ListMatch {
  resource: FakeResource;
  namespace?: string;
}

function matchList(resources: FakeResource[], path: string): ListMatch | undefined {
  const found = path.match(
    /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)$/,
  );
  if (!found) return undefined;
  const [, group = '', version = 'v1', namespace, plural] = found;
  const resource = resources.find(
    (candidate) =>
      candidate.group === group && candidate.version === version && candidate.plural === plural,
  );
  if (!resource || (namespace && !resource.namespaced)) return undefined;
  return { resource, namespace };
}

async function serveList(state: ServerState, match: ListMatch, url: URL): Promise<Response> {
  const { resource, namespace } = match;
  if (state.options.forbiddenKinds?.includes(resource.plural)) {
    const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
    return status(
      403,
      'Forbidden',
      `${resource.plural}${resource.group ? `.${resource.group}` : ''} is forbidden: User ` +
        `"system:serviceaccount:cws:reader" cannot list resource "${resource.plural}" in API ` +
        `group "${resource.group}" ${scope}`,
      { group: resource.group, kind: resource.plural },
    );
  }
  const listed = (state.listed.get(resource.plural) ?? 0) + 1;
  state.listed.set(resource.plural, listed);
  if (listed <= (state.options.throttledKinds?.[resource.plural] ?? 0)) {
    return status(
      429,
      'TooManyRequests',
      'The server has received too many requests and has asked us to try again later',
      { retryAfterSeconds: state.options.retryAfterSeconds ?? 1 },
      { 'Retry-After': String(state.options.retryAfterSeconds ?? 1) },
    );
  }
  if (state.options.stalledKinds?.includes(resource.plural)) {
    await new Promise<void>((resolve) => state.stalled.add(resolve));
    return status(504, 'Timeout', 'stalled');
  }
  const all = state.options.objects.filter(
    (object) =>
      object.kind === resource.kind && (!namespace || object.metadata.namespace === namespace),
  );
  const offset = decodeContinue(url.searchParams.get('continue'));
  if (offset === undefined)
    return status(410, 'Expired', 'the provided continue parameter is too old');
  const asked = Number(url.searchParams.get('limit') ?? '0') || all.length;
  const size = Math.max(1, Math.min(asked, state.options.pageSize ?? asked));
  const page = all.slice(offset, offset + size);
  const next = offset + size;
  const metadata: Record<string, unknown> = { resourceVersion: '48213' };
  if (next < all.length) {
    metadata.continue = Buffer.from(JSON.stringify({ offset: next })).toString('base64url');
    metadata.remainingItemCount = all.length - next;
  }
  return Response.json({
    kind: `${resource.kind}List`,
    apiVersion: gv(resource),
    metadata,
    // The API server omits kind and apiVersion on the items of a typed list.
    items: page.map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest),
  });
}

function decodeContinue(token: string | null): number | undefined {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      offset?: unknown;
    };
    return typeof parsed.offset === 'number' ? parsed.offset : undefined;
  } catch {
    return undefined;
  }
}

function status(
  code: number,
  reason: string,
  message: string,
  details: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      details,
      code,
    },
    { status: code, headers },
  );
}

function renderKubeconfig(
  baseUrl: string,
  caCertPem: string,
  token: string,
  contexts: FakeContext[],
): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
  contexts.forEach((context, index) => {
    lines.push(
      `- name: cluster-${index}`,
      '  cluster:',
      `    server: ${context.server ?? baseUrl}`,
    );
    if (context.insecure) lines.push('    insecure-skip-tls-verify: true');
    else {
      lines.push(`    certificate-authority-data: ${Buffer.from(caCertPem).toString('base64')}`);
    }
  });
  lines.push('users:');
  contexts.forEach((context, index) => {
    lines.push(`- name: user-${index}`, '  user:', `    token: ${context.token ?? token}`);
  });
  lines.push('contexts:');
  contexts.forEach((context, index) => {
    lines.push(
      `- name: ${context.name}`,
      '  context:',
      `    cluster: cluster-${index}`,
      `    user: user-${index}`,
      ...(context.namespace ? [`    namespace: ${context.namespace}`] : []),
    );
  });
  lines.push(`current-context: ${contexts[0]?.name ?? ''}`, '');
  return lines.join('\n');
}
