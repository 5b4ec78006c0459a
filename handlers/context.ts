import type { Provider, ScanAccount } from '../core/model';
import type { ScanService } from '../core/scan/service';
import type { FindingRepository, ScanRepository } from '../core/scan/types';
import type { EventBus } from '../core/events';
import type { AuditRepository, SettingsRepository } from '../core/repositories';

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
  /** Providers whose scanner is wired in this process. */
  availableProviders: Provider[];
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
