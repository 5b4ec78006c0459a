import { DEFAULT_SCAN_POLICY, type Provider, type ScanPolicy } from './model';

export const NOTIFICATION_TRIGGER_MODES = ['scan_complete', 'waste_only'] as const;
export type NotificationTriggerMode = (typeof NOTIFICATION_TRIGGER_MODES)[number];

/** GET/PATCH /v1/settings/general. */
export interface GeneralSettings {
  currency: string;
  /** Bound on each cloud API call, in seconds (1–600). */
  api_timeout_seconds: number;
  notification_trigger_mode: NotificationTriggerMode;
  /** Operator overrides of the embedded exchange rates: units per USD. */
  currency_rates: Record<string, number>;
}

/** GET/PATCH /v1/settings/scan-policy: defaults plus per-provider overrides. */
export interface ScanPolicySettings extends ScanPolicy {
  providers: Partial<Record<Provider, Partial<ScanPolicy>>>;
}

/** The stored part of GET/PATCH /v1/settings/quota; `used` is counted from scans. */
export interface QuotaSettings {
  /** null means unlimited. */
  monthly_scan_limit: number | null;
}

/** Every settings document and its default. */
export const SETTINGS_DEFAULTS = {
  general: {
    currency: 'USD',
    api_timeout_seconds: 15,
    notification_trigger_mode: 'scan_complete',
    currency_rates: {},
  } as GeneralSettings,
  scan_policy: { ...DEFAULT_SCAN_POLICY, providers: {} } as ScanPolicySettings,
  quota: { monthly_scan_limit: null } as QuotaSettings,
};

export type SettingsKey = keyof typeof SETTINGS_DEFAULTS;
export type SettingsOf<K extends SettingsKey> = (typeof SETTINGS_DEFAULTS)[K];

/** The policy a scan applies to one account: global, then provider override, then the account's own. */
export function resolveScanPolicy(
  settings: ScanPolicySettings,
  provider: Provider,
  accountPolicy: Partial<ScanPolicy> = {},
): ScanPolicy {
  const { providers, ...global } = settings;
  return { ...global, ...providers[provider], ...accountPolicy };
}

/** The first instant of the UTC month that contains `now` (the quota period). */
export function quotaPeriodStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}
