/**
 * Request and response shapes of the CWS Local API v1, derived from the types generated from the
 * server's OpenAPI document (./generated/openapi.ts), so that a server schema change that breaks
 * the client fails type-checking. The few shapes the document cannot give (generic pages, numbers
 * the client sends as query strings, MCP tool results) are written here and checked against it.
 */
import type { Components, Paths } from './generated/openapi.js';

export type { Components, Paths } from './generated/openapi.js';

/** Any JSON object whose keys the contract does not fix. */
export type JsonObject = { [key: string]: unknown };

// ---------------------------------------------------------------------------------------------
// Deriving types from the document. Each helper constrains its argument, so a route, method,
// status or body that the document no longer has is a compile error, never a silent `never`.

/** A request body or response with a JSON body; an optional request body counts. */
type JsonContent = { content: { 'application/json': unknown } };

/** The JSON body of a request or response. */
type Json<T extends JsonContent | undefined> = NonNullable<T>['content']['application/json'];

/** A list route's answer: a plain array, or `{items, page}` with `?envelope=true` or a cursor. */
type ListContent = { content: { 'application/json': unknown[] | { items: unknown[] } } };

/** One item of a list route's answer. */
type ListItem<T extends ListContent> = Extract<Json<T>, unknown[]>[number];

/** The `{items, page}` form of a list route's answer. */
type Envelope<T extends ListContent> = Exclude<Json<T>, unknown[]>;

/** The query parameters of an operation; `envelope` is the client's to set, not the caller's. */
type Query<T extends { query?: object }> = Omit<NonNullable<T['query']>, 'envelope'>;

/**
 * Query parameters the document describes as digit strings (`min_monthly_cost`, `window_days`)
 * and the client sends from numbers. Naming a key the operation does not have is an error.
 */
type NumericQuery<T, K extends keyof T> = Flat<Omit<T, K> & { [P in K]?: number }>;

/**
 * Narrows response fields the document types loosely (a status as `string`) to what the contract
 * promises. Each narrowed field must exist in the document and fit its type there.
 */
type Narrow<T, N extends { [K in keyof N]: K extends keyof T ? T[K] : never }> = Flat<
  Omit<T, keyof N> & N
>;

/** Shows an intersection as one object in editors and declaration files. */
type Flat<T> = { [K in keyof T]: T[K] } & {};

/** Compile-time proof that `T` is assignable to `U`; used by the checks at the end. */
type Assert<T extends U, U> = T;

// ---------------------------------------------------------------------------------------------
// Errors and pagination

/** The single error body every failing route answers with. */
export type ErrorBody = Components['schemas']['Error'];

/** One offending field or item of a rejected request. */
export type ErrorDetail = NonNullable<ErrorBody['error']['details']>[number];

/** One entry of GET /v1/meta/errors. */
export type ErrorCatalogueEntry = Json<Paths['/v1/meta/errors']['get']['responses'][200]>[number];

/** The `page` part of a list envelope; `next_cursor` is null on the last page. */
export type PageInfo = Envelope<Paths['/v1/events']['get']['responses'][200]>['page'];

/** A list envelope (`?envelope=true` or any `cursor`). */
export interface Page<T> {
  items: T[];
  page: PageInfo;
}

/** Paging controls every list route accepts: `limit` 1–250 (default 50), opaque `cursor`. */
export type PageParams = Query<Paths['/v1/events']['get']['parameters']>;

// ---------------------------------------------------------------------------------------------
// Public and meta

/** GET /status (public). */
export type Status = Json<Paths['/status']['get']['responses'][200]>;

/** GET /v1/meta/capabilities. */
export type Capabilities = Json<Paths['/v1/meta/capabilities']['get']['responses'][200]>;

/** A provider as GET /v1/meta/capabilities describes it: its check (rule) ids. */
export type ProviderCapability = Capabilities['providers'][number];

/** A route group as GET /v1/meta/capabilities describes it (`"GET /v1/scans/{id}"` …). */
export type RouteGroupCapability = Capabilities['groups'][number];

/** GET /v1/meta/compatibility. */
export type Compatibility = Json<Paths['/v1/meta/compatibility']['get']['responses'][200]>;

/** Versioning policy inside GET /v1/meta/compatibility. */
export type VersioningPolicy = Compatibility['versioning'];

/** Pagination policy inside GET /v1/meta/compatibility. */
export type PaginationPolicy = Compatibility['pagination'];

/** Webhook signing policy inside GET /v1/meta/compatibility. */
export type WebhookSigningPolicy = Compatibility['webhooks'];

