import net from 'node:net';
import tls from 'node:tls';

/** Where a proxy test stopped: reaching the proxy, or asking it for a tunnel. */
export type ProxyTestStage = 'connect' | 'tunnel';

/** Diagnostics of a proxy test (POST /v1/proxies/test); never carries the password. */
export interface ProxyTestResult {
  ok: boolean;
  stage: ProxyTestStage;
  /**
   * `ok`, `proxy_dns_failed`, `proxy_refused`, `proxy_unreachable`, `proxy_tls_failed`,
   * `proxy_closed`, `proxy_auth_required`, `proxy_auth_rejected`, `tunnel_refused`,
   * `bad_response`, `timeout` or `network_error`.
   */
  reason_code: string;
  message: string;
  duration_ms: number;
  /** `host:port` the tunnel was asked for. */
  target: string;
  /** Status the proxy answered the CONNECT with, when it answered. */
  status_code?: number;
}

/** A proxy to test: its URL (no credentials in it) and the credentials apart. */
export interface ProxyEndpoint {
  url: string;
  username?: string;
  password?: string;
}

/** Largest proxy answer head read before giving up on it. */
const MAX_HEAD_BYTES = 16_384;

/**
 * Asks a forward proxy for a CONNECT tunnel to `target` (`host:port`), the way the SDKs reach a
 * cloud endpoint through it, and reports how far it got. The tunnel is closed as soon as the proxy
 * answers: nothing is sent to the target. Never throws for a network failure.
 */
export async function testProxyTunnel(
  proxy: ProxyEndpoint,
  target: string,
  timeoutMs: number,
): Promise<ProxyTestResult> {
  const started = performance.now();
  const proxyUrl = new URL(proxy.url);
  const finish = (fields: Omit<ProxyTestResult, 'duration_ms' | 'target'>): ProxyTestResult => ({
    ...fields,
    duration_ms: Math.round(performance.now() - started),
    target,
  });
  return new Promise<ProxyTestResult>((resolve) => {
    let stage: ProxyTestStage = 'connect';
    let settled = false;
    const socket = openSocket(proxyUrl, () => {
      stage = 'tunnel';
      socket.write(connectRequest(proxy, target));
    });
    const done = (result: ProxyTestResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        done(
          finish({
            ok: false,
            stage,
            reason_code: 'timeout',
            message: `no answer from the proxy within ${timeoutMs} ms`,
          }),
        ),
      timeoutMs,
    );

    let head = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0 && head.length < MAX_HEAD_BYTES) return;
      done(finish(readAnswer(head.subarray(0, end < 0 ? head.length : end), proxy, target)));
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      done(finish({ ok: false, stage, ...describeSocketError(error, proxyUrl) })),
    );
    socket.on('close', () =>
      done(
        finish({
          ok: false,
          stage,
          reason_code: 'proxy_closed',
          message: 'the proxy closed the connection without answering',
        }),
      ),
    );
  });
}

function openSocket(proxyUrl: URL, onConnect: () => void): net.Socket {
  const host = proxyUrl.hostname.replace(/^\[|\]$/g, '');
  const secure = proxyUrl.protocol === 'https:';
  const port = Number(proxyUrl.port || (secure ? 443 : 80));
  return secure
    ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host }, onConnect)
    : net.connect({ host, port }, onConnect);
}

function connectRequest(proxy: ProxyEndpoint, target: string): string {
  const lines = [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`];
  if (proxy.username !== undefined) {
    const basic = Buffer.from(`${proxy.username}:${proxy.password ?? ''}`).toString('base64');
    lines.push(`Proxy-Authorization: Basic ${basic}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function readAnswer(
  head: Buffer,
  proxy: ProxyEndpoint,
  target: string,
): Omit<ProxyTestResult, 'duration_ms' | 'target'> {
  const statusLine = head.toString('latin1').split('\r\n')[0] ?? '';
  const match = /^HTTP\/1\.[01] (\d{3})\b/.exec(statusLine);
  if (!match) {
    return {
      ok: false,
      stage: 'tunnel',
      reason_code: 'bad_response',
      message: 'the proxy did not answer the CONNECT with an HTTP status line',
    };
  }
  const status = Number(match[1]);
  if (status >= 200 && status < 300) {
    return {
      ok: true,
      stage: 'tunnel',
      reason_code: 'ok',
      message: `tunnel to ${target} established`,
      status_code: status,
    };
  }
  if (status === 407) {
    const sent = proxy.username !== undefined;
    return {
      ok: false,
      stage: 'tunnel',
      reason_code: sent ? 'proxy_auth_rejected' : 'proxy_auth_required',
      message: sent
        ? 'the proxy rejected the username and password (407)'
        : 'the proxy needs a username and password (407)',
      status_code: status,
    };
  }
  return {
    ok: false,
    stage: 'tunnel',
    reason_code: 'tunnel_refused',
    message: `the proxy refused a tunnel to ${target} (${status})`,
    status_code: status,
  };
}

function describeSocketError(
  error: NodeJS.ErrnoException,
  proxyUrl: URL,
): { reason_code: string; message: string } {
  const where = proxyUrl.host;
  switch (error.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { reason_code: 'proxy_dns_failed', message: `cannot resolve the proxy host ${where}` };
    case 'ECONNREFUSED':
      return { reason_code: 'proxy_refused', message: `nothing accepts connections at ${where}` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { reason_code: 'proxy_unreachable', message: `no route to the proxy at ${where}` };
    case 'ETIMEDOUT':
      return { reason_code: 'timeout', message: `connecting to the proxy at ${where} timed out` };
    case 'ECONNRESET':
    case 'EPIPE':
      return { reason_code: 'proxy_closed', message: 'the proxy reset the connection' };
  }
  if (/certificate|tls|ssl|handshake/i.test(`${error.code ?? ''} ${error.message}`)) {
    return {
      reason_code: 'proxy_tls_failed',
      message: `TLS to the proxy at ${where} failed: ${error.message}`,
    };
  }
  return {
    reason_code: 'network_error',
    message: `connection to the proxy failed: ${error.message}`,
  };
}

/** The `host:port` a CONNECT for this URL names (443 for https, 80 for http by default). */
export function tunnelTarget(url: string): string {
  const parsed = new URL(url);
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  return `${parsed.hostname}:${port}`;
}
