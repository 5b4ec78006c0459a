import { EventBus } from '../core/events';
import type { Provider, ProviderScanner, ScanAccount } from '../core/model';
import type { PriceTable } from '../core/pricing/price';
import { AWS_PRICES } from '../core/pricing/tables/aws';
import { KUBERNETES_PRICES } from '../core/pricing/tables/kubernetes';
import { createScanService, type ScanService } from '../core/scan/service';
import { createDemoScanners, DEMO_ACCOUNTS } from '../core/demo';
import type { AppInfo, Services } from '../handlers/context';
import { createApiHandler, type RequestInfo } from '../handlers/router';
import { ROUTES } from '../handlers/routes';
import { createAuditRepository } from '../storage/audit-repository';
import { Store } from '../storage/database';
import { createFindingRepository } from '../storage/finding-repository';
import { createScanRepository } from '../storage/scan-repository';
import { createSettingsRepository } from '../storage/settings-repository';
import { listAwsProfileAccounts } from './accounts';
import { createAuthenticator } from './auth';
import { wireKubernetes } from './kubernetes';
import type { Config } from './config';
import type { Logger } from './logger';
import { ScanQueue } from './scan-queue';
import {
  createCloudAccountService,
  type ProviderClientOptions,
} from '../core/accounts/cloud-accounts';
import { createProxyService } from '../core/accounts/proxies';
import { ALIBABA_PRICES } from '../core/pricing/tables/alibaba';
import { AZURE_PRICES } from '../core/pricing/tables/azure';
import { createSecretBox, generateMasterKey } from '../core/secrets';
import { createCloudAccountRepository } from '../storage/cloud-account-repository';
import { createProxyRepository } from '../storage/proxy-repository';
import { parseConfiguredMasterKey } from './master-key';
import { createScanNotifier } from '../core/notify/scan-notifier';
import { createSmtpSettingsStore } from '../core/notify/smtp-settings';
import { createReportService } from '../core/reports/generate';
import { createChannelRepository } from '../storage/channel-repository';
import { createReportFiles } from '../storage/report-files';
import { createReportRepository } from '../storage/report-repository';
import { NOTIFY_TIMEOUT_MS, wireNotifications } from './notifications';
import { createScheduleService, RUNS_AT_ONCE } from '../core/schedules/service';
import {
  createWebhookService,
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
} from '../core/webhooks/service';
import { createDeliveryRepository } from '../storage/delivery-repository';
import { createScheduleRepository } from '../storage/schedule-repository';
import { createWebhookRepository } from '../storage/webhook-repository';
import { LagPace, RequestActivity } from './pace';
import { Scheduler } from './scheduler';
import { systemTimer, type Timer } from './timer';
import { createWebhookSender, type WebhookSender } from './webhook-sender';
import { WebhookWorker } from './webhook-worker';
import { wireWebhookEvents } from './webhooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The wired process: services, the API handler, and what shutdown must stop. */
export interface App {
  services: Services;
  store: Store;
  queue: ScanQueue;
  /** Fires schedules; `cws serve` starts it after recover() (runs missed schedules once). */
  scheduler: Scheduler;
  /** Drains the webhook delivery queue; running from creation on. */
  webhookWorker: WebhookWorker;
  handle: (request: Request, info: RequestInfo) => Promise<Response>;
  /** Re-queues scans left queued by a previous run; marks interrupted ones failed. */
  recover(): Promise<void>;
  /**
   * Under `--demo`, starts one demo scan when the database has no completed scan and none under
   * way, so a newcomer finds findings at once. Returns its id, or null when none was started.
   */
  startDemo(): Promise<string | null>;
  close(): Promise<void>;
}

/** What the app is built from besides the config. */
export interface AppOptions {
  config: Config;
  logger: Logger;
  /** Database file; absent means in-memory (tests). */
  databasePath?: string;
  token: () => string;
  info: Omit<AppInfo, 'started_at'>;
  clock?: () => Date;
  env?: NodeJS.ProcessEnv;
  /** Replaces the real scanners (tests point them at fakes). */
  scanners?: Partial<Record<Provider, ProviderScanner>>;
  /** kubectl's discovery cache (the data dir's `kube-cache`); absent means a temporary one. */
  kubectlCacheDir?: string;
  /** Where generated reports are written (the data dir's `reports`); absent: a temporary one. */
  reportsDir?: string;
  /**
   * The key sealing stored secrets (runtime/master-key.ts loads it). Absent: CWS_MASTER_KEY, else a
   * random key that lives as long as the process (in-memory tests).
   */
  masterKey?: Uint8Array;
  /** Azure and Alibaba client settings over the config's endpoints (tests: the fakes' CA, retries). */
  providerOptions?: Partial<ProviderClientOptions>;
  /** Timers of the scheduler and the webhook worker (tests: a manual clock's timer). */
  timer?: Timer;
  /** Sends webhook POSTs; absent: fetch. */
  webhookSender?: WebhookSender;
  /** Retry policy of webhook deliveries over the defaults (tests: short waits). */
  webhookRetry?: Partial<RetryPolicy>;
  /** Webhook attempts in flight at once (default 8). */
  webhookConcurrency?: number;
}

