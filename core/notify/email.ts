import type { FailureCategory, Outcome } from '../model';

/** GET/PATCH /v1/settings/smtp, with the password decrypted (it is write-only in the API). */
export interface SmtpSettings {
  host: string;
  port: number;
  /** True for implicit TLS (port 465); false uses STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  /** `reports@example.com` or `CWS <reports@example.com>`. */
  from: string;
}

/** A report e-mail: recipients, body and attachments. */
export interface EmailMessage {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  attachments: { filename: string; content: Uint8Array; contentType: string }[];
}

/** Bounds on one SMTP exchange. */
export interface EmailOptions {
  /** The whole exchange (connect, auth, send) must finish within it. */
  timeoutMs: number;
  /** Aborting it throws the abort instead of returning a failure. */
  signal?: AbortSignal;
}

/** What the server accepted. */
export interface EmailDelivery {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

/** What a connection test reports (the notification channel test route returns it). */
export interface SmtpDiagnostics {
  ok: boolean;
  stage: SmtpStage;
  reason_code: string;
  duration_ms: number;
  message: string;
}

/** How far an SMTP exchange got: connection (and TLS), authentication, or the message itself. */
export type SmtpStage = 'connect' | 'auth' | 'send';

/** Most recipients one report e-mail (or one scan's `report_emails`) may name. */
export const MAX_EMAIL_RECIPIENTS = 5;

/**
 * Sends one e-mail through the configured SMTP server. Expected failures (refused, timed out,
 * authentication, rejected recipients) come back as values whose message never contains the
 * password, in clear or base64.
 */
export async function sendReportEmail(
  smtp: SmtpSettings,
  message: EmailMessage,
  options: EmailOptions,
): Promise<Outcome<EmailDelivery>> {
  const recipients = validateEmailAddresses(message.to);
  if (!recipients.ok) return recipients;
  if (recipients.value.length === 0) {
    return failure('email.no_recipients', 'invalid', 'The e-mail has no recipients.');
  }
  const sender = checkSender(smtp.from);
  if (!sender.ok) return sender;

  const transport = await openTransport(smtp, options.timeoutMs);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const info = await transport.sendMail({
      from: smtp.from,
      to: recipients.value,
      subject: message.subject.replace(/[\r\n]+/g, ' '),
      text: message.text,
      ...(message.html === undefined ? {} : { html: message.html }),
      attachments: message.attachments.map((attachment) => ({
        filename: attachment.filename,
        content: Buffer.from(attachment.content),
        contentType: attachment.contentType,
      })),
      signal,
    });
    return {
      ok: true,
      value: {
        messageId: info.messageId,
        accepted: info.accepted.map(addressText),
        rejected: info.rejected.map(addressText),
      },
    };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const diagnosis = diagnose(error, smtp, timeout.aborted);
    return failure(`smtp.${diagnosis.reason_code}`, diagnosis.category, diagnosis.message);
  } finally {
    transport.close();
  }
}

/**
 * Connects, authenticates when credentials are set (nodemailer's verify), and, given `sendTo`,
 * sends a short test message, reporting the stage reached. Never throws for a bad server.
 */
export async function testSmtp(
  smtp: SmtpSettings,
  options: { timeoutMs: number; sendTo?: string } = { timeoutMs: 15_000 },
): Promise<SmtpDiagnostics> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const transport = await openTransport(smtp, options.timeoutMs);
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(Object.assign(new Error('deadline'), { code: 'ETIMEDOUT' }));
    }, options.timeoutMs);
  });
  try {
    await Promise.race([transport.verify(), deadline]);
    if (options.sendTo !== undefined) {
      const sent = await sendReportEmail(
        smtp,
        {
          to: [options.sendTo],
          subject: 'Cloud Waste Scanner test e-mail',
          text: 'This address will receive Cloud Waste Scanner reports.',
          attachments: [],
        },
        { timeoutMs: options.timeoutMs },
      );
      if (!sent.ok) {
        const reason = sent.reason.code.replace(/^(smtp|email)\./, '');
        return {
          ok: false,
          stage: 'send',
          reason_code: reason,
          duration_ms: elapsed(),
          message: sent.reason.message,
        };
      }
    }
    const stage: SmtpStage = options.sendTo !== undefined ? 'send' : smtp.user ? 'auth' : 'connect';
    return {
      ok: true,
      stage,
      reason_code: 'ok',
      duration_ms: elapsed(),
      message: 'The SMTP server accepted the settings.',
    };
  } catch (error) {
    const diagnosis = diagnose(error, smtp, timedOut);
    return {
      ok: false,
      stage: diagnosis.stage,
      reason_code: diagnosis.reason_code,
      duration_ms: elapsed(),
      message: diagnosis.message,
    };
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}

/**
 * Trims, drops duplicates (case-insensitively) and checks each address; more than
 * MAX_EMAIL_RECIPIENTS, or any invalid one, fails with a message naming the bad ones.
 */
export function validateEmailAddresses(list: readonly string[]): Outcome<string[]> {
  const seen = new Set<string>();
  const addresses: string[] = [];
  const invalid: string[] = [];
  for (const raw of list) {
    const address = typeof raw === 'string' ? raw.trim() : String(raw);
    if (!isEmailAddress(address)) {
      invalid.push(JSON.stringify(address));
      continue;
    }
    const key = address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    addresses.push(address);
  }
  if (invalid.length > 0) {
    return failure(
      'email.invalid_address',
      'invalid',
      `Not valid e-mail addresses: ${invalid.join(', ')}.`,
    );
  }
  if (addresses.length > MAX_EMAIL_RECIPIENTS) {
    return failure(
      'email.too_many_recipients',
      'invalid',
      `At most ${MAX_EMAIL_RECIPIENTS} recipients are allowed; ${addresses.length} were given.`,
    );
  }
  return { ok: true, value: addresses };
}

