import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type {
  CallOptions,
  CheckResult,
  CheckSpec,
  FailureReason,
  Outcome,
  ProviderScanner,
  ScanAccount,
} from '../../model';
import { evaluateAwsRules, type AwsRegionInventory } from '../../rules/aws';
import { countAwsResources } from '../../rules/aws/inventory';
import { collectAwsRegion, createCallGate, type CallGate } from './collect';
import { classifyAwsError } from './errors';
import { normalizeAwsRegion } from './normalize';
import type { AwsProfileConnection } from './profiles';

/** What a client factory needs to build the EC2 client of one profile and region. */
export interface AwsClientArgs {
  profile: string;
  region: string;
  /** The profile's `endpoint_url`, used for every region when set. */
  endpoint?: string;
  timeoutMs: number;
  maxAttempts: number;
}

/** Builds the EC2 client for one profile and region; tests and the runtime may supply their own. */
export type AwsClientFactory = (args: AwsClientArgs) => EC2Client;

/** The region DescribeRegions is asked in when the profile names none. */
export const AWS_DEFAULT_REGION = 'us-east-1';

const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * The AWS scanner: plans one check per enabled region of a profile (DescribeRegions), then
 * collects each region's inventory read-only and runs the AWS rules on it. A denied or failing
 * region is an `{ ok: false }` outcome; cancelling the scan's signal throws.
 */
export function createAwsScanner(
  options: { clientFactory?: AwsClientFactory; maxAttempts?: number } = {},
): ProviderScanner {
  const clientFactory = options.clientFactory ?? createEc2Client;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;

  const clientFor = (connection: AwsProfileConnection, region: string, call: CallOptions) =>
    clientFactory({
      profile: connection.profile,
      region,
      endpoint: connection.endpoint_url,
      timeoutMs: call.timeout_ms,
      maxAttempts,
    });

  return {
    provider: 'aws',

    async planChecks(account, call) {
      const connection = readConnection(account);
      if (!connection.ok) return connection;
      const homeRegion = connection.value.region ?? AWS_DEFAULT_REGION;
      const client = clientFor(connection.value, homeRegion, call);
      const enabled = await withClient(client, call, listEnabledRegions);
      if (!enabled.ok) return enabled;
      const wanted = new Set(account.regions);
      const regions = enabled.value.filter((region) => wanted.size === 0 || wanted.has(region));
      return { ok: true, value: regions.map((region) => checkFor(account, region)) };
    },

    async runCheck(account, check, call) {
      const connection = readConnection(account);
      if (!connection.ok) return connection;
      const client = clientFor(connection.value, check.region, call);
      const raw = await withClient(client, call, collectAwsRegion);
      if (!raw.ok) return raw;
      const inventory = normalizeAwsRegion(raw.value);
      const drafts = evaluateAwsRules(inventory, {
        account_id: account.id,
        region: check.region,
        policy: call.policy,
        now: call.now,
      });
      const result: CheckResult = {
        resources_scanned: countAwsResources(inventory),
        drafts,
        inventory: inventoryCounts(inventory),
      };
      return { ok: true, value: result };
    },
  };
}

/**
 * The default client: the profile's own credential chain (static keys, SSO, assume-role,
 * credential_process all resolve from the profile name), adaptive retries with jittered back-off
 * for RequestLimitExceeded, and socket timeouts as a second bound behind the per-call signal.
 */
export function createEc2Client(args: AwsClientArgs): EC2Client {
  return new EC2Client({
    profile: args.profile,
    region: args.region,
    ...(args.endpoint ? { endpoint: args.endpoint } : {}),
    maxAttempts: args.maxAttempts,
    retryMode: 'adaptive',
    requestHandler: { connectionTimeout: args.timeoutMs, requestTimeout: args.timeoutMs },
  });
}

async function listEnabledRegions(client: EC2Client, gate: CallGate): Promise<string[]> {
  // AllRegions false lists only the regions enabled for the account (opted in or default).
  const output = await client.send(new DescribeRegionsCommand({ AllRegions: false }), gate.next());
  return (output.Regions ?? [])
    .filter((region) => region.OptInStatus !== 'not-opted-in')
    .flatMap((region) => (region.RegionName ? [region.RegionName] : []))
    .sort();
}

/**
 * Runs SDK calls with a client that is closed afterwards. Service and network failures become
 * values; an abort of the scan's own signal is rethrown so the scan engine can cancel.
 */
async function withClient<T>(
  client: EC2Client,
  call: CallOptions,
  work: (client: EC2Client, gate: CallGate) => Promise<T>,
): Promise<Outcome<T>> {
  const gate = createCallGate(call.signal, call.timeout_ms);
  try {
    return { ok: true, value: await work(client, gate) };
  } catch (error) {
    if (call.signal.aborted) throw call.signal.reason ?? error;
    return { ok: false, reason: classifyAwsError(error, gate.timedOut()) };
  } finally {
    client.destroy();
  }
}

function readConnection(account: ScanAccount): Outcome<AwsProfileConnection> {
  const { profile, region, endpoint_url: endpoint } = account.connection;
  if (typeof profile !== 'string' || profile === '') {
    return invalid('The AWS account has no profile name to resolve credentials from.');
  }
  if (region !== undefined && typeof region !== 'string') {
    return invalid('The AWS profile region must be a string.');
  }
  if (endpoint !== undefined && typeof endpoint !== 'string') {
    return invalid('The AWS profile endpoint_url must be a string.');
  }
  return {
    ok: true,
    value: {
      profile,
      ...(region ? { region } : {}),
      ...(endpoint ? { endpoint_url: endpoint } : {}),
    },
  };
}

function invalid(message: string): { ok: false; reason: FailureReason } {
  return { ok: false, reason: { code: 'InvalidAccount', message, category: 'invalid' } };
}

function checkFor(account: ScanAccount, region: string): CheckSpec {
  return {
    id: `${account.id}:${region}`,
    account_id: account.id,
    region,
    label: `${account.name} ${region}`,
  };
}

function inventoryCounts(inventory: AwsRegionInventory): Record<string, number> {
  return Object.fromEntries(Object.entries(inventory).map(([kind, items]) => [kind, items.length]));
}
