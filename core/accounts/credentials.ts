import type { FailureCategory, Outcome } from '../model';

/** Credential values after parsing: strings, except Alibaba's region list. */
export type Credentials = Record<string, string | string[]>;

interface FieldSpec {
  required: readonly string[];
  optional: readonly string[];
  /** Fields whose value is a secret: masked everywhere but in the encrypted store. */
  secret: readonly string[];
  /** Fields that must be absolute http(s) URLs. */
  urls: readonly string[];
}

/** The credential fields each provider with a collector accepts (CONTRACT.md "Accounts"). */
export const CREDENTIAL_FIELDS = {
  azure: {
    required: ['tenant_id', 'client_id', 'client_secret', 'subscription_id'],
    optional: ['authority_host', 'resource_manager_endpoint'],
    secret: ['client_secret'],
    urls: ['authority_host', 'resource_manager_endpoint'],
  },
  alibaba: {
    required: ['access_key_id', 'access_key_secret'],
    optional: ['regions', 'endpoint'],
    secret: ['access_key_secret'],
    urls: ['endpoint'],
  },
} as const satisfies Record<string, FieldSpec>;

/** A provider whose cloud accounts carry credentials. */
export type CredentialProvider = keyof typeof CREDENTIAL_FIELDS;

/** True for the providers `parseCredentials` knows; the caller answers for the others. */
export function isSupportedProvider(provider: string): provider is CredentialProvider {
  return Object.hasOwn(CREDENTIAL_FIELDS, provider);
}

/**
 * Reads credentials sent as a JSON string or an object: every required field present and a
 * non-empty string, optional ones checked when given, unknown ones dropped. Alibaba's `regions`
 * may be an array or a comma-separated string and comes back as an array. Failure messages name
 * fields, never values.
 */
export function parseCredentials(
  provider: CredentialProvider,
  input: string | object,
): Outcome<Credentials> {
  const spec: FieldSpec = CREDENTIAL_FIELDS[provider];
  const raw = readObject(input);
  if (!raw.ok) return raw;
  const fields = raw.value;

  const missing = spec.required.filter((name) => !hasText(fields[name]));
  if (missing.length) {
    return invalid(
      'credentials.missing_fields',
      `${provider} credentials need ${listNames(missing)}`,
    );
  }

  const credentials: Credentials = {};
  const problems: string[] = [];
  for (const name of [...spec.required, ...spec.optional]) {
    const value = fields[name];
    if (value === undefined || value === null || value === '') continue;
    if (name === 'regions') {
      const regions = readRegions(value);
      if (regions) credentials.regions = regions;
      else problems.push('regions must be region ids (an array or a comma-separated string)');
      continue;
    }
    if (typeof value !== 'string' || !value.trim()) {
      problems.push(`${name} must be a non-empty string`);
      continue;
    }
    const text = value.trim();
    if (spec.urls.includes(name) && !isHttpUrl(text)) {
      problems.push(`${name} must be an http(s) URL`);
      continue;
    }
    credentials[name] = text;
  }
  if (problems.length) return invalid('credentials.invalid_fields', problems.join('; '));
  return { ok: true, value: credentials };
}

/**
 * The credentials as the API may show them: identifiers in clear, each secret as `****` plus its
 * last four characters (only `****` when the secret is too short to hide anything).
 */
export function maskCredentials(
  provider: CredentialProvider,
  credentials: Credentials,
): Record<string, string | string[]> {
  const spec: FieldSpec = CREDENTIAL_FIELDS[provider];
  const masked: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(credentials)) {
    if (!spec.required.includes(name) && !spec.optional.includes(name)) continue;
    masked[name] = spec.secret.includes(name) ? maskSecret(String(value)) : value;
  }
  return masked;
}

/** `****` followed by the last four characters; a secret of four or fewer shows nothing. */
export function maskSecret(secret: string): string {
  return secret.length > 4 ? `****${secret.slice(-4)}` : '****';
}

function readObject(input: string | object): Outcome<Record<string, unknown>> {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return invalid('credentials.invalid_json', 'credentials must be a JSON object');
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return invalid('credentials.invalid_json', 'credentials must be a JSON object');
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function readRegions(value: unknown): string[] | undefined {
  const items = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(items)) return undefined;
  const regions: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') return undefined;
    const region = item.trim();
    if (!region) continue;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(region)) return undefined;
    if (!regions.includes(region)) regions.push(region);
  }
  return regions.length ? regions : undefined;
}

function hasText(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

function isHttpUrl(text: string): boolean {
  // Placeholders such as {region} are part of an endpoint pattern, not of the URL syntax.
  const probe = text.replace(/\{(service|region)\}/g, 'x');
  try {
    const url = new URL(probe);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function listNames(names: readonly string[]): string {
  return names.length === 1 ? (names[0] as string) : names.join(', ');
}

function invalid<T>(code: string, message: string): Outcome<T> {
  return { ok: false, reason: { code, message, category: 'invalid' } };
}

/** One step of a connection test (POST /v1/cloud-accounts/test). */
export interface ConnectionCheck {
  name: string;
  ok: boolean;
  message: string;
  duration_ms: number;
}

/** The outcome of a connection test; `category` says why it failed (auth, network, timeout …). */
export interface ConnectionTestResult {
  ok: boolean;
  checks: ConnectionCheck[];
  category?: FailureCategory;
  /** The cloud's own error code of the failing step. */
  code?: string;
}
