import type { Finding } from '../model';
import type { KubernetesInventory } from '../providers/kubernetes/inventory';
import type { FindingRepository, ScanRecord, ScanRepository } from '../scan/types';
import type { K8sClusterInput } from './k8s-governance';

/** What the Kubernetes routes and reports are built from: one scan that included a cluster. */
export interface K8sReportSource {
  /** The latest completed scan with a cluster (within the window when one was given). */
  scan: ScanRecord | undefined;
  /** Its Kubernetes findings, costliest first (none when `withFindings` is false). */
  findings: Finding[];
  /** The inventory of every cluster whose check succeeded in it. */
  clusters: K8sClusterInput[];
  /** A queued or running scan with a cluster, whose results are not in yet. */
  pending_scan_id: string | null;
  /** Why there is nothing to show, when there is nothing; null otherwise. */
  message: string | null;
}

/** Where the source is read from. */
export interface K8sSourceRepositories {
  scans: ScanRepository;
  findings: FindingRepository;
}

const DAY_MS = 86_400_000;

/**
 * Loads the latest completed scan that included a cluster (finished within `window_days` of `now`
 * when given), its Kubernetes findings and its cluster inventories. No such scan is not an error:
 * the reports then say so, and name a scan still under way if there is one.
 */
export function loadK8sSource(
  repositories: K8sSourceRepositories,
  options: { now: Date; window_days?: number; withFindings?: boolean },
): K8sReportSource {
  const since =
    options.window_days === undefined
      ? undefined
      : new Date(options.now.getTime() - options.window_days * DAY_MS);
  const scan = repositories.scans.latestCompleted({ withKubernetes: true, since });
  const pending = pendingClusterScan(repositories.scans);
  if (!scan) {
    const within =
      options.window_days === undefined ? '' : ` in the last ${options.window_days} days`;
    const wait = pending ? `; scan ${pending} is under way, ask again when it completes` : '';
    return {
      scan: undefined,
      findings: [],
      clusters: [],
      pending_scan_id: pending,
      message: `no completed scan with a Kubernetes cluster${within}${wait}`,
    };
  }
  return {
    scan,
    findings:
      options.withFindings === false
        ? []
        : repositories.findings
            .listAll(scan.id)
            .filter((finding) => finding.provider === 'kubernetes'),
    clusters: clusterInventories(scan),
    pending_scan_id: pending,
    message: null,
  };
}

/** The fields every Kubernetes report and the inventory start with: which scan, or why none. */
export function describeK8sSource(source: K8sReportSource) {
  return {
    scan_id: source.scan?.id ?? null,
    scan_finished_at: source.scan?.finished_at ?? null,
    pending_scan_id: source.pending_scan_id,
    message: source.message,
  };
}

/** The cluster inventories a scan kept: one per Kubernetes account, keyed `<account>:<check>`. */
export function clusterInventories(scan: ScanRecord): K8sClusterInput[] {
  const clusters: K8sClusterInput[] = [];
  for (const account of scan.accounts) {
    if (account.provider !== 'kubernetes') continue;
    for (const [key, value] of Object.entries(scan.inventory ?? {})) {
      if (key.startsWith(`${account.account_id}:`) && isInventory(value)) {
        clusters.push({ account_id: account.account_id, inventory: value });
      }
    }
  }
  return clusters;
}

function pendingClusterScan(scans: ScanRepository): string | null {
  const active = [...scans.listByStatus('running'), ...scans.listByStatus('queued')];
  return active.find((scan) => scan.includes_kubernetes)?.id ?? null;
}

/** Inventories are stored as JSON; an entry without the per-kind summary is not a cluster's. */
function isInventory(value: unknown): value is KubernetesInventory {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kinds' in value &&
    'context' in value &&
    typeof (value as { kinds: unknown }).kinds === 'object'
  );
}
