import { ComputeManagementClient } from '@azure/arm-compute';
import { NetworkManagementClient } from '@azure/arm-network';
import type { HttpClient, PipelinePolicy, ProxySettings } from '@azure/core-rest-pipeline';
import { ClientSecretCredential } from '@azure/identity';
import type { Outcome } from '../../model';
import { clientSetupFailure } from './calls';
import { isKnownAuthority, type AzureConnection } from './connection';

/** How the SDK clients reach Azure, set once per scanner. */
export interface AzureTransportOptions {
  /**
   * PEM certificates to trust instead of the system store: a private cloud's own CA (or the
   * tests' loopback fake). Applies behind a proxy too.
   */
  ca?: string;
  /** The SDK retry policy (exponential back-off; 429/503 honour Retry-After). */
  retry?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
  /** Replaces the SDK's HTTP client for every request (credential and Resource Manager). */
  httpClient?: HttpClient;
}

/** The clients one check uses, all bound to one abort signal. */
export interface AzureClients {
  credential: ClientSecretCredential;
  compute: ComputeManagementClient;
  network: NetworkManagementClient;
  /**
   * Bodies of error responses by request id. The compute SDK's pager drops Resource Manager's
   * error message; classification reads it back from here.
   */
  errorBodies: Map<string, string>;
}

/** Default SDK retries: a few attempts, so a throttled call stays within its time bound. */
const DEFAULT_RETRY = { maxRetries: 3, retryDelayInMs: 800, maxRetryDelayInMs: 10_000 };

/**
 * Builds the credential and the Resource Manager clients for a connection. Every request they
 * send, token requests included, carries `signal`: aborting it cancels pages the SDK fetches on
 * its own (a compute pager's next links carry no caller options).
 */
export function createAzureClients(
  connection: AzureConnection,
  transport: AzureTransportOptions,
  signal: AbortSignal,
): AzureClients {
  const errorBodies = new Map<string, string>();
  const common = commonOptions(connection, transport, signal, errorBodies);
  const credential = new ClientSecretCredential(
    connection.tenant_id,
    connection.client_id,
    connection.client_secret,
    {
      ...common,
      authorityHost: connection.authority_host,
      // A private or fake authority has no instance metadata for MSAL to discover.
      disableInstanceDiscovery: !isKnownAuthority(connection.authority_host),
    },
  );
  const endpoint = connection.resource_manager_endpoint;
  const scope = `${endpoint}/.default`;
  const compute = new ComputeManagementClient(credential, connection.subscription_id, {
    ...common,
    endpoint,
    credentials: { scopes: [scope] },
  });
  const network = new NetworkManagementClient(credential, connection.subscription_id, {
    ...common,
    endpoint,
    $host: endpoint,
    credentialScopes: scope,
  });
  return { credential, compute, network, errorBodies };
}

/**
 * createAzureClients as an outcome: settings the SDK refuses up front become a
 * `client_setup_failed` reason (category `invalid`) instead of a throw, for scans and connection
 * tests alike.
 */
export function openAzureClients(
  connection: AzureConnection,
  transport: AzureTransportOptions,
  signal: AbortSignal,
): Outcome<AzureClients> {
  try {
    return { ok: true, value: createAzureClients(connection, transport, signal) };
  } catch (error) {
    return { ok: false, reason: clientSetupFailure(error, [connection.client_secret]) };
  }
}

function commonOptions(
  connection: AzureConnection,
  transport: AzureTransportOptions,
  signal: AbortSignal,
  errorBodies: Map<string, string>,
) {
  const policies: { policy: PipelinePolicy; position: 'perCall' | 'perRetry' }[] = [
    { policy: abortPolicy(signal), position: 'perCall' },
    { policy: errorBodyPolicy(errorBodies), position: 'perRetry' },
  ];
  if (transport.ca) policies.push({ policy: trustPolicy(transport.ca), position: 'perCall' });
  return {
    additionalPolicies: policies,
    retryOptions: { ...DEFAULT_RETRY, ...transport.retry },
    ...(transport.httpClient ? { httpClient: transport.httpClient } : {}),
    ...(connection.proxy_url ? { proxyOptions: proxySettings(connection.proxy_url) } : {}),
  };
}

function abortPolicy(signal: AbortSignal): PipelinePolicy {
  return {
    name: 'cwsAbortPolicy',
    sendRequest(request, next) {
      const own = request.abortSignal as AbortSignal | undefined;
      request.abortSignal = own && own !== signal ? AbortSignal.any([own, signal]) : signal;
      return next(request);
    },
  };
}

/** Keeps the last few error bodies, small ones only: enough to explain a failed call. */
function errorBodyPolicy(errorBodies: Map<string, string>): PipelinePolicy {
  return {
    name: 'cwsErrorBodyPolicy',
    async sendRequest(request, next) {
      const response = await next(request);
      const body = response.bodyAsText;
      if (response.status >= 400 && body && body.length <= 16_384) {
        errorBodies.set(request.requestId, body);
        if (errorBodies.size > 32) errorBodies.delete(errorBodies.keys().next().value as string);
      }
      return response;
    },
  };
}

/**
 * Trusts `ca` for this request. Passed as a request option rather than TLS settings so that it
 * also reaches the TLS connection a proxy tunnel opens.
 */
function trustPolicy(ca: string): PipelinePolicy {
  return {
    name: 'cwsTrustPolicy',
    sendRequest(request, next) {
      request.requestOverrides = { ...request.requestOverrides, ca };
      return next(request);
    },
  };
}

/** The SDK's proxy settings from a URL such as `http://user:pass@proxy:3128`. */
export function proxySettings(proxyUrl: string): ProxySettings {
  const url = new URL(proxyUrl);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return {
    host: `${url.protocol}//${url.hostname}`,
    port,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
}
