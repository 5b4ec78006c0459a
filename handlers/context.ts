import type { Provider, ScanAccount } from '../core/model';
import type { KubeconfigSummary } from '../core/providers/kubernetes/kubeconfig';
import type { ScanService } from '../core/scan/service';
import type { FindingRepository, ScanRepository } from '../core/scan/types';
import type { EventBus } from '../core/events';
import type { AuditRepository, SettingsRepository } from '../core/repositories';
import type { ChannelRepository } from '../core/notify/channels';
import type { SmtpSettingsStore } from '../core/notify/smtp-settings';
import type { ReportService } from '../core/reports/generate';
import type { CloudAccountService } from '../core/accounts/cloud-accounts';
import type { ProxyService } from '../core/accounts/proxies';
import type { SecretBox } from '../core/secrets';
import type { ScheduleService } from '../core/schedules/service';
import type { WebhookService } from '../core/webhooks/service';

/** Facts about the running process that handlers report. */
export interface AppInfo {
  version: string;
  base_url: string;
  started_at: number;
  self_signed_tls: boolean;
}

/**
 * What handlers reach the rest of the process through. runtime/ builds one at start-up; tests build
 * one around an in-memory database.
 */
export interface Services {
  app: AppInfo;
  settings: SettingsRepository;
  audit: AuditRepository;
  clock: () => Date;
  bus: EventBus;
  scans: ScanService;
  scanRecords: ScanRepository;
  findings: FindingRepository;
  /** Every scannable account (AWS profiles, cloud accounts, demo accounts under --demo). */
  listAccounts: () => Promise<ScanAccount[]>;
  /**
   * Calls another route of this API in-process, already authenticated (MCP tools and schedules
   * reuse the REST routes' validation this way).
   */
  dispatch: (method: string, path: string, body?: unknown) => Promise<Response>;
  /**
   * The contexts of a kubeconfig (default: `KUBECONFIG`, then ~/.kube/config), read from the file
   * without kubectl; throws CwsError k8s.kubeconfig_not_found / k8s.kubeconfig_invalid.
   */
  kubeContexts: (path?: string) => { path: string } & KubeconfigSummary;
  /** Providers whose scanner is wired in this process. */
  availableProviders: Provider[];
  /** Generated reports: build, store, read, delete, and the overview. */
  reports: ReportService;
  /** SMTP settings for report e-mails and e-mail channels (password write-only). */
  smtp: SmtpSettingsStore;
  /** Notification channels. */
  channels: ChannelRepository;
  /** Cloud accounts (Azure, Alibaba) with sealed credentials, and their connection tests. */
  cloudAccounts: CloudAccountService;
  /** Proxy profiles an account's SDK traffic goes through (password write-only). */
  proxies: ProxyService;
  /** AES-256-GCM with the process's master key, for any secret kept in the database. */
  secrets: SecretBox;
  /** Schedules: definitions, next runs, run-now. */
  schedules: ScheduleService;
  /** Webhooks: definitions, signed deliveries, the delivery log and test sends. */
  webhooks: WebhookService;
}

/** Per-request context handed to every handler next to the Request. */
export interface RequestContext {
  params: Record<string, string>;
  query: URLSearchParams;
  requestId: string;
  services: Services;
}

/** A fetch-style handler: (request, context) → Response. */
export type Handler = (request: Request, context: RequestContext) => Response | Promise<Response>;
