import type { ConnectionTestResult } from '../../accounts/credentials';
import { listAlibabaRegions } from './collect';
import { ALIBABA_DISCOVERY_REGION, readAlibabaConnection } from './connection';
import { AlibabaRpcSession, classifyAlibabaError } from './rpc';
import type { AlibabaScannerOptions } from './scanner';

/** Bounds of a connection test; `region` picks where DescribeRegions is asked. */
export interface AlibabaConnectionTestOptions extends AlibabaScannerOptions {
  timeout_ms: number;
  signal?: AbortSignal;
  region?: string;
}

/**
 * Tests an AccessKey pair with one signed, read-only call (DescribeRegions): it proves the key
 * exists, the signature matches and the endpoint answers. Never throws for a cloud failure.
 */
export async function testAlibabaConnection(
  connection: Record<string, unknown>,
  options: AlibabaConnectionTestOptions,
): Promise<ConnectionTestResult> {
  const parsed = readAlibabaConnection(connection, options.endpointPattern);
  if (!parsed.ok) {
    return {
      ok: false,
      checks: [{ name: 'credentials', ok: false, message: parsed.reason.message, duration_ms: 0 }],
      category: parsed.reason.category,
      code: parsed.reason.code,
    };
  }
  const settings = parsed.value;
  const region =
    options.region ?? settings.regions[0] ?? options.discoveryRegion ?? ALIBABA_DISCOVERY_REGION;
  const rpc = new AlibabaRpcSession(
    settings,
    options.signal ?? new AbortController().signal,
    options.timeout_ms,
    options.retry,
  );
  const started = performance.now();
  try {
    const regions = await listAlibabaRegions(rpc, region);
    return {
      ok: true,
      checks: [
        {
          name: 'describe_regions',
          ok: true,
          message: `signed request accepted in ${region}; ${regions.length} regions available`,
          duration_ms: Math.round(performance.now() - started),
        },
      ],
    };
  } catch (error) {
    if (rpc.canceled) throw new DOMException('The test was canceled', 'AbortError');
    const reason = classifyAlibabaError(error, [settings.access_key_secret]);
    return {
      ok: false,
      checks: [
        {
          name: 'describe_regions',
          ok: false,
          message: `${reason.code}: ${reason.message}`,
          duration_ms: Math.round(performance.now() - started),
        },
      ],
      category: reason.category,
      code: reason.code,
    };
  } finally {
    rpc.dispose();
  }
}
