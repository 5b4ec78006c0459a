/** One request the receiver saw, as it arrived. */
export interface CapturedRequest {
  method: string;
  /** Path and query, e.g. `/hooks/abc?x=1`. */
  path: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The raw body bytes and the same decoded as UTF-8. */
  bytes: Uint8Array;
  body: string;
  received_at: number;
}

/** How the receiver answers. */
export interface HttpReceiverOptions {
  /** The first N requests (since start or the last reset) get `status`. */
  failFirst?: number;
  /** Status of the failed requests; 500 unless told. */
  status?: number;
  /** Body of the failed requests. */
  failBody?: string;
  /** Status and body of the other requests; 200 "ok" unless told. */
  okStatus?: number;
  okBody?: string;
  /** Every answer waits this long (a slow or hanging receiver). */
  delayMs?: number;
}

/** A local HTTP endpoint on 127.0.0.1 and an ephemeral port that records every request. */
export interface HttpReceiver {
  url: string;
  port: number;
  requests: CapturedRequest[];
  /** Resolves once `count` requests have arrived, or rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<CapturedRequest[]>;
  /** Forgets the requests and the failure count; new options replace the old ones when given. */
  reset(options?: HttpReceiverOptions): void;
  close(): Promise<void>;
}

/** Starts a receiver for webhook and chat tests; stop it with close(). */
export function startHttpReceiver(initial: HttpReceiverOptions = {}): HttpReceiver {
  let options = initial;
  let seen = 0;
  const requests: CapturedRequest[] = [];
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const bytes = new Uint8Array(await request.arrayBuffer());
      const url = new URL(request.url);
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      requests.push({
        method: request.method,
        path: url.pathname + url.search,
        headers,
        bytes,
        body: new TextDecoder().decode(bytes),
        received_at: Date.now(),
      });
      seen += 1;
      const failing = seen <= (options.failFirst ?? 0);
      if (options.delayMs) await Bun.sleep(options.delayMs);
      return failing
        ? new Response(options.failBody ?? 'failed on purpose', { status: options.status ?? 500 })
        : new Response(options.okBody ?? 'ok', { status: options.okStatus ?? 200 });
    },
  });
  const port = server.port as number;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    async waitForRequests(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} requests, got ${requests.length} in ${timeoutMs} ms`);
        }
        await Bun.sleep(10);
      }
      return requests;
    },
    reset(next) {
      requests.length = 0;
      seen = 0;
      if (next) options = next;
    },
    async close() {
      await server.stop(true);
    },
  };
}
