import { CwsError } from '../errors';
import { newId } from '../ids';
import type { FailureReason, ProviderScanner, ScanAccount, ScanPolicy } from '../model';
import type { Page, PageRequest } from '../pagination';
import type { AuditRepository } from '../repositories';
import { SecretOpenError, type SecretBox } from '../secrets';
import {
  ALIBABA_DISCOVERY_REGION,
  ALIBABA_PUBLIC_ENDPOINT_PATTERN,
  alibabaEndpoint,
} from '../providers/alibaba/connection';
import type { AlibabaScannerOptions } from '../providers/alibaba/scanner';
import { AZURE_PUBLIC_CLOUD } from '../providers/azure/connection';
import type { AzureScannerOptions } from '../providers/azure/scanner';
import {
  CREDENTIAL_FIELDS,
  isSupportedProvider,
  maskCredentials,
  parseCredentials,
  type ConnectionCheck,
  type ConnectionTestResult,
  type Credentials,
  type CredentialProvider,
} from './credentials';
import type { ProxyService } from './proxies';

/** A stored cloud account; the credentials only ever sealed. */
export interface CloudAccountRecord {
  id: string;
  provider: CredentialProvider;
  name: string;
  credentials_sealed: string;
  credentials_masked: Record<string, string | string[]>;
  timeout_seconds: number | null;
  policy_custom: Partial<ScanPolicy> | null;
  proxy_profile_id: string | null;
  created_at: string;
  updated_at: string;
}

/** A cloud account as the API shows it (CONTRACT.md "Accounts"): never the credentials. */
export type CloudAccountView = Omit<CloudAccountRecord, 'credentials_sealed'> & {
  source: 'cloud_account';
};

/** The cloud_accounts table. Every change resolves once it is on disk. */
export interface CloudAccountRepository {
  insert(record: CloudAccountRecord): Promise<void>;
  get(id: string): CloudAccountRecord | undefined;
  /** Oldest first, keyset-paginated on (created_at, id). */
  list(page: PageRequest): Page<CloudAccountRecord>;
  /** Every account, oldest first (scans and GET /v1/accounts). */
  all(): CloudAccountRecord[];
  replace(record: CloudAccountRecord): Promise<void>;
  delete(id: string): Promise<boolean>;
}

/** A new cloud account, after the API schema checked everything but the provider's credentials. */
export interface CloudAccountInput {
  provider: string;
  name: string;
  /** A JSON string or an object; parsed and checked per provider here. */
  credentials: string | object;
  timeout_seconds?: number | null;
  policy_custom?: Partial<ScanPolicy> | null;
  proxy_profile_id?: string | null;
}

/** A change to a cloud account; `null` clears an optional field. Credentials are replaced whole. */
export type CloudAccountPatch = Partial<CloudAccountInput>;

/** What POST /v1/cloud-accounts/test checks. */
export interface ConnectionTestInput {
  provider: string;
  credentials: string | object;
  region?: string;
  proxy_profile_id?: string;
  timeout_ms: number;
}

/** The answer of POST /v1/cloud-accounts/test. */
export interface ConnectionTestAnswer {
  ok: boolean;
  provider: string;
  /** False when the provider has no collector: only the request's format was checked. */
  implemented: boolean;
  message: string;
  checks: ConnectionCheck[];
  /** Why it failed: auth, network, timeout, permission … */
  category?: string;
  /** The cloud's own error code of the failing step. */
  code?: string;
  duration_ms: number;
}

/** Endpoint and transport settings every Azure and Alibaba client of this process starts from. */
export interface ProviderClientOptions {
  azure: AzureScannerOptions;
  alibaba: AlibabaScannerOptions;
}

/** Cloud accounts: CRUD with sealed credentials, connection tests, and the accounts scans visit. */
export interface CloudAccountService {
  create(input: CloudAccountInput): Promise<CloudAccountView>;
  get(id: string): CloudAccountView;
  list(page: PageRequest): Page<CloudAccountView>;
  update(id: string, patch: CloudAccountPatch): Promise<CloudAccountView>;
  /** Refuses (resource.conflict, naming them) while a schedule selects the account. */
  remove(id: string): Promise<void>;
  testConnection(input: ConnectionTestInput): Promise<ConnectionTestAnswer>;
  /**
   * The endpoint a scan of this account calls first (Resource Manager for Azure, ECS in the first
   * region for Alibaba), for a proxy test; read from the masked fields, nothing is decrypted.
   */
  endpointOf(id: string): string;
  /** Accounts for listing (GET /v1/accounts): nothing is decrypted, `connection` is empty. */
  listForDisplay(): ScanAccount[];
  /** Accounts for a scan: credentials decrypted into `connection`, with the proxy URL. */
  listForScan(): ScanAccount[];
  /**
   * Wraps a scanner lookup so that an account whose stored credentials cannot be opened (the
   * master key changed) fails its checks with that reason instead of calling the cloud.
   */
  guardScanner(
    scannerFor: (account: ScanAccount) => ProviderScanner | undefined,
  ): (account: ScanAccount) => ProviderScanner | undefined;
}

