import type { FailureReason } from '../../model';

/** Why a check's shared signal fired: the scan was canceled, or one call overran its bound. */
type StopReason = { kind: 'canceled' } | { kind: 'timeout'; call: string };

/**
 * The cloud calls of one check. They share one abort signal, fired when the scan's signal aborts
 * or when a single call (one page, retries included) takes longer than `timeoutMs`.
 */
export class CallBudget {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private stop: StopReason | undefined;
  private readonly onScanAbort = () => this.halt({ kind: 'canceled' });

  constructor(
    private readonly scanSignal: AbortSignal,
    private readonly timeoutMs: number,
  ) {
    this.signal = this.controller.signal;
    if (scanSignal.aborted) this.halt({ kind: 'canceled' });
    else scanSignal.addEventListener('abort', this.onScanAbort, { once: true });
  }

  /** True once the scan itself was canceled (as opposed to a call timing out). */
  get canceled(): boolean {
    return this.stop?.kind === 'canceled';
  }

  /** The call that overran its bound, if one did. */
  get timedOutCall(): string | undefined {
    return this.stop?.kind === 'timeout' ? this.stop.call : undefined;
  }

  /** Runs one call within the bound. */
  async run<T>(call: string, work: () => Promise<T>): Promise<T> {
    const timer = this.arm(call);
    try {
      return await this.race(work());
    } finally {
      clearTimeout(timer);
    }
  }

  /** Collects every item of a paged list, bounding each page by the per-call timeout. */
  async collect<T>(call: string, pages: AsyncIterable<T[]>): Promise<T[]> {
    const items: T[] = [];
    const iterator = pages[Symbol.asyncIterator]();
    for (;;) {
      const timer = this.arm(call);
      try {
        const next = await this.race(iterator.next());
        if (next.done) return items;
        items.push(...next.value);
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** Stops listening to the scan's signal. */
  dispose(): void {
    this.scanSignal.removeEventListener('abort', this.onScanAbort);
  }

  private arm(call: string): ReturnType<typeof setTimeout> {
    this.throwIfStopped();
    return setTimeout(() => this.halt({ kind: 'timeout', call }), this.timeoutMs);
  }

  /** Settles as soon as the shared signal fires, even if the SDK is slow to notice. */
  private race<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.stopError());
      if (this.signal.aborted) return onAbort();
      this.signal.addEventListener('abort', onAbort, { once: true });
      work.then(
        (value) => {
          this.signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          this.signal.removeEventListener('abort', onAbort);
          reject(this.signal.aborted ? this.stopError() : error);
        },
      );
    });
  }

  private halt(reason: StopReason): void {
    if (this.stop) return;
    this.stop = reason;
    this.controller.abort(this.stopError());
  }

  private throwIfStopped(): void {
    if (this.stop) throw this.stopError();
  }

  private stopError(): Error {
    return this.stop?.kind === 'timeout'
      ? new CallTimeoutError(this.stop.call, this.timeoutMs)
      : new DOMException('The scan was canceled', 'AbortError');
  }
}

/** A call that did not answer within its bound. */
export class CallTimeoutError extends Error {
  override readonly name = 'CallTimeoutError';
  constructor(
    readonly call: string,
    readonly timeoutMs: number,
  ) {
    super(`${call} did not answer within ${timeoutMs} ms`);
  }
}

/** What classification may use besides the error: secrets to blank out, error bodies seen. */
export interface ClassifyContext {
  secrets?: string[];
  errorBodies?: Map<string, string>;
}

/**
 * Turns an error from the Azure SDKs into a failure reason with Azure's own code: Resource Manager
 * errors carry `{error:{code,message}}`, Entra ID errors an `AADSTS` number. Secrets are blanked
 * out of every message.
 */
export function classifyAzureError(error: unknown, context: ClassifyContext = {}): FailureReason {
  const reason = describeAzureError(error, context.errorBodies);
  return { ...reason, message: redact(reason.message, context.secrets ?? []) };
}

/**
 * The reason an SDK refused a connection's settings before any call was made (the identity SDK
 * throws for a tenant id that is not a GUID or a domain): the settings are invalid, whether a
 * connection test or a scan check met them.
 */
export function clientSetupFailure(error: unknown, secrets: string[] = []): FailureReason {
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'client_setup_failed',
    message: redact(firstLine(message), secrets),
    category: 'invalid',
  };
}

function describeAzureError(error: unknown, errorBodies?: Map<string, string>): FailureReason {
  if (error instanceof CallTimeoutError) {
    return { code: 'timeout', message: error.message, category: 'timeout' };
  }
  const err = (error ?? {}) as {
    name?: string;
    message?: string;
    code?: string;
    statusCode?: number;
    request?: { requestId?: string };
    response?: { bodyAsText?: string | null };
  };
  const message = err.message ?? String(error);
  if (isCredentialError(err.name)) {
    if (/endpoints_resolution_error|network_error|ECONNREFUSED|ENOTFOUND/i.test(message)) {
      return { code: 'authority_unreachable', message: firstLine(message), category: 'network' };
    }
    const aadsts = /AADSTS(\d+)/.exec(message)?.[0];
    const oauth = /\b(invalid_client|unauthorized_client|invalid_request|invalid_grant)\b/.exec(
      message,
    )?.[1];
    return {
      code: aadsts ?? oauth ?? 'authentication_failed',
      message: describeAadError(message),
      category: 'auth',
    };
  }
  const status = err.statusCode;
  if (status !== undefined) {
    const requestId = err.request?.requestId;
    const body = readErrorBody(
      err.response?.bodyAsText ?? (requestId ? errorBodies?.get(requestId) : undefined),
    );
    const code = body?.code ?? err.code ?? `http_${status}`;
    const text = body?.message ?? message;
    return { code, message: firstLine(text), category: categoryOfStatus(status, code) };
  }
  if (err.name === 'AbortError') {
    return { code: 'canceled', message: 'the call was canceled', category: 'timeout' };
  }
  return { code: err.code ?? 'network_error', message: firstLine(message), category: 'network' };
}

function isCredentialError(name: string | undefined): boolean {
  return (
    name === 'AuthenticationError' ||
    name === 'AuthenticationRequiredError' ||
    name === 'CredentialUnavailableError' ||
    name === 'AggregateAuthenticationError'
  );
}

/**
 * Keeps the AADSTS description, which says what is wrong; drops MSAL's boilerplate, the code
 * prefix (the reason carries it) and the trace, correlation and timestamp tail.
 */
function describeAadError(message: string): string {
  const description = /Description:\s*(AADSTS\d+:[^\r\n]*?)(?:\s+-\s+Correlation ID|\s*$)/m.exec(
    message,
  )?.[1];
  return firstLine(description ?? message)
    .replace(/^AADSTS\d+:\s*/, '')
    .replace(/\s*Trace ID:.*$/, '');
}

function readErrorBody(
  text: string | null | undefined,
): { code?: string; message?: string } | undefined {
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    return body.error;
  } catch {
    return undefined;
  }
}

function categoryOfStatus(status: number, code: string): FailureReason['category'] {
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 429) return 'throttled';
  if (status === 400) return code === 'InvalidAuthenticationToken' ? 'auth' : 'invalid';
  if (status === 408 || status === 504) return 'timeout';
  return status >= 500 ? 'network' : 'internal';
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/)[0] ?? '').slice(0, 500);
}

/** Blanks secrets out; a secret too short to be real would blank ordinary words, so it stays. */
function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('****');
  return out;
}
