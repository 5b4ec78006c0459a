import type { Outcome } from '../model';
import type { SettingsRepository } from '../repositories';
import { SecretOpenError, type SecretBox } from '../secrets';
import { isEmailAddress, type SmtpSettings } from './email';

/** The settings document key the SMTP settings live under. */
export const SMTP_DOCUMENT_KEY = 'smtp';

/** Port and TLS mode until the operator sets them (submission with STARTTLS). */
export const SMTP_DEFAULTS = { port: 587, secure: false } as const;

/** The stored document; `password` holds sealed text when `password_sealed` is true. */
export interface StoredSmtpSettings {
  host: string | null;
  port: number;
  secure: boolean;
  user: string | null;
  from: string | null;
  password: string | null;
  password_sealed?: boolean;
  updated_at: string | null;
}

/** GET /v1/settings/smtp: the password is write-only, so only whether one is set. */
export interface SmtpSettingsView {
  configured: boolean;
  host: string | null;
  port: number;
  secure: boolean;
  user: string | null;
  from: string | null;
  has_password: boolean;
  updated_at: string | null;
}

/** PATCH /v1/settings/smtp after validation; null or '' clears user and password. */
export interface SmtpSettingsPatch {
  host?: string;
  port?: number;
  secure?: boolean;
  user?: string | null;
  password?: string | null;
  from?: string;
}

/** Reads, changes and resolves the SMTP settings kept in the settings table. */
export interface SmtpSettingsStore {
  view(): SmtpSettingsView;
  update(patch: SmtpSettingsPatch, now: Date): Promise<SmtpSettingsView>;
  /**
   * The settings a delivery uses, password opened. Fails `smtp.not_configured` until host and
   * sender are set, and `smtp.password_unreadable` when another master key sealed the password.
   */
  resolve(): Outcome<SmtpSettings>;
}

/**
 * Wraps the settings repository. `box` seals the password (AES-256-GCM under the master key);
 * without one it is stored as given, in the 0700 data directory, and still never shown.
 */
export function createSmtpSettingsStore(
  settings: SettingsRepository,
  box?: SecretBox,
): SmtpSettingsStore {
  const read = (): StoredSmtpSettings => ({
    host: null,
    port: SMTP_DEFAULTS.port,
    secure: SMTP_DEFAULTS.secure,
    user: null,
    from: null,
    password: null,
    updated_at: null,
    ...settings.readDocument<Partial<StoredSmtpSettings>>(SMTP_DOCUMENT_KEY),
  });
  const present = (stored: StoredSmtpSettings): SmtpSettingsView => ({
    configured: isConfigured(stored),
    host: stored.host,
    port: stored.port,
    secure: stored.secure,
    user: stored.user,
    from: stored.from,
    has_password: Boolean(stored.password),
    updated_at: stored.updated_at,
  });
  return {
    view: () => present(read()),
    async update(patch, now) {
      const current = read();
      const next: StoredSmtpSettings = { ...current, updated_at: now.toISOString() };
      if (patch.host !== undefined) next.host = patch.host;
      if (patch.port !== undefined) next.port = patch.port;
      if (patch.secure !== undefined) next.secure = patch.secure;
      if (patch.from !== undefined) next.from = patch.from;
      if (patch.user !== undefined) next.user = patch.user || null;
      if (patch.password !== undefined) {
        next.password = patch.password ? (box ? box.seal(patch.password) : patch.password) : null;
        next.password_sealed = Boolean(patch.password && box);
      }
      await settings.writeDocument(SMTP_DOCUMENT_KEY, next);
      return present(next);
    },
    resolve() {
      const stored = read();
      if (!isConfigured(stored)) {
        return failure(
          'smtp.not_configured',
          'invalid',
          'SMTP is not configured: set host and from with PATCH /v1/settings/smtp.',
        );
      }
      const password = openPassword(stored, box);
      if (password === false) {
        return failure(
          'smtp.password_unreadable',
          'auth',
          'The stored SMTP password cannot be decrypted with this master key; set it again.',
        );
      }
      return {
        ok: true,
        value: {
          host: stored.host as string,
          port: stored.port,
          secure: stored.secure,
          ...(stored.user ? { user: stored.user } : {}),
          ...(password ? { password } : {}),
          from: stored.from as string,
        },
      };
    },
  };
}

/** The password in clear; false when it is sealed and this box (or no box) cannot open it. */
function openPassword(stored: StoredSmtpSettings, box: SecretBox | undefined): string | false {
  if (!stored.password) return '';
  if (!stored.password_sealed) return stored.password;
  if (!box) return false;
  try {
    return box.open(stored.password);
  } catch (error) {
    if (error instanceof SecretOpenError) return false;
    throw error;
  }
}

function failure<T>(code: string, category: 'invalid' | 'auth', message: string): Outcome<T> {
  return { ok: false, reason: { code, category, message } };
}

function isConfigured(stored: StoredSmtpSettings): boolean {
  return Boolean(stored.host && stored.from);
}

/** True for `reports@example.com` or `CWS Reports <reports@example.com>`. */
export function isSenderAddress(value: string): boolean {
  const match = /^\s*(?:[^<>\r\n]*<([^<>]+)>|([^<>\s]+))\s*$/.exec(value);
  const address = (match?.[1] ?? match?.[2] ?? '').trim();
  return isEmailAddress(address);
}

/** Removes every occurrence of the SMTP password from text bound for a log or a status. */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join('****');
}
