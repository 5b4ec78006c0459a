/** Domain types shared by every layer: accounts, checks, inventory drafts and findings. */

export const PROVIDERS = ['aws', 'azure', 'alibaba', 'kubernetes'] as const;
export type Provider = (typeof PROVIDERS)[number];

export const ACTION_TYPES = ['DELETE', 'RIGHTSIZE', 'ARCHIVE', 'STOP', 'REVIEW'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export type Confidence = 'high' | 'medium' | 'low';

/** An expected failure inside core: a value, never a throw (STYLE.md 7). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: FailureReason };

/** Why a check or a connection failed, with the cloud's own error code when it gave one. */
export interface FailureReason {
  code: string;
  message: string;
  /** auth | network | timeout | permission | throttled | not_found | invalid | internal */
  category: FailureCategory;
}

export type FailureCategory =
  | 'auth'
  | 'network'
  | 'timeout'
  | 'permission'
  | 'throttled'
  | 'not_found'
  | 'invalid'
  | 'internal';

/** Scan-policy thresholds (settings/scan-policy, possibly overridden per account). */
export interface ScanPolicy {
  stopped_instance_days: number;
  snapshot_age_days: number;
  ami_age_days: number;
  grace_period_hours: number;
  /** `key=value` pairs; a resource carrying any of them is never reported. */
  excluded_tags: string[];
}

export const DEFAULT_SCAN_POLICY: ScanPolicy = {
  stopped_instance_days: 30,
  snapshot_age_days: 90,
  ami_age_days: 180,
  grace_period_hours: 24,
  excluded_tags: ['cws:ignore=true'],
};

/** Something a scan can visit: an AWS profile, a cloud account, a cluster context, the demo cloud. */
export interface ScanAccount {
  id: string;
  provider: Provider;
  name: string;
  source: 'aws_profile' | 'cloud_account' | 'kubeconfig' | 'demo';
  /** Provider-specific connection settings, already decrypted; never logged or returned. */
  connection: Record<string, unknown>;
  /** Regions to visit; empty means every enabled region. */
  regions: string[];
  timeout_seconds?: number;
  policy?: Partial<ScanPolicy>;
}

/**
 * What a finding costs and emits, in units that pricing and carbon both understand. Rules name the
 * usage; they never carry a price (RULES.md "Prices").
 */
export type Usage =
  /** Disk or volume billed per GiB-month. `sku` is the price-table key, e.g. `ebs:gp3`. */
  | { kind: 'storage'; sku: string; gib: number; medium: 'ssd' | 'hdd' }
  /** Snapshot or image storage billed per GiB-month (object storage, replicated). */
  | { kind: 'snapshot'; sku: string; gib: number }
  /**
   * A machine billed per hour; vCPUs and memory drive carbon. `powered: false` marks a stopped
   * machine that is still billed: it draws no compute power, only its embodied share counts.
   */
  | {
      kind: 'compute';
      sku: string;
      vcpus: number;
      memory_gib: number;
      hours: number;
      powered?: boolean;
    }
  /** Anything else billed per hour (NAT gateway, public IPv4, load balancer); no carbon. */
  | { kind: 'hourly'; sku: string; hours: number };

/** Monthly hours used throughout pricing (RULES.md: monthly = hourly × 730). */
export const HOURS_PER_MONTH = 730;

/** A rule's output before pricing, carbon and persistence add ids, money and kilograms. */
export interface FindingDraft {
  rule_id: string;
  provider: Provider;
  account_id: string;
  region: string;
  resource_type: string;
  resource_id: string;
  resource_name: string;
  title: string;
  details: string;
  evidence: Record<string, unknown>;
  action_type: ActionType;
  recommendation: string;
  fix_command?: string;
  confidence: Confidence;
  /** What the resource costs per month while it stays as it is; empty means free. */
  usage: Usage[];
  /**
   * For RIGHTSIZE findings the saving is a difference: the usage after the change, priced the same
   * way and subtracted. Absent for everything else.
   */
  usage_after?: Usage[];
  /** Resource fingerprint: when it changes, a handled finding becomes open again. */
  fingerprint: string;
}

/** A priced, stored finding as the API returns it (CONTRACT.md "Scans and findings"). */
export interface Finding {
  id: string;
  scan_id: string;
  rule_id: string;
  provider: Provider;
  account_id: string;
  region: string;
  resource_type: string;
  resource_id: string;
  resource_name: string;
  title: string;
  details: string;
  evidence: Record<string, unknown>;
  action_type: ActionType;
  recommendation: string;
  fix_command?: string;
  estimated_monthly_cost: number;
  estimated_monthly_cost_usd: number;
  currency: string;
  price_source: string;
  carbon_kg_monthly: number;
  confidence: Confidence;
  first_seen_at: string;
  handled: boolean;
}

/** Everything one check gathered: how many resources it looked at and what the rules found. */
export interface CheckResult {
  resources_scanned: number;
  drafts: FindingDraft[];
  /** Provider-specific inventory summary kept with the scan (Kubernetes inventory, say). */
  inventory?: Record<string, unknown>;
  /** Non-fatal notes: an optional API missing, lowered confidence. */
  warnings?: string[];
}

/** One unit of scan work: an account in a region (or a cluster, or a subscription). */
export interface CheckSpec {
  id: string;
  account_id: string;
  region: string;
  label: string;
}

/** Settings that shape every cloud call of a scan. */
export interface CallOptions {
  signal: AbortSignal;
  /** Per-call bound from settings.general.api_timeout_seconds or the account's own timeout. */
  timeout_ms: number;
  policy: ScanPolicy;
  now: Date;
}

/**
 * A provider's scanner: plans the checks for one account (which may itself call the cloud, like
 * DescribeRegions), then runs each check. Implementations live in core/providers/<name>/.
 */
export interface ProviderScanner {
  provider: Provider;
  planChecks(account: ScanAccount, options: CallOptions): Promise<Outcome<CheckSpec[]>>;
  runCheck(
    account: ScanAccount,
    check: CheckSpec,
    options: CallOptions,
  ): Promise<Outcome<CheckResult>>;
}

/** The tag that always keeps a resource out of findings, whatever `excluded_tags` says. */
export const ALWAYS_EXCLUDED_TAG = 'cws:ignore=true';

/**
 * True when a resource's tags carry `cws:ignore=true` or one of the policy's excluded `key=value`
 * pairs (a bare `key` matches any value).
 */
export function isExcluded(tags: Record<string, string> | undefined, policy: ScanPolicy): boolean {
  if (!tags) return false;
  return [ALWAYS_EXCLUDED_TAG, ...policy.excluded_tags].some((pair) => {
    const at = pair.indexOf('=');
    const key = at < 0 ? pair : pair.slice(0, at);
    const value = at < 0 ? undefined : pair.slice(at + 1);
    return key in tags && (value === undefined || tags[key] === value);
  });
}
