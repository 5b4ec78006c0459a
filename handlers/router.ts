import { Router, type IRequest, type RouterType } from 'itty-router';
import { CwsError } from '../core/errors';
import type { RequestContext, Services } from './context';
import { errorResponse } from './http';
import type { RouteSpec } from './route-spec';

/**
 * Decides whether a request may reach a protected route; runtime/auth supplies it. The client's
 * address is asked for only when needed: looking it up costs a system call.
 */
export type Authenticator = (request: Request, clientAddress: () => string) => CwsError | undefined;

/** Extra facts about a request that only the server knows. */
export interface RequestInfo {
  requestId: string;
  clientAddress: string;
}

/** Reports an unexpected error with its cause; only runtime/ logs. */
export type ErrorReporter = (error: unknown, request: Request, requestId: string) => void;

/**
 * Builds the API's fetch function from the route table: itty-router matches, the authenticator
 * guards non-public routes, CwsError becomes the error body, anything else a generic 500.
 */
export function createApiHandler(options: {
  routes: RouteSpec[];
  services: Services;
  authenticate: Authenticator;
  reportError: ErrorReporter;
}): (request: Request, info: RequestInfo) => Promise<Response> {
  const { routes, services, authenticate, reportError } = options;
  const routers = new Map<string, RouterType<IRequest, [Matching]>>();
  for (const route of routes) {
    const family = familyOf(route.path);
    if (/[:*]/.test(family))
      throw new Error(`route ${route.path}: its first two segments must be literal`);
    let router = routers.get(family);
    if (!router) routers.set(family, (router = Router<IRequest, [Matching]>()));
    router[route.method.toLowerCase() as 'get'](
      route.path,
      async (request: IRequest, { info, url }: Matching) => {
        if (!route.isPublic) {
          const denied = authenticate(request as unknown as Request, () => info.clientAddress);
          if (denied) throw denied;
        }
        const context: RequestContext = {
          params: decodeParams(request.params),
          query: url.searchParams,
          requestId: info.requestId,
          services,
        };
        return route.handler(request as unknown as Request, context);
      },
    );
  }
  // Each family of routes has its own itty router, so a request is matched only against the
  // patterns that share its first two segments rather than against the whole table.
  const route = (request: Request, info: RequestInfo): Promise<Response | undefined> => {
    const url = new URL(request.url);
    const router = routers.get(familyOf(url.pathname));
    if (!router) return Promise.resolve(undefined);
    return router.fetch(request as unknown as IRequest, { info, url });
  };
  const patterns = routes.map((route) => ({ method: route.method, regex: toRegex(route.path) }));

  // HEAD answers what GET would, without the body (RFC 9110 9.3.2).
  const headOf = async (request: Request, info: RequestInfo): Promise<Response> => {
    const get = new Request(request.url, {
      method: 'GET',
      headers: request.headers,
      signal: request.signal,
    });
    const response = await route(get, info);
    if (!response) throw unmatched(get, patterns);
    // Release the body (a stream's subscriptions end with it).
    await response.body?.cancel();
    return new Response(null, { status: response.status, headers: response.headers });
  };

  return async (request, info) => {
    try {
      const response = await route(request, info);
      if (response) return response;
      if (request.method === 'OPTIONS') return preflight(request, patterns);
      if (request.method === 'HEAD') return await headOf(request, info);
      throw unmatched(request, patterns);
    } catch (error) {
      if (error instanceof CwsError) {
        const headers: Record<string, string> = {};
        if (error.code === 'request.method_not_allowed')
          headers.allow = allowedMethods(request, patterns).join(', ');
        if (error.code === 'auth.rate_limited') headers['retry-after'] = '60';
        if (error.status === 401) headers['www-authenticate'] = 'Bearer';
        return errorResponse(error, info.requestId, headers);
      }
      reportError(error, request, info.requestId);
      return errorResponse(new CwsError('internal.error', 'unexpected error'), info.requestId);
    }
  };
}

/** What a matched route's wrapper gets besides the request: the caller's facts and the parsed URL. */
interface Matching {
  info: RequestInfo;
  url: URL;
}

type Pattern = { method: string; regex: RegExp };

function unmatched(request: Request, patterns: Pattern[]): CwsError {
  const allowed = allowedMethods(request, patterns);
  if (allowed.length) {
    return new CwsError(
      'request.method_not_allowed',
      `${request.method} is not allowed here; use ${allowed.join(', ')}`,
    );
  }
  return new CwsError(
    'request.route_not_found',
    `no route ${request.method} ${new URL(request.url).pathname}`,
  );
}

function allowedMethods(request: Request, patterns: Pattern[]): string[] {
  const path = new URL(request.url).pathname;
  const methods = new Set(patterns.filter((p) => p.regex.test(path)).map((p) => p.method));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods];
}

function preflight(request: Request, patterns: Pattern[]): Response {
  const allowed = allowedMethods(request, patterns);
  if (!allowed.length) throw unmatched(request, patterns);
  return new Response(null, {
    status: 204,
    headers: { allow: [...allowed, 'OPTIONS'].join(', ') },
  });
}

function toRegex(path: string): RegExp {
  const escaped = path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, '[^/]+');
  return new RegExp(`^${escaped}/?$`);
}

/** A path's first two segments: `/v1/settings/general` → `/v1/settings`, `/status` → `/status`. */
function familyOf(path: string): string {
  const end = path.indexOf('/', path.indexOf('/', 1) + 1);
  return end === -1 ? path : path.slice(0, end);
}

function decodeParams(params: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params ?? {})) {
    try {
      out[key] = decodeURIComponent(value);
    } catch {
      out[key] = value;
    }
  }
  return out;
}
