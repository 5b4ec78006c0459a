import http from 'node:http';
import https from 'node:https';
import RPCClient from '@alicloud/pop-core';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { FailureReason } from '../../model';
import { alibabaEndpoint, type AlibabaConnection } from './connection';

/** The RPC API version of each service the collector calls. */
export const ALIBABA_API_VERSIONS = { ecs: '2014-05-26', vpc: '2016-04-28' } as const;

/** A service the collector calls: ECS or VPC. */
export type AlibabaService = keyof typeof ALIBABA_API_VERSIONS;

/** Back-off for throttled calls: full jitter over an exponential cap, a bounded number of times. */
export interface AlibabaRetryOptions {
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Error codes worth another try after a pause: flow control and passing server trouble. */
const RETRYABLE_CODES = new Set([
  'Throttling',
  'Throttling.User',
  'Throttling.Api',
  'Throttling.Tenant',
  'ServiceUnavailable',
  'InternalError',
]);

const DEFAULT_RETRY: Required<AlibabaRetryOptions> = {
  maxRetries: 4,
  baseDelayMs: 300,
  maxDelayMs: 5000,
};

/** Why a session's calls stop: the scan was canceled, or one call overran its bound. */
type StopReason = { kind: 'canceled' } | { kind: 'timeout'; call: string };

/**
 * The signed RPC calls of one check: one pop-core client per endpoint, one connection pool (or
 * proxy agent) for all of them, each call bounded by `timeoutMs` including its retries, all of
 * them stopped when the scan's signal aborts.
 */
export class AlibabaRpcSession {
  private readonly clients = new Map<string, RPCClient>();
  private readonly agent: http.Agent;
  private readonly retry: Required<AlibabaRetryOptions>;
  private stop: StopReason | undefined;

  constructor(
    private readonly connection: AlibabaConnection,
    private readonly scanSignal: AbortSignal,
    private readonly timeoutMs: number,
    retry: AlibabaRetryOptions = {},
  ) {
    this.retry = { ...DEFAULT_RETRY, ...retry };
    this.agent = connection.proxy_url
      ? new HttpsProxyAgent(connection.proxy_url, { keepAlive: true })
      : connection.endpoint_pattern.startsWith('https:')
        ? new https.Agent({ keepAlive: true })
        : new http.Agent({ keepAlive: true });
  }

  /** True once the scan was canceled (as opposed to a call timing out). */
  get canceled(): boolean {
    return this.stop?.kind === 'canceled' || this.scanSignal.aborted;
  }

