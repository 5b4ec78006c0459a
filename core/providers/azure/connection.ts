import type { Outcome } from '../../model';

/** Azure public cloud endpoints, used when neither the account nor the scanner names others. */
export const AZURE_PUBLIC_CLOUD = {
  authority_host: 'https://login.microsoftonline.com',
  resource_manager_endpoint: 'https://management.azure.com',
} as const;

/** Authority hosts whose instance metadata MSAL knows; any other host skips instance discovery. */
const KNOWN_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
]);

/** A service principal's connection to one subscription, as stored with a cloud account. */
export interface AzureConnection {
  tenant_id: string;
  client_id: string;
  client_secret: string;
  subscription_id: string;
  authority_host: string;
  resource_manager_endpoint: string;
  proxy_url?: string;
}

/** Endpoint defaults a scanner applies to accounts that do not name their own. */
export interface AzureEndpointDefaults {
  authorityHost?: string;
  resourceManagerEndpoint?: string;
}

/**
 * Reads a scan account's connection settings. Account values beat the scanner's defaults, which
 * beat the public cloud. Failure messages name fields, never values.
 */
export function readAzureConnection(
  connection: Record<string, unknown>,
  defaults: AzureEndpointDefaults = {},
): Outcome<AzureConnection> {
  const required = ['tenant_id', 'client_id', 'client_secret', 'subscription_id'] as const;
  const missing = required.filter((name) => !text(connection[name]));
  if (missing.length) {
    return {
      ok: false,
      reason: {
        code: 'credentials.missing_fields',
        message: `azure connection needs ${missing.join(', ')}`,
        category: 'invalid',
      },
    };
  }
  const authority = trimSlash(
    text(connection.authority_host) ?? defaults.authorityHost ?? AZURE_PUBLIC_CLOUD.authority_host,
  );
  const resourceManager = trimSlash(
    text(connection.resource_manager_endpoint) ??
      defaults.resourceManagerEndpoint ??
      AZURE_PUBLIC_CLOUD.resource_manager_endpoint,
  );
  for (const [name, url] of [
    ['authority_host', authority],
    ['resource_manager_endpoint', resourceManager],
  ] as const) {
    if (!url.startsWith('https://')) {
      return {
        ok: false,
        reason: {
          code: 'credentials.invalid_fields',
          message: `${name} must be an https URL`,
          category: 'invalid',
        },
      };
    }
  }
  return {
    ok: true,
    value: {
      tenant_id: text(connection.tenant_id) as string,
      client_id: text(connection.client_id) as string,
      client_secret: text(connection.client_secret) as string,
      subscription_id: text(connection.subscription_id) as string,
      authority_host: authority,
      resource_manager_endpoint: resourceManager,
      proxy_url: text(connection.proxy_url),
    },
  };
}

/** True when MSAL may run instance discovery against this authority (public, sovereign clouds). */
export function isKnownAuthority(authorityHost: string): boolean {
  return KNOWN_AUTHORITY_HOSTS.has(new URL(authorityHost).hostname);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
