import type { Outcome } from '../../model';

/** Public endpoints: `ecs.<region>.aliyuncs.com` and `vpc.<region>.aliyuncs.com`. */
export const ALIBABA_PUBLIC_ENDPOINT_PATTERN = 'https://{service}.{region}.aliyuncs.com';

/** The region DescribeRegions is asked in when an account does not list its regions. */
export const ALIBABA_DISCOVERY_REGION = 'cn-hangzhou';

/** An AccessKey pair's connection, as stored with a cloud account. */
export interface AlibabaConnection {
  access_key_id: string;
  access_key_secret: string;
  /** Regions to visit; empty means every region DescribeRegions lists. */
  regions: string[];
  /** `{service}` and `{region}` are replaced per call; without them one URL serves every call. */
  endpoint_pattern: string;
  proxy_url?: string;
}

/**
 * Reads a scan account's connection settings: the AccessKey pair, optional regions (array or
 * comma-separated) and an optional endpoint pattern, which beats the scanner's, which beats the
 * public one. Failure messages name fields, never values.
 */
export function readAlibabaConnection(
  connection: Record<string, unknown>,
  defaultPattern?: string,
): Outcome<AlibabaConnection> {
  const missing = (['access_key_id', 'access_key_secret'] as const).filter(
    (name) => !text(connection[name]),
  );
  if (missing.length) {
    return {
      ok: false,
      reason: {
        code: 'credentials.missing_fields',
        message: `alibaba connection needs ${missing.join(', ')}`,
        category: 'invalid',
      },
    };
  }
  const pattern = (
    text(connection.endpoint) ??
    defaultPattern ??
    ALIBABA_PUBLIC_ENDPOINT_PATTERN
  ).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(pattern)) {
    return {
      ok: false,
      reason: {
        code: 'credentials.invalid_fields',
        message: 'endpoint must be an http(s) URL',
        category: 'invalid',
      },
    };
  }
  return {
    ok: true,
    value: {
      access_key_id: text(connection.access_key_id) as string,
      access_key_secret: text(connection.access_key_secret) as string,
      regions: readRegions(connection.regions),
      endpoint_pattern: pattern,
      proxy_url: text(connection.proxy_url),
    },
  };
}

/** The endpoint of one service in one region. */
export function alibabaEndpoint(pattern: string, service: 'ecs' | 'vpc', region: string): string {
  return pattern.replaceAll('{service}', service).replaceAll('{region}', region);
}

function readRegions(value: unknown): string[] {
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
  const regions = items
    .filter((item): item is string => typeof item === 'string')
    .map((item) => item.trim())
    .filter(Boolean);
  return [...new Set(regions)];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
