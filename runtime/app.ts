import { CwsError } from '../core/errors';
import { EventBus } from '../core/events';
import type { Provider, ProviderScanner, ScanAccount } from '../core/model';
import type { PriceTable } from '../core/pricing/price';
import { AWS_PRICES } from '../core/pricing/tables/aws';
import { createAwsScanner } from '../core/providers/aws/scanner';
import { createScanService, type ScanService } from '../core/scan/service';
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
import type { Config } from './config';
import type { Logger } from './logger';
import { ScanQueue } from './scan-queue';

/** The wired process: services, the API handler, and what shutdown must stop. */
export interface App {
  services: Services;
  store: Store;
  queue: ScanQueue;
  handle: (request: Request, info: RequestInfo) => Promise<Response>;
  /** Re-queues scans left queued by a previous run; marks interrupted ones failed. */
  recover(): Promise<void>;
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
  const queue = new ScanQueue(config.scanConcurrency, logger);

  const scanners: Partial<Record<Provider, ProviderScanner>> = {
    aws: createAwsScanner({}),
    ...options.scanners,
  };
  const priceTables: Partial<Record<Provider, PriceTable>> = { aws: AWS_PRICES };
  const demoAccounts: ScanAccount[] = [];
  const listAccounts = async (): Promise<ScanAccount[]> => [
    ...listAwsProfileAccounts(env),
    ...(config.demo ? demoAccounts : []),
  ];

  const scans: ScanService = createScanService({
    scans: scanRecords,
    findings,
    settings,
    audit,
    bus,
    clock,
    listAccounts,
    demoAccounts,
    kubernetesAccount: () => {
      throw new CwsError(
        'k8s.kubectl_not_found',
        'Kubernetes scanning is not available in this build',
      );
    },
    scannerFor: (account) => scanners[account.provider],
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
    availableProviders: Object.keys(scanners) as Provider[],
  };
  const handle = createApiHandler({
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

  return {
    services,
    store,
    queue,
    handle,
    async recover() {
      for (const scanId of await scans.recover()) queue.enqueue(scanId);
    },
    async close() {
      queue.abortAll();
      await queue.whenIdle();
      await store.commit();
      store.close();
    },
  };
}
