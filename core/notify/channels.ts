import type { Outcome } from '../model';
import type { Page, PageRequest } from '../pagination';
import type { GeneralSettings } from '../settings';
import { testChannel, type ChatChannelType } from './chat';
import { testSmtp, type SmtpSettings } from './email';
import type { NotificationPolicy, NotificationTriggerMode } from './policy';

/** The channel types of /v1/notifications/channels. */
export const CHANNEL_TYPES = ['email', 'slack', 'teams', 'webhook'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Where a channel delivers: a URL for chat types, recipients for e-mail. */
export interface ChannelConfig {
  url?: string;
  recipients?: string[];
}

/** How the last scan notification to a channel went. */
export interface ChannelDelivery {
  scan_id: string;
  status: 'delivered' | 'failed';
  at: string;
  reason_code: string;
  message: string;
  duration_ms: number;
  status_code?: number;
}

/** A notification channel as stored. */
export interface NotificationChannel {
  id: string;
  type: ChannelType;
  name: string;
  config: ChannelConfig;
  /** null: the global notification_trigger_mode applies. */
  trigger_mode: NotificationTriggerMode | null;
  min_savings: number | null;
  min_findings: number | null;
  is_active: boolean;
  created_at: string;
  updated_at: string;
  last_delivery: ChannelDelivery | null;
}

/** Notification channels as stored, oldest first; every change resolves once it is on disk. */
export interface ChannelRepository {
  create(channel: NotificationChannel): Promise<void>;
  get(id: string): NotificationChannel | undefined;
  /** Every channel (the notifier's view). */
  list(): NotificationChannel[];
  /** One page, keyset on (created_at, id). */
  listPage(page: PageRequest): Page<NotificationChannel>;
  update(id: string, patch: Partial<NotificationChannel>): Promise<void>;
  delete(id: string): Promise<boolean>;
  recordDelivery(id: string, delivery: ChannelDelivery): Promise<void>;
}

/** A channel as the API returns it: the URL (a credential for Slack and Teams) masked. */
export function presentChannel(
  channel: NotificationChannel,
  general: Pick<GeneralSettings, 'notification_trigger_mode'>,
) {
  const config =
    channel.type === 'email'
      ? { recipients: channel.config.recipients ?? [] }
      : { url_masked: maskUrl(channel.config.url ?? '') };
  return {
    id: channel.id,
    type: channel.type,
    name: channel.name,
    config,
    trigger_mode: channel.trigger_mode,
    effective_trigger_mode: channel.trigger_mode ?? general.notification_trigger_mode,
    min_savings: channel.min_savings,
    min_findings: channel.min_findings,
    is_active: channel.is_active,
    created_at: channel.created_at,
    updated_at: channel.updated_at,
    last_delivery: channel.last_delivery,
  };
}

/**
 * Scheme, host and the last four characters: enough to tell two webhooks apart, not enough to
 * post to one (the path of a Slack or Teams webhook URL is its secret).
 */
export function maskUrl(url: string): string {
  let origin = '';
  try {
    origin = new URL(url).origin;
  } catch {
    return '****';
  }
  return `${origin}/****${url.length > origin.length + 12 ? url.slice(-4) : ''}`;
}

/** The channel's own policy, falling back to the global trigger mode. */
export function channelPolicy(
  channel: NotificationChannel,
  general: Pick<GeneralSettings, 'notification_trigger_mode'>,
): NotificationPolicy {
  return {
    mode: channel.trigger_mode ?? general.notification_trigger_mode,
    min_savings: channel.min_savings,
    min_findings: channel.min_findings,
  };
}

/** What POST /v1/notifications/channels/{id}/test answers. */
export interface ChannelTestResult {
  ok: boolean;
  stage: 'validate' | 'connect' | 'auth' | 'send';
  reason_code: string;
  duration_ms: number;
  status_code?: number;
  message: string;
}

/**
 * Sends a test message through a channel and reports how far it got: a chat post, or for e-mail
 * a test message to the first recipient through the configured SMTP server. Never starts a scan,
 * so it never counts toward the quota.
 */
export async function testNotificationChannel(
  channel: NotificationChannel,
  options: {
    smtp: Outcome<SmtpSettings>;
    timeoutMs: number;
    now: Date;
    fetch?: typeof fetch;
  },
): Promise<ChannelTestResult> {
  const unreadable = unreadableConfig(channel);
  if (unreadable) return { ...unreadable, stage: 'validate', duration_ms: 0 };
  if (channel.type !== 'email') {
    return testChannel(
      { type: channel.type as ChatChannelType, url: channel.config.url ?? '' },
      { timeoutMs: options.timeoutMs, now: options.now, fetch: options.fetch },
    );
  }
  const recipient = channel.config.recipients?.[0];
  if (!options.smtp.ok) {
    return {
      ok: false,
      stage: 'validate',
      reason_code: options.smtp.reason.code.replace(/^smtp\./, 'smtp_'),
      duration_ms: 0,
      message: options.smtp.reason.message,
    };
  }
  if (!recipient) {
    return {
      ok: false,
      stage: 'validate',
      reason_code: 'no_recipients',
      duration_ms: 0,
      message: 'The channel has no recipients.',
    };
  }
  return testSmtp(options.smtp.value, { timeoutMs: options.timeoutMs, sendTo: recipient });
}

/**
 * The failure of a channel whose stored config could not be decrypted (another master key sealed
 * it): the URL or the recipients are gone and must be set again.
 */
export function unreadableConfig(
  channel: NotificationChannel,
): { ok: false; reason_code: string; message: string } | undefined {
  const missing = channel.type === 'email' ? !channel.config.recipients : !channel.config.url;
  if (!missing) return undefined;
  return {
    ok: false,
    reason_code: 'config_unreadable',
    message:
      'The channel config cannot be decrypted with this master key; set it again with PATCH.',
  };
}
