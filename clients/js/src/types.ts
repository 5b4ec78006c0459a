/**
 * Request and response shapes of the CWS Local API v1 (shared/CONTRACT.md). Where the contract
 * names a field, it is typed here exactly; where the contract leaves a structure open (report
 * totals, inventory lists), the type is a JSON object so that additive server changes type-check.
 */

/** Any JSON object whose keys the contract does not fix. */
export type JsonObject = { [key: string]: unknown };

/** Cloud or cluster a finding or account belongs to. */
export type Provider = 'aws' | 'azure' | 'alibaba' | 'kubernetes';

/** What a finding recommends doing with the resource. */
export type ActionType = 'DELETE' | 'RIGHTSIZE' | 'ARCHIVE' | 'STOP' | 'REVIEW';

/** How sure a rule is about a finding. */
export type Confidence = 'high' | 'medium' | 'low';

/** When notifications fire: after every scan, or only when a scan found waste. */
export type NotificationTriggerMode = 'scan_complete' | 'waste_only';

// ---------------------------------------------------------------------------------------------
// Errors and pagination

/** One offending field or item of a rejected request. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** The single error body every failing route answers with. */
export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetail[] };
  request_id?: string;
}

/** One entry of GET /v1/meta/errors. */
export interface ErrorCatalogueEntry {
  code: string;
  http_status: number;
  title: string;
  remedy: string;
}

/** The `page` part of a list envelope; `next_cursor` is null on the last page. */
export interface PageInfo {
  limit: number;
  next_cursor: string | null;
  has_more: boolean;
}

/** A list envelope (`?envelope=true` or any `cursor`). */
export interface Page<T> {
  items: T[];
  page: PageInfo;
}

/** Paging controls every list route accepts: `limit` 1–250 (default 50), opaque `cursor`. */
export interface PageParams {
  limit?: number;
  cursor?: string;
}

// ---------------------------------------------------------------------------------------------
// Public and meta

/** GET /status (public). */
export interface Status {
  status: 'running';
  version: string;
  api_version: 'v1';
  base_url: string;
  tls_enabled: true;
  self_signed_tls: boolean;
  uptime_seconds: number;
}

/** A provider as GET /v1/meta/capabilities describes it: its check (rule) ids. */
export interface ProviderCapability {
  id: string;
  status: 'available' | 'unavailable';
  checks: string[];
}

/** A route group as GET /v1/meta/capabilities describes it (`"GET /v1/scans/{id}"` …). */
export interface RouteGroupCapability {
  name: string;
  status: 'available';
  routes: string[];
}

/** GET /v1/meta/capabilities. */
export interface Capabilities {
  api_version: 'v1';
  app_version: string;
  generated_at: string;
  providers: ProviderCapability[];
  groups: RouteGroupCapability[];
}

/** Versioning policy inside GET /v1/meta/compatibility. */
export interface VersioningPolicy {
  stability: 'additive';
  minimum_notice_days: number;
  deprecated_routes: string[];
  policy: string;
}

/** Pagination policy inside GET /v1/meta/compatibility. */
export interface PaginationPolicy {
  legacy_array_default: true;
  envelope_param: string;
  cursor_param: string;
  limit_param: string;
  cursor_field: 'page.next_cursor';
  default_limit: number;
  max_limit: number;
}

/** Webhook signing policy inside GET /v1/meta/compatibility. */
export interface WebhookSigningPolicy {
  algorithm: 'hmac-sha256';
  headers: { event: string; delivery: string; timestamp: string; signature: string };
  signature_format: string;
  signed_payload: string;
  tolerance_seconds: number;
}

/** GET /v1/meta/compatibility. */
export interface Compatibility {
  api_version: 'v1';
  app_version: string;
  versioning: VersioningPolicy;
  pagination: PaginationPolicy;
  webhooks: WebhookSigningPolicy;
}

/** GET /v1/openapi.json: an OpenAPI 3.1 document. */
export interface OpenApiDocument extends JsonObject {
  openapi: string;
  info: JsonObject;
  paths: { [path: string]: JsonObject };
}

// ---------------------------------------------------------------------------------------------
// Settings and notifications

