import { createLoopbackTls } from './azure/certificate';

/** The Resource Manager collections the fake lists. */
export type ArmCollection =
  'disks' | 'snapshots' | 'virtualMachines' | 'images' | 'publicIPAddresses' | 'networkInterfaces';

const PROVIDER_OF: Record<ArmCollection, string> = {
  disks: 'Microsoft.Compute',
  snapshots: 'Microsoft.Compute',
  virtualMachines: 'Microsoft.Compute',
  images: 'Microsoft.Compute',
  publicIPAddresses: 'Microsoft.Network',
  networkInterfaces: 'Microsoft.Network',
};

/** One subscription as the fake serves it: resources in Resource Manager's wire format. */
export interface FakeSubscription {
  resources?: Partial<Record<ArmCollection, Record<string, unknown>[]>>;
  /** Every call answers 403 AuthorizationFailed. */
  denied?: boolean;
  /** Answer this many 429s with Retry-After before serving a collection. */
  throttle?: Partial<Record<ArmCollection, number>>;
  /** Hold each response of a collection this long. */
  delayMs?: Partial<Record<ArmCollection, number>>;
}

/** The tenant, the one service principal it knows, and the subscriptions. */
export interface FakeAzureOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptions: Record<string, FakeSubscription>;
  /** Items per page before a `nextLink`; 2 so that small fixtures page. */
  pageSize?: number;
  retryAfterSeconds?: number;
}

/** A request the fake answered. */
export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

/** A running fake: the authority and Resource Manager on one HTTPS origin. */
export interface FakeAzure {
  url: string;
  /** PEM of the CA that signed the fake's certificate. */
  ca: string;
  calls: RecordedCall[];
  /** Scopes of the tokens issued, in order. */
  tokenScopes: string[];
  stop(): Promise<void>;
}

/**
 * Starts a fake Entra ID authority and Resource Manager on `https://127.0.0.1:<ephemeral port>`:
 * OpenID discovery and the client-credentials token endpoint (AADSTS error shapes), and the
 * subscription-wide list endpoints with `value` + `nextLink` paging, `api-version` required,
 * bearer tokens checked for the Resource Manager audience, 429 with Retry-After and 403
 * AuthorizationFailed.
 */
