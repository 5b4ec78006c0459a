/** Longest webhook URL accepted. */
export const WEBHOOK_URL_MAX_LENGTH = 2048;

/**
 * Checks a webhook target: an absolute http or https URL with a host and without user name or
 * password (credentials in a URL end up in logs and proxies; a secret belongs in `secret`).
 */
export function checkWebhookUrl(text: string): { ok: true } | { ok: false; message: string } {
  if (text.length > WEBHOOK_URL_MAX_LENGTH) {
    return { ok: false, message: `must be at most ${WEBHOOK_URL_MAX_LENGTH} characters` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: 'must be an absolute http or https URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: 'must use http or https' };
  }
  if (!url.hostname) return { ok: false, message: 'must name a host' };
  if (url.username || url.password) {
    return { ok: false, message: 'must not carry a user name or password; use secret instead' };
  }
  return { ok: true };
}
