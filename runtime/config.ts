import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Everything the process reads from flags and environment, checked once at start-up. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsSans: string[];
  tokenOverride?: string;
  demo: boolean;
  logFormat: 'json' | 'text';
  kubectl?: string;
  maxActiveScans: number;
  scanConcurrency: number;
  checksPerAccount: number;
  checksPerProvider: number;
  retainScans: number;
  masterKey?: string;
  endpoints: {
    azureAuthorityHost?: string;
    azureResourceManager?: string;
    alibabaEndpointPattern?: string;
  };
}

/** A command-line or environment value that cannot be used; the CLI exits 2 with its message. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Flags beat environment variables, which beat defaults (ARCHITECTURE.md "Configuration"). */
export function loadConfig(
  flags: Record<string, string | boolean>,
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const text = (flag: string, variable: string) => {
    const value = flags[flag] ?? env[variable];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  return {
    host: text('host', 'CWS_HOST') ?? '127.0.0.1',
    port: integer('port', text('port', 'CWS_PORT') ?? '9123', 0, 65535),
    dataDir: resolve(text('data-dir', 'CWS_DATA_DIR') ?? join(homedir(), '.cws')),
    tlsCert: text('tls-cert', 'CWS_TLS_CERT'),
    tlsKey: text('tls-key', 'CWS_TLS_KEY'),
    tlsSans: (env.CWS_TLS_SANS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    tokenOverride: env.CWS_TOKEN || undefined,
    demo: flags.demo === true || env.CWS_DEMO === '1' || env.CWS_DEMO === 'true',
    logFormat: logFormat(env.CWS_LOG_FORMAT),
    kubectl: env.CWS_KUBECTL || undefined,
    maxActiveScans: integer('CWS_MAX_ACTIVE_SCANS', env.CWS_MAX_ACTIVE_SCANS ?? '20', 1, 1000),
    scanConcurrency: integer('CWS_SCAN_CONCURRENCY', env.CWS_SCAN_CONCURRENCY ?? '2', 1, 100),
    checksPerAccount: integer('CWS_CHECKS_PER_ACCOUNT', env.CWS_CHECKS_PER_ACCOUNT ?? '8', 1, 100),
    checksPerProvider: integer(
      'CWS_CHECKS_PER_PROVIDER',
      env.CWS_CHECKS_PER_PROVIDER ?? '32',
      1,
      1000,
    ),
    retainScans: integer('CWS_RETAIN_SCANS', env.CWS_RETAIN_SCANS ?? '100', 1, 100000),
    masterKey: env.CWS_MASTER_KEY || undefined,
    endpoints: {
      azureAuthorityHost: env.CWS_AZURE_AUTHORITY_HOST || undefined,
      azureResourceManager: env.CWS_AZURE_RESOURCE_MANAGER || undefined,
      alibabaEndpointPattern: env.CWS_ALIBABA_ENDPOINT || undefined,
    },
  };
}

function integer(name: string, value: string, min: number, max: number): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return parsed;
}

function logFormat(value: string | undefined): 'json' | 'text' {
  if (value === 'json' || value === 'text') return value;
  if (value) throw new ConfigError(`CWS_LOG_FORMAT must be json or text (got "${value}")`);
  return process.stdout.isTTY ? 'text' : 'json';
}
