import { CwsError, errorFromResponse } from './errors.js';
import {
  fillPath,
  type BodyOf,
  type ItemOf,
  type ListRoute,
  type MethodOf,
  type OperationOf,
  type PathValues,
  type Route,
  type SuccessOf,
} from './routes.js';
import { createTransport, type TlsOptions, type Transport } from './transport.js';
import type {
  Account,
  AuditEvent,
  AuditEventListParams,
  Capabilities,
  ChannelTestResult,
  CloudAccount,
  CloudAccountCreate,
  CloudAccountPatch,
  CloudAccountTestRequest,
  CloudAccountTestResult,
  Compatibility,
  ErrorCatalogueEntry,
  Finding,
  FindingListParams,
  GeneralSettings,
  GeneralSettingsPatch,
  K8sActionPlan,
  K8sContexts,
  K8sFindingListParams,
  K8sGovernanceReport,
  K8sInventory,
  K8sScanAccepted,
  K8sScanCreate,
  McpCapabilities,
  McpToolResult,
  NotificationChannel,
  NotificationChannelCreate,
  NotificationChannelPatch,
  NotificationPolicy,
  NotificationPolicyPatch,
  OpenApiDocument,
  Page,
  ProxyProfile,
  ProxyProfileCreate,
  ProxyProfilePatch,
  ProxyTestRequest,
  ProxyTestResult,
  Quota,
  QuotaPatch,
  Report,
  ReportGenerate,
  ReportsOverview,
  Scan,
  ScanAccepted,
  ScanCancelResult,
  ScanCreate,
  ScanListParams,
  ScanPolicyPatch,
  ScanPolicySettings,
  ScanProgress,
  Schedule,
  ScheduleCreate,
  SchedulePatch,
  ScheduleRun,
  SmtpSettings,
  SmtpSettingsPatch,
  Status,
  Webhook,
  WebhookCreate,
  WebhookDelivery,
  WebhookPatch,
  WebhookTestResult,
  WindowParams,
} from './types.js';

/** How to reach one CWS server. */
export interface CwsClientOptions extends TlsOptions {
  /** e.g. `https://127.0.0.1:9123`; a path prefix is kept. */
  baseUrl: string;
  /** The bearer token (`cws token`). */
  token: string;
  /** Per-request limit in milliseconds (default 30 000). */
  timeoutMs?: number;
}

/** Per-call controls every method accepts last. */
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Query values; undefined and null are left out, arrays repeat the parameter. */
export type QueryParams = Record<
  string,
  string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>
>;

/** Arguments of the low-level `request`. */
export interface RequestOptions extends CallOptions {
  query?: QueryParams;
  body?: unknown;
}

/** Polling controls of `waitForScan`. */
export interface WaitForScanOptions {
  /** Pause between polls (default 2000 ms). */
  intervalMs?: number;
  /** Give up with `client.timeout` after this long (default: wait as long as the scan runs). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with every polled state, the terminal one included. */
  onPoll?: (scan: Scan) => void;
}

const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'canceled']);
const DEFAULT_TIMEOUT_MS = 30_000;
const USER_AGENT = 'cws-client-js/0.1.0';
const TLS_ERROR = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

/** A client of the CWS Local API v1: one method per route. */
export class CwsClient {
  /** The server root, without a trailing slash. */
  readonly baseUrl: string;
  // Private fields keep the token out of util.inspect and console output.
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #tls: TlsOptions;
  #transport: Promise<Transport> | undefined;

