import { generateSelfSigned } from '../../../runtime/tls';

/** One request and its answer as the proxy saw them. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  contentType: string;
  body: string;
}

/** A TLS proxy in front of the binary that records every exchange for schema checks. */
export interface RecordingProxy {
  url: string;
  /** The proxy's own certificate (PEM) and a file holding it, for the clients' trust. */
  ca: string;
  exchanges: Exchange[];
  close(): void;
}

/**
 * Starts an HTTPS proxy on loopback that forwards every request to `target` (trusting `targetCa`)
 * unchanged and keeps what came back. Streams (SSE) are passed through and not recorded.
 */
export async function startRecordingProxy(
  target: string,
  targetCa: string,
): Promise<RecordingProxy> {
  const pair = await generateSelfSigned(['127.0.0.1', 'localhost']);
  const exchanges: Exchange[] = [];
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    tls: { cert: pair.cert, key: pair.key },
    idleTimeout: 120,
    async fetch(request) {
      const url = new URL(request.url);
      const headers = new Headers(request.headers);
      headers.delete('host');
      const hasBody = !['GET', 'HEAD'].includes(request.method);
      const upstream = await fetch(`${target}${url.pathname}${url.search}`, {
        method: request.method,
        headers,
        body: hasBody ? await request.arrayBuffer() : undefined,
        redirect: 'manual',
        tls: { ca: targetCa },
      } as RequestInit);
      const contentType = upstream.headers.get('content-type') ?? '';
      const responseHeaders = new Headers(upstream.headers);
      responseHeaders.delete('content-encoding');
      responseHeaders.delete('content-length');
      if (contentType.startsWith('text/event-stream')) {
        return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
      }
      const bytes = new Uint8Array(await upstream.arrayBuffer());
      exchanges.push({
        method: request.method,
        path: url.pathname,
        status: upstream.status,
        contentType,
        body: contentType.includes('json') ? new TextDecoder().decode(bytes) : '',
      });
      return new Response(bytes, { status: upstream.status, headers: responseHeaders });
    },
  });
  return {
    url: `https://127.0.0.1:${server.port}`,
    ca: pair.cert,
    exchanges,
    close: () => server.stop(true),
  };
}