  /** Calls one action with `RegionId` set, retrying throttling with jittered back-off. */
  async call<T>(
    service: AlibabaService,
    region: string,
    action: string,
    params: Record<string, string | number> = {},
  ): Promise<T> {
    const name = `${service}:${action}`;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
    const signal = AbortSignal.any([this.scanSignal, deadline.signal]);
    const started = Date.now();
    try {
      for (let attempt = 0; ; attempt += 1) {
        this.throwIfStopped(signal, name);
        try {
          const remaining = Math.max(1, this.timeoutMs - (Date.now() - started));
          return await abortable(
            this.send<T>(service, region, action, params, remaining, signal),
            signal,
          );
        } catch (error) {
          this.throwIfStopped(signal, name);
          if (attempt >= this.retry.maxRetries || !isRetryable(error)) throw error;
          await pause(this.backoff(attempt), signal);
        }
      }
    } catch (error) {
      this.throwIfStopped(signal, name);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the pooled connections. */
  dispose(): void {
    this.agent.destroy();
  }

  private send<T>(
    service: AlibabaService,
    region: string,
    action: string,
    params: Record<string, string | number>,
    timeout: number,
    signal: AbortSignal,
  ): Promise<T> {
    return this.client(service, region).request<T>(
      action,
      { RegionId: region, ...params },
      {
        // POST keeps the signed parameters out of the URL that errors and proxies see.
        method: 'POST',
        timeout,
        agent: this.agent,
        beforeRequest: (options: Record<string, unknown>) => ({ ...options, signal }),
      },
    );
  }

  private client(service: AlibabaService, region: string): RPCClient {
    const endpoint = alibabaEndpoint(this.connection.endpoint_pattern, service, region);
    const key = `${service} ${endpoint}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new RPCClient({
        accessKeyId: this.connection.access_key_id,
        accessKeySecret: this.connection.access_key_secret,
        endpoint,
        apiVersion: ALIBABA_API_VERSIONS[service],
      });
      this.clients.set(key, client);
    }
    return client;
  }

  private backoff(attempt: number): number {
    const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
    return Math.round(Math.random() * cap);
  }

  private throwIfStopped(signal: AbortSignal, call: string): void {
    if (!signal.aborted) return;
    this.stop ??= this.scanSignal.aborted ? { kind: 'canceled' } : { kind: 'timeout', call };
    if (this.scanSignal.aborted) throw new DOMException('The scan was canceled', 'AbortError');
    throw new AlibabaTimeoutError(call, this.timeoutMs);
  }
}

/** A call that did not answer within its bound. */
export class AlibabaTimeoutError extends Error {
  override readonly name = 'AlibabaTimeoutError';
  constructor(
    readonly call: string,
    readonly timeoutMs: number,
  ) {
    super(`${call} did not answer within ${timeoutMs} ms`);
  }
}

/**
 * Turns a pop-core error into a failure reason with Alibaba's own code (`Throttling.User`,
 * `InvalidAccessKeyId.NotFound`, `Forbidden.RAM` …). The request URL pop-core appends and any
 * secret are left out of the message.
 */
export function classifyAlibabaError(error: unknown, secrets: string[] = []): FailureReason {
  if (error instanceof AlibabaTimeoutError) {
    return { code: 'timeout', message: error.message, category: 'timeout' };
  }
  const err = (error ?? {}) as {
    name?: string;
    message?: string;
    code?: string;
    data?: { Code?: string; Message?: string };
    entry?: { response?: { statusCode?: number } };
  };
  const apiCode = err.data?.Code;
  const status = err.entry?.response?.statusCode;
  const raw = err.data?.Message ?? err.message ?? String(error);
  const firstLine = raw.replace(/,\s*URL:\s*\S+$/, '').split(/\r?\n/)[0] ?? '';
  const message = redact(separateRequest(firstLine), secrets);
  if (apiCode) return { code: apiCode, message, category: categoryOfCode(apiCode, status) };
  if (err.name === 'SyntaxError') {
    return {
      code: 'invalid_response',
      message: 'the endpoint answered with something other than JSON',
      category: 'network',
    };
  }
  if (err.name === 'RequestTimeoutError') return { code: 'timeout', message, category: 'timeout' };
  return { code: err.code ?? 'network_error', message, category: 'network' };
}

/**
 * The HTTP layer under pop-core appends `<METHOD> <url> failed.` straight onto the socket error
 * (`connect ECONNREFUSED 127.0.0.1:9POST http://127.0.0.1:9/ failed.`); this puts the request in
 * brackets after the error instead. Query strings are dropped: a GET request signs its
 * parameters there.
 */
function separateRequest(text: string): string {
  const glued = /^(.*?)((?:GET|POST|PUT|DELETE|HEAD|PATCH) )(\S+) failed\.$/.exec(text);
  if (!glued) return text.replace(/(https?:\/\/[^\s?]+)\?\S*/g, '$1');
  const [, error = '', method = '', url = ''] = glued;
  const request = `${method}${url.replace(/\?.*$/, '')}`;
  return error.trim() ? `${error.trim()} (${request})` : `${request} failed`;
}

function categoryOfCode(code: string, status: number | undefined): FailureReason['category'] {
  if (
    code.startsWith('InvalidAccessKeyId') ||
    code.startsWith('SignatureDoesNotMatch') ||
    code.startsWith('IncompleteSignature') ||
    code.startsWith('InvalidSecurityToken')
  ) {
    return 'auth';
  }
  if (code.startsWith('Forbidden') || code.startsWith('NoPermission') || status === 403) {
    return 'permission';
  }
  if (code.startsWith('Throttling')) return 'throttled';
  if (code === 'ServiceUnavailable' || code === 'InternalError') return 'network';
  if (code.includes('NotFound') || status === 404) return 'not_found';
  return status !== undefined && status >= 500 ? 'network' : 'invalid';
}

function isRetryable(error: unknown): boolean {
  const err = error as { data?: { Code?: string }; entry?: { response?: { statusCode?: number } } };
  const code = err?.data?.Code;
  if (code) return RETRYABLE_CODES.has(code);
  // A gateway in front of the API may answer 503 with a body that is not JSON.
  return err?.entry?.response?.statusCode === 503;
}

/** Settles with the call, or rejects as soon as the signal fires. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Blanks secrets out; a secret too short to be real would blank ordinary words, so it stays. */
function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('****');
  return out;
}