/** Dependencies of the cloud account service. */
export interface CloudAccountServiceDependencies {
  accounts: CloudAccountRepository;
  proxies: ProxyService;
  secrets: SecretBox;
  audit: AuditRepository;
  clock: () => Date;
  clientOptions: ProviderClientOptions;
  /**
   * Schedules whose scan selects the account: while there are any, the account cannot be
   * deleted (their runs would fail with scan.unknown_accounts).
   */
  schedulesTargeting: (accountId: string) => { id: string; name: string }[];
}

const UNREADABLE: FailureReason = {
  code: 'credentials.unreadable',
  message:
    'the stored credentials cannot be decrypted with the current master key ' +
    '(was CWS_MASTER_KEY or master.key changed?); enter them again with PATCH',
  category: 'auth',
};

/** Builds the cloud account service. */
export function createCloudAccountService(
  deps: CloudAccountServiceDependencies,
): CloudAccountService {
  const { accounts, proxies, secrets, audit, clock } = deps;
  // Connections of accounts whose credentials could not be opened; the scan copies accounts but
  // keeps the same connection object, so it identifies them all the way to the scanner.
  const unreadable = new WeakSet<object>();
  const load = (id: string): CloudAccountRecord => {
    const record = accounts.get(id);
    if (!record) throw new CwsError('resource.not_found', `no cloud account ${id}`);
    return record;
  };

  return {
    async create(input) {
      const provider = requireProvider(input.provider);
      const credentials = requireCredentials(provider, input.credentials);
      requireProxy(input.proxy_profile_id);
      const now = clock().toISOString();
      const record: CloudAccountRecord = {
        id: newId('acct', clock().getTime()),
        provider,
        name: input.name,
        ...sealed(provider, credentials),
        timeout_seconds: input.timeout_seconds ?? null,
        policy_custom: input.policy_custom ?? null,
        proxy_profile_id: input.proxy_profile_id || null,
        created_at: now,
        updated_at: now,
      };
      await accounts.insert(record);
      await audit.record({
        action: 'cloud_account.created',
        target: `cloud-accounts/${record.id}`,
        details: { provider, name: record.name, fields: Object.keys(record.credentials_masked) },
      });
      return present(record);
    },

    get: (id) => present(load(id)),

    list(page) {
      const result = accounts.list(page);
      return { ...result, items: result.items.map(present) };
    },

    async update(id, patch) {
      const current = load(id);
      if (patch.provider !== undefined && patch.provider.toLowerCase() !== current.provider) {
        throw new CwsError('request.validation_failed', 'provider cannot change', [
          { path: 'provider', message: `must stay ${current.provider}; create a new account` },
        ]);
      }
      requireProxy(patch.proxy_profile_id);
      const next: CloudAccountRecord = {
        ...current,
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.credentials !== undefined
          ? sealed(current.provider, requireCredentials(current.provider, patch.credentials))
          : {}),
        ...(patch.timeout_seconds !== undefined ? { timeout_seconds: patch.timeout_seconds } : {}),
        ...(patch.policy_custom !== undefined ? { policy_custom: patch.policy_custom } : {}),
        ...(patch.proxy_profile_id !== undefined
          ? { proxy_profile_id: patch.proxy_profile_id || null }
          : {}),
        updated_at: clock().toISOString(),
      };
      await accounts.replace(next);
      await audit.record({
        action: 'cloud_account.updated',
        target: `cloud-accounts/${id}`,
        details: { fields: Object.keys(patch) },
      });
      return present(next);
    },

    async remove(id) {
      const record = load(id);
      const schedules = deps.schedulesTargeting(id);
      if (schedules.length > 0) {
        const named = schedules.map((s) => `${s.id} ("${s.name}")`).join(', ');
        throw new CwsError(
          'resource.conflict',
          `cloud account ${id} is selected by ${schedules.length} schedule(s): ${named}; ` +
            'remove it from their scan.selected_accounts (or delete them) first',
          schedules.map((s) => ({
            path: `schedules.${s.id}`,
            message: `schedule "${s.name}" selects this account`,
          })),
        );
      }
      await accounts.delete(id);
      await audit.record({
        action: 'cloud_account.deleted',
        target: `cloud-accounts/${id}`,
        details: { provider: record.provider, name: record.name },
      });
    },

    testConnection: (input) => testConnection(input),

    endpointOf(id) {
      const record = load(id);
      const fields = record.credentials_masked;
      if (record.provider === 'azure') {
        return String(
          fields.resource_manager_endpoint ??
            deps.clientOptions.azure.resourceManagerEndpoint ??
            AZURE_PUBLIC_CLOUD.resource_manager_endpoint,
        );
      }
      const pattern = String(
        fields.endpoint ??
          deps.clientOptions.alibaba.endpointPattern ??
          ALIBABA_PUBLIC_ENDPOINT_PATTERN,
      );
      const region = Array.isArray(fields.regions) ? fields.regions[0] : undefined;
      return alibabaEndpoint(pattern, 'ecs', region ?? ALIBABA_DISCOVERY_REGION);
    },

    listForDisplay: () => accounts.all().map((record) => toScanAccount(record, {})),

    listForScan() {
      return accounts.all().map((record) => {
        const connection = openConnection(record);
        if (!connection) {
          const empty = {};
          unreadable.add(empty);
          return toScanAccount(record, empty);
        }
        return toScanAccount(record, connection);
      });
    },

    guardScanner(scannerFor) {
      return (account) => {
        const scanner = scannerFor(account);
        if (!scanner || !unreadable.has(account.connection)) return scanner;
        return {
          provider: scanner.provider,
          planChecks: async () => ({ ok: false, reason: UNREADABLE }),
          runCheck: async () => ({ ok: false, reason: UNREADABLE }),
        };
      };
    },
  };

  function requireProxy(id: string | null | undefined): void {
    if (id && !proxies.exists(id)) {
      throw new CwsError('request.validation_failed', `proxy_profile_id: no proxy profile ${id}`, [
        { path: 'proxy_profile_id', message: `no proxy profile ${id} (see GET /v1/proxies)` },
      ]);
    }
  }

  function sealed(provider: CredentialProvider, credentials: Credentials) {
    return {
      credentials_sealed: secrets.seal(JSON.stringify(credentials)),
      credentials_masked: maskCredentials(provider, credentials),
    };
  }

  function openConnection(record: CloudAccountRecord): Record<string, unknown> | undefined {
    try {
      const credentials = JSON.parse(secrets.open(record.credentials_sealed));
      return record.proxy_profile_id
        ? { ...credentials, proxy_url: proxies.connectionUrl(record.proxy_profile_id) }
        : credentials;
    } catch (error) {
      if (error instanceof SecretOpenError) return undefined;
      if (error instanceof CwsError && error.code === 'secret.unreadable') return undefined;
      throw error;
    }
  }

  async function testConnection(input: ConnectionTestInput): Promise<ConnectionTestAnswer> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const provider = input.provider.trim().toLowerCase();
    if (provider === 'aws') throw awsManagedByProfiles();
    if (!isSupportedProvider(provider)) return checkFormatOnly(input, elapsed);

    const credentials = requireCredentials(provider, input.credentials);
    requireProxy(input.proxy_profile_id);
    const connection: Record<string, unknown> = input.proxy_profile_id
      ? { ...credentials, proxy_url: proxies.connectionUrl(input.proxy_profile_id) }
      : { ...credentials };
    const result = await runConnectionTest(provider, connection, credentials, input);
    const failed = result.checks.find((check) => !check.ok);
    return {
      ok: result.ok,
      provider,
      implemented: true,
      message: failed
        ? `${provider} connection failed at ${failed.name} (${result.category ?? 'error'}): ${failed.message}`
        : `${provider} connection works: ${result.checks.map((check) => check.message).join('; ')}`,
      checks: result.checks,
      ...(result.category ? { category: result.category } : {}),
      ...(result.code ? { code: result.code } : {}),
      duration_ms: elapsed(),
    };
  }

  /**
   * Runs the provider's test. The provider tests report settings their SDK refuses up front as a
   * failed `client` step themselves (as their scanners do); anything else an SDK throws before a
   * call answers the same way here, not as a server error.
   */
  async function runConnectionTest(
    provider: CredentialProvider,
    connection: Record<string, unknown>,
    credentials: Credentials,
    input: ConnectionTestInput,
  ): Promise<ConnectionTestResult> {
    const started = performance.now();
    try {
      return provider === 'azure'
        ? await (
            await import('../providers/azure/connectivity')
          ).testAzureConnection(connection, {
            ...deps.clientOptions.azure,
            timeout_ms: input.timeout_ms,
          })
        : await (
            await import('../providers/alibaba/connectivity')
          ).testAlibabaConnection(connection, {
            ...deps.clientOptions.alibaba,
            timeout_ms: input.timeout_ms,
            region: input.region,
          });
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error;
      const message = redact(
        error instanceof Error ? error.message : String(error),
        secretValues(provider, credentials),
      );
      const duration_ms = Math.round(performance.now() - started);
      return {
        ok: false,
        checks: [{ name: 'client', ok: false, message, duration_ms }],
        category: 'invalid',
        code: 'client_setup_failed',
      };
    }
  }
}

