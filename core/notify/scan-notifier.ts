import type { Outcome } from '../model';
import { convertFromUsd } from '../pricing/currency';
import { buildReportSource, renderReport, reportFilename } from '../reports/generate';
import type { ReportSource } from '../reports/summary';
import type { SettingsRepository } from '../repositories';
import type {
  FindingRepository,
  ReportEmailStatus,
  ScanRecord,
  ScanRepository,
} from '../scan/types';
import type { GeneralSettings } from '../settings';
import {
  channelPolicy,
  unreadableConfig,
  type ChannelRepository,
  type NotificationChannel,
} from './channels';
import { sendChatNotification, type ChatChannelType } from './chat';
import { sendReportEmail } from './email';
import { buildScanNotice, renderNoticeEmail, type ScanNotice } from './message';
import { shouldNotify, type ScanOutcome } from './policy';
import { redactSecret, type SmtpSettingsStore } from './smtp-settings';

/** Log fields: plain values only, never a password, a webhook URL or a token. */
export type NotifyLogFields = Record<string, string | number | boolean | null | undefined>;

/** The slice of the process logger deliveries write to (runtime passes its own). */
export interface NotifyLogger {
  info(message: string, fields?: NotifyLogFields): void;
  warn(message: string, fields?: NotifyLogFields): void;
  error(message: string, fields?: NotifyLogFields): void;
}

/** What the notifier reads and where it records outcomes. */
export interface ScanNotifierDependencies {
  scans: ScanRepository;
  findings: FindingRepository;
  settings: SettingsRepository;
  smtp: SmtpSettingsStore;
  channels: ChannelRepository;
  clock: () => Date;
  log: NotifyLogger;
  /** Bound on one SMTP exchange or one chat post. */
  timeoutMs: number;
  /** The fetch chat posts use (a proxy-aware one, say). */
  fetch?: typeof fetch;
}

/** After a scan ends: the report e-mail and the channel notifications. */
export interface ScanNotifier {
  /**
   * Handles a scan that reached a terminal status. Resolves once every delivery is recorded;
   * never rejects for a delivery problem (those end up in report_email_status and the channels'
   * last_delivery).
   */
  scanFinished(scanId: string): Promise<void>;
  /** After a restart: report e-mails still pending on finished scans are settled, not resent. */
  settleInterrupted(): Promise<void>;
}

/** Builds the notifier over its dependencies. */
export function createScanNotifier(deps: ScanNotifierDependencies): ScanNotifier {
  return {
    async scanFinished(scanId) {
      const scan = deps.scans.get(scanId);
      if (!scan) return;
      if (scan.status !== 'completed') {
        if (isEmailPending(scan)) {
          await settleEmail(deps, scan, 'skipped', `the scan ${scan.status}; no report was sent`);
        }
        return;
      }
      const general = deps.settings.read('general');
      const now = deps.clock();
      let source: ReportSource | undefined;
      const sourceOf = () =>
        (source ??= buildReportSource(scan, deps.findings.listAll(scan.id), general, {
          includeEsg: true,
          now,
        }));
      const outcome: ScanOutcome = {
        status: scan.status,
        estimated_monthly_savings: convertFromUsd(
          scan.estimated_monthly_savings_usd,
          general.currency,
          general.currency_rates,
        ),
        findings: scan.resources_found,
      };
      const channels = deps.channels
        .list()
        .filter((channel) => channel.is_active)
        .filter((channel) => shouldNotify(channelPolicy(channel, general), outcome));
      await Promise.all([
        sendReportEmails(deps, scan, general, outcome, sourceOf),
        ...channels.map((channel) => notifyChannel(deps, scan, channel, sourceOf)),
      ]);
    },

    async settleInterrupted() {
      for (const status of ['completed', 'failed', 'canceled'] as const) {
        for (const scan of deps.scans.listByStatus(status)) {
          if (!isEmailPending(scan)) continue;
          if (status === 'completed') {
            await settleEmail(
              deps,
              scan,
              'failed',
              'the server stopped before the e-mail was sent',
            );
          } else {
            await settleEmail(deps, scan, 'skipped', `the scan ${status}; no report was sent`);
          }
        }
      }
    },
  };
}

/** True while a scan's report e-mail has not been settled one way or the other. */
function isEmailPending(scan: ScanRecord): boolean {
  return scan.report_email_status?.status === 'pending';
}

/** The addresses a scan asked its report to go to. */
function reportRecipients(scan: ScanRecord): string[] {
  return scan.report_email_status?.recipients ?? scan.request.report_emails ?? [];
}

async function settleEmail(
  deps: ScanNotifierDependencies,
  scan: ScanRecord,
  status: ReportEmailStatus['status'],
  reason?: string,
): Promise<void> {
  const recipients = reportRecipients(scan);
  if (recipients.length === 0) return;
  const next: ReportEmailStatus = { status, ...(reason ? { reason } : {}), recipients };
  // After the e-mail went or did not: no call waits on this record.
  await deps.scans.update(scan.id, { report_email_status: next }, 'background');
}