/**
 * GET /v1/openapi.json: an OpenAPI 3.1 document. Its schema names only some top-level members
 * (the document also has `servers`, `security` and `tags`), so the rest stay open.
 */
export type OpenApiDocument = Json<Paths['/v1/openapi.json']['get']['responses'][200]> & JsonObject;

// ---------------------------------------------------------------------------------------------
// Settings and notifications

/** GET /v1/settings/general. */
export type GeneralSettings = Json<Paths['/v1/settings/general']['get']['responses'][200]>;

/** PATCH /v1/settings/general; at least one field (an empty patch is a 400). */
export type GeneralSettingsPatch = Json<Paths['/v1/settings/general']['patch']['requestBody']>;

/** ISO 4217 code from the supported table. */
export type Currency = GeneralSettings['currency'];

/** When notifications fire: after every scan, or only when a scan found waste. */
export type NotificationTriggerMode = GeneralSettings['notification_trigger_mode'];

/** GET /v1/settings/scan-policy: thresholds plus per-provider overrides. */
export type ScanPolicySettings = Json<Paths['/v1/settings/scan-policy']['get']['responses'][200]>;

/** Thresholds of the scan policy (RULES.md has the defaults). */
export type ScanPolicyThresholds = Omit<ScanPolicySettings, 'providers'>;

/** PATCH /v1/settings/scan-policy; a provider's override replaces that provider's whole one. */
export type ScanPolicyPatch = Json<Paths['/v1/settings/scan-policy']['patch']['requestBody']>;

/** GET /v1/settings/quota (`null` limit and remaining: unlimited). */
export type Quota = Json<Paths['/v1/settings/quota']['get']['responses'][200]>;

/** PATCH /v1/settings/quota. */
export type QuotaPatch = Json<Paths['/v1/settings/quota']['patch']['requestBody']>;

/** GET /v1/settings/smtp; the password is write-only and never returned. */
export type SmtpSettings = Json<Paths['/v1/settings/smtp']['get']['responses'][200]>;

/** PATCH /v1/settings/smtp. */
export type SmtpSettingsPatch = Json<Paths['/v1/settings/smtp']['patch']['requestBody']>;

/** GET /v1/notifications/policy. */
export type NotificationPolicy = Json<Paths['/v1/notifications/policy']['get']['responses'][200]>;

/** PATCH /v1/notifications/policy. */
export type NotificationPolicyPatch = Json<
  Paths['/v1/notifications/policy']['patch']['requestBody']
>;

/** POST /v1/notifications/channels: an e-mail channel, or a Slack, Teams or webhook one. */
export type NotificationChannelCreate = Json<
  Paths['/v1/notifications/channels']['post']['requestBody']
>;

/** PATCH /v1/notifications/channels/{id} (the type cannot change). */
export type NotificationChannelPatch = Json<
  Paths['/v1/notifications/channels/{id}']['patch']['requestBody']
>;

/** A stored notification channel; webhook URLs come back masked. */
export type NotificationChannel = Json<
  Paths['/v1/notifications/channels/{id}']['get']['responses'][200]
>;

/** Kinds of notification channel. */
export type NotificationChannelType = NotificationChannel['type'];

/** POST /v1/notifications/channels/{id}/test: diagnostics; consumes no quota. */
export type ChannelTestResult = Json<
  Paths['/v1/notifications/channels/{id}/test']['post']['responses'][200]
>;

// ---------------------------------------------------------------------------------------------
// Accounts and proxies

/** One scannable account of GET /v1/accounts (AWS profiles are `profile_<name>`). */
export type Account = Json<Paths['/v1/accounts']['get']['responses'][200]>[number];

/** POST /v1/cloud-accounts (`provider: "aws"` is rejected: AWS comes from profiles). */
export type CloudAccountCreate = Json<Paths['/v1/cloud-accounts']['post']['requestBody']>;

/** PATCH /v1/cloud-accounts/{id}. */
export type CloudAccountPatch = Json<Paths['/v1/cloud-accounts/{id}']['patch']['requestBody']>;

/** A stored cloud account; credentials come back masked only. */
export type CloudAccount = Json<Paths['/v1/cloud-accounts/{id}']['get']['responses'][200]>;

/** POST /v1/cloud-accounts/test. */
export type CloudAccountTestRequest = Json<Paths['/v1/cloud-accounts/test']['post']['requestBody']>;

/** Result of a connection test; `implemented:false` means format-only validation. */
export type CloudAccountTestResult = Json<
  Paths['/v1/cloud-accounts/test']['post']['responses'][200]
>;

/** POST /v1/proxies. */
export type ProxyProfileCreate = Json<Paths['/v1/proxies']['post']['requestBody']>;