/** Turns the API's provider string into a provider with a collector, or the contract's refusal. */
function requireProvider(text: string): CredentialProvider {
  const provider = text.trim().toLowerCase();
  if (provider === 'aws') throw awsManagedByProfiles();
  if (!isSupportedProvider(provider)) {
    throw new CwsError(
      'account.unsupported_provider',
      `provider "${text}" has no collector for cloud accounts; use azure or alibaba`,
      [{ path: 'provider', message: 'must be azure or alibaba' }],
    );
  }
  return provider;
}

function awsManagedByProfiles(): CwsError {
  return new CwsError(
    'account.aws_managed_by_profiles',
    'AWS accounts come from the local AWS profiles (GET /v1/accounts lists them as profile_<name>); they are not created here',
    [{ path: 'provider', message: 'aws accounts are managed by profiles' }],
  );
}

function requireCredentials(provider: CredentialProvider, input: string | object): Credentials {
  const parsed = parseCredentials(provider, input);
  if (!parsed.ok) {
    throw new CwsError('account.invalid_credentials', parsed.reason.message, [
      { path: 'credentials', message: parsed.reason.message },
    ]);
  }
  return parsed.value;
}

/** A provider without a collector: the credentials' format is all that can be checked. */
function checkFormatOnly(input: ConnectionTestInput, elapsed: () => number): ConnectionTestAnswer {
  const provider = input.provider.trim();
  const fields = readJsonObject(input.credentials);
  const check: ConnectionCheck = fields
    ? {
        name: 'format',
        ok: true,
        message: `credentials are a JSON object with ${Object.keys(fields).length} field(s)`,
        duration_ms: 0,
      }
    : { name: 'format', ok: false, message: 'credentials must be a JSON object', duration_ms: 0 };
  return {
    ok: check.ok,
    provider,
    implemented: false,
    message:
      `provider "${provider}" has no collector in this build: only the format of the request was ` +
      `checked (${check.ok ? 'valid' : 'invalid'}); no connection was attempted`,
    checks: [check],
    ...(check.ok ? {} : { category: 'invalid' }),
    duration_ms: elapsed(),
  };
}

