import type { FailureCategory, Outcome } from '../model';
import {
  actionLabel,
  formatCount,
  formatKg,
  formatMoney,
  formatTimestamp,
} from '../reports/summary';
import { noticeHeadline, type ScanNotice } from './message';

/** Chat-style channel types; e-mail channels go through email.ts. */
export const CHAT_CHANNEL_TYPES = ['slack', 'teams', 'webhook'] as const;
export type ChatChannelType = (typeof CHAT_CHANNEL_TYPES)[number];

/**
 * A channel's endpoint. The URL of a Slack or Teams webhook is itself the credential: it never
 * appears in an error message or a diagnostic.
 */
export interface ChatChannel {
  type: ChatChannelType;
  url: string;
}

/** How long one delivery may take, and the fetch to use (tests and proxies inject their own). */
export interface ChatSendOptions {
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Aborting it (the process shutting down) throws the abort instead of returning a failure. */
  signal?: AbortSignal;
}

/** The outcome of a delivery that got an answer. */
export interface ChatDelivery {
  status_code: number;
  duration_ms: number;
}

/** What POST /v1/notifications/channels/{id}/test returns for a chat channel. */
export interface ChannelDiagnostics {
  ok: boolean;
  stage: 'validate' | 'connect' | 'send';
  reason_code: string;
  duration_ms: number;
  status_code?: number;
  message: string;
}

/** Sends a scan notice to a Slack, Teams or generic webhook; a non-2xx answer is a failure. */
export async function sendChatNotification(
  channel: ChatChannel,
  notice: ScanNotice,
  options: ChatSendOptions,
): Promise<Outcome<ChatDelivery>> {
  const attempt = await postJson(channel, buildChatPayload(channel.type, notice), options);
  if (attempt.ok) {
    return {
      ok: true,
      value: { status_code: attempt.status_code, duration_ms: attempt.duration_ms },
    };
  }
  return {
    ok: false,
    reason: {
      code: `notify.${attempt.reason_code}`,
      message: attempt.message,
      category: attempt.category,
    },
  };
}

/** Posts a short test message and reports how far it got; never throws for a bad endpoint. */
export async function testChannel(
  channel: ChatChannel,
  options: ChatSendOptions & { now?: Date },
): Promise<ChannelDiagnostics> {
  const attempt = await postJson(
    channel,
    buildTestPayload(channel.type, options.now ?? new Date()),
    options,
  );
  return {
    ok: attempt.ok,
    stage: attempt.stage,
    reason_code: attempt.reason_code,
    duration_ms: attempt.duration_ms,
    ...(attempt.status_code > 0 ? { status_code: attempt.status_code } : {}),
    message: attempt.message,
  };
}

/** The JSON body a channel type expects for a scan notice. */
export function buildChatPayload(type: ChatChannelType, notice: ScanNotice): unknown {
  switch (type) {
    case 'slack':
      return buildSlackPayload(notice);
    case 'teams':
      return buildTeamsPayload(notice);
    case 'webhook':
      return buildWebhookPayload(notice);
  }
}

/** Slack limits: a section's text to 3,000 characters, a header to 150, a field to 2,000. */
const SLACK_SECTION_LIMIT = 3000;
const SLACK_HEADER_LIMIT = 150;

/**
 * A Slack incoming-webhook message: `text` is the notification fallback, `blocks` the layout
 * (header, headline, fields, costliest findings, context).
 */
export function buildSlackPayload(notice: ScanNotice): { text: string; blocks: unknown[] } {
  const money = (value: number) => formatMoney(value, notice.currency);
  const blocks: unknown[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: clip('Cloud waste scan completed', SLACK_HEADER_LIMIT) },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text:
          notice.findings === 0
            ? 'No waste found.'
            : `*${slackEscape(money(notice.estimated_monthly_savings))}* estimated monthly waste ` +
              `in *${formatCount(notice.findings)}* findings`,
      },
    },
    {
      type: 'section',
      fields: noticeFacts(notice).map(([label, value]) => ({
        type: 'mrkdwn',
        text: clip(`*${slackEscape(label)}*\n${slackEscape(value)}`, 2000),
      })),
    },
  ];
  if (notice.top_findings.length > 0) {
    const lines = notice.top_findings.map(
      (finding) =>
        `• *${slackEscape(money(finding.estimated_monthly_cost))}* ${slackEscape(finding.title)} ` +
        `- ${slackCode(finding.resource_name || finding.resource_id)} ` +
        `(${slackEscape(finding.account_id)}, ${slackEscape(finding.region)}) ` +
        `- ${actionLabel(finding.action_type)}`,
    );
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(`*Costliest findings*\n${lines.join('\n')}`, SLACK_SECTION_LIMIT),
      },
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: slackEscape(
          `Scan ${notice.scan_id} · finished ${formatTimestamp(notice.finished_at)} · ` +
            `triggered by ${notice.trigger_source}`,
        ),
      },
    ],
  });
  return { text: noticeHeadline(notice), blocks };
}

/**
 * A Teams message carrying an Adaptive Card: the body that Teams Workflows ("Post to a channel
 * when a webhook request is received") and the older incoming webhooks both accept.
 */
