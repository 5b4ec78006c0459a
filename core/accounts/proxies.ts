import type { AuditRepository } from '../repositories';
import { CwsError } from '../errors';
import { newId } from '../ids';
import type { Page, PageRequest } from '../pagination';
import { SecretOpenError, type SecretBox } from '../secrets';
import { testProxyTunnel, type ProxyTestResult } from './proxy-check';

/** A stored proxy profile; the password only ever sealed. */
export interface ProxyProfileRecord {
  id: string;
  name: string;
  /** `http(s)://host:port`, without credentials. */
  url: string;
  username: string | null;
  password_sealed: string | null;
  created_at: string;
  updated_at: string;
}

/** A proxy profile as the API shows it: the password is write-only. */
export interface ProxyProfileView {
  id: string;
  name: string;
  url: string;
  username: string | null;
  has_password: boolean;
  created_at: string;
  updated_at: string;
}

/** The proxies table. Every change resolves once it is on disk. */
export interface ProxyRepository {
  insert(record: ProxyProfileRecord): Promise<void>;
  get(id: string): ProxyProfileRecord | undefined;
  /** Oldest first, keyset-paginated on (created_at, id). */
  list(page: PageRequest): Page<ProxyProfileRecord>;
  replace(record: ProxyProfileRecord): Promise<void>;
  delete(id: string): Promise<boolean>;
  /** How many cloud accounts name this proxy. */
  countAccountsUsing(id: string): number;
}

/** A new proxy profile. */
export interface ProxyProfileInput {
  name: string;
  url: string;
  username?: string | null;
  password?: string | null;
}

/** A change to a proxy profile; `null` clears the username or password. */
export type ProxyProfilePatch = Partial<ProxyProfileInput>;

/** What POST /v1/proxies/test checks: a stored profile or an unsaved one, and the target. */
export interface ProxyTestInput {
  proxy: { proxy_profile_id: string } | Omit<ProxyProfileInput, 'name'>;
  /** `host:port` to ask a tunnel to. */
  target: string;
  timeout_ms: number;
}

/** Proxy profiles: CRUD, the URL the SDKs get, and the CONNECT test. */
export interface ProxyService {
  create(input: ProxyProfileInput): Promise<ProxyProfileView>;
  get(id: string): ProxyProfileView;
  list(page: PageRequest): Page<ProxyProfileView>;
  update(id: string, patch: ProxyProfilePatch): Promise<ProxyProfileView>;
  /** Refuses (resource.conflict) while a cloud account uses the profile. */
  remove(id: string): Promise<void>;
  /** True when a profile with this id exists. */
  exists(id: string): boolean;
  /**
   * The proxy URL with the credentials inside (`http://user:pass@host:port`), for an SDK. Only
   * scan and test code asks for it; it is never stored or returned.
   */
  connectionUrl(id: string): string;
  test(input: ProxyTestInput): Promise<ProxyTestResult & { proxy_url: string }>;
}

/** Dependencies of the proxy service. */
export interface ProxyServiceDependencies {
  proxies: ProxyRepository;
  secrets: SecretBox;
  audit: AuditRepository;
  clock: () => Date;
}

/**
 * Why a proxy URL cannot be used, or undefined when it can: an absolute http(s) URL naming a
 * host, with no credentials (they go in username/password, where they are sealed) and no path.
 */
export function proxyUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be a URL such as http://proxy.example.com:3128';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (!url.hostname) return 'must name a host';
  if (url.username || url.password) {
    return 'must not carry credentials: send them as username and password';
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return 'must be scheme, host and port only';
  }
  return undefined;
}

/** Builds the proxy service. */
export function createProxyService(deps: ProxyServiceDependencies): ProxyService {
  const { proxies, secrets, audit, clock } = deps;
  const load = (id: string): ProxyProfileRecord => {
    const record = proxies.get(id);
    if (!record) throw new CwsError('resource.not_found', `no proxy profile ${id}`);
    return record;
  };

  return {
    async create(input) {
      const now = clock();
      const record: ProxyProfileRecord = {
        id: newId('proxy', now.getTime()),
        name: input.name,
        url: normaliseUrl(input.url),
        username: input.username || null,
        password_sealed: input.password ? secrets.seal(input.password) : null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      };
      await proxies.insert(record);
      await audit.record({
        action: 'proxy.created',
        target: `proxies/${record.id}`,
        details: { name: record.name, url: record.url, has_password: !!record.password_sealed },
      });
      return present(record);
    },

    get: (id) => present(load(id)),

    list(page) {
      const result = proxies.list(page);
      return { ...result, items: result.items.map(present) };
    },

    async update(id, patch) {
      const current = load(id);
      const next: ProxyProfileRecord = {
        ...current,
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.url !== undefined ? { url: normaliseUrl(patch.url) } : {}),
        ...(patch.username !== undefined ? { username: patch.username || null } : {}),
        ...(patch.password !== undefined
          ? { password_sealed: patch.password ? secrets.seal(patch.password) : null }
          : {}),
        updated_at: clock().toISOString(),
      };
      await proxies.replace(next);
      await audit.record({
        action: 'proxy.updated',
        target: `proxies/${id}`,
        details: { fields: Object.keys(patch) },
      });
      return present(next);
    },

    async remove(id) {
      load(id);
      const using = proxies.countAccountsUsing(id);
      if (using > 0) {
        throw new CwsError(
          'resource.conflict',
          `proxy profile ${id} is used by ${using} cloud account(s); change their proxy_profile_id first`,
        );
      }
      await proxies.delete(id);
      await audit.record({ action: 'proxy.deleted', target: `proxies/${id}` });
    },

    exists: (id) => proxies.get(id) !== undefined,

    connectionUrl(id) {
      const record = load(id);
      return withCredentials(record.url, record.username, open(record));
    },

    async test({ proxy, target, timeout_ms }) {
      const endpoint =
        'proxy_profile_id' in proxy
          ? storedEndpoint(load(proxy.proxy_profile_id))
          : {
              url: normaliseUrl(proxy.url),
              username: proxy.username || undefined,
              password: proxy.password || undefined,
            };
      const result = await testProxyTunnel(endpoint, target, timeout_ms);
      return { ...result, proxy_url: endpoint.url };
    },
  };

  function open(record: ProxyProfileRecord): string | undefined {
    if (!record.password_sealed) return undefined;
    try {
      return secrets.open(record.password_sealed);
    } catch (error) {
      if (!(error instanceof SecretOpenError)) throw error;
      throw new CwsError(
        'secret.unreadable',
        `the password of proxy profile ${record.id} cannot be decrypted with the current master key; set it again with PATCH /v1/proxies/${record.id}`,
      );
    }
  }

  function storedEndpoint(record: ProxyProfileRecord) {
    return { url: record.url, username: record.username ?? undefined, password: open(record) };
  }
}

function present(record: ProxyProfileRecord): ProxyProfileView {
  const { password_sealed, ...rest } = record;
  return { ...rest, has_password: password_sealed !== null };
}

function normaliseUrl(text: string): string {
  return new URL(text).origin;
}

function withCredentials(url: string, username: string | null, password?: string): string {
  if (!username) return url;
  const out = new URL(url);
  // The URL setters percent-encode; the SDKs decode again.
  out.username = username;
  if (password) out.password = password;
  return out.href.replace(/\/$/, '');
}
