import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { CwsError } from '../core/errors';
import type { ProviderScanner, ScanAccount } from '../core/model';
import { type KubeconfigSummary, listContexts } from '../core/providers/kubernetes/kubeconfig';
import { createKubernetesScanner, type KubectlRunner } from '../core/providers/kubernetes/scanner';
import type { ScanRequest } from '../core/scan/types';
import { createKubectlRunner, findKubectl } from './kubectl';

/** A kubeconfig's contexts and the path they were read from (GET /v1/k8s/contexts). */
export type KubeconfigListing = { path: string } & KubeconfigSummary;

/** The Kubernetes parts of the process, wired once at start-up. */
export interface KubernetesWiring {
  scanner: ProviderScanner;
  /** The cluster account of a scan request; throws CwsError `k8s.*` when there is none. */
  accountFor(request: ScanRequest): ScanAccount;
  /** Reads a kubeconfig's contexts (no kubectl needed); throws CwsError `k8s.*`. */
  listContexts(path?: string): KubeconfigListing;
  /** Removes the temporary kubectl cache of an app that was given no cache directory. */
  close(): void;
}

/** What the Kubernetes wiring needs from the process. */
export interface KubernetesWiringOptions {
  env: Record<string, string | undefined>;
  /** kubectl's discovery cache; absent (in-memory test apps) means a temporary one, made on use. */
  cacheDir?: string;
}

/**
 * Finds kubectl (`CWS_KUBECTL`, else PATH) once, and builds the scanner, the account resolver and
 * the kubeconfig reader over it. The kubectl runner and its cache directory are made on the first
 * kubectl call, so an app that never scans a cluster leaves nothing on disk.
 */
export function wireKubernetes(options: KubernetesWiringOptions): KubernetesWiring {
  const { env } = options;
  const binary = findKubectl(env);
  let temporaryCache: string | undefined;
  let runner: KubectlRunner | undefined;
  const runKubectl: KubectlRunner = async (args, call) => {
    if (!binary) {
      // accountFor refuses such scans up front; a scan re-planned after a restart may still come.
      return {
        ok: false,
        reason: { code: 'k8s.kubectl_not_found', message: MISSING_KUBECTL, category: 'not_found' },
      };
    }
    if (!runner) {
      const cacheDir =
        options.cacheDir ?? (temporaryCache = mkdtempSync(join(tmpdir(), 'cws-kube-cache-')));
      runner = createKubectlRunner({ binary, cacheDir, env });
    }
    return runner(args, call);
  };

  return {
    scanner: createKubernetesScanner({ runKubectl }),
    accountFor(request) {
      const listing = readKubeconfig(resolveKubeconfigPath(request.kubeconfig_path, env));
      const context = request.kube_context ?? listing.current_context;
      if (!context) {
        throw new CwsError(
          'k8s.context_not_found',
          `no kube_context given and ${listing.path} sets no current-context`,
        );
      }
      if (!listing.contexts.some((entry) => entry.name === context)) {
        throw new CwsError(
          'k8s.context_not_found',
          `context ${context} is not in ${listing.path}`,
          [{ path: 'kube_context', message: `is not one of: ${namesOf(listing)}` }],
        );
      }
      const namespaces = checkNamespaces(request.namespaces);
      if (!binary) {
        throw new CwsError(
          'k8s.kubectl_not_found',
          env.CWS_KUBECTL?.trim()
            ? `CWS_KUBECTL (${env.CWS_KUBECTL.trim()}) is not an executable kubectl`
            : MISSING_KUBECTL,
        );
      }
      return {
        id: `k8s_${context}`,
        provider: 'kubernetes',
        name: context,
        source: 'kubeconfig',
        connection: {
          kubeconfig_path: listing.path,
          context,
          ...(namespaces.length ? { namespaces } : {}),
        },
        regions: [],
      };
    },
    listContexts(path) {
      return readKubeconfig(resolveKubeconfigPath(path, env));
    },
    close() {
      if (temporaryCache) rmSync(temporaryCache, { recursive: true, force: true });
    },
  };
}

const MISSING_KUBECTL = 'kubectl is not on PATH; install it or set CWS_KUBECTL';

/**
 * The kubeconfig to read: the one asked for, else the first entry of `KUBECONFIG`, else
 * `~/.kube/config`. A leading `~/` means the home directory, as in a shell.
 */
export function resolveKubeconfigPath(
  requested: string | undefined,
  env: Record<string, string | undefined>,
): string {
  const home = env.HOME || homedir();
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).find((entry) => entry.trim() !== '');
  const chosen = requested?.trim() || fromEnv?.trim() || join(home, '.kube', 'config');
  const expanded = chosen === '~' || chosen.startsWith('~/') ? join(home, chosen.slice(1)) : chosen;
  return resolve(expanded);
}

/** Kubeconfigs are small; anything bigger is not one (and /dev/zero must not hang a request). */
const MAX_KUBECONFIG_BYTES = 4 * 2 ** 20;

/** Reads and parses a kubeconfig; errors name the path and line, never the file's content. */
function readKubeconfig(path: string): KubeconfigListing {
  let text: string;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) {
      throw new CwsError('k8s.kubeconfig_not_found', `${path} is not a kubeconfig file`);
    }
    if (stat.size > MAX_KUBECONFIG_BYTES) {
      throw new CwsError('k8s.kubeconfig_invalid', `${path} is larger than a kubeconfig can be`);
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof CwsError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' ? 'is not readable by this process' : 'does not exist';
    throw new CwsError('k8s.kubeconfig_not_found', `kubeconfig ${path} ${why}`);
  }
  const parsed = listContexts(text);
  if (!parsed.ok) {
    throw new CwsError('k8s.kubeconfig_invalid', `${path}: ${parsed.reason.message}`);
  }
  return { path, ...parsed.value };
}

function namesOf(listing: KubeconfigListing): string {
  return listing.contexts.map((entry) => entry.name).join(', ') || '(none)';
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Namespace names reach kubectl's command line, so anything but a DNS label is refused here. */
function checkNamespaces(namespaces: string[] | undefined): string[] {
  const list = namespaces ?? [];
  const details = list
    .map((name, index) => ({ path: `namespaces.${index}`, name }))
    .filter(({ name }) => !DNS_LABEL.test(name))
    .map(({ path }) => ({ path, message: 'must be a namespace name (a DNS label)' }));
  if (details.length) {
    throw new CwsError(
      'request.validation_failed',
      'namespaces must be namespace names (DNS labels)',
      details,
    );
  }
  return [...new Set(list)];
}
