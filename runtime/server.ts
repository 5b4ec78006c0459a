import { createServerAdapter } from '@whatwg-node/server';
import type { Server } from 'bun';
import type { App } from './app';
import type { Logger } from './logger';
import type { TlsPair } from './tls';

/** A listening HTTPS server and how to stop it gracefully. */
export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish, then resolves. */
  stop(): Promise<void>;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Serves the app over HTTPS: @whatwg-node/server adapts the fetch handler, Bun.serve listens.
 * Every response carries X-Request-Id (the caller's, when it sent a sane one); one log line per
 * request, never with headers or bodies.
 */
export function startServer(
  app: App,
  options: { host: string; port: number; tls: TlsPair; logger: Logger },
): RunningServer {
  let server: Server<undefined> | undefined;
  const adapter = createServerAdapter(async (request: Request) => {
    const started = performance.now();
    const given = request.headers.get('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    let clientAddress: string | undefined;
    const response = await app.handle(request, {
      requestId,
      // Looked up only when asked (a failed authentication): it costs a system call.
      get clientAddress() {
        return (clientAddress ??= server?.requestIP(request)?.address ?? 'unknown');
      },
    });
    response.headers.set('x-request-id', requestId);
    options.logger.info('request', {
      method: request.method,
      path: new URL(request.url).pathname,
      status: response.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      request_id: requestId,
    });
    return response;
  });
  // The adapter's entry without a server context: given Bun's server object as context, it would
  // copy that object's properties for every request.
  const handle = adapter.handleRequest as (request: Request) => Promise<Response> | Response;
  server = Bun.serve({
    hostname: options.host,
    port: options.port,
    tls: { cert: options.tls.cert, key: options.tls.key },
    idleTimeout: 120,
    fetch: (request) => handle(request),
  });
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const shownHost = host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host;
  return {
    url: `https://${shownHost}:${server.port}`,
    port: server.port as number,
    async stop() {
      await server?.stop(false);
    },
  };
}
