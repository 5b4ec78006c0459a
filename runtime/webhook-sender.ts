import type { OutgoingWebhook, SendResult } from '../core/webhooks/service';

/** Posts signed webhook bodies; `close()` cuts every attempt in flight short (shutdown). */
export interface WebhookSender {
  send(request: OutgoingWebhook): Promise<SendResult>;
  close(): void;
}

/**
 * The HTTP side of webhook delivery. Redirects are not followed (a receiver that moved must be
 * updated, not chased to wherever it points); only a 2xx counts as delivered. Error texts name
 * the failure, never the URL, which can carry a token in its path.
 */
export function createWebhookSender(): WebhookSender {
  const shutdown = new AbortController();
  return {
    async send(request) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const timeout = AbortSignal.timeout(request.timeoutMs);
      try {
        const response = await fetch(request.url, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
          redirect: 'manual',
          signal: AbortSignal.any([shutdown.signal, timeout]),
        });
        // The answer's body is of no interest; reading it frees the connection for reuse.
        await response.arrayBuffer().catch(() => undefined);
        const ok = response.status >= 200 && response.status < 300;
        return {
          ok,
          status_code: response.status,
          duration_ms: elapsed(),
          ...(ok ? {} : { error: `receiver answered HTTP ${response.status}` }),
        };
      } catch (error) {
        return {
          ok: false,
          status_code: null,
          duration_ms: elapsed(),
          error: timeout.aborted
            ? `timed out after ${request.timeoutMs} ms`
            : shutdown.signal.aborted
              ? 'interrupted by shutdown'
              : `could not reach the receiver (${failureName(error)})`,
        };
      }
    },
    close() {
      shutdown.abort();
    },
  };
}

function failureName(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && code) return code;
  return (error as Error)?.name ?? 'error';
}