/** PATCH /v1/proxies/{id}. */
export type ProxyProfilePatch = Json<Paths['/v1/proxies/{id}']['patch']['requestBody']>;

/** A stored proxy profile; the password is never returned. */
export type ProxyProfile = Json<Paths['/v1/proxies/{id}']['get']['responses'][200]>;

/** POST /v1/proxies/test: a stored profile's id or a profile to try, and the target. */
export type ProxyTestRequest = Json<Paths['/v1/proxies/test']['post']['requestBody']>;

/** Outcome of a proxy test. */
export type ProxyTestResult = Json<Paths['/v1/proxies/test']['post']['responses'][200]>;

// ---------------------------------------------------------------------------------------------
// Scans and findings

/** POST /v1/scans body; every field optional (empty = every account). */
export type ScanCreate = Json<Paths['/v1/scans']['post']['requestBody']>;

/** 202 answer of POST /v1/scans. */
export type ScanAccepted = Json<Paths['/v1/scans']['post']['responses'][202]>;

/** GET /v1/scans/{id}. */
export type Scan = Json<Paths['/v1/scans/{id}']['get']['responses'][200]>;

/** Life-cycle states of a scan; the last three are terminal. */
export type ScanStatus = Scan['status'];

/** Per-account outcome inside a scan. */
export type ScanAccountResult = Scan['accounts'][number];

/** One failed check of an account. */
export type CheckError = ScanAccountResult['errors'][number];

/** Outcome of the report e-mail a scan sends when `report_emails` is set. */
export type ReportEmailStatus = NonNullable<Scan['report_email_status']>;

/** GET /v1/scans query. */
export type ScanListParams = Query<Paths['/v1/scans']['get']['parameters']>;

/** GET /v1/scans/{id}/progress (the document types `status` as any string). */
export type ScanProgress = Narrow<
  Json<Paths['/v1/scans/{id}/progress']['get']['responses'][200]>,
  { status: ScanStatus }
>;

/** POST /v1/scans/{id}/cancel answer (202): the scan as it now stands. */
export type ScanCancelResult = Json<Paths['/v1/scans/{id}/cancel']['post']['responses'][202]>;

/** GET /v1/findings query; `min_monthly_cost` is in USD. */
export type FindingListParams = NumericQuery<
  Query<Paths['/v1/findings']['get']['parameters']>,
  'min_monthly_cost'
>;

/** Filters of GET /v1/findings (latest completed scan when `scan_id` is absent). */
export type FindingFilters = Omit<FindingListParams, keyof PageParams>;

/** A priced finding. */
export type Finding = ListItem<Paths['/v1/findings']['get']['responses'][200]>;

/** Cloud or cluster a finding or account belongs to. */
export type Provider = Finding['provider'];

/** What a finding recommends doing with the resource. */
export type ActionType = Finding['action_type'];

/** How sure a rule is about a finding. */
export type Confidence = Finding['confidence'];

// ---------------------------------------------------------------------------------------------
// Kubernetes

/** GET /v1/k8s/contexts. */
export type K8sContexts = Json<Paths['/v1/k8s/contexts']['get']['responses'][200]>;

/** One context of a kubeconfig. */
export type K8sContext = K8sContexts['contexts'][number];

/** POST /v1/k8s/scans. */
export type K8sScanCreate = Json<Paths['/v1/k8s/scans']['post']['requestBody']>;

/** 202 answer of POST /v1/k8s/scans. */
export type K8sScanAccepted = Json<Paths['/v1/k8s/scans']['post']['responses'][202]>;

/** GET /v1/k8s/findings query. */
export type K8sFindingListParams = NumericQuery<
  Query<Paths['/v1/k8s/findings']['get']['parameters']>,
  'min_monthly_cost'
>;

/** GET /v1/k8s/inventory: counts and lists per kind. */
export type K8sInventory = Json<Paths['/v1/k8s/inventory']['get']['responses'][200]>;

/** Window of the overview and governance reports, in days. */
export type WindowParams = NumericQuery<
  Query<Paths['/v1/reports/overview']['get']['parameters']>,
  'window_days'
>;

/** GET /v1/reports/k8s-governance. */
export type K8sGovernanceReport = Json<
  Paths['/v1/reports/k8s-governance']['get']['responses'][200]
>;

/** GET /v1/reports/k8s-action-plan. */
export type K8sActionPlan = Json<Paths['/v1/reports/k8s-action-plan']['get']['responses'][200]>;

// ---------------------------------------------------------------------------------------------
// Reports

