/** The trigger modes of settings and channels (CONTRACT.md "Settings and notifications"). */
export const NOTIFICATION_TRIGGER_MODES = ['scan_complete', 'waste_only'] as const;
export type NotificationTriggerMode = (typeof NOTIFICATION_TRIGGER_MODES)[number];

/** When a channel wants to hear about a scan. Thresholds apply to `waste_only` only. */
export interface NotificationPolicy {
  mode: NotificationTriggerMode;
  /** In the configured currency; absent means "any saving above zero". */
  min_savings?: number | null;
  /** Absent means one: `waste_only` needs at least one finding. */
  min_findings?: number | null;
}

/** What the policy looks at once a scan has ended. */
export interface ScanOutcome {
  status: string;
  /** In the configured currency, like `min_savings`. */
  estimated_monthly_savings: number;
  findings: number;
}

/**
 * `scan_complete` notifies on every completed scan; `waste_only` only when the scan completed
 * with savings of at least `min_savings` (more than zero when unset) and at least `min_findings`
 * findings (one when unset). Failed and canceled scans notify nobody here: webhooks carry those
 * events.
 */
export function shouldNotify(policy: NotificationPolicy, outcome: ScanOutcome): boolean {
  if (outcome.status !== 'completed') return false;
  if (policy.mode === 'scan_complete') return true;
  const minFindings = Math.max(1, policy.min_findings ?? 1);
  if (outcome.findings < minFindings) return false;
  if (policy.min_savings === undefined || policy.min_savings === null) {
    return outcome.estimated_monthly_savings > 0;
  }
  return outcome.estimated_monthly_savings >= policy.min_savings;
}

/** True for the two accepted modes; anything else is a validation error at the edge. */
export function isNotificationTriggerMode(value: unknown): value is NotificationTriggerMode {
  return (NOTIFICATION_TRIGGER_MODES as readonly unknown[]).includes(value);
}