/** Sends the scan's PDF to its report_emails, when SMTP is set and the policy says so. */
async function sendReportEmails(
  deps: ScanNotifierDependencies,
  scan: ScanRecord,
  general: GeneralSettings,
  outcome: ScanOutcome,
  sourceOf: () => ReportSource,
): Promise<void> {
  const recipients = reportRecipients(scan);
  if (!isEmailPending(scan) || recipients.length === 0) return;
  const resolved = deps.smtp.resolve();
  if (!resolved.ok) {
    const notConfigured = resolved.reason.code === 'smtp.not_configured';
    if (!notConfigured)
      deps.log.warn('report e-mail failed', { scan_id: scan.id, reason: resolved.reason.code });
    await settleEmail(deps, scan, notConfigured ? 'skipped' : 'failed', resolved.reason.message);
    return;
  }
  const smtp = resolved.value;
  if (!shouldNotify({ mode: general.notification_trigger_mode }, outcome)) {
    await settleEmail(
      deps,
      scan,
      'skipped',
      'notification_trigger_mode is waste_only and the scan found no waste',
    );
    return;
  }
  const started = performance.now();
  let sent: Outcome<{ rejected: string[] }>;
  try {
    const source = sourceOf();
    const filename = reportFilename(scan.id, 'pdf', deps.clock());
    const body = renderNoticeEmail(buildScanNotice(source), filename);
    sent = await sendReportEmail(
      smtp,
      {
        to: recipients,
        ...body,
        attachments: [
          { filename, content: renderReport('pdf', source), contentType: 'application/pdf' },
        ],
      },
      { timeoutMs: deps.timeoutMs },
    );
  } catch (error) {
    deps.log.error('report e-mail failed unexpectedly', {
      scan_id: scan.id,
      cause: redactSecret(String((error as Error)?.stack ?? error), smtp.password),
    });
    await settleEmail(deps, scan, 'failed', 'internal error while sending; see the server log');
    return;
  }
  const ms = Math.round(performance.now() - started);
  if (!sent.ok) {
    const reason = redactSecret(`${sent.reason.code}: ${sent.reason.message}`, smtp.password);
    deps.log.warn('report e-mail failed', { scan_id: scan.id, reason, ms });
    await settleEmail(deps, scan, 'failed', reason);
    return;
  }
  const rejected = sent.value.rejected;
  deps.log.info('report e-mail sent', {
    scan_id: scan.id,
    recipients: recipients.length - rejected.length,
    ms,
  });
  await settleEmail(
    deps,
    scan,
    'sent',
    rejected.length ? `the SMTP server refused ${rejected.join(', ')}` : undefined,
  );
}

/** Posts the scan notice to one channel and records how it went on the channel. */
async function notifyChannel(
  deps: ScanNotifierDependencies,
  scan: ScanRecord,
  channel: NotificationChannel,
  sourceOf: () => ReportSource,
): Promise<void> {
  const started = performance.now();
  let result: { ok: boolean; reason_code: string; message: string; status_code?: number };
  try {
    result = await deliver(deps, channel, buildScanNotice(sourceOf()));
  } catch (error) {
    deps.log.error('channel notification failed unexpectedly', {
      channel_id: channel.id,
      scan_id: scan.id,
      cause: String((error as Error)?.message ?? error),
    });
    result = { ok: false, reason_code: 'internal_error', message: 'see the server log' };
  }
  const duration_ms = Math.round(performance.now() - started);
  if (result.ok) {
    deps.log.info('channel notified', {
      channel_id: channel.id,
      scan_id: scan.id,
      ms: duration_ms,
    });
  } else {
    deps.log.warn('channel notification failed', {
      channel_id: channel.id,
      type: channel.type,
      scan_id: scan.id,
      reason_code: result.reason_code,
    });
  }
  await deps.channels.recordDelivery(channel.id, {
    scan_id: scan.id,
    status: result.ok ? 'delivered' : 'failed',
    at: deps.clock().toISOString(),
    reason_code: result.reason_code,
    message: result.message,
    duration_ms,
    ...(result.status_code ? { status_code: result.status_code } : {}),
  });
}

async function deliver(
  deps: ScanNotifierDependencies,
  channel: NotificationChannel,
  notice: ScanNotice,
): Promise<{ ok: boolean; reason_code: string; message: string; status_code?: number }> {
  const unreadable = unreadableConfig(channel);
  if (unreadable) return unreadable;
  if (channel.type === 'email') {
    const resolved = deps.smtp.resolve();
    if (!resolved.ok) {
      return {
        ok: false,
        reason_code: resolved.reason.code.replace(/^smtp\./, 'smtp_'),
        message: resolved.reason.message,
      };
    }
    const smtp = resolved.value;
    const sent = await sendReportEmail(
      smtp,
      { to: channel.config.recipients ?? [], ...renderNoticeEmail(notice), attachments: [] },
      { timeoutMs: deps.timeoutMs },
    );
    return sent.ok
      ? { ok: true, reason_code: 'ok', message: `Accepted for ${sent.value.accepted.length}.` }
      : {
          ok: false,
          reason_code: sent.reason.code.replace(/^(smtp|email)\./, ''),
          message: redactSecret(sent.reason.message, smtp.password),
        };
  }
  const sent = await sendChatNotification(
    { type: channel.type as ChatChannelType, url: channel.config.url ?? '' },
    notice,
    { timeoutMs: deps.timeoutMs, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
  );
  return sent.ok
    ? {
        ok: true,
        reason_code: 'ok',
        message: `Delivered (HTTP ${sent.value.status_code}).`,
        status_code: sent.value.status_code,
      }
    : {
        ok: false,
        reason_code: sent.reason.code.replace(/^notify\./, ''),
        message: sent.reason.message,
      };
}