export function buildTeamsPayload(notice: ScanNotice): unknown {
  const money = (value: number) => formatMoney(value, notice.currency);
  const body: unknown[] = [
    {
      type: 'TextBlock',
      text: 'Cloud waste scan completed',
      weight: 'Bolder',
      size: 'Medium',
      wrap: true,
    },
    {
      type: 'TextBlock',
      text:
        notice.findings === 0
          ? 'No waste found'
          : `${money(notice.estimated_monthly_savings)} estimated monthly waste`,
      size: 'ExtraLarge',
      weight: 'Bolder',
      color: notice.findings === 0 ? 'Good' : 'Attention',
      wrap: true,
    },
    {
      type: 'FactSet',
      facts: noticeFacts(notice).map(([title, value]) => ({ title, value })),
    },
  ];
  if (notice.top_findings.length > 0) {
    body.push(
      {
        type: 'TextBlock',
        text: 'Costliest findings',
        weight: 'Bolder',
        wrap: true,
        spacing: 'Medium',
      },
      ...notice.top_findings.map((finding) => ({
        type: 'TextBlock',
        wrap: true,
        spacing: 'Small',
        text:
          `${money(finding.estimated_monthly_cost)} - ${finding.title} - ` +
          `${finding.resource_name || finding.resource_id} (${finding.account_id}, ${finding.region})`,
      })),
    );
  }
  return teamsMessage(body);
}

/** The generic webhook body: the notice itself, under an event name receivers can switch on. */
export function buildWebhookPayload(notice: ScanNotice): unknown {
  return { event: 'scan.completed', source: 'cloud-waste-scanner', scan: notice };
}

function buildTestPayload(type: ChatChannelType, now: Date): unknown {
  const text =
    'Cloud Waste Scanner test notification: this channel will receive scan notifications.';
  switch (type) {
    case 'slack':
      return { text };
    case 'teams':
      return teamsMessage([{ type: 'TextBlock', text, wrap: true }]);
    case 'webhook':
      return {
        event: 'notification.test',
        source: 'cloud-waste-scanner',
        sent_at: now.toISOString(),
        text,
      };
  }
}

function teamsMessage(body: unknown[]): unknown {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
        },
      },
    ],
  };
}

function noticeFacts(notice: ScanNotice): [string, string][] {
  return [
    ['Monthly waste', formatMoney(notice.estimated_monthly_savings, notice.currency)],
    ['Findings', formatCount(notice.findings)],
    ['Resources scanned', formatCount(notice.resources_scanned)],
    ['Carbon per month', formatKg(notice.carbon_kg_monthly)],
    [
      'Accounts',
      notice.selected_accounts.length ? formatCount(notice.selected_accounts.length) : 'all',
    ],
    ['Finished', formatTimestamp(notice.finished_at)],
  ];
}

/** Slack's mrkdwn treats only these three as control characters. */
function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Inline code keeps `*_~` in resource names literal; a backtick would end it, so it goes. */
function slackCode(text: string): string {
  return `\`${slackEscape(text.replaceAll('`', "'"))}\``;
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

interface Attempt {
  ok: boolean;
  stage: ChannelDiagnostics['stage'];
  reason_code: string;
  category: FailureCategory;
  status_code: number;
  duration_ms: number;
  message: string;
}

async function postJson(
  channel: ChatChannel,
  payload: unknown,
  options: ChatSendOptions,
): Promise<Attempt> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const fail = (
    stage: Attempt['stage'],
    reason_code: string,
    category: FailureCategory,
    message: string,
    status_code = 0,
  ): Attempt => ({
    ok: false,
    stage,
    reason_code,
    category,
    status_code,
    duration_ms: elapsed(),
    message,
  });

  // 1. The URL: parsed, http(s) only.
  let url: URL;
  try {
    url = new URL(channel.url);
  } catch {
    return fail('validate', 'invalid_url', 'invalid', 'The channel URL is not a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return fail('validate', 'invalid_url', 'invalid', 'The channel URL must use https (or http).');
  }

  // 2. The request, bounded by the timeout.
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const send = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'cloud-waste-scanner' },
      body: JSON.stringify(payload),
      signal,
      redirect: 'manual',
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      return fail('send', 'timeout', 'timeout', `No answer within ${options.timeoutMs} ms.`);
    }
    return fail('connect', ...networkReason(error));
  }

  // 3. The answer: 2xx is delivered; anything else says why, in the receiver's words.
  let body = '';
  try {
    body = await response.text();
  } catch {
    body = '';
  }
  const status = response.status;
  if (status >= 200 && status < 300) {
    return {
      ok: true,
      stage: 'send',
      reason_code: 'ok',
      category: 'internal',
      status_code: status,
      duration_ms: elapsed(),
      message: `Delivered (HTTP ${status}).`,
    };
  }
  const [reason, category] = httpReason(status);
  const detail = body.trim() ? `: ${clip(body.trim().replace(/\s+/g, ' '), 200)}` : '';
  return fail('send', reason, category, `The receiver answered HTTP ${status}${detail}`, status);
}

function networkReason(error: unknown): [string, FailureCategory, string] {
  const code = String((error as { code?: unknown })?.code ?? '');
  if (code === 'ECONNREFUSED' || code === 'ConnectionRefused') {
    return ['connection_refused', 'network', 'The receiver refused the connection.'];
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return ['dns_failed', 'network', 'The receiver host name does not resolve.'];
  }
  if (/CERT|SSL|TLS/i.test(code)) {
    return ['tls_failed', 'network', 'The TLS handshake with the receiver failed.'];
  }
  return [
    'network_error',
    'network',
    `The receiver could not be reached (${code || 'network error'}).`,
  ];
}

function httpReason(status: number): [string, FailureCategory] {
  if (status >= 300 && status < 400) return ['redirected', 'invalid'];
  if (status === 401 || status === 403) return ['unauthorized', 'auth'];
  if (status === 404 || status === 410) return ['endpoint_not_found', 'not_found'];
  if (status === 429) return ['rate_limited', 'throttled'];
  if (status >= 500) return ['server_error', 'network'];
  return ['rejected', 'invalid'];
}
