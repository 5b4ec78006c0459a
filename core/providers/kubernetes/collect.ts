import type { FailureReason, Outcome } from '../../model';
import type { KubectlRunner } from './scanner';
import type { KindAvailability, SnapshotKind } from './snapshot';
import type { KubeObject } from './types';

/** How one snapshot list is asked of kubectl. */
export interface KindSpec {
  kind: SnapshotKind;
  /** The kubectl resource argument, fully qualified so that a CRD of the same name never wins. */
  resource: string;
  namespaced: boolean;
  /**
   * `json`: the whole objects; `metadata`: a jsonpath template that prints only metadata and type,
   * so ConfigMap and Secret data never leave kubectl; `raw`: a GET of an API path (metrics).
   */
  output: 'json' | 'metadata' | 'raw';
  /** Ask for managedFields too: they date the last change of `spec.replicas`. */
  withManagedFields?: boolean;
  /** Keep annotations of metadata-only objects (never for Secrets: see METADATA_FIELDS). */
  withAnnotations?: boolean;
  /** A kind many clusters do not serve (KEDA, metrics-server): missing means truly empty. */
  optional?: boolean;
}

/** The lists the scanner collects, in the order they appear in the snapshot. */
export const KIND_SPECS: KindSpec[] = [
  { kind: 'nodes', resource: 'nodes', namespaced: false, output: 'json' },
  { kind: 'pods', resource: 'pods', namespaced: true, output: 'json' },
  {
    kind: 'deployments',
    resource: 'deployments.apps',
    namespaced: true,
    output: 'json',
    withManagedFields: true,
  },
  {
    kind: 'statefulsets',
    resource: 'statefulsets.apps',
    namespaced: true,
    output: 'json',
    withManagedFields: true,
  },
  { kind: 'daemonsets', resource: 'daemonsets.apps', namespaced: true, output: 'json' },
  { kind: 'replicasets', resource: 'replicasets.apps', namespaced: true, output: 'json' },
  { kind: 'jobs', resource: 'jobs.batch', namespaced: true, output: 'json' },
  { kind: 'cronjobs', resource: 'cronjobs.batch', namespaced: true, output: 'json' },
  { kind: 'services', resource: 'services', namespaced: true, output: 'json' },
  {
    kind: 'endpointslices',
    resource: 'endpointslices.discovery.k8s.io',
    namespaced: true,
    output: 'json',
  },
  { kind: 'persistentvolumes', resource: 'persistentvolumes', namespaced: false, output: 'json' },
  {
    kind: 'persistentvolumeclaims',
    resource: 'persistentvolumeclaims',
    namespaced: true,
    output: 'json',
  },
  {
    kind: 'storageclasses',
    resource: 'storageclasses.storage.k8s.io',
    namespaced: false,
    output: 'json',
    optional: true,
  },
  {
    kind: 'configmaps',
    resource: 'configmaps',
    namespaced: true,
    output: 'metadata',
    withAnnotations: true,
  },
  { kind: 'secrets', resource: 'secrets', namespaced: true, output: 'metadata' },
  { kind: 'ingresses', resource: 'ingresses.networking.k8s.io', namespaced: true, output: 'json' },
  {
    kind: 'horizontalpodautoscalers',
    resource: 'horizontalpodautoscalers.autoscaling',
    namespaced: true,
    output: 'json',
  },
  { kind: 'serviceaccounts', resource: 'serviceaccounts', namespaced: true, output: 'json' },
  {
    kind: 'scaledobjects',
    resource: 'scaledobjects.keda.sh',
    namespaced: true,
    output: 'json',
    optional: true,
  },
  { kind: 'node_metrics', resource: 'nodes', namespaced: false, output: 'raw', optional: true },
  { kind: 'pod_metrics', resource: 'pods', namespaced: true, output: 'raw', optional: true },
];

/** What collecting one list produced. */
export interface KindResult {
  kind: SnapshotKind;
  items: KubeObject[];
  availability: KindAvailability;
  /** The failure of each call that failed (one per namespace at most). */
  failures: FailureReason[];
}

/** The per-call settings of one check. */
export interface CollectOptions {
  base: string[];
  namespaces: string[] | undefined;
  signal: AbortSignal;
  requestTimeout: string;
  timeoutMs: number;
  maxBytes: number;
}

/**
 * Collects one list: one kubectl call for the cluster, or one per namespace when the account names
 * namespaces. A forbidden or missing kind is an availability, not an exception.
 */
export async function collectKind(
  run: KubectlRunner,
  spec: KindSpec,
  options: CollectOptions,
): Promise<KindResult> {
  const scopes: Array<string | undefined> =
    spec.namespaced && options.namespaces?.length ? options.namespaces : [undefined];
  const items: KubeObject[] = [];
  const failures: FailureReason[] = [];
  const states: KindAvailability[] = [];
  for (const namespace of scopes) {
    const outcome = await runOne(run, spec, namespace, options);
    if (outcome.ok) {
      items.push(...outcome.value);
      states.push('ok');
    } else {
      failures.push(outcome.reason);
      states.push(availabilityOf(spec, outcome.reason));
    }
  }
  return { kind: spec.kind, items, availability: mergeAvailability(states), failures };
}