export async function startFakeAzure(options: FakeAzureOptions): Promise<FakeAzure> {
  const tls = createLoopbackTls();
  const pageSize = options.pageSize ?? 2;
  const calls: RecordedCall[] = [];
  const tokenScopes: string[] = [];
  const tokens = new Map<string, string>();
  const served = new Map<string, number>();
  let origin = '';

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    tls: { cert: tls.cert, key: tls.key },
    async fetch(request) {
      const url = new URL(request.url);
      const response = await route(request, url);
      calls.push({
        method: request.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status: response.status,
      });
      return response;
    },
  });
  origin = `https://127.0.0.1:${server.port}`;

  async function route(request: Request, url: URL): Promise<Response> {
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[1] === 'v2.0' && url.pathname.endsWith('/.well-known/openid-configuration')) {
      return discovery(parts[0] as string);
    }
    if (request.method === 'POST' && url.pathname.endsWith('/oauth2/v2.0/token')) {
      return issueToken(parts[0] as string, new URLSearchParams(await request.text()));
    }
    if (parts[0]?.toLowerCase() === 'subscriptions') return resourceManager(request, url, parts);
    return armError(404, 'NotFound', `No route for ${url.pathname}`);
  }

  function discovery(tenant: string): Response {
    if (tenant !== options.tenantId) {
      return aadError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
    }
    const base = `${origin}/${tenant}`;
    return Response.json({
      issuer: `${base}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
    });
  }

  function issueToken(tenant: string, form: URLSearchParams): Response {
    if (tenant !== options.tenantId) {
      return aadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return aadError(
        400,
        'unsupported_grant_type',
        70003,
        'The app requested an unsupported grant type.',
      );
    }
    if (form.get('client_id') !== options.clientId) {
      return aadError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${form.get('client_id')}' was not found in the directory.`,
      );
    }
    if (form.get('client_secret') !== options.clientSecret) {
      return aadError(
        401,
        'invalid_client',
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the ' +
          'client secret value, not the client secret ID.',
      );
    }
    const scope = form.get('scope') ?? '';
    const token = `fake-${crypto.randomUUID()}`;
    tokens.set(token, scope);
    tokenScopes.push(scope);
    return Response.json({
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: token,
    });
  }

  async function resourceManager(request: Request, url: URL, parts: string[]): Promise<Response> {
    const token = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
    if (!token || !tokens.has(token)) {
      return armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
    }
    if (tokens.get(token) !== `${origin}/.default`) {
      return armError(
        401,
        'InvalidAuthenticationTokenAudience',
        'The access token has been obtained for wrong audience or resource.',
      );
    }
    if (!url.searchParams.get('api-version')) {
      return armError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      );
    }
    const subscriptionId = parts[1] ?? '';
    const subscription = options.subscriptions[subscriptionId];
    if (!subscription) {
      return armError(
        404,
        'SubscriptionNotFound',
        `The subscription '${subscriptionId}' could not be found.`,
      );
    }
    if (subscription.denied) {
      return armError(
        403,
        'AuthorizationFailed',
        `The client '${options.clientId}' does not have authorization to perform action ` +
          `over scope '/subscriptions/${subscriptionId}' or the scope is invalid.`,
      );
    }
    const collection = collectionOf(parts);
    if (!collection) return armError(404, 'InvalidResourceType', `No list at ${url.pathname}`);

    const key = `${subscriptionId}/${collection}`;
    const count = (served.get(key) ?? 0) + 1;
    served.set(key, count);
    if (count <= (subscription.throttle?.[collection] ?? 0)) {
      return armError(429, 'TooManyRequests', 'The request is being throttled.', {
        'Retry-After': String(options.retryAfterSeconds ?? 1),
      });
    }
    const delay = subscription.delayMs?.[collection];
    if (delay) await sleep(delay, request.signal);

    const items = subscription.resources?.[collection] ?? [];
    const shaped =
      collection === 'virtualMachines'
        ? items.map((vm) => shapeVm(vm, url.searchParams.get('statusOnly') === 'true'))
        : items;
    const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
    const page = shaped.slice(skip, skip + pageSize);
    const next = skip + pageSize < shaped.length ? nextLink(url, skip + pageSize) : undefined;
    return Response.json(next ? { value: page, nextLink: next } : { value: page });
  }

  function nextLink(url: URL, skip: number): string {
    const next = new URL(url.pathname, origin);
    for (const [name, value] of url.searchParams)
      if (name !== '$skiptoken') next.searchParams.set(name, value);
    next.searchParams.set('$skiptoken', String(skip));
    return next.toString();
  }

  return {
    url: origin,
    ca: tls.ca,
    calls,
    tokenScopes,
    async stop() {
      await server.stop(true);
    },
  };
}

function collectionOf(parts: string[]): ArmCollection | undefined {
  // /subscriptions/{id}/providers/{namespace}/{type}
  if (parts.length !== 5 || parts[2]?.toLowerCase() !== 'providers') return undefined;
  const namespace = parts[3]?.toLowerCase();
  const type = parts[4]?.toLowerCase();
  return (Object.keys(PROVIDER_OF) as ArmCollection[]).find(
    (name) => name.toLowerCase() === type && PROVIDER_OF[name].toLowerCase() === namespace,
  );
}

/**
 * `statusOnly=true` answers with each VM's instance view alone; the plain list leaves the instance
 * view out.
 */
function shapeVm(vm: Record<string, unknown>, statusOnly: boolean): Record<string, unknown> {
  const properties = (vm.properties ?? {}) as Record<string, unknown>;
  const { instanceView, ...rest } = properties;
  if (statusOnly) {
    return {
      id: vm.id,
      name: vm.name,
      type: vm.type,
      location: vm.location,
      properties: { instanceView },
    };
  }
  return { ...vm, properties: rest };
}

function armError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ error: { code, message } }, { status, headers });
}

function aadError(status: number, error: string, aadsts: number, description: string): Response {
  const traceId = crypto.randomUUID();
  const correlationId = crypto.randomUUID();
  return Response.json(
    {
      error,
      error_description:
        `AADSTS${aadsts}: ${description} Trace ID: ${traceId} ` +
        `Correlation ID: ${correlationId} Timestamp: ${new Date().toISOString()}`,
      error_codes: [aadsts],
      timestamp: new Date().toISOString(),
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
    },
    { status },
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