/** GET /v1/settings/general. */
export interface GeneralSettings {
  /** ISO 4217 code from the supported table. */
  currency: string;
  /** Limit of each cloud API call, 1–600 (default 15). */
  api_timeout_seconds: number;
  notification_trigger_mode: NotificationTriggerMode;
  /** Operator overrides of the embedded units-per-USD rates. */
  currency_rates: { [currency: string]: number };
}

/** PATCH /v1/settings/general; at least one field (an empty patch is a 400). */
export type GeneralSettingsPatch = Partial<GeneralSettings>;

/** Thresholds of the scan policy (RULES.md defaults in brackets). */
export interface ScanPolicyThresholds {
  /** [30] */
  stopped_instance_days: number;
  /** [90] */
  snapshot_age_days: number;
  /** [180] */
  ami_age_days: number;
  /** [24] */
  grace_period_hours: number;
  /** [`cws:ignore=true`] */
  excluded_tags: string[];
}

/** GET /v1/settings/scan-policy: thresholds plus per-provider overrides. */
export interface ScanPolicySettings extends ScanPolicyThresholds {
  providers: { [provider: string]: Partial<ScanPolicyThresholds> };
}

/** PATCH /v1/settings/scan-policy; a provider's override replaces that provider's whole one. */
export interface ScanPolicyPatch extends Partial<ScanPolicyThresholds> {
  providers?: Partial<Record<Provider, Partial<ScanPolicyThresholds>>>;
}

/** GET /v1/settings/quota. */
export interface Quota {
  /** null means unlimited. */
  monthly_scan_limit: number | null;
  used: number;
  /** null when unlimited. */
  remaining: number | null;
  period_start: string;
}

/** PATCH /v1/settings/quota. */
export interface QuotaPatch {
  monthly_scan_limit: number | null;
}

/** GET /v1/settings/smtp; the password is write-only and never returned. */
export interface SmtpSettings extends JsonObject {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  from: string;
}

/** PATCH /v1/settings/smtp. */
export interface SmtpSettingsPatch {
  host?: string;
  port?: number;
  secure?: boolean;
  user?: string;
  password?: string;
  from?: string;
}

/** GET/PATCH /v1/notifications/policy. */
export interface NotificationPolicy {
  notification_trigger_mode: NotificationTriggerMode;
}

/** Kinds of notification channel. */
export type NotificationChannelType = 'email' | 'slack' | 'teams' | 'webhook';

/** POST /v1/notifications/channels. */
export interface NotificationChannelCreate extends JsonObject {
  type: NotificationChannelType;
  name?: string;
  notification_trigger_mode?: NotificationTriggerMode;
  min_savings?: number;
  min_findings?: number;
}

/** PATCH /v1/notifications/channels/{id}. */
export type NotificationChannelPatch = Partial<NotificationChannelCreate>;

/** A stored notification channel. */
export interface NotificationChannel extends NotificationChannelCreate {
  id: string;
}

/** POST /v1/notifications/channels/{id}/test: diagnostics; consumes no quota. */
export interface ChannelTestResult extends JsonObject {
  ok: boolean;
  stage: string;
  reason_code: string;
  duration_ms: number;
}

// ---------------------------------------------------------------------------------------------
// Accounts and proxies

/** One scannable account of GET /v1/accounts (AWS profiles are `profile_<name>`). */
export interface Account {
  id: string;
  provider: string;
  name: string;
  source: string;
  regions?: string[];
}

/** POST /v1/cloud-accounts (`provider: "aws"` is rejected: AWS comes from profiles). */
export interface CloudAccountCreate {
  provider: string;
  name: string;
  /** A JSON string or an object; stored encrypted, never returned. */
  credentials: string | JsonObject;
  timeout_seconds?: number;
  /** YAML or JSON policy overrides for this account. */
  policy_custom?: string | JsonObject;
  proxy_profile_id?: string | null;
}

/** PATCH /v1/cloud-accounts/{id}. */
export type CloudAccountPatch = Partial<CloudAccountCreate>;

/** A stored cloud account; credentials come back masked only. */
export interface CloudAccount extends JsonObject {
  id: string;
  provider: string;
  name: string;
  credentials_masked: { [field: string]: string };
  timeout_seconds?: number;
  proxy_profile_id?: string | null;
}

