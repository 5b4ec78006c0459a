import { CwsError } from '../errors';
import type { EventBus } from '../events';
import { newId } from '../ids';
import type { Finding } from '../model';
import type { Page, PageRequest } from '../pagination';
import { convertFromUsd } from '../pricing/currency';
import type { SettingsRepository } from '../repositories';
import type { FindingRepository, ScanRecord, ScanRepository } from '../scan/types';
import type { GeneralSettings } from '../settings';
import { buildCsvReport } from './csv';
import { buildHtmlReport } from './html';
import { buildJsonReport } from './json';
import { buildOverview, type Overview } from './overview';
import { buildPdfReport } from './pdf';
import { REPORT_COEFFICIENTS, type ReportSource } from './summary';

/** The formats POST /v1/reports/generate builds. */
export const REPORT_FORMATS = ['pdf', 'csv', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The Content-Type each format is served with. */
export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/** A generated report as stored: metadata in the database, bytes in a file. */
export interface ReportRecord {
  id: string;
  scan_id: string;
  format: ReportFormat;
  /** The name a download is saved under. */
  filename: string;
  content_type: string;
  size_bytes: number;
  include_esg: boolean;
  /** The file's name inside the reports directory (never an absolute path). */
  path: string;
  created_at: string;
}

/** Filters of GET /v1/reports. */
export interface ReportFilter {
  scan_id?: string;
  format?: ReportFormat;
}

/** Report rows, newest first; every change resolves once it is on disk. */
export interface ReportRepository {
  create(report: ReportRecord): Promise<void>;
  get(id: string): ReportRecord | undefined;
  list(filter: ReportFilter, page: PageRequest): Page<ReportRecord>;
  /** Removes the row; false when there was none. */
  delete(id: string): Promise<boolean>;
}

/** Where report bytes live: a directory of files named by `ReportRecord.path`. */
export interface ReportFiles {
  /** Writes the whole file atomically: a reader sees the old state or the complete new file. */
  write(name: string, bytes: Uint8Array): Promise<void>;
  /** The file's bytes, or undefined when it is gone. */
  read(name: string): Promise<Uint8Array<ArrayBuffer> | undefined>;
  /** Removes the file; a missing file is not an error. */
  remove(name: string): Promise<void>;
}

/** What POST /v1/reports/generate asks for. */
export interface ReportRequest {
  format: ReportFormat;
  scan_id?: string;
  include_esg?: boolean;
}

/** Builds, stores and removes reports; loads what the builders read from storage. */
export interface ReportService {
  generate(request: ReportRequest): Promise<ReportRecord>;
  get(id: string): ReportRecord | undefined;
  list(filter: ReportFilter, page: PageRequest): Page<ReportRecord>;
  /** The record and its bytes, or resource.not_found. */
  open(id: string): Promise<{ report: ReportRecord; bytes: Uint8Array<ArrayBuffer> }>;
  /** Removes the row and the file, or resource.not_found. */
  remove(id: string): Promise<void>;
  overview(windowDays: number): Overview;
}

/** What the report service is built over. */
export interface ReportServiceDependencies {
  reports: ReportRepository;
  files: ReportFiles;
  scans: ScanRepository;
  findings: FindingRepository;
  settings: SettingsRepository;
  bus: EventBus;
  clock: () => Date;
}

const DAY_MS = 86_400_000;

/** Wires report generation over storage, the report files and the event bus. */
export function createReportService(deps: ReportServiceDependencies): ReportService {
  const requireReport = (id: string) => {
    const report = deps.reports.get(id);
    if (!report) throw new CwsError('resource.not_found', `no report ${id}`);
    return report;
  };

  return {
    async generate(request) {
      // 1. The scan: the one named, or the latest completed one.
      const scan = resolveReportScan(deps, request.scan_id);
      const findings = deps.findings.listAll(scan.id);
      if (findings.length === 0 && scan.resources_found > 0) {
        throw new CwsError(
          'report.source_not_found',
          `the findings of scan ${scan.id} were pruned (older than the retained scans)`,
        );
      }
      // 2. The bytes, written before the row so a listed report always has its file.
      const now = deps.clock();
      const includeEsg = request.include_esg ?? false;
      const source = buildReportSource(scan, findings, deps.settings.read('general'), {
        includeEsg,
        now,
      });
      const bytes = renderReport(request.format, source);
      const id = newId('rpt', now.getTime());
      const report: ReportRecord = {
        id,
        scan_id: scan.id,
        format: request.format,
        filename: reportFilename(scan.id, request.format, now),
        content_type: REPORT_CONTENT_TYPES[request.format],
        size_bytes: bytes.byteLength,
        include_esg: includeEsg,
        path: `${id}.${request.format}`,
        created_at: now.toISOString(),
      };
      await deps.files.write(report.path, bytes);
      try {
        await deps.reports.create(report);
      } catch (error) {
        await deps.files.remove(report.path);
        throw error;
      }
      // 3. Tell subscribers (webhooks) once it is stored.
      deps.bus.publish('report.generated', {
        report_id: id,
        scan_id: scan.id,
        format: request.format,
      });
      return report;
    },

    get: (id) => deps.reports.get(id),

    list: (filter, page) => deps.reports.list(filter, page),

    async open(id) {
      const report = requireReport(id);
      const bytes = await deps.files.read(report.path);
      if (!bytes) throw new CwsError('resource.not_found', `the file of report ${id} is missing`);
      return { report, bytes };
    },

    async remove(id) {
      const report = requireReport(id);
      await deps.reports.delete(id);
      await deps.files.remove(report.path);
    },

    overview(windowDays) {
      const now = deps.clock();
      const general = deps.settings.read('general');
      const dayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
      const since = new Date(dayStart - (windowDays - 1) * DAY_MS);
      const scans = deps.scans.listCompletedSince(since).map((scan) => ({
        id: scan.id,
        status: scan.status,
        finished_at: scan.finished_at,
        accounts: scan.selected_accounts,
        findings: deps.findings.listAll(scan.id),
      }));
      return buildOverview(scans, windowDays, now, {
        currency: general.currency,
        currency_rates: general.currency_rates,
      });
    },
  };
}

/** The completed scan a report describes, or report.source_not_found. */
export function resolveReportScan(
  deps: Pick<ReportServiceDependencies, 'scans'>,
  scanId: string | undefined,
): ScanRecord {
  if (scanId === undefined) {
    const latest = deps.scans.latestCompleted();
    if (!latest) throw new CwsError('report.source_not_found', 'no completed scan to report on');
    return latest;
  }
  const scan = deps.scans.get(scanId);
  if (!scan) throw new CwsError('resource.not_found', `no scan ${scanId}`);
  if (scan.status !== 'completed') {
    throw new CwsError(
      'report.source_not_found',
      `scan ${scanId} is ${scan.status}; only completed scans have a report`,
    );
  }
  return scan;
}

/** What the builders read for one scan, with money in the configured currency. */
export function buildReportSource(
  scan: ScanRecord,
  findings: Finding[],
  general: Pick<GeneralSettings, 'currency' | 'currency_rates'>,
  options: { includeEsg: boolean; now: Date },
): ReportSource {
  return {
    scan: {
      id: scan.id,
      status: scan.status,
      created_at: scan.created_at,
      finished_at: scan.finished_at,
      trigger_source: scan.trigger_source,
      selected_accounts: scan.selected_accounts,
      resources_scanned: scan.resources_scanned,
      estimated_monthly_savings: convertFromUsd(
        scan.estimated_monthly_savings_usd,
        general.currency,
        general.currency_rates,
      ),
      currency: general.currency,
      carbon_kg_monthly: scan.carbon_kg_monthly,
    },
    findings,
    currency: general.currency,
    generated_at: options.now,
    include_esg: options.includeEsg,
    coefficients: REPORT_COEFFICIENTS,
    currency_rates: general.currency_rates,
  };
}

/** Runs the builder of a format and returns the file's bytes. */
export function renderReport(format: ReportFormat, source: ReportSource): Uint8Array {
  switch (format) {
    case 'pdf':
      return buildPdfReport(source);
    case 'csv':
      return new TextEncoder().encode(buildCsvReport(source));
    case 'json':
      return new TextEncoder().encode(buildJsonReport(source));
    case 'html':
      return new TextEncoder().encode(buildHtmlReport(source));
  }
}

/** `cws-report-<scan>-<YYYYMMDD-HHMMSS>.<ext>`: ASCII only, so every client saves it as is. */
export function reportFilename(scanId: string, format: ReportFormat, now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `cws-report-${scanId.replace(/[^A-Za-z0-9_-]/g, '_')}-${stamp}.${format}`;
}
