import type {
  CallOptions,
  CheckResult,
  CheckSpec,
  Outcome,
  ProviderScanner,
  ScanAccount,
} from '../../model';
import { evaluateAlibabaRules } from '../../rules/alibaba';
import { collectAlibabaInventory, countAlibabaResources, listAlibabaRegions } from './collect';
import {
  ALIBABA_DISCOVERY_REGION,
  readAlibabaConnection,
  type AlibabaConnection,
} from './connection';
import { AlibabaRpcSession, classifyAlibabaError, type AlibabaRetryOptions } from './rpc';

/** Scanner-wide settings. */
export interface AlibabaScannerOptions {
  /**
   * Endpoint pattern for accounts that name none, e.g. `https://{service}.{region}.aliyuncs.com`
   * (the default) or `http://127.0.0.1:1234/{service}/{region}`.
   */
  endpointPattern?: string;
  /** Region DescribeRegions is called in; cn-hangzhou by default. */
  discoveryRegion?: string;
  retry?: AlibabaRetryOptions;
}

/**
 * The Alibaba Cloud scanner: one check per region (the account's list, else every region
 * DescribeRegions returns), each listing ECS and VPC resources through pop-core and running the
 * Alibaba rules. A denied or failing region fails its own check only.
 */
export function createAlibabaScanner(options: AlibabaScannerOptions = {}): ProviderScanner {
  return {
    provider: 'alibaba',
    async planChecks(account, callOptions) {
      const connection = readAlibabaConnection(account.connection, options.endpointPattern);
      if (!connection.ok) return connection;
      const regions = await resolveRegions(account, connection.value, options, callOptions);
      if (!regions.ok) return regions;
      return { ok: true, value: regions.value.map((region) => regionCheck(account, region)) };
    },
    async runCheck(account, check, callOptions) {
      const connection = readAlibabaConnection(account.connection, options.endpointPattern);
      if (!connection.ok) return connection;
      return scanRegion(account, check.region, connection.value, options, callOptions);
    },
  };
}

function regionCheck(account: ScanAccount, region: string): CheckSpec {
  return {
    id: `${account.id}:${region}`,
    account_id: account.id,
    region,
    label: `region ${region}`,
  };
}

async function resolveRegions(
  account: ScanAccount,
  connection: AlibabaConnection,
  options: AlibabaScannerOptions,
  callOptions: CallOptions,
): Promise<Outcome<string[]>> {
  if (account.regions.length) return { ok: true, value: account.regions };
  if (connection.regions.length) return { ok: true, value: connection.regions };
  return withSession(connection, options, callOptions, async (rpc) => ({
    ok: true,
    value: await listAlibabaRegions(rpc, options.discoveryRegion ?? ALIBABA_DISCOVERY_REGION),
  }));
}

async function scanRegion(
  account: ScanAccount,
  region: string,
  connection: AlibabaConnection,
  options: AlibabaScannerOptions,
  callOptions: CallOptions,
): Promise<Outcome<CheckResult>> {
  return withSession(connection, options, callOptions, async (rpc) => {
    const inventory = await collectAlibabaInventory(rpc, region);
    const drafts = evaluateAlibabaRules(inventory, {
      account_id: account.id,
      policy: callOptions.policy,
      now: callOptions.now,
    });
    return {
      ok: true,
      value: {
        resources_scanned: countAlibabaResources(inventory),
        drafts,
        inventory: {
          region,
          disks: inventory.disks.length,
          instances: inventory.instances.length,
          snapshots: inventory.snapshots.length,
          eips: inventory.eips.length,
          nat_gateways: inventory.nat_gateways.length,
        },
      },
    };
  });
}

/** Runs work in a call session; cloud failures become values, a cancel stays a throw. */
async function withSession<T>(
  connection: AlibabaConnection,
  options: AlibabaScannerOptions,
  callOptions: CallOptions,
  work: (rpc: AlibabaRpcSession) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  const rpc = new AlibabaRpcSession(
    connection,
    callOptions.signal,
    callOptions.timeout_ms,
    options.retry,
  );
  try {
    return await work(rpc);
  } catch (error) {
    if (rpc.canceled) throw new DOMException('The scan was canceled', 'AbortError');
    return { ok: false, reason: classifyAlibabaError(error, [connection.access_key_secret]) };
  } finally {
    rpc.dispose();
  }
}