// RFC 5322 dot-atom local part and an RFC 1035 host name with a top-level domain: the addresses
// real mailboxes use. Quoted local parts, IP literals and raw non-ASCII are refused on purpose.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** True for a bare address such as `finops@example.com` (no display name). */
export function isEmailAddress(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at > 64) return false;
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  if (!LOCAL_PART.test(local) || labels.length < 2) return false;
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return false;
  const tld = labels.at(-1) as string;
  return /^[A-Za-z]{2,63}$/.test(tld) || /^xn--[A-Za-z0-9-]+$/.test(tld);
}

function checkSender(from: string): Outcome<string> {
  const match = /^\s*(?:[^<>]*<([^<>]+)>|([^<>\s]+))\s*$/.exec(from);
  const address = match?.[1] ?? match?.[2] ?? '';
  if (isEmailAddress(address.trim())) return { ok: true, value: address.trim() };
  return failure(
    'email.invalid_sender',
    'invalid',
    'The SMTP "from" address is not a valid e-mail address.',
  );
}

/** nodemailer is loaded on the first e-mail: most starts send none. */
async function openTransport(smtp: SmtpSettings, timeoutMs: number) {
  const { createTransport } = await import('nodemailer');
  return createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    // Attachments are bytes we built; never let a path or URL make nodemailer read or fetch.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}

function addressText(address: unknown): string {
  if (typeof address === 'string') return address;
  return String((address as { address?: unknown })?.address ?? '');
}

interface Diagnosis {
  stage: SmtpStage;
  reason_code: string;
  category: FailureCategory;
  message: string;
}

/** Maps a nodemailer error to a stage and a stable reason, with the server's words scrubbed. */
function diagnose(error: unknown, smtp: SmtpSettings, timedOut: boolean): Diagnosis {
  const details = error as {
    code?: string;
    command?: string;
    responseCode?: number;
    response?: string;
  };
  const code = details?.code ?? '';
  const command = (details?.command ?? '').toUpperCase();
  const stageOfCommand: SmtpStage =
    command === '' || command === 'CONN' || /^(EHLO|HELO|LHLO|STARTTLS)/.test(command)
      ? 'connect'
      : command.startsWith('AUTH')
        ? 'auth'
        : 'send';
  const server = details?.response
    ? ` The server said: ${scrub(details.response, smtp).slice(0, 200)}`
    : '';
  const make = (
    stage: SmtpStage,
    reason_code: string,
    category: FailureCategory,
    text: string,
  ) => ({
    stage,
    reason_code,
    category,
    message: `${text}${server}`,
  });
  const where = `${smtp.host}:${smtp.port}`;
  if (timedOut || code === 'ETIMEDOUT' || code === 'EABORT') {
    return make(
      stageOfCommand,
      'timeout',
      'timeout',
      `The SMTP server at ${where} did not answer in time.`,
    );
  }
  switch (code) {
    case 'EAUTH':
      return make(
        'auth',
        'auth_failed',
        'auth',
        'The SMTP server rejected the user name or password.',
      );
    case 'ENOAUTH':
      return make(
        'auth',
        'auth_required',
        'auth',
        'The SMTP server requires a user name and password.',
      );
    case 'EDNS':
      return make(
        'connect',
        'dns_failed',
        'network',
        `The SMTP host ${smtp.host} does not resolve.`,
      );
    case 'ETLS':
      return make(
        'connect',
        'tls_failed',
        'network',
        `TLS with the SMTP server at ${where} failed.`,
      );
    case 'EENVELOPE':
      return make(
        'send',
        command.startsWith('MAIL') ? 'sender_rejected' : 'recipients_rejected',
        'invalid',
        command.startsWith('MAIL')
          ? 'The SMTP server refused the sender address.'
          : 'The SMTP server refused every recipient.',
      );
    case 'EMESSAGE':
      return make('send', 'message_rejected', 'invalid', 'The SMTP server refused the message.');
    case 'EPROTOCOL':
      return make(
        stageOfCommand,
        'protocol_error',
        'network',
        `The server at ${where} does not speak SMTP as expected.`,
      );
    case 'ECONNECTION':
    case 'ESOCKET': {
      const refused = /ECONNREFUSED/.test(String((error as Error)?.message ?? ''));
      if (refused) {
        return make(
          'connect',
          'connection_refused',
          'network',
          `The SMTP server at ${where} refused the connection.`,
        );
      }
      if (/certificate|ssl|tls/i.test(String((error as Error)?.message ?? ''))) {
        return make(
          'connect',
          'tls_failed',
          'network',
          `TLS with the SMTP server at ${where} failed.`,
        );
      }
      return make(
        stageOfCommand,
        'connection_failed',
        'network',
        `The connection to the SMTP server at ${where} failed.`,
      );
    }
    default:
      return make(
        stageOfCommand,
        'smtp_error',
        'internal',
        `The SMTP exchange with ${where} failed (${code || 'unknown error'}).`,
      );
  }
}

/** Removes the password, and the base64 forms AUTH PLAIN and AUTH LOGIN send, from server text. */
function scrub(text: string, smtp: SmtpSettings): string {
  if (!smtp.password) return text;
  const secrets = [
    smtp.password,
    Buffer.from(smtp.password).toString('base64'),
    Buffer.from(`\u0000${smtp.user ?? ''}\u0000${smtp.password}`).toString('base64'),
  ];
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('****');
  return out;
}

function failure<T>(code: string, category: FailureCategory, message: string): Outcome<T> {
  return { ok: false, reason: { code, message, category } };
}
