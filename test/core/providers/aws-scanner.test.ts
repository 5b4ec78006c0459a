import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_SCAN_POLICY,
  type CallOptions,
  type CheckResult,
  type CheckSpec,
  type FailureReason,
  type Outcome,
  type ScanAccount,
} from '../../../core/model';
import { parseAwsProfiles } from '../../../core/providers/aws/profiles';
import { createAwsScanner } from '../../../core/providers/aws/scanner';
import { startFakeEc2, type FakeEc2, type FakeEc2Options } from '../../fakes/ec2';
import {
  AWS_FIXTURE_EXPECTED,
  AWS_FIXTURE_NOW,
  AWS_FIXTURE_REGION,
} from '../../fixtures/aws/region-inventory';

/**
 * Drives the real @aws-sdk/client-ec2 against the local fake EC2 endpoint. Credentials come from
 * a temporary shared credentials file through the SDK's own profile chain, and the endpoint from
 * the profile's `endpoint_url`, exactly as an operator's files would provide them.
 */

const ACCESS_KEY_ID = 'AKIAFAKEFIXTURE00001';
const SAVED_ENV = {
  AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE,
  AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE,
  AWS_EC2_METADATA_DISABLED: process.env.AWS_EC2_METADATA_DISABLED,
};
let directory = '';
let fileSerial = 0;
const fakes: FakeEc2[] = [];

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'cws-aws-'));
  // The SDK must never wander off to an instance metadata endpoint from a test.
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

afterAll(() => {
  for (const [key, value] of Object.entries(SAVED_ENV)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(directory, { recursive: true, force: true });
});

async function fake(options: Partial<FakeEc2Options> = {}): Promise<FakeEc2> {
  const started = await startFakeEc2({
    inventory: { 'us-east-1': AWS_FIXTURE_REGION, 'eu-west-1': {}, 'ap-south-1': {} },
    ...options,
  });
  fakes.push(started);
  return started;
}

/**
 * Writes fresh shared config and credentials files naming the fake as the profile's endpoint and
 * returns the account parsed from them. Each call uses new file names: the SDK caches file reads.
 */
function profileAccount(endpoint: string, region = 'us-east-1'): ScanAccount {
  fileSerial += 1;
  const configPath = join(directory, `config-${fileSerial}`);
  const credentialsPath = join(directory, `credentials-${fileSerial}`);
  const config = `[profile fixture]\nregion = ${region}\nendpoint_url = ${endpoint}\n`;
  const credentials =
    `[fixture]\naws_access_key_id = ${ACCESS_KEY_ID}\n` +
    'aws_secret_access_key = fixtureSecretNotReal\n';
  writeFileSync(configPath, config);
  writeFileSync(credentialsPath, credentials);
  process.env.AWS_CONFIG_FILE = configPath;
  process.env.AWS_SHARED_CREDENTIALS_FILE = credentialsPath;
  const [account] = parseAwsProfiles(config, credentials);
  return account as ScanAccount;
}

function callOptions(overrides: Partial<CallOptions> = {}): CallOptions {
  return {
    signal: new AbortController().signal,
    timeout_ms: 5_000,
    policy: DEFAULT_SCAN_POLICY,
    now: AWS_FIXTURE_NOW,
    ...overrides,
  };
}

function check(account: ScanAccount, region: string): CheckSpec {
  return { id: `${account.id}:${region}`, account_id: account.id, region, label: region };
}

function value<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`expected ok, got ${JSON.stringify(outcome.reason)}`);
  return outcome.value;
}

function reason<T>(outcome: Outcome<T>): FailureReason {
  if (outcome.ok) throw new Error('expected a failure');
  return outcome.reason;
}

