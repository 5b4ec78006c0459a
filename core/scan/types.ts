import type { FailureCategory, Finding, Provider } from '../model';
import type { Page, PageRequest } from '../pagination';
import type { Durability } from '../repositories';

export const SCAN_STATUSES = ['queued', 'running', 'completed', 'failed', 'canceled'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];
export const TERMINAL_STATUSES: readonly ScanStatus[] = ['completed', 'failed', 'canceled'];

/** Who started a scan; `startup` is the demo scan `cws serve --demo` runs on a fresh database. */
export type TriggerSource = 'api' | 'schedule' | 'cli' | 'mcp' | 'startup';

/** The body of POST /v1/scans, after validation. */
export interface ScanRequest {
  selected_accounts?: string[];
  report_emails?: string[];
  demo_mode?: boolean;
  include_kubernetes?: boolean;
  kubeconfig_path?: string;
  kube_context?: string;
  namespaces?: string[];
  regions?: string[];
}

/** One check that went wrong, with the cloud's own error code. */
export interface CheckError {
  check: string;
  region: string;
  code: string;
  message: string;
  category: FailureCategory;
}

/** How one account fared in a scan. */
export interface AccountResult {
  account_id: string;
  provider: Provider;
  name: string;
  status: 'pending' | 'running' | 'completed' | 'partial' | 'failed' | 'canceled';
  checks_total: number;
  checks_run: number;
  checks_failed: number;
  resources_scanned: number;
  findings: number;
  errors: CheckError[];
  warnings: string[];
}

/** A scan as stored. Money is kept in USD; responses convert. */
export interface ScanRecord {
  id: string;
  status: ScanStatus;
  trigger_source: TriggerSource;
  request: ScanRequest;
  selected_accounts: string[];
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  resources_scanned: number;
  resources_found: number;
  estimated_monthly_savings_usd: number;
  carbon_kg_monthly: number;
  accounts: AccountResult[];
  /** Per-provider inventory summaries (the Kubernetes inventory, say). */
  inventory: Record<string, unknown> | null;
  includes_kubernetes: boolean;
  error: string | null;
  report_email_status: ReportEmailStatus | null;
  counted_toward_quota: boolean;
}

/** What happened to a scan's report e-mails. */
export interface ReportEmailStatus {
  status: 'pending' | 'sent' | 'skipped' | 'failed';
  reason?: string;
  recipients: string[];
}

/** A finding with the fingerprint that decides whether a handled mark still holds. */
export type StoredFinding = Finding & { fingerprint: string };

/** Filters of GET /v1/findings. */
export interface FindingFilter {
  scan_id?: string;
  provider?: string;
  account_id?: string;
  resource_type?: string;
  rule?: string;
  min_monthly_cost_usd?: number;
}

/** Scans as stored: every change resolves once it is on disk. */
export interface ScanRepository {
  create(scan: ScanRecord, durability?: Durability): Promise<void>;
  get(id: string): ScanRecord | undefined;
  list(filter: { status?: ScanStatus }, page: PageRequest): Page<ScanRecord>;
  update(id: string, patch: Partial<ScanRecord>, durability?: Durability): Promise<void>;
  /** Writes the final state and every finding in one transaction. */
  finish(
    id: string,
    patch: Partial<ScanRecord>,
    findings: StoredFinding[],
    durability?: Durability,
  ): Promise<void>;
  countTowardQuota(since: Date): number;
  countActive(): number;
  listByStatus(status: ScanStatus): ScanRecord[];
  latestCompleted(options?: { withKubernetes?: boolean; since?: Date }): ScanRecord | undefined;
  listCompletedSince(since: Date): ScanRecord[];
  /** Drops the findings of completed scans older than the newest `keep`. */
  pruneFindings(keep: number, durability?: Durability): Promise<void>;
}

/** Findings as stored. */
export interface FindingRepository {
  list(filter: FindingFilter, page: PageRequest): Page<Finding>;
  listAll(scanId: string): Finding[];
  get(id: string): Finding | undefined;
  markHandled(finding: Finding, fingerprint: string): Promise<void>;
  /** Removes a handled mark: the resource is reported as open again. */
  clearHandled(finding: Finding): Promise<void>;
  /** handled fingerprints keyed by `rule|account|resource`. */
  handledFingerprints(): Map<string, string>;
  /** The earliest time each resource was seen by a rule, keyed by `rule|account|resource`. */
  firstSeen(keys: string[]): Map<string, string>;
  fingerprintOf(findingId: string): string | undefined;
}

/** The key that ties findings of one resource and rule across scans. */
export function resourceKey(finding: {
  rule_id: string;
  account_id: string;
  resource_id: string;
}): string {
  return `${finding.rule_id}|${finding.account_id}|${finding.resource_id}`;
}