  constructor(options: CwsClientOptions) {
    if (!options.baseUrl) throw new TypeError('CwsClient: baseUrl is required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#tls = { caCert: options.caCert, caFile: options.caFile, insecure: options.insecure };
  }

  /** Sends one request and decodes the JSON answer; non-2xx answers throw `CwsError`. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.#exchange(method, path, options, 'application/json');
    if (response.body.length === 0) return undefined as T;
    try {
      return JSON.parse(new TextDecoder().decode(response.body)) as T;
    } catch (cause) {
      throw new CwsError({
        status: response.status,
        code: 'client.invalid_response',
        message: `${method} ${path} answered ${response.status} with a body that is not JSON`,
        requestId: response.header('x-request-id'),
        cause,
      });
    }
  }

  /** Drops the kept-alive connections (the process can also just exit). */
  async close(): Promise<void> {
    const transport = this.#transport;
    this.#transport = undefined;
    if (transport) (await transport.catch(() => undefined))?.close();
  }

  // Public and meta -----------------------------------------------------------------------------

  /** GET /status (needs no token). */
  status(options?: CallOptions): Promise<Status> {
    return this.#call('GET', '/status', [], options);
  }

  /** GET /v1/openapi.json. */
  openapi(options?: CallOptions): Promise<OpenApiDocument> {
    return this.#call('GET', '/v1/openapi.json', [], options);
  }

  /** GET /v1/meta/compatibility: versioning, pagination and webhook-signing policies. */
  compatibility(options?: CallOptions): Promise<Compatibility> {
    return this.#call('GET', '/v1/meta/compatibility', [], options);
  }

  /** GET /v1/meta/capabilities. */
  capabilities(options?: CallOptions): Promise<Capabilities> {
    return this.#call('GET', '/v1/meta/capabilities', [], options);
  }

  /** GET /v1/meta/errors: the error catalogue. */
  errors(options?: CallOptions): Promise<ErrorCatalogueEntry[]> {
    return this.#call('GET', '/v1/meta/errors', [], options);
  }

  // Settings ------------------------------------------------------------------------------------

  /** GET /v1/settings/general. */
  getGeneralSettings(options?: CallOptions): Promise<GeneralSettings> {
    return this.#call('GET', '/v1/settings/general', [], options);
  }

  /** PATCH /v1/settings/general. */
  updateGeneralSettings(
    patch: GeneralSettingsPatch,
    options?: CallOptions,
  ): Promise<GeneralSettings> {
    return this.#call('PATCH', '/v1/settings/general', [], { ...options, body: patch });
  }

  /** GET /v1/settings/scan-policy. */
  getScanPolicy(options?: CallOptions): Promise<ScanPolicySettings> {
    return this.#call('GET', '/v1/settings/scan-policy', [], options);
  }

  /** PATCH /v1/settings/scan-policy. */
  updateScanPolicy(patch: ScanPolicyPatch, options?: CallOptions): Promise<ScanPolicySettings> {
    return this.#call('PATCH', '/v1/settings/scan-policy', [], { ...options, body: patch });
  }

  /** GET /v1/settings/quota. */
  getQuota(options?: CallOptions): Promise<Quota> {
    return this.#call('GET', '/v1/settings/quota', [], options);
  }

  /** PATCH /v1/settings/quota (null = unlimited). */
  updateQuota(patch: QuotaPatch, options?: CallOptions): Promise<Quota> {
    return this.#call('PATCH', '/v1/settings/quota', [], { ...options, body: patch });
  }

  /** GET /v1/settings/smtp (the password is never returned). */
  getSmtpSettings(options?: CallOptions): Promise<SmtpSettings> {
    return this.#call('GET', '/v1/settings/smtp', [], options);
  }

  /** PATCH /v1/settings/smtp. */
  updateSmtpSettings(patch: SmtpSettingsPatch, options?: CallOptions): Promise<SmtpSettings> {
    return this.#call('PATCH', '/v1/settings/smtp', [], { ...options, body: patch });
  }

  // Notifications -------------------------------------------------------------------------------

  /** GET /v1/notifications/policy. */
  getNotificationPolicy(options?: CallOptions): Promise<NotificationPolicy> {
    return this.#call('GET', '/v1/notifications/policy', [], options);
  }

  /** PATCH /v1/notifications/policy. */
  updateNotificationPolicy(
    policy: NotificationPolicyPatch,
    options?: CallOptions,
  ): Promise<NotificationPolicy> {
    return this.#call('PATCH', '/v1/notifications/policy', [], { ...options, body: policy });
  }

  /** Every notification channel (all pages). */
  listNotificationChannels(options?: CallOptions): Promise<NotificationChannel[]> {
    return this.#collect('/v1/notifications/channels', [], {}, options);
  }

  /** POST /v1/notifications/channels. */
  createNotificationChannel(
    channel: NotificationChannelCreate,
    options?: CallOptions,
  ): Promise<NotificationChannel> {
    return this.#call('POST', '/v1/notifications/channels', [], { ...options, body: channel });
  }

  /** GET /v1/notifications/channels/{id}. */
  getNotificationChannel(id: string, options?: CallOptions): Promise<NotificationChannel> {
    return this.#call('GET', '/v1/notifications/channels/{id}', [id], options);
  }

  /** PATCH /v1/notifications/channels/{id}. */
  updateNotificationChannel(
    id: string,
    patch: NotificationChannelPatch,
    options?: CallOptions,
  ): Promise<NotificationChannel> {
    const path = '/v1/notifications/channels/{id}';
    return this.#call('PATCH', path, [id], { ...options, body: patch });
  }

  /** DELETE /v1/notifications/channels/{id}. */
  async deleteNotificationChannel(id: string, options?: CallOptions): Promise<void> {
    await this.#call('DELETE', '/v1/notifications/channels/{id}', [id], options);
  }

  /** POST /v1/notifications/channels/{id}/test: diagnostics, no quota used. */
  testNotificationChannel(id: string, options?: CallOptions): Promise<ChannelTestResult> {
    return this.#call('POST', '/v1/notifications/channels/{id}/test', [id], options);
  }

  // Accounts and proxies ------------------------------------------------------------------------

  /** Every scannable account: AWS profiles and cloud accounts (all pages). */
  listAccounts(options?: CallOptions): Promise<Account[]> {
    return this.#collect('/v1/accounts', [], {}, options);
  }

  /** Every cloud account, credentials masked (all pages). */
  listCloudAccounts(options?: CallOptions): Promise<CloudAccount[]> {
    return this.#collect('/v1/cloud-accounts', [], {}, options);
  }

  /** POST /v1/cloud-accounts (Azure, Alibaba; AWS comes from profiles). */
  createCloudAccount(account: CloudAccountCreate, options?: CallOptions): Promise<CloudAccount> {
    return this.#call('POST', '/v1/cloud-accounts', [], { ...options, body: account });
  }

  /** GET /v1/cloud-accounts/{id}. */
  getCloudAccount(id: string, options?: CallOptions): Promise<CloudAccount> {
    return this.#call('GET', '/v1/cloud-accounts/{id}', [id], options);
  }

  /** PATCH /v1/cloud-accounts/{id}. */
  updateCloudAccount(
    id: string,
    patch: CloudAccountPatch,
    options?: CallOptions,
  ): Promise<CloudAccount> {
    return this.#call('PATCH', '/v1/cloud-accounts/{id}', [id], { ...options, body: patch });
  }

  /** DELETE /v1/cloud-accounts/{id}. */
  async deleteCloudAccount(id: string, options?: CallOptions): Promise<void> {
    await this.#call('DELETE', '/v1/cloud-accounts/{id}', [id], options);
  }

  /** POST /v1/cloud-accounts/test: checks credentials without storing them or using quota. */
  testCloudAccount(
    test: CloudAccountTestRequest,
    options?: CallOptions,
  ): Promise<CloudAccountTestResult> {
    return this.#call('POST', '/v1/cloud-accounts/test', [], { ...options, body: test });
  }

  /** Every proxy profile (all pages). */
  listProxies(options?: CallOptions): Promise<ProxyProfile[]> {
    return this.#collect('/v1/proxies', [], {}, options);
  }

  /** POST /v1/proxies. */
  createProxy(proxy: ProxyProfileCreate, options?: CallOptions): Promise<ProxyProfile> {
    return this.#call('POST', '/v1/proxies', [], { ...options, body: proxy });
  }

  /** GET /v1/proxies/{id}. */
  getProxy(id: string, options?: CallOptions): Promise<ProxyProfile> {
    return this.#call('GET', '/v1/proxies/{id}', [id], options);
  }

  /** PATCH /v1/proxies/{id}. */
  updateProxy(id: string, patch: ProxyProfilePatch, options?: CallOptions): Promise<ProxyProfile> {
    return this.#call('PATCH', '/v1/proxies/{id}', [id], { ...options, body: patch });
  }

  /** DELETE /v1/proxies/{id}. */
  async deleteProxy(id: string, options?: CallOptions): Promise<void> {
    await this.#call('DELETE', '/v1/proxies/{id}', [id], options);
  }

  /** POST /v1/proxies/test. */
  testProxy(test: ProxyTestRequest, options?: CallOptions): Promise<ProxyTestResult> {
    return this.#call('POST', '/v1/proxies/test', [], { ...options, body: test });
  }

  // Scans ---------------------------------------------------------------------------------------

  /** POST /v1/scans; no body scans every account. */
  createScan(scan?: ScanCreate, options?: CallOptions): Promise<ScanAccepted> {
    return this.#call('POST', '/v1/scans', [], { ...options, body: scan });
  }

  /** One page of GET /v1/scans. */
  listScans(params: ScanListParams = {}, options?: CallOptions): Promise<Page<Scan>> {
    return this.#page('/v1/scans', [], { ...params }, options);
  }

  /** Every scan matching `params`, page after page. */
  iterScans(params: ScanListParams = {}, options?: CallOptions): AsyncGenerator<Scan> {
    return this.#iterate('/v1/scans', [], { ...params }, options);
  }

  /** GET /v1/scans/{id}. */
  getScan(id: string, options?: CallOptions): Promise<Scan> {
    return this.#call('GET', '/v1/scans/{id}', [id], options);
  }

  /** GET /v1/scans/{id}/progress. */
  getScanProgress(id: string, options?: CallOptions): Promise<ScanProgress> {
    // ScanProgress narrows the document's `status: string` to the scan states (types.ts).
    return this.#call('GET', '/v1/scans/{id}/progress', [id], options) as Promise<ScanProgress>;
  }

  /** POST /v1/scans/{id}/cancel (409 `scan.not_cancelable` once terminal). */
  cancelScan(id: string, options?: CallOptions): Promise<ScanCancelResult> {
    return this.#call('POST', '/v1/scans/{id}/cancel', [id], options);
  }

  /** Polls a scan until it is completed, failed or canceled and returns that final state. */
  async waitForScan(id: string, options: WaitForScanOptions = {}): Promise<Scan> {
    const intervalMs = options.intervalMs ?? 2000;
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    for (;;) {
      const scan = await this.getScan(id, { signal: options.signal });
      options.onPoll?.(scan);
      if (TERMINAL_STATUSES.has(scan.status)) return scan;
      if (Date.now() + intervalMs > deadline) {
        throw new CwsError({
          status: 0,
          code: 'client.timeout',
          message: `scan ${id} is still ${scan.status} after ${options.timeoutMs} ms`,
        });
      }
      await sleep(intervalMs, options.signal);
    }
  }

  // Findings ------------------------------------------------------------------------------------

  /** One page of GET /v1/findings (latest completed scan unless `scan_id` is given). */
  listFindings(params: FindingListParams = {}, options?: CallOptions): Promise<Page<Finding>> {
    return this.#page('/v1/findings', [], { ...params }, options);
  }

  /** Every finding matching `params`, page after page. */
  iterFindings(params: FindingListParams = {}, options?: CallOptions): AsyncGenerator<Finding> {
    return this.#iterate('/v1/findings', [], { ...params }, options);
  }

  /** GET /v1/findings/{id}. */
  getFinding(id: string, options?: CallOptions): Promise<Finding> {
    return this.#call('GET', '/v1/findings/{id}', [id], options);
  }

  /** POST /v1/findings/{id}/handled: stays handled until the resource changes. */
  markHandled(id: string, options?: CallOptions): Promise<Finding> {
    return this.#call('POST', '/v1/findings/{id}/handled', [id], options);
  }

  // Kubernetes ----------------------------------------------------------------------------------

  /** GET /v1/k8s/contexts: the contexts of a kubeconfig (the server's default when no path). */
  listK8sContexts(path?: string, options?: CallOptions): Promise<K8sContexts> {
    return this.#call('GET', '/v1/k8s/contexts', [], { ...options, query: { path } });
  }

  /** POST /v1/k8s/scans: a read-only kubectl scan of one context. */
  createK8sScan(scan: K8sScanCreate, options?: CallOptions): Promise<K8sScanAccepted> {
    return this.#call('POST', '/v1/k8s/scans', [], { ...options, body: scan });
  }

  /** One page of GET /v1/k8s/findings. */
  listK8sFindings(
    params: K8sFindingListParams = {},
    options?: CallOptions,
  ): Promise<Page<Finding>> {
    return this.#page('/v1/k8s/findings', [], { ...params }, options);
  }

  /** Every Kubernetes finding, page after page. */
  iterK8sFindings(
    params: K8sFindingListParams = {},
    options?: CallOptions,
  ): AsyncGenerator<Finding> {
    return this.#iterate('/v1/k8s/findings', [], { ...params }, options);
  }

  /** GET /v1/k8s/inventory. */
  getK8sInventory(options?: CallOptions): Promise<K8sInventory> {
    return this.#call('GET', '/v1/k8s/inventory', [], options);
  }

  /** GET /v1/reports/k8s-governance. */
  getK8sGovernance(params: WindowParams = {}, options?: CallOptions): Promise<K8sGovernanceReport> {
    return this.#call('GET', '/v1/reports/k8s-governance', [], {
      ...options,
      query: { ...params },
    });
  }

  /** GET /v1/reports/k8s-action-plan. */
  getK8sActionPlan(params: WindowParams = {}, options?: CallOptions): Promise<K8sActionPlan> {
    return this.#call('GET', '/v1/reports/k8s-action-plan', [], {
      ...options,
      query: { ...params },
    });
  }

  // Reports -------------------------------------------------------------------------------------

  /** POST /v1/reports/generate. */
  generateReport(report: ReportGenerate, options?: CallOptions): Promise<Report> {
    return this.#call('POST', '/v1/reports/generate', [], { ...options, body: report });
  }

  /** Every report's metadata (all pages). */
  listReports(options?: CallOptions): Promise<Report[]> {
    return this.#collect('/v1/reports', [], {}, options);
  }

  /** GET /v1/reports/{id}. */
  getReport(id: string, options?: CallOptions): Promise<Report> {
    return this.#call('GET', '/v1/reports/{id}', [id], options);
  }

  /** GET /v1/reports/{id}/download: the report's bytes. */
  async downloadReport(id: string, options: CallOptions = {}): Promise<Uint8Array> {
    const path = routePath('/v1/reports/{id}/download', [id]);
    return (await this.#exchange('GET', path, options, '*/*')).body;
  }

  /** Downloads a report into `path` (Node and Bun) and returns that path. */
  async downloadReportToFile(id: string, path: string, options?: CallOptions): Promise<string> {
    const bytes = await this.downloadReport(id, options);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path, bytes);
    return path;
  }

  /** GET /v1/reports/overview. */
  getReportsOverview(params: WindowParams = {}, options?: CallOptions): Promise<ReportsOverview> {
    return this.#call('GET', '/v1/reports/overview', [], { ...options, query: { ...params } });
  }

  // Schedules -----------------------------------------------------------------------------------

  /** Every schedule (all pages). */
  listSchedules(options?: CallOptions): Promise<Schedule[]> {
    return this.#collect('/v1/schedules', [], {}, options);
  }

  /** POST /v1/schedules. */
  createSchedule(schedule: ScheduleCreate, options?: CallOptions): Promise<Schedule> {
    return this.#call('POST', '/v1/schedules', [], { ...options, body: schedule });
  }

  /** GET /v1/schedules/{id}. */
  getSchedule(id: string, options?: CallOptions): Promise<Schedule> {
    return this.#call('GET', '/v1/schedules/{id}', [id], options);
  }

  /** PATCH /v1/schedules/{id}. */
  updateSchedule(id: string, patch: SchedulePatch, options?: CallOptions): Promise<Schedule> {
    return this.#call('PATCH', '/v1/schedules/{id}', [id], { ...options, body: patch });
  }

  /** DELETE /v1/schedules/{id}. */
  async deleteSchedule(id: string, options?: CallOptions): Promise<void> {
    await this.#call('DELETE', '/v1/schedules/{id}', [id], options);
  }

  /** POST /v1/schedules/{id}/run-now. */
  runScheduleNow(id: string, options?: CallOptions): Promise<ScheduleRun> {
    // ScheduleRun narrows the document's `status: string` to the scan states (types.ts).
    const answer = this.#call('POST', '/v1/schedules/{id}/run-now', [id], options);
    return answer as Promise<ScheduleRun>;
  }

  // Webhooks ------------------------------------------------------------------------------------

  /** Every webhook (all pages). */
  listWebhooks(options?: CallOptions): Promise<Webhook[]> {
    return this.#collect('/v1/webhooks', [], {}, options);
  }

  /** POST /v1/webhooks. */
  createWebhook(webhook: WebhookCreate, options?: CallOptions): Promise<Webhook> {
    return this.#call('POST', '/v1/webhooks', [], { ...options, body: webhook });
  }

  /** GET /v1/webhooks/{id}. */
  getWebhook(id: string, options?: CallOptions): Promise<Webhook> {
    return this.#call('GET', '/v1/webhooks/{id}', [id], options);
  }

  /** PATCH /v1/webhooks/{id}. */
  updateWebhook(id: string, patch: WebhookPatch, options?: CallOptions): Promise<Webhook> {
    return this.#call('PATCH', '/v1/webhooks/{id}', [id], { ...options, body: patch });
  }

  /** DELETE /v1/webhooks/{id}. */
  async deleteWebhook(id: string, options?: CallOptions): Promise<void> {
    await this.#call('DELETE', '/v1/webhooks/{id}', [id], options);
  }

  /** POST /v1/webhooks/{id}/test: sends `webhook.test` now. */
  testWebhook(id: string, options?: CallOptions): Promise<WebhookTestResult> {
    return this.#call('POST', '/v1/webhooks/{id}/test', [id], options);
  }

  /** A webhook's whole delivery log (all pages). */
  listWebhookDeliveries(id: string, options?: CallOptions): Promise<WebhookDelivery[]> {
    return this.#collect('/v1/webhooks/{id}/deliveries', [id], {}, options);
  }

  // MCP and audit -------------------------------------------------------------------------------

  /** GET /v1/mcp/capabilities: the tools and their input schemas. */
  mcpCapabilities(options?: CallOptions): Promise<McpCapabilities> {
    return this.#call('GET', '/v1/mcp/capabilities', [], options);
  }

  /**
   * Calls a REST MCP tool by name (`run_scan` or `run-scan`; a trailing `/id` is kept, as in
   * `get-scan/<id>`): POST with `input` as the body, or GET when there is no input.
   */
  mcpTool<T = unknown>(
    name: string,
    input?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<McpToolResult<T>> {
    const [tool = '', ...rest] = name.split('/');
    const path = ['/v1/mcp/tools', tool.replaceAll('_', '-'), ...rest.map(segment)].join('/');
    return this.request(input === undefined ? 'GET' : 'POST', path, { ...options, body: input });
  }

  /** POST /v1/mcp/tools/run-scan. */
  mcpRunScan(
    scan: ScanCreate = {},
    options?: CallOptions,
  ): Promise<McpToolResult<{ scan_id: string; status: string }>> {
    // The document leaves a tool's `result` open: its type here is the tool's contract.
    const answer = this.#call('POST', '/v1/mcp/tools/run-scan', [], { ...options, body: scan });
    return answer as Promise<McpToolResult<{ scan_id: string; status: string }>>;
  }

  /** GET /v1/mcp/tools/get-scan/{id}. */
  mcpGetScan(id: string, options?: CallOptions): Promise<McpToolResult<Scan>> {
    const answer = this.#call('GET', '/v1/mcp/tools/get-scan/{id}', [id], options);
    return answer as Promise<McpToolResult<Scan>>;
  }

  /** One page of the audit log, GET /v1/events. */
  listEvents(params: AuditEventListParams = {}, options?: CallOptions): Promise<Page<AuditEvent>> {
    return this.#page('/v1/events', [], { ...params }, options);
  }

  /** The whole audit log matching `params`, page after page. */
  iterEvents(params: AuditEventListParams = {}, options?: CallOptions): AsyncGenerator<AuditEvent> {
    return this.#iterate('/v1/events', [], { ...params }, options);
  }

  // Plumbing ------------------------------------------------------------------------------------

  /**
   * One route of the document: its method and path template are checked against the generated
   * types, and so are the body sent and the type of the answer.
   */
  #call<P extends Route, M extends MethodOf<P>>(
    method: M,
    template: P,
    values: PathValues<P>,
    options: CallOptions & { body?: BodyOf<OperationOf<P, M>>; query?: QueryParams } = {},
  ): Promise<SuccessOf<OperationOf<P, M>>> {
    return this.request(method, routePath(template, values), options);
  }

  /** One envelope page; `envelope=true` asks for `{items, page}` instead of the legacy array. */
  async #page<P extends ListRoute>(
    template: P,
    values: PathValues<P>,
    query: QueryParams,
    options?: CallOptions,
  ): Promise<Page<ItemOf<P>>> {
    const path = routePath(template, values);
    const answer = await this.request<unknown>('GET', path, {
      ...options,
      query: { ...query, envelope: true },
    });
    return asPage<ItemOf<P>>(answer, path);
  }

  /** Follows `page.next_cursor` until the server says there is no more. */
  async *#iterate<P extends ListRoute>(
    template: P,
    values: PathValues<P>,
    query: QueryParams,
    options?: CallOptions,
  ): AsyncGenerator<ItemOf<P>> {
    let cursor = typeof query.cursor === 'string' ? query.cursor : undefined;
    for (;;) {
      const page = await this.#page(template, values, { ...query, cursor }, options);
      yield* page.items;
      const next = page.page.next_cursor;
      if (!next || !page.page.has_more) return;
      if (next === cursor) {
        throw new CwsError({
          status: 0,
          code: 'client.invalid_response',
          message: `${routePath(template, values)} returned the same cursor twice`,
        });
      }
      cursor = next;
    }
  }

  async #collect<P extends ListRoute>(
    template: P,
    values: PathValues<P>,
    query: QueryParams,
    options?: CallOptions,
  ): Promise<ItemOf<P>[]> {
    const items: ItemOf<P>[] = [];
    for await (const item of this.#iterate(template, values, query, options)) items.push(item);
    return items;
  }

  /** Sends one request with the token and turns every failure into a `CwsError`. */
  async #exchange(method: string, path: string, options: RequestOptions, accept: string) {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined || value === null) continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        url.searchParams.append(key, String(item));
      }
    }
    const headers: Record<string, string> = {
      Accept: accept,
      Authorization: `Bearer ${this.#token}`,
      'User-Agent': USER_AGENT,
    };
    let body: Uint8Array | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = new TextEncoder().encode(JSON.stringify(options.body));
    }

    const transport = await this.#getTransport();
    const limit = withTimeout(options.timeoutMs ?? this.#timeoutMs, options.signal);
    let response;
    try {
      response = await transport.send({ method, url, headers, body, signal: limit.signal });
    } catch (cause) {
      throw describeFailure(cause, method, path, limit);
    } finally {
      limit.clear();
    }
    if (response.status < 200 || response.status > 299) {
      throw errorFromResponse(response.status, response.body, response.header('x-request-id'));
    }
    return response;
  }

  #getTransport(): Promise<Transport> {
    if (this.#transport) return this.#transport;
    const pending = createTransport(this.#tls);
    // A failed set-up (unreadable CA file) is tried again on the next call, not cached.
    pending.catch(() => {
      if (this.#transport === pending) this.#transport = undefined;
    });
    this.#transport = pending;
    return pending;
  }
}

/** Turns a list answer into a page, accepting a legacy plain array as a single last page. */
function asPage<T>(answer: unknown, path: string): Page<T> {
  if (Array.isArray(answer)) {
    return {
      items: answer as T[],
      page: { limit: answer.length, next_cursor: null, has_more: false },
    };
  }
  const candidate = answer as Partial<Page<T>> | null;
  if (candidate && Array.isArray(candidate.items) && candidate.page) return candidate as Page<T>;
  throw new CwsError({
    status: 0,
    code: 'client.invalid_response',
    message: `${path} did not answer with a list envelope`,
  });
}

function segment(id: string): string {
  return encodeURIComponent(id);
}

/** The path of a route of the document, with its placeholders filled in. */
function routePath<P extends Route>(template: P, values: PathValues<P>): string {
  return fillPath(template, values);
}

interface Deadline {
  signal: AbortSignal;
  timedOut(): boolean;
  timeoutMs: number;
  callerSignal: AbortSignal | undefined;
  clear(): void;
}

/** One signal that fires on the caller's abort or after `timeoutMs`, remembering which. */
function withTimeout(timeoutMs: number, callerSignal: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new Error(`no answer within ${timeoutMs} ms`));
  }, timeoutMs);
  const onAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onAbort();
  else callerSignal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    timeoutMs,
    callerSignal,
    clear: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
    },
  };
}

/** Classifies a request that got no answer; a caller's abort is passed through unchanged. */
function describeFailure(cause: unknown, method: string, path: string, deadline: Deadline) {
  if (cause instanceof CwsError) return cause;
  if (deadline.callerSignal?.aborted) return deadline.callerSignal.reason ?? cause;
  if (deadline.timedOut()) {
    return new CwsError({
      status: 0,
      code: 'client.timeout',
      message: `${method} ${path}: no answer within ${deadline.timeoutMs} ms`,
      cause,
    });
  }
  const code = String((cause as { code?: unknown } | null)?.code ?? '');
  const reason = cause instanceof Error ? cause.message : String(cause);
  if (TLS_ERROR.test(code)) {
    return new CwsError({
      status: 0,
      code: 'client.tls_error',
      message:
        `${method} ${path}: certificate not trusted (${reason}); pass caFile (or CWS_CA_FILE) ` +
        'with the server certificate from its data directory',
      cause,
    });
  }
  return new CwsError({
    status: 0,
    code: 'client.network_error',
    message: `${method} ${path}: ${reason}`,
    cause,
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