describe('createAwsScanner with the real EC2 client', () => {
  it('plans one check per enabled region from DescribeRegions', async () => {
    const ec2 = await fake({ disabledRegions: ['me-south-1'] });
    const account = profileAccount(ec2.url);
    const checks = value(await createAwsScanner().planChecks(account, callOptions()));
    expect(checks).toEqual([
      {
        id: 'profile_fixture:ap-south-1',
        account_id: 'profile_fixture',
        region: 'ap-south-1',
        label: 'fixture ap-south-1',
      },
      {
        id: 'profile_fixture:eu-west-1',
        account_id: 'profile_fixture',
        region: 'eu-west-1',
        label: 'fixture eu-west-1',
      },
      {
        id: 'profile_fixture:us-east-1',
        account_id: 'profile_fixture',
        region: 'us-east-1',
        label: 'fixture us-east-1',
      },
    ]);
    expect(ec2.regionCalls).toEqual({ 'us-east-1': 1 });
  });

  it('asks DescribeRegions in the profile region and keeps only the account regions', async () => {
    const ec2 = await fake();
    const account = { ...profileAccount(ec2.url, 'eu-west-1'), regions: ['us-east-1', 'mars-1'] };
    const checks = value(await createAwsScanner().planChecks(account, callOptions()));
    expect(checks.map((c) => c.region)).toEqual(['us-east-1']);
    expect(ec2.regionCalls).toEqual({ 'eu-west-1': 1 });
  });

  it('finds every rule once through the SDK, credentials from the profile files', async () => {
    const ec2 = await fake();
    const account = profileAccount(ec2.url);
    const result = value(
      await createAwsScanner().runCheck(account, check(account, 'us-east-1'), callOptions()),
    );
    for (const [ruleId, resourceIds] of Object.entries(AWS_FIXTURE_EXPECTED)) {
      const found = result.drafts.filter((d) => d.rule_id === ruleId).map((d) => d.resource_id);
      expect(found.sort(), ruleId).toEqual([...resourceIds].sort());
    }
    expect(result.drafts).toHaveLength(Object.values(AWS_FIXTURE_EXPECTED).flat().length);
    expect(ec2.accessKeyIds).toEqual(new Set([ACCESS_KEY_ID]));
    expect(result.drafts.every((d) => d.account_id === 'profile_fixture')).toBe(true);
  });

  it('counts the billable resources it looked at', async () => {
    const ec2 = await fake();
    const account = profileAccount(ec2.url);
    const result = value(
      await createAwsScanner().runCheck(account, check(account, 'us-east-1'), callOptions()),
    );
    // 10 volumes, 4 live instances, 6 addresses, 11 own snapshots, 6 images, 4 NAT gateways, 3 ENIs
    expect(result.resources_scanned).toBe(44);
    expect(result.inventory).toMatchObject({ snapshots: 11, launch_template_versions: 2 });
  });

  it('asks for own snapshots, disabled images and every template version', async () => {
    const ec2 = await fake();
    const account = profileAccount(ec2.url);
    const result = value(
      await createAwsScanner().runCheck(account, check(account, 'us-east-1'), callOptions()),
    );
    const ids = new Set(result.drafts.map((d) => d.resource_id));
    expect(ids.has('snap-0disabledimg')).toBe(false);
    expect(ids.has('snap-0template')).toBe(false);
    expect(ids.has('ami-0template')).toBe(false);
    expect(ids.has('snap-0foreign')).toBe(false);
    expect(ec2.calls.DescribeLaunchTemplateVersions).toBe(1);
  });

  it('follows NextToken across three pages of every paginated call', async () => {
    const volumes = Array.from({ length: 5 }, (_, i) => ({
      VolumeId: `vol-page${i}`,
      Size: 10,
      VolumeType: 'gp3' as const,
      State: 'available' as const,
      CreateTime: new Date('2026-01-01T00:00:00Z'),
    }));
    const snapshots = Array.from({ length: 6 }, (_, i) => ({
      SnapshotId: `snap-page${i}`,
      VolumeId: 'vol-gone',
      VolumeSize: 1,
      State: 'completed' as const,
      StartTime: new Date('2026-01-01T00:00:00Z'),
    }));
    const ec2 = await fake({ pageSize: 2, inventory: { 'us-east-1': { volumes, snapshots } } });
    const account = profileAccount(ec2.url);
    const result = value(
      await createAwsScanner().runCheck(account, check(account, 'us-east-1'), callOptions()),
    );
    expect(ec2.calls.DescribeVolumes).toBe(3);
    expect(ec2.calls.DescribeSnapshots).toBe(3);
    const unattached = result.drafts.filter((d) => d.rule_id === 'aws.ebs.unattached');
    const orphaned = result.drafts.filter((d) => d.rule_id === 'aws.snapshot.orphaned');
    expect(unattached).toHaveLength(5);
    expect(orphaned).toHaveLength(6);
  });

  it('retries RequestLimitExceeded with back-off and succeeds', async () => {
    const ec2 = await fake({ throttleFirst: 1 });
    const account = profileAccount(ec2.url);
    const scanner = createAwsScanner({ maxAttempts: 2 });
    const checks = value(await scanner.planChecks(account, callOptions()));
    expect(checks).toHaveLength(3);
    expect(ec2.calls.DescribeRegions).toBe(2);
  });

  it('reports throttling that outlasts the attempts as a throttled failure', async () => {
    const ec2 = await fake({ throttleEvery: 1 });
    const account = profileAccount(ec2.url);
    const outcome = await createAwsScanner({ maxAttempts: 2 }).planChecks(account, callOptions());
    expect(reason(outcome)).toMatchObject({ code: 'RequestLimitExceeded', category: 'throttled' });
    expect(ec2.calls.DescribeRegions).toBe(2);
  });

  it('isolates a denied region as a failed check while the others succeed', async () => {
    const ec2 = await fake({ deniedRegions: ['eu-west-1'] });
    const account = profileAccount(ec2.url);
    const scanner = createAwsScanner({ maxAttempts: 2 });
    const denied = await scanner.runCheck(account, check(account, 'eu-west-1'), callOptions());
    const allowed = await scanner.runCheck(account, check(account, 'us-east-1'), callOptions());
    expect(reason(denied)).toMatchObject({ code: 'UnauthorizedOperation', category: 'permission' });
    expect(reason(denied).message).toContain('eu-west-1');
    expect(value(allowed).drafts.length).toBeGreaterThan(0);
  });

  it('keeps the AWS code of opt-in and authentication refusals', async () => {
    const ec2 = await fake({
      deniedRegions: { 'ap-south-1': 'OptInRequired', 'eu-west-1': 'AuthFailure' },
    });
    const account = profileAccount(ec2.url);
    const scanner = createAwsScanner({ maxAttempts: 1 });
    const optIn = await scanner.runCheck(account, check(account, 'ap-south-1'), callOptions());
    const auth = await scanner.runCheck(account, check(account, 'eu-west-1'), callOptions());
    expect(reason(optIn)).toMatchObject({ code: 'OptInRequired', category: 'permission' });
    expect(reason(auth)).toMatchObject({ code: 'AuthFailure', category: 'auth' });
  });

  it('bounds each call by the timeout and reports it as a timeout', async () => {
    const ec2 = await fake({ latencyMs: 2_000 });
    const account = profileAccount(ec2.url);
    const started = Date.now();
    const outcome = await createAwsScanner({ maxAttempts: 1 }).runCheck(
      account,
      check(account, 'us-east-1'),
      callOptions({ timeout_ms: 150 }),
    );
    expect(reason(outcome).category).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('gives every page its own timeout rather than one for the whole pagination', async () => {
    const volumes = Array.from({ length: 6 }, (_, i) => ({
      VolumeId: `vol-slow${i}`,
      Size: 1,
      VolumeType: 'gp3' as const,
      State: 'in-use' as const,
    }));
    const ec2 = await fake({ latencyMs: 60, pageSize: 1, inventory: { 'us-east-1': { volumes } } });
    const account = profileAccount(ec2.url);
    const outcome = await createAwsScanner({ maxAttempts: 1 }).runCheck(
      account,
      check(account, 'us-east-1'),
      callOptions({ timeout_ms: 250 }),
    );
    expect(value(outcome).resources_scanned).toBe(6);
    expect(ec2.calls.DescribeVolumes).toBe(6);
  });

  it('throws when the scan is cancelled instead of reporting a failure', async () => {
    const ec2 = await fake({ latencyMs: 300 });
    const account = profileAccount(ec2.url);
    const controller = new AbortController();
    const reasonForCancel = new Error('scan canceled');
    setTimeout(() => controller.abort(reasonForCancel), 50);
    const running = createAwsScanner().runCheck(
      account,
      check(account, 'us-east-1'),
      callOptions({ signal: controller.signal }),
    );
    await expect(running).rejects.toBe(reasonForCancel);
  });

  it('reports an endpoint that refuses connections as a network failure', async () => {
    const ec2 = await fake();
    const account = profileAccount(ec2.url);
    await ec2.close();
    const outcome = await createAwsScanner({ maxAttempts: 1 }).planChecks(account, callOptions());
    expect(reason(outcome)).toMatchObject({ category: 'network' });
  });

  it('rejects an account without a profile name as invalid', async () => {
    const account: ScanAccount = {
      id: 'profile_x',
      provider: 'aws',
      name: 'x',
      source: 'aws_profile',
      regions: [],
      connection: {},
    };
    const outcome = await createAwsScanner().planChecks(account, callOptions());
    expect(reason(outcome)).toMatchObject({ code: 'InvalidAccount', category: 'invalid' });
  });

  it('accepts a client factory for callers that build clients themselves', async () => {
    const ec2 = await fake();
    const account = profileAccount(ec2.url);
    const seen: string[] = [];
    const { EC2Client } = await import('@aws-sdk/client-ec2');
    const scanner = createAwsScanner({
      clientFactory: (args) => {
        seen.push(
          `${args.profile}@${args.region}->${args.endpoint}:${args.timeoutMs}:${args.maxAttempts}`,
        );
        return new EC2Client({
          region: args.region,
          endpoint: args.endpoint,
          credentials: { accessKeyId: 'AKIAFACTORY', secretAccessKey: 'x' },
        });
      },
      maxAttempts: 4,
    });
    const result: CheckResult = value(
      await scanner.runCheck(
        account,
        check(account, 'eu-west-1'),
        callOptions({ timeout_ms: 900 }),
      ),
    );
    expect(result.drafts).toEqual([]);
    expect(seen).toEqual([`fixture@eu-west-1->${ec2.url}:900:4`]);
    expect(ec2.accessKeyIds).toEqual(new Set(['AKIAFACTORY']));
  });
});

describe('startFakeEc2', () => {
  it('tells the region from the Host header of an unsigned request', async () => {
    const ec2 = await fake();
    const response = await fetch(ec2.url, {
      method: 'POST',
      headers: {
        host: 'ec2.eu-west-1.amazonaws.com',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'Action=DescribeRegions&Version=2016-11-15',
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(
      '<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">',
    );
    expect(ec2.regionCalls).toEqual({ 'eu-west-1': 1 });
  });

  it('answers throttled calls with the EC2 error document and HTTP 503', async () => {
    const ec2 = await fake({ throttleFirst: 1 });
    const response = await fetch(ec2.url, {
      method: 'POST',
      headers: { host: 'ec2.us-east-1.amazonaws.com' },
      body: 'Action=DescribeVolumes&Version=2016-11-15',
    });
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(
      new RegExp(
        '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>.*</Message>' +
          '</Error></Errors><RequestID>.*</RequestID></Response>',
      ),
    );
  });
});