/** POST /v1/reports/generate. */
export type ReportGenerate = Json<Paths['/v1/reports/generate']['post']['requestBody']>;

/** Report metadata (201 of generate, GET /v1/reports/{id}). */
export type Report = Json<Paths['/v1/reports/{id}']['get']['responses'][200]>;

/** Report formats. */
export type ReportFormat = Report['format'];

/** GET /v1/reports/overview: totals, by provider, by account, by rule, daily trend. */
export type ReportsOverview = Json<Paths['/v1/reports/overview']['get']['responses'][200]>;

// ---------------------------------------------------------------------------------------------
// Schedules

/** POST /v1/schedules. */
export type ScheduleCreate = Json<Paths['/v1/schedules']['post']['requestBody']>;

/** PATCH /v1/schedules/{id}. */
export type SchedulePatch = Json<Paths['/v1/schedules/{id}']['patch']['requestBody']>;

/** A stored schedule with its next and last run. */
export type Schedule = Json<Paths['/v1/schedules/{id}']['get']['responses'][200]>;

/** 202 answer of POST /v1/schedules/{id}/run-now (the document types `status` as any string). */
export type ScheduleRun = Narrow<
  Json<Paths['/v1/schedules/{id}/run-now']['post']['responses'][202]>,
  { status: ScanStatus }
>;

// ---------------------------------------------------------------------------------------------
// Webhooks

/** POST /v1/webhooks. */
export type WebhookCreate = Json<Paths['/v1/webhooks']['post']['requestBody']>;

/** PATCH /v1/webhooks/{id}. */
export type WebhookPatch = Json<Paths['/v1/webhooks/{id}']['patch']['requestBody']>;

/** A stored webhook; the secret is never returned, only whether one is set. */
export type Webhook = Json<Paths['/v1/webhooks/{id}']['get']['responses'][200]>;

/** Events a webhook can subscribe to. */
export type WebhookEvent = Webhook['events'][number];

/** POST /v1/webhooks/{id}/test. */
export type WebhookTestResult = Json<Paths['/v1/webhooks/{id}/test']['post']['responses'][200]>;

/** One entry of GET /v1/webhooks/{id}/deliveries (attempts, status codes, next retry). */
export type WebhookDelivery = ListItem<
  Paths['/v1/webhooks/{id}/deliveries']['get']['responses'][200]
>;

// ---------------------------------------------------------------------------------------------
// MCP and audit

/** GET /v1/mcp/capabilities. */
export type McpCapabilities = Json<Paths['/v1/mcp/capabilities']['get']['responses'][200]>;

/** One tool of GET /v1/mcp/capabilities. */
export type McpToolDescription = McpCapabilities['tools'][number];

/**
 * Every REST MCP tool answers `{tool, result}`. The document leaves `result` open, so its type
 * is the caller's claim; the checks below hold every tool's answer to this shape.
 */
export interface McpToolResult<T = unknown> {
  tool: string;
  result: T;
}

/** One audit entry of GET /v1/events; never holds secret values. */
export type AuditEvent = ListItem<Paths['/v1/events']['get']['responses'][200]>;

/** GET /v1/events query. */
export type AuditEventListParams = PageParams;

// ---------------------------------------------------------------------------------------------
// Checks of the hand-written shapes against the document. An answer must fit what the client
// declares it receives; a page the client builds must fit every list route's envelope.

type McpToolPath = Extract<keyof Paths, `/v1/mcp/tools/${string}`>;
type SuccessAnswers<Item> = {
  [M in keyof Item]: Item[M] extends { responses: { 200: JsonContent } }
    ? Json<Item[M]['responses'][200]>
    : never;
}[keyof Item];
type McpAnswer = { [P in McpToolPath]: SuccessAnswers<Paths[P]> }[McpToolPath];

type ListPath = {
  [P in keyof Paths]: Paths[P] extends { get: { responses: { 200: ListContent } } } ? P : never;
}[keyof Paths];
type ListAnswer<P extends ListPath> = Paths[P]['get']['responses'][200];

type Checks = [
  Assert<McpAnswer, McpToolResult>,
  Assert<[McpAnswer] extends [never] ? 'no MCP tool routes' : true, true>,
  Assert<
    { [P in ListPath]: Envelope<ListAnswer<P>> },
    { [P in ListPath]: Page<ListItem<ListAnswer<P>>> }
  >,
  Assert<PageParams, Query<Paths['/v1/scans']['get']['parameters']>>,
  Assert<PageParams, Query<Paths['/v1/findings']['get']['parameters']>>,
  Assert<PageParams, Query<Paths['/v1/k8s/findings']['get']['parameters']>>,
];
