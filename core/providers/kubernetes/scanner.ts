import type {
  CallOptions,
  CheckResult,
  CheckSpec,
  FailureReason,
  Outcome,
  ProviderScanner,
  ScanAccount,
  ScanPolicy,
} from '../../model';
import { evaluateKubernetesRules } from '../../rules/kubernetes';
import { KIND_SPECS, type KindResult, collectKind, mapBounded } from './collect';
import { summarizeInventory } from './inventory';
import {
  type KubernetesSnapshot,
  SNAPSHOT_KINDS,
  type SnapshotLists,
  buildSnapshot,
} from './snapshot';

/**
 * Runs one read-only kubectl command and returns its stdout. Failures carry a category: an
 * unreachable cluster is `network`, RBAC's Forbidden is `permission`, a kind the server does not
 * serve is `not_found`, a command over its time is `timeout`. Aborting the signal throws.
 * runtime/kubectl.ts implements it with the real binary; tests hand in fakes.
 */
export type KubectlRunner = (
  args: string[],
  options: { signal: AbortSignal; timeoutMs: number; maxBytes: number },
) => Promise<Outcome<string>>;

/** A Kubernetes account's connection: which kubeconfig, which context, optionally which namespaces. */
export interface KubernetesConnection {
  kubeconfig_path: string;
  context: string;
  namespaces?: string[];
}

/** Settings of the Kubernetes scanner. */
export interface KubernetesScannerOptions {
  runKubectl: KubectlRunner;
  /** kubectl processes at once per cluster (default 4). */
  concurrency?: number;
  /** Largest stdout accepted from one kubectl call (default 256 MiB). */
  maxBytes?: number;
}

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_MAX_BYTES = 256 * 2 ** 20;
/**
 * `--request-timeout` bounds each HTTP request; one kubectl process also runs discovery and pages
 * through `continue` tokens, so the process as a whole gets a few request times plus start-up.
 */
const PROCESS_TIMEOUT_FACTOR = 4;
const PROCESS_START_MS = 5_000;

/** Creates the scanner for `kubernetes` accounts: one check per cluster context. */
export function createKubernetesScanner(options: KubernetesScannerOptions): ProviderScanner {
  return {
    provider: 'kubernetes',
    async planChecks(account) {
      const connection = readConnection(account);
      if (!connection.ok) return connection;
      return {
        ok: true,
        value: [
          {
            id: `${account.id}:cluster`,
            account_id: account.id,
            region: 'cluster',
            label: `Kubernetes context ${connection.value.context}`,
          },
        ],
      };
    },
    runCheck(account, check, callOptions) {
      return scanCluster(options, account, check, callOptions);
    },
  };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Reads and checks an account's connection settings. */
export function readConnection(account: ScanAccount): Outcome<KubernetesConnection> {
  const { kubeconfig_path: path, context, namespaces } = account.connection;
  if (typeof path !== 'string' || !path) return invalid('connection.kubeconfig_path is required');
  if (typeof context !== 'string' || !context) return invalid('connection.context is required');
  if (namespaces !== undefined && !isNamespaceList(namespaces)) {
    return invalid('connection.namespaces must be a list of namespace names');
  }
  return {
    ok: true,
    value: {
      kubeconfig_path: path,
      context,
      ...(namespaces?.length ? { namespaces } : {}),
    },
  };
}

/** Namespace names only: anything else could reach kubectl's command line as a flag. */
function isNamespaceList(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.every((namespace) => typeof namespace === 'string' && DNS_LABEL.test(namespace))
  );
}

function invalid(message: string): Outcome<never> {
  return { ok: false, reason: { code: 'k8s.connection_invalid', message, category: 'invalid' } };
}