/** POST /v1/cloud-accounts/test. */
export interface CloudAccountTestRequest {
  provider: string;
  credentials: string | JsonObject;
  region?: string;
  proxy_profile_id?: string;
}

/** Result of a connection test; `implemented:false` means format-only validation. */
export interface CloudAccountTestResult {
  ok: boolean;
  provider: string;
  implemented: boolean;
  message: string;
  checks: unknown[];
}

/** POST /v1/proxies. */
export interface ProxyProfileCreate extends JsonObject {
  name?: string;
  url?: string;
}

/** PATCH /v1/proxies/{id}. */
export type ProxyProfilePatch = Partial<ProxyProfileCreate>;

/** A stored proxy profile. */
export interface ProxyProfile extends ProxyProfileCreate {
  id: string;
}

/** POST /v1/proxies/test: the profile to try (or a stored profile's id). */
export type ProxyTestRequest = JsonObject;

/** Outcome of a proxy test. */
export interface ProxyTestResult extends JsonObject {
  ok: boolean;
}

// ---------------------------------------------------------------------------------------------
// Scans and findings

/** Life-cycle states of a scan; the last three are terminal. */
export type ScanStatus = 'queued' | 'running' | 'completed' | 'failed' | 'canceled';

/** POST /v1/scans body; every field optional (empty = every account). */
export interface ScanCreate {
  selected_accounts?: string[];
  report_emails?: string[];
  demo_mode?: boolean;
  include_kubernetes?: boolean;
  kubeconfig_path?: string;
  kube_context?: string;
  namespaces?: string[];
  regions?: string[];
}

/** 202 answer of POST /v1/scans. */
export interface ScanAccepted {
  scan_id: string;
  status: 'queued';
  message: string;
  scan?: Scan;
}

/** One failed check of an account. */
export interface CheckError {
  check: string;
  region: string;
  code: string;
  message: string;
  category: string;
}

/** Per-account outcome inside a scan. */
export interface ScanAccountResult {
  account_id: string;
  provider: string;
  name: string;
  status: string;
  checks_run: number;
  checks_failed: number;
  resources_scanned: number;
  findings: number;
  errors: CheckError[];
  warnings: string[];
}

/** Outcome of the report e-mail a scan sends when `report_emails` is set. */
export interface ReportEmailStatus {
  status: string;
  reason?: string;
  recipients: string[];
}

/** GET /v1/scans/{id}. */
export interface Scan {
  scan_id: string;
  id: string;
  status: ScanStatus;
  trigger_source: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  selected_accounts: string[];
  demo_mode: boolean;
  include_kubernetes: boolean;
  regions: string[];
  resources_scanned: number;
  resources_found: number;
  estimated_monthly_savings: number;
  estimated_monthly_savings_usd: number;
  currency: string;
  carbon_kg_monthly: number;
  accounts: ScanAccountResult[];
  error: string | null;
  report_email_status: ReportEmailStatus | null;
  counted_toward_quota: boolean;
}

/** GET /v1/scans query. */
export interface ScanListParams extends PageParams {
  status?: ScanStatus;
}

/** GET /v1/scans/{id}/progress. */
export interface ScanProgress {
  scan_id: string;
  status: ScanStatus;
  phase: string;
  checks_total: number;
  checks_done: number;
  progress_percent: number;
}

/** POST /v1/scans/{id}/cancel answer (202): the scan as it now stands. */
export type ScanCancelResult = Scan;

/** Filters of GET /v1/findings (latest completed scan when `scan_id` is absent). */
export interface FindingFilters {
  scan_id?: string;
  provider?: Provider;
  account_id?: string;
  resource_type?: string;
  rule?: string;
  /** In USD. */
  min_monthly_cost?: number;
}

/** GET /v1/findings query. */
export interface FindingListParams extends FindingFilters, PageParams {}

/** A priced finding. */
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
  evidence: JsonObject;
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

// ---------------------------------------------------------------------------------------------
// Kubernetes

/** One context of a kubeconfig. */
export interface K8sContext {
  name: string;
  cluster: string;
  namespace: string | null;
  user: string;
}

/** GET /v1/k8s/contexts. */
export interface K8sContexts {
  path: string;
  current_context: string | null;
  contexts: K8sContext[];
}