function readJsonObject(input: string | object): Record<string, unknown> | undefined {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return undefined;
    }
  }
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function secretValues(provider: CredentialProvider, credentials: Credentials): string[] {
  const secret: readonly string[] = CREDENTIAL_FIELDS[provider].secret;
  return secret.map((name) => credentials[name]).filter((v): v is string => typeof v === 'string');
}

/** Hides secret values in a message; values too short to tell apart from prose are left alone. */
function redact(text: string, secrets: string[]): string {
  return secrets.reduce(
    (out, secret) => (secret.length >= 4 ? out.replaceAll(secret, '****') : out),
    text,
  );
}

function present(record: CloudAccountRecord): CloudAccountView {
  const { credentials_sealed: _sealed, ...view } = record;
  return { ...view, source: 'cloud_account' };
}

function toScanAccount(
  record: CloudAccountRecord,
  connection: Record<string, unknown>,
): ScanAccount {
  const regions = record.credentials_masked.regions;
  return {
    id: record.id,
    provider: record.provider,
    name: record.name,
    source: 'cloud_account',
    connection,
    regions: Array.isArray(regions) ? [...regions] : [],
    ...(record.timeout_seconds !== null ? { timeout_seconds: record.timeout_seconds } : {}),
    ...(record.policy_custom ? { policy: record.policy_custom } : {}),
  };
}
