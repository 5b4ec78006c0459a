import type { Provider, ProviderScanner } from '../../core/model';
import { createApp, type App, type AppOptions } from '../../runtime/app';
import { loadConfig, type Config } from '../../runtime/config';
import { silentLogger, type Logger } from '../../runtime/logger';

/** The token every in-process test app accepts. */
export const TEST_TOKEN = 'cws_test_token';

/** An in-process app over a fresh in-memory database, and a short helper to call it. */
export interface TestApp {
  app: App;
  /** Calls the API with the test token (unless `headers.authorization` says otherwise). */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  /** Calls and parses the JSON body. */
  callJson<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T; headers: Headers }>;
  close(): Promise<void>;
}

/** Builds a test app; `config` overrides defaults, `env` replaces the process environment. */
export async function createTestApp(
  options: {
    config?: Partial<Config>;
    env?: NodeJS.ProcessEnv;
    clock?: () => Date;
    scanners?: Partial<Record<Provider, ProviderScanner>>;
    databasePath?: string;
    /** kubectl's discovery cache; absent means the app makes a temporary one on first use. */
    kubectlCacheDir?: string;
    /** Where reports are written; absent means the app makes (and removes) a temporary one. */
    reportsDir?: string;
    /** Replaces the silent logger (tests that check what gets logged). */
    logger?: Logger;
    /** Azure / Alibaba client settings (the fakes' CA, short retries). */
    providerOptions?: AppOptions['providerOptions'];
    /** The key sealing stored secrets; absent means a random one. */
    masterKey?: Uint8Array;
    /** Scheduler and webhook options: a manual timer, retry policy, concurrency, sender. */
    background?: Pick<
      AppOptions,
      'timer' | 'webhookRetry' | 'webhookConcurrency' | 'webhookSender'
    >;
  } = {},
): Promise<TestApp> {
  const env = options.env ?? {
    HOME: '/nonexistent',
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  };
  const config = { ...loadConfig({}, { ...env, CWS_LOG_FORMAT: 'json' }), ...options.config };
  const app = await createApp({
    config,
    logger: options.logger ?? silentLogger,
    databasePath: options.databasePath,
    token: () => TEST_TOKEN,
    info: { version: 'test', base_url: 'https://127.0.0.1:0', self_signed_tls: true },
    clock: options.clock,
    env,
    scanners: options.scanners,
    providerOptions: options.providerOptions,
    masterKey: options.masterKey,
    kubectlCacheDir: options.kubectlCacheDir,
    reportsDir: options.reportsDir,
    ...options.background,
  });
  const call = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const init: RequestInit = {
      method,
      headers: {
        authorization: `Bearer ${TEST_TOKEN}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    };
    return app.handle(new Request(`https://127.0.0.1${path}`, init), {
      requestId: 'test-request',
      clientAddress: '127.0.0.1',
    });
  };
  return {
    app,
    call,
    async callJson(method, path, body, headers) {
      const response = await call(method, path, body, headers);
      const text = await response.text();
      return {
        status: response.status,
        body: text ? JSON.parse(text) : undefined,
        headers: response.headers,
      };
    },
    close: () => app.close(),
  };
}

/** Polls a scan until it reaches a terminal status. */
export async function waitForScan(test: TestApp, scanId: string, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await test.callJson('GET', `/v1/scans/${scanId}`);
    if (['completed', 'failed', 'canceled'].includes(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`scan ${scanId} still ${body.status}`);
    await Bun.sleep(20);
  }
}
