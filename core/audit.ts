/** One entry of the audit log (GET /v1/events): who changed what, never with secret values. */
export interface AuditEvent {
  id: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
  created_at: string;
}

/** Keys whose values never reach the audit log, at any depth. */
const SECRET_KEY = /secret|password|token|credential|private|kubeconfig_content|access_key/i;

/** Copies details for the audit log with every secret-looking value replaced. */
export function redactDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (SECRET_KEY.test(key)) out[key] = '[redacted]';
    else if (value && typeof value === 'object' && !Array.isArray(value))
      out[key] = redactDetails(value as Record<string, unknown>);
    else out[key] = value;
  }
  return out;
}