/** Opens storage and wires repositories, the scan engine, the queue and the router (STYLE.md 8). */
export async function createApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const env = options.env ?? process.env;
  const store = await Store.open({ path: options.databasePath });
  const bus = new EventBus((event, error) =>
    logger.error('event listener failed', {
      event,
      cause: String((error as Error)?.stack ?? error),
    }),
  );
  const settings = createSettingsRepository(store);
  const audit = createAuditRepository(store, clock);
  const scanRecords = createScanRepository(store);
  const findings = createFindingRepository(store, clock);
  // Background work (scans, scheduled runs, deliveries) yields to the API while it is in use.
  const activity = new RequestActivity();
  const queue = new ScanQueue(config.scanConcurrency, logger, activity);

  // Cloud accounts and proxies: secrets sealed with the master key, endpoints set process-wide.
  const secrets = createSecretBox(
    options.masterKey ??
      (config.masterKey ? parseConfiguredMasterKey(config.masterKey) : generateMasterKey()),
  );
  const clientOptions: ProviderClientOptions = {
    azure: {
      authorityHost: config.endpoints.azureAuthorityHost,
      resourceManagerEndpoint: config.endpoints.azureResourceManager,
      ...options.providerOptions?.azure,
    },
    alibaba: {
      endpointPattern: config.endpoints.alibabaEndpointPattern,
      ...options.providerOptions?.alibaba,
    },
  };
  const proxies = createProxyService({
    proxies: createProxyRepository(store),
    secrets,
    audit,
    clock,
  });
  const cloudAccounts = createCloudAccountService({
    accounts: createCloudAccountRepository(store),
    proxies,
    secrets,
    audit,
    clock,
    clientOptions,
    // Called per delete, after start-up: `schedules` is built further down.
    schedulesTargeting: (accountId) => schedules.targeting(accountId),
  });

  const kubernetes = wireKubernetes({ env, cacheDir: options.kubectlCacheDir });
  const scanners: Partial<Record<Provider, ProviderScanner>> = {
    // The cloud SDKs load on a scan's first call: most starts never need all three.
    aws: lazyScanner('aws', async () =>
      (await import('../core/providers/aws/scanner')).createAwsScanner({}),
    ),
    kubernetes: kubernetes.scanner,
    azure: lazyScanner('azure', async () =>
      (await import('../core/providers/azure/scanner')).createAzureScanner(clientOptions.azure),
    ),
    alibaba: lazyScanner('alibaba', async () =>
      (await import('../core/providers/alibaba/scanner')).createAlibabaScanner(
        clientOptions.alibaba,
      ),
    ),
    ...options.scanners,
  };
  const priceTables: Partial<Record<Provider, PriceTable>> = {
    aws: AWS_PRICES,
    kubernetes: KUBERNETES_PRICES,
    azure: AZURE_PRICES,
    alibaba: ALIBABA_PRICES,
  };
  const demoAccounts: ScanAccount[] = DEMO_ACCOUNTS;
  // Demo accounts always scan the embedded inventory, whatever real scanner a provider has.
  const demoScanners = createDemoScanners();
  const listAccounts = async (): Promise<ScanAccount[]> => [
    ...listAwsProfileAccounts(env),
    ...cloudAccounts.listForDisplay(),
    ...(config.demo ? demoAccounts : []),
  ];
  // Scans get the same accounts with cloud credentials decrypted; listing never decrypts.
  const listScanAccounts = async (): Promise<ScanAccount[]> => [
    ...listAwsProfileAccounts(env),
    ...cloudAccounts.listForScan(),
    ...(config.demo ? demoAccounts : []),
  ];

  const scans: ScanService = createScanService({
    scans: scanRecords,
    findings,
    settings,
    audit,
    bus,
    clock,
    listAccounts: listScanAccounts,
    demoAccounts,
    kubernetesAccount: (request) => kubernetes.accountFor(request),
    scannerFor: cloudAccounts.guardScanner((account) =>
      account.source === 'demo' ? demoScanners[account.provider] : scanners[account.provider],
    ),
    priceTables,
    limits: {
      maxActiveScans: config.maxActiveScans,
      checksPerAccount: config.checksPerAccount,
      checksPerProvider: config.checksPerProvider,
    },
    enqueue: (scanId) => queue.enqueue(scanId),
    retainScans: config.retainScans,
  });
  queue.attach(scans);

  // Reports and notifications: files under the reports directory, deliveries off the event bus.
  let temporaryReportsDir: string | undefined;
  const reportsDir = () =>
    options.reportsDir ?? (temporaryReportsDir ??= mkdtempSync(join(tmpdir(), 'cws-reports-')));
  const reports = createReportService({
    reports: createReportRepository(store),
    files: createReportFiles(reportsDir),
    scans: scanRecords,
    findings,
    settings,
    bus,
    clock,
  });
  const smtp = createSmtpSettingsStore(settings, secrets);
  const channels = createChannelRepository(store, secrets);
  const notifier = createScanNotifier({
    scans: scanRecords,
    findings,
    settings,
    smtp,
    channels,
    clock,
    log: logger,
    timeoutMs: NOTIFY_TIMEOUT_MS,
  });
  const notifications = wireNotifications(bus, notifier, logger);

  // Schedules and webhooks: persisted; the scheduler and the delivery worker run on one timer.
  const timer = options.timer ?? systemTimer;
  // Due runs start scans: background work, paced like the scans themselves.
  const runPace = new LagPace(RUNS_AT_ONCE, undefined, activity);
  const schedules = createScheduleService({
    schedules: createScheduleRepository(store),
    audit,
    clock,
    startScan: (request, durability) => scans.start(request, 'schedule', durability),
    scanStatus: (scanId) => scanRecords.get(scanId)?.status,
    listAccounts,
    admitRun: () => runPace.admit(),
  });
  const scheduler = new Scheduler(schedules, { clock, timer, logger });
  const webhookSender = options.webhookSender ?? createWebhookSender();
  const deliveries = createDeliveryRepository(store);
  const webhooks = createWebhookService({
    webhooks: createWebhookRepository(store, secrets),
    deliveries,
    audit,
    clock,
    send: (request) => webhookSender.send(request),
    retry: { ...DEFAULT_RETRY_POLICY, ...options.webhookRetry },
  });
  const unsubscribeWebhooks = wireWebhookEvents({
    bus,
    webhooks,
    scans: scanRecords,
    settings,
    logger,
  });
  const webhookWorker = new WebhookWorker(webhooks, deliveries, {
    concurrency: options.webhookConcurrency ?? 8,
    clock,
    timer,
    logger,
    activity,
  });
  webhookWorker.start();

  const services: Services = {
    app: { ...options.info, started_at: clock().getTime() },
    settings,
    audit,
    clock,
    bus,
    scans,
    scanRecords,
    findings,
    listAccounts,
    kubeContexts: (path) => kubernetes.listContexts(path),
    availableProviders: Object.keys(scanners) as Provider[],
    reports,
    smtp,
    channels,
    cloudAccounts,
    proxies,
    secrets,
    schedules,
    webhooks,
    dispatch: (method, path, body) =>
      handle(
        new Request(`https://internal${path}`, {
          method,
          headers: {
            authorization: `Bearer ${options.token()}`,
            'content-type': 'application/json',
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
        { requestId: crypto.randomUUID(), clientAddress: 'internal' },
      ),
  };
  const route = createApiHandler({
    routes: ROUTES,
    services,
    authenticate: createAuthenticator(options.token),
    reportError: (error, request, requestId) =>
      logger.error('unexpected error', {
        request_id: requestId,
        method: request.method,
        path: new URL(request.url).pathname,
        cause: String((error as Error)?.stack ?? error),
      }),
  });
  const handle = (request: Request, info: RequestInfo) => {
    activity.noteRequest();
    return route(request, info);
  };

  return {
    services,
    store,
    queue,
    scheduler,
    webhookWorker,
    handle,
    async recover() {
      for (const scanId of await scans.recover()) queue.enqueue(scanId);
      await notifier.settleInterrupted();
    },
    async startDemo() {
      if (!config.demo || scanRecords.latestCompleted() || scanRecords.countActive() > 0) {
        return null;
      }
      return (await scans.start({ demo_mode: true }, 'startup')).id;
    },
    async close() {
      await scheduler.stop();
      queue.abortAll();
      await queue.whenIdle();
      notifications.detach();
      await notifications.whenIdle();
      unsubscribeWebhooks();
      webhookSender.close();
      await webhookWorker.stop();
      await store.commit();
      await store.close();
      kubernetes.close();
      if (temporaryReportsDir) rmSync(temporaryReportsDir, { recursive: true, force: true });
    },
  };
}

/** A scanner whose module (and SDK) is imported when it is first asked to plan or run a check. */
function lazyScanner(provider: Provider, load: () => Promise<ProviderScanner>): ProviderScanner {
  let loaded: Promise<ProviderScanner> | undefined;
  const scanner = () => (loaded ??= load());
  return {
    provider,
    planChecks: async (account, options) => (await scanner()).planChecks(account, options),
    runCheck: async (account, check, options) =>
      (await scanner()).runCheck(account, check, options),
  };
}