async function scanCluster(
  options: KubernetesScannerOptions,
  account: ScanAccount,
  _check: CheckSpec,
  callOptions: CallOptions,
): Promise<Outcome<CheckResult>> {
  const connection = readConnection(account);
  if (!connection.ok) return connection;
  const { kubeconfig_path: path, context, namespaces } = connection.value;
  const base = [`--kubeconfig=${path}`, `--context=${context}`];
  const requestTimeout = `${Math.max(1, Math.ceil(callOptions.timeout_ms / 1000))}s`;
  const run = {
    signal: callOptions.signal,
    timeoutMs: callOptions.timeout_ms * PROCESS_TIMEOUT_FACTOR + PROCESS_START_MS,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
  };

  // 1. Probe the server once, so an unreachable cluster fails fast instead of once per kind.
  const probe = await options.runKubectl(
    [...base, 'version', '-o', 'json', '--request-timeout', requestTimeout],
    run,
  );
  if (!probe.ok && probe.reason.category !== 'permission') return probe;
  const serverVersion = probe.ok ? readServerVersion(probe.value) : null;

  // 2. Collect every list, a few kubectl processes at a time.
  const results = await mapBounded(KIND_SPECS, options.concurrency ?? DEFAULT_CONCURRENCY, (spec) =>
    collectKind(options.runKubectl, spec, {
      base,
      namespaces,
      requestTimeout,
      ...run,
    }),
  );
  const usable = results.filter(
    (result) => result.availability === 'ok' || result.availability === 'absent',
  );
  if (!usable.some((result) => result.availability === 'ok')) {
    return { ok: false, reason: worstFailure(results) };
  }

  // 3. Judge the snapshot and summarise it.
  const snapshot = toSnapshot(results);
  const policy: ScanPolicy = { ...callOptions.policy, ...account.policy };
  const evaluation = evaluateKubernetesRules(snapshot, {
    account_id: account.id,
    context,
    now: callOptions.now,
    policy,
  });
  return {
    ok: true,
    value: {
      resources_scanned: countResources(snapshot),
      drafts: evaluation.drafts,
      inventory: summarizeInventory(snapshot, { context, server_version: serverVersion }),
      warnings: [...kindWarnings(results), ...evaluation.warnings],
    },
  };
}

function readServerVersion(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as { serverVersion?: { gitVersion?: unknown } };
    const version = parsed.serverVersion?.gitVersion;
    return typeof version === 'string' ? version : null;
  } catch {
    return null;
  }
}

function toSnapshot(results: KindResult[]): KubernetesSnapshot {
  const lists: Record<string, unknown> = {};
  const availability: Record<string, KindResult['availability']> = {};
  for (const result of results) {
    lists[result.kind] = result.items;
    availability[result.kind] = result.availability;
  }
  return buildSnapshot(lists as Partial<SnapshotLists>, availability);
}

/** The failure to report when nothing could be listed: a connection-level one if any. */
function worstFailure(results: KindResult[]): FailureReason {
  const failures = results.flatMap((result) => result.failures);
  const order = ['network', 'auth', 'timeout', 'invalid', 'permission'];
  for (const category of order) {
    const found = failures.find((failure) => failure.category === category);
    if (found) return found;
  }
  return (
    failures[0] ?? {
      code: 'k8s.nothing_listed',
      message: 'kubectl listed no kind of this cluster',
      category: 'internal',
    }
  );
}

function kindWarnings(results: KindResult[]): string[] {
  const warnings: string[] = [];
  for (const result of results) {
    if (result.availability === 'ok') continue;
    const reason = result.failures[0];
    const detail = reason ? `: ${reason.message}` : '';
    warnings.push(`${result.kind} ${result.availability}${detail}`);
  }
  return warnings;
}

/** Metrics are readings about objects already counted, not resources of their own. */
function countResources(snapshot: KubernetesSnapshot): number {
  return SNAPSHOT_KINDS.filter((kind) => kind !== 'node_metrics' && kind !== 'pod_metrics').reduce(
    (total, kind) => total + snapshot[kind].length,
    0,
  );
}