async function runOne(
  run: KubectlRunner,
  spec: KindSpec,
  namespace: string | undefined,
  options: CollectOptions,
): Promise<Outcome<KubeObject[]>> {
  const callOptions = {
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
  };
  let outcome = await run(kindArgs(spec, namespace, options, true), callOptions);
  // kubectl before 1.21 has no --show-managed-fields (it always prints them): ask again without.
  if (
    !outcome.ok &&
    spec.withManagedFields &&
    outcome.reason.code === 'k8s.kubectl_unsupported_flag'
  ) {
    outcome = await run(kindArgs(spec, namespace, options, false), callOptions);
  }
  if (!outcome.ok) return outcome;
  const parsed =
    spec.output === 'metadata' ? parseMetadataLines(outcome.value) : parseList(outcome.value);
  if (!parsed.ok) return parsed;
  return { ok: true, value: parsed.value.map((item) => sanitize(spec, item)) };
}

/** The kubectl arguments for one list (exported for tests of the exact command line). */
export function kindArgs(
  spec: KindSpec,
  namespace: string | undefined,
  options: Pick<CollectOptions, 'base' | 'requestTimeout'>,
  withManagedFields = true,
): string[] {
  const timeout = ['--request-timeout', options.requestTimeout];
  if (spec.output === 'raw') {
    const scope = spec.namespaced && namespace ? `namespaces/${namespace}/` : '';
    return [
      ...options.base,
      'get',
      '--raw',
      `/apis/metrics.k8s.io/v1beta1/${scope}${spec.resource}`,
      ...timeout,
    ];
  }
  const scope = spec.namespaced
    ? [namespace ? `--namespace=${namespace}` : '--all-namespaces']
    : [];
  const output =
    spec.output === 'metadata'
      ? ['-o', `jsonpath=${metadataTemplate(spec.withAnnotations === true)}`]
      : ['-o', 'json'];
  const managed = spec.withManagedFields && withManagedFields ? ['--show-managed-fields'] : [];
  return [...options.base, 'get', spec.resource, ...scope, ...output, ...managed, ...timeout];
}

/**
 * One line per object, tab-separated. Secrets never include annotations: the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation of an applied Secret holds its data.
 */
const METADATA_FIELDS = [
  '.metadata.namespace',
  '.metadata.name',
  '.metadata.uid',
  '.metadata.resourceVersion',
  '.metadata.creationTimestamp',
  '.type',
  '.metadata.labels',
  '.metadata.ownerReferences',
];

function metadataTemplate(withAnnotations: boolean): string {
  const fields = withAnnotations ? [...METADATA_FIELDS, '.metadata.annotations'] : METADATA_FIELDS;
  return `{range .items[*]}${fields.map((field) => `{${field}}`).join('{"\\t"}')}{"\\n"}{end}`;
}

function parseMetadataLines(text: string): Outcome<KubeObject[]> {
  const items: KubeObject[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const [namespace, name, uid, resourceVersion, created, type, labels, owners, annotations] =
      line.split('\t');
    if (!name) continue;
    const item: KubeObject & { type?: string } = {
      metadata: {
        name,
        ...(namespace ? { namespace } : {}),
        ...(uid ? { uid } : {}),
        ...(resourceVersion ? { resourceVersion } : {}),
        ...(created ? { creationTimestamp: created } : {}),
        ...(labels ? { labels: parseJsonField(labels, {}) } : {}),
        ...(owners ? { ownerReferences: parseJsonField(owners, []) } : {}),
        ...(annotations ? { annotations: parseJsonField(annotations, {}) } : {}),
      },
    };
    if (type) item.type = type;
    items.push(item);
  }
  return { ok: true, value: items };
}

function parseJsonField<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function parseList(text: string): Outcome<KubeObject[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {
      ok: false,
      reason: {
        code: 'k8s.output_invalid',
        message: 'kubectl printed something that is not JSON',
        category: 'internal',
      },
    };
  }
  const items = (parsed as { items?: unknown }).items;
  if (!Array.isArray(items)) return { ok: true, value: [] };
  return {
    ok: true,
    value: items.filter(
      (item): item is KubeObject =>
        typeof item === 'object' && item !== null && typeof item.metadata?.name === 'string',
    ),
  };
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Drops what no rule reads and what may carry values: the last-applied annotation (a copy of the
 * whole manifest, env values included), managedFields outside workloads, and Secret data should
 * a Secret ever arrive whole.
 */
function sanitize(spec: KindSpec, item: KubeObject): KubeObject {
  const metadata = item.metadata;
  if (metadata.annotations && LAST_APPLIED in metadata.annotations) {
    const { [LAST_APPLIED]: _dropped, ...rest } = metadata.annotations;
    metadata.annotations = rest;
  }
  if (!spec.withManagedFields) delete metadata.managedFields;
  if (spec.kind === 'secrets') {
    const record = item as unknown as Record<string, unknown>;
    delete record.data;
    delete record.stringData;
  }
  return item;
}

function availabilityOf(spec: KindSpec, reason: FailureReason): KindAvailability {
  if (reason.category === 'permission') return 'forbidden';
  // A built-in kind the server lacks is unknown, not empty (an EndpointSlice-less old cluster
  // must not make every load balancer look idle); an optional add-on that is missing is empty.
  if (reason.category === 'not_found' && spec.optional) return 'absent';
  return 'failed';
}

function mergeAvailability(states: KindAvailability[]): KindAvailability {
  for (const worst of ['failed', 'forbidden', 'absent'] as const) {
    if (states.includes(worst)) return worst;
  }
  return 'ok';
}

/** Runs tasks with at most `limit` in flight, keeping their order in the results. */
export async function mapBounded<T, R>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