/** POST /v1/k8s/scans. */
export interface K8sScanCreate {
  kubeconfig_path: string;
  kube_context: string;
  namespaces?: string[];
}

/** 202 answer of POST /v1/k8s/scans. */
export interface K8sScanAccepted extends JsonObject {
  scan_id: string;
}

/** GET /v1/k8s/findings query. */
export interface K8sFindingListParams extends PageParams {
  scan_id?: string;
}

/** GET /v1/k8s/inventory: counts and lists per kind. */
export type K8sInventory = JsonObject;

/** Window of the governance reports, in days. */
export interface WindowParams {
  window_days?: number;
}

/** GET /v1/reports/k8s-governance. */
export type K8sGovernanceReport = JsonObject;

/** GET /v1/reports/k8s-action-plan. */
export type K8sActionPlan = JsonObject;

// ---------------------------------------------------------------------------------------------
// Reports

/** Report formats. */
export type ReportFormat = 'pdf' | 'csv' | 'json' | 'html';

/** POST /v1/reports/generate. */
export interface ReportGenerate {
  format: ReportFormat;
  scan_id?: string;
  include_esg?: boolean;
}

/** Report metadata (201 of generate, GET /v1/reports/{id}). */
export interface Report {
  report_id: string;
  format: ReportFormat;
  content_type: string;
  filename: string;
  size_bytes: number;
  created_at: string;
  scan_id: string;
  include_esg: boolean;
}

/** GET /v1/reports/overview: totals, by provider, by account, by rule, daily trend. */
export type ReportsOverview = JsonObject;

// ---------------------------------------------------------------------------------------------
// Schedules

/** POST /v1/schedules. */
export interface ScheduleCreate {
  name: string;
  enabled: boolean;
  /** Unix seconds of the first run. */
  run_at: number;
  interval_minutes: number;
  timezone: string;
  cron?: string;
  scan?: ScanCreate;
}

/** PATCH /v1/schedules/{id}. */
export type SchedulePatch = Partial<ScheduleCreate>;

/** A stored schedule. */
export interface Schedule extends ScheduleCreate {
  id: string;
  next_run_at: number | null;
  last_run_at: number | null;
  last_scan_id: string | null;
  last_error: string | null;
}

/** 202 answer of POST /v1/schedules/{id}/run-now. */
export interface ScheduleRun {
  scan_id: string;
  status: ScanStatus;
  schedule_id: string;
}

// ---------------------------------------------------------------------------------------------
// Webhooks

/** Events a webhook can subscribe to. */
export type WebhookEvent =
  | 'scan.started'
  | 'scan.completed'
  | 'scan.failed'
  | 'scan.canceled'
  | 'report.generated'
  | 'webhook.test';

/** POST /v1/webhooks. */
export interface WebhookCreate {
  url: string;
  events: WebhookEvent[];
  is_active: boolean;
  /** Signing secret; write-only. */
  secret?: string;
  name?: string;
}

/** PATCH /v1/webhooks/{id}. */
export type WebhookPatch = Partial<WebhookCreate>;

/** A stored webhook; the secret is never returned, only whether one is set. */
export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  is_active: boolean;
  has_secret: boolean;
  created_at: string;
  name?: string;
}

/** POST /v1/webhooks/{id}/test. */
export interface WebhookTestResult {
  ok: boolean;
  status_code: number | null;
  duration_ms: number;
  error?: string;
}

/** One entry of GET /v1/webhooks/{id}/deliveries (attempts, status codes, next retry). */
export type WebhookDelivery = JsonObject;

// ---------------------------------------------------------------------------------------------
// MCP and audit

/** One tool of GET /v1/mcp/capabilities. */
export interface McpToolDescription extends JsonObject {
  name: string;
}

/** GET /v1/mcp/capabilities. */
export interface McpCapabilities extends JsonObject {
  tools: McpToolDescription[];
}

/** Every REST MCP tool answers `{tool, result}`. */
export interface McpToolResult<T = unknown> {
  tool: string;
  result: T;
}

/** One audit entry of GET /v1/events; never holds secret values. */
export interface AuditEvent {
  id: string;
  action: string;
  target: string;
  details: JsonObject;
  created_at: string;
}

/** GET /v1/events query. */
export type AuditEventListParams = PageParams;
