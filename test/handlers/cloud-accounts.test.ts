import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMasterKey } from '../../core/secrets';
import { startCloudFakes, type CloudFakes } from '../e2e/support/cloud-fakes';
import { startConnectProxy } from '../fakes/azure/connect-proxy';
import { createTestApp, waitForScan, type TestApp } from '../support/app';

let fakes: CloudFakes;
let test: TestApp;

beforeAll(async () => {
  fakes = await startCloudFakes();
});
afterAll(() => fakes.close());

/** A test app whose Azure and Alibaba clients reach only the fakes. */
function appAgainstFakes(options: { databasePath?: string; masterKey?: Uint8Array } = {}) {
  return createTestApp({
    ...options,
    config: {
      endpoints: {
        azureAuthorityHost: fakes.azure.url,
        azureResourceManager: fakes.azure.url,
        alibabaEndpointPattern: fakes.alibaba.endpointPattern,
      },
    },
    providerOptions: {
      azure: { ca: fakes.azure.ca, retry: { maxRetries: 1, retryDelayInMs: 10 } },
      alibaba: { retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 10 } },
    },
  });
}

beforeEach(async () => {
  test = await appAgainstFakes();
});
afterEach(() => test.close());

const azureBody = () => ({
  provider: 'azure',
  name: 'import-eu-prod',
  credentials: JSON.stringify(fakes.credentials.azure),
});
const alibabaBody = () => ({
  provider: 'alibaba',
  name: 'prod-cn',
  credentials: JSON.stringify(fakes.credentials.alibaba),
  timeout_seconds: 12,
});

async function create(body: Record<string, unknown>) {
  const response = await test.callJson('POST', '/v1/cloud-accounts', body);
  expect(response.status).toBe(201);
  return response.body;
}

describe('POST /v1/cloud-accounts', () => {
  it('creates an account from a JSON string and shows the credentials only masked', async () => {
    const { status, body, headers } = await test.callJson(
      'POST',
      '/v1/cloud-accounts',
      alibabaBody(),
    );
    expect(status).toBe(201);
    expect(headers.get('location')).toBe(`/v1/cloud-accounts/${body.id}`);
    expect(body).toMatchObject({
      provider: 'alibaba',
      name: 'prod-cn',
      source: 'cloud_account',
      timeout_seconds: 12,
      policy_custom: null,
      proxy_profile_id: null,
      credentials_masked: { access_key_id: 'ALI_ACCESS_KEY_ID', access_key_secret: '****CRET' },
    });
    expect(body.credentials).toBeUndefined();
    expect(body.credentials_sealed).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain('ALI_ACCESS_KEY_SECRET');
  });

  it('accepts credentials as an object and keeps optional fields such as regions', async () => {
    const body = await create({
      provider: 'Alibaba',
      name: 'two regions',
      credentials: { ...fakes.credentials.alibaba, regions: 'cn-hangzhou, cn-shanghai' },
    });
    expect(body.provider).toBe('alibaba');
    expect(body.credentials_masked.regions).toEqual(['cn-hangzhou', 'cn-shanghai']);
  });

  it('refuses provider aws with account.aws_managed_by_profiles', async () => {
    const { status, body } = await test.callJson('POST', '/v1/cloud-accounts', {
      provider: 'aws',
      name: 'prod',
      credentials: '{"access_key_id":"AKIA"}',
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('account.aws_managed_by_profiles');
  });

  it.each(['gcp', 'unsupported-provider', 'kubernetes'])(
    'refuses provider %s with account.unsupported_provider',
    async (provider) => {
      const { status, body } = await test.callJson('POST', '/v1/cloud-accounts', {
        provider,
        name: 'x',
        credentials: '{"foo":"bar"}',
      });
      expect(status).toBe(400);
      expect(body.error.code).toBe('account.unsupported_provider');
    },
  );

  it('names the missing credential fields, never their values', async () => {
    const { status, body } = await test.callJson('POST', '/v1/cloud-accounts', {
      provider: 'azure',
      name: 'half',
      credentials: { client_id: 'AZ_CLIENT_ID', subscription_id: 'AZ_SUBSCRIPTION_ID' },
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('account.invalid_credentials');
    expect(body.error.message).toContain('tenant_id');
    expect(body.error.message).toContain('client_secret');
    expect(body.error.message).not.toContain('client_id,');
    expect(JSON.stringify(body)).not.toContain('AZ_CLIENT_ID');
  });

  it.each([['not json'], ['[1,2]'], ['"text"']])(
    'refuses credentials %s that are no JSON object',
    async (credentials) => {
      const { status, body } = await test.callJson('POST', '/v1/cloud-accounts', {
        provider: 'alibaba',
        name: 'x',
        credentials,
      });
      expect(status).toBe(400);
      expect(body.error.code).toBe('account.invalid_credentials');
    },
  );

  it.each([
    [{ timeout_seconds: 0 }, 'timeout_seconds'],
    [{ timeout_seconds: 601 }, 'timeout_seconds'],
    [{ timeout_seconds: '12' }, 'timeout_seconds'],
    [{ timeout_seconds: 1.5 }, 'timeout_seconds'],
    [{ name: '' }, 'name'],
    [{ credentials: 42 }, 'credentials'],
    [{ colour: 'blue' }, 'colour'],
    [{ policy_custom: 'snapshot_age_days: [' }, 'policy_custom'],
    [{ policy_custom: '- 1\n- 2' }, 'policy_custom'],
    [{ policy_custom: 'snapshot_age_days: 0' }, 'policy_custom.snapshot_age_days'],
    [{ policy_custom: { retention: 3 } }, 'policy_custom.retention'],
    [{ policy_custom: '{"excluded_tags": "x"}' }, 'policy_custom.excluded_tags'],
  ])('refuses %j with a detail naming the field', async (change, path) => {
    const { status, body } = await test.callJson('POST', '/v1/cloud-accounts', {
      ...alibabaBody(),
      ...change,
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('request.validation_failed');
    expect(body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it.each([
    ['YAML', 'snapshot_age_days: 30\nexcluded_tags:\n  - keep=true\n'],
    ['JSON text', '{"snapshot_age_days": 30, "excluded_tags": ["keep=true"]}'],
    ['an object', { snapshot_age_days: 30, excluded_tags: ['keep=true'] }],
  ])('accepts policy_custom as %s and returns it as an object', async (_kind, policy) => {
    const body = await create({ ...alibabaBody(), policy_custom: policy });
    expect(body.policy_custom).toEqual({ snapshot_age_days: 30, excluded_tags: ['keep=true'] });
  });

  it('refuses a proxy_profile_id that does not exist', async () => {
    const { status, body } = await test.callJson('POST', '/v1/cloud-accounts', {
      ...alibabaBody(),
      proxy_profile_id: 'proxy_missing',
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('request.validation_failed');
    expect(body.error.details[0].path).toBe('proxy_profile_id');
  });

  it('records the change in the audit log without the secret', async () => {
    const account = await create(azureBody());
    const { body: events } = await test.callJson('GET', '/v1/events');
    const event = events.find((e: { action: string }) => e.action === 'cloud_account.created');
    expect(event).toMatchObject({ target: `cloud-accounts/${account.id}` });
    expect(JSON.stringify(events)).not.toContain('AZ_CLIENT_SECRET');
  });
});

describe('GET /v1/cloud-accounts', () => {
  it('lists accounts oldest first as a plain array, paginated on request', async () => {
    const first = await create(alibabaBody());
    const second = await create(azureBody());
    const all = await test.callJson('GET', '/v1/cloud-accounts');
    expect(all.body.map((a: { id: string }) => a.id)).toEqual([first.id, second.id]);
    expect(JSON.stringify(all.body)).not.toContain('SECRET"');

    const page = await test.callJson('GET', '/v1/cloud-accounts?limit=1');
    expect(page.body).toHaveLength(1);
    const envelope = await test.callJson('GET', '/v1/cloud-accounts?limit=1&envelope=true');
    expect(envelope.body.page.has_more).toBe(true);
    const next = await test.callJson(
      'GET',
      `/v1/cloud-accounts?limit=1&cursor=${envelope.body.page.next_cursor}`,
    );
    expect(next.body.items.map((a: { id: string }) => a.id)).toEqual([second.id]);
    expect(next.body.page.has_more).toBe(false);
  });

  it('answers 404 resource.not_found for an unknown id', async () => {
    const { status, body } = await test.callJson('GET', '/v1/cloud-accounts/acct_nope');
    expect(status).toBe(404);
    expect(body.error.code).toBe('resource.not_found');
  });
});

describe('PATCH /v1/cloud-accounts/{id}', () => {
  it('changes name and timeout and keeps everything else', async () => {
    const account = await create(alibabaBody());
    const { status, body } = await test.callJson('PATCH', `/v1/cloud-accounts/${account.id}`, {
      name: 'prod-cn-finops',
      timeout_seconds: 20,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: account.id,
      name: 'prod-cn-finops',
      timeout_seconds: 20,
      credentials_masked: account.credentials_masked,
    });
    expect((await test.callJson('GET', `/v1/cloud-accounts/${account.id}`)).body.name).toBe(
      'prod-cn-finops',
    );
  });

  it('replaces credentials whole, checks them again and seals the new ones', async () => {
    const account = await create(alibabaBody());
    const bad = await test.callJson('PATCH', `/v1/cloud-accounts/${account.id}`, {
      credentials: { access_key_id: 'only-the-id' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('account.invalid_credentials');

    const { body } = await test.callJson('PATCH', `/v1/cloud-accounts/${account.id}`, {
      credentials: { access_key_id: 'LTAI-new', access_key_secret: 'rotated-secret-9876' },
    });
    expect(body.credentials_masked).toEqual({
      access_key_id: 'LTAI-new',
      access_key_secret: '****9876',
    });
  });

  it('clears optional fields with null', async () => {
    const account = await create({ ...alibabaBody(), policy_custom: { snapshot_age_days: 9 } });
    const { body } = await test.callJson('PATCH', `/v1/cloud-accounts/${account.id}`, {
      timeout_seconds: null,
      policy_custom: null,
    });
    expect(body.timeout_seconds).toBeNull();
    expect(body.policy_custom).toBeNull();
  });

  it.each([
    [{}, ''],
    [{ colour: 'blue' }, 'colour'],
    [{ timeout_seconds: 700 }, 'timeout_seconds'],
    [{ provider: 'azure' }, 'provider'],
    [{ proxy_profile_id: 'proxy_missing' }, 'proxy_profile_id'],
  ])('refuses %j', async (patch, path) => {
    const account = await create(alibabaBody());
    const { status, body } = await test.callJson(
      'PATCH',
      `/v1/cloud-accounts/${account.id}`,
      patch,
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe('request.validation_failed');
    if (path) expect(body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('accepts the account own provider sent back unchanged', async () => {
    const account = await create(alibabaBody());
    const { status } = await test.callJson('PATCH', `/v1/cloud-accounts/${account.id}`, {
      provider: 'alibaba',
      name: 'same provider',
    });
    expect(status).toBe(200);
  });

  it('answers 404 for an unknown id', async () => {
    const { status } = await test.callJson('PATCH', '/v1/cloud-accounts/acct_nope', { name: 'x' });
    expect(status).toBe(404);
  });
});

describe('DELETE /v1/cloud-accounts/{id}', () => {
  it('answers 204, after which the account is gone everywhere', async () => {
    const account = await create(alibabaBody());
    const response = await test.call('DELETE', `/v1/cloud-accounts/${account.id}`);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect((await test.callJson('GET', `/v1/cloud-accounts/${account.id}`)).status).toBe(404);
    expect((await test.callJson('GET', '/v1/accounts')).body).toEqual([]);
    expect((await test.call('DELETE', `/v1/cloud-accounts/${account.id}`)).status).toBe(404);
    const { body: events } = await test.callJson('GET', '/v1/events');
    expect(events[0]).toMatchObject({
      action: 'cloud_account.deleted',
      target: `cloud-accounts/${account.id}`,
    });
  });

  it('answers 409 resource.conflict naming the schedules that select the account', async () => {
    const account = await create(alibabaBody());
    const schedule = await test.callJson('POST', '/v1/schedules', {
      name: 'nightly-cn',
      run_at: 4_102_444_800,
      interval_minutes: 1440,
      scan: { selected_accounts: [account.id] },
    });
    expect(schedule.status).toBe(201);
    const other = await test.callJson('POST', '/v1/schedules', {
      name: 'full scope',
      run_at: 4_102_444_800,
    });
    expect(other.status).toBe(201);

    const refused = await test.callJson('DELETE', `/v1/cloud-accounts/${account.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('resource.conflict');
    expect(refused.body.error.message).toContain(`${schedule.body.id} ("nightly-cn")`);
    expect(refused.body.error.message).not.toContain(other.body.id);
    expect(refused.body.error.details).toEqual([
      {
        path: `schedules.${schedule.body.id}`,
        message: 'schedule "nightly-cn" selects this account',
      },
    ]);
    expect((await test.callJson('GET', `/v1/cloud-accounts/${account.id}`)).status).toBe(200);

    await test.call('DELETE', `/v1/schedules/${schedule.body.id}`);
    expect((await test.call('DELETE', `/v1/cloud-accounts/${account.id}`)).status).toBe(204);
  });
});

describe('GET /v1/accounts', () => {
  it('lists cloud accounts next to the AWS profiles, with their regions', async () => {
    const azure = await create(azureBody());
    const alibaba = await create({
      ...alibabaBody(),
      credentials: { ...fakes.credentials.alibaba, regions: ['cn-hangzhou'] },
    });
    const { body } = await test.callJson('GET', '/v1/accounts');
    expect(body).toEqual([
      { id: azure.id, provider: 'azure', name: 'import-eu-prod', source: 'cloud_account' },
      {
        id: alibaba.id,
        provider: 'alibaba',
        name: 'prod-cn',
        source: 'cloud_account',
        regions: ['cn-hangzhou'],
      },
    ]);
  });
});

describe('credentials at rest', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cws-accounts-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps no secret in the database file, only sealed values', async () => {
    const databasePath = join(dir, 'cws.sqlite');
    const onDisk = await appAgainstFakes({ databasePath });
    try {
      const clientSecret = 'azure-client-secret-value-6f1c';
      const accessKeySecret = 'alibaba-access-key-secret-93d2';
      const proxyPassword = 'proxy-password-value-51aa';
      const proxy = await onDisk.callJson('POST', '/v1/proxies', {
        name: 'corp',
        url: 'http://127.0.0.1:3128',
        username: 'scanner',
        password: proxyPassword,
      });
      expect(proxy.status).toBe(201);
      for (const body of [
        {
          provider: 'azure',
          name: 'a',
          credentials: { ...fakes.credentials.azure, client_secret: clientSecret },
          proxy_profile_id: proxy.body.id,
        },
        {
          provider: 'alibaba',
          name: 'b',
          credentials: JSON.stringify({
            access_key_id: 'LTAI-id',
            access_key_secret: accessKeySecret,
          }),
        },
      ]) {
        expect((await onDisk.callJson('POST', '/v1/cloud-accounts', body)).status).toBe(201);
      }
      const bytes = readFileSync(databasePath).toString('latin1');
      for (const secret of [clientSecret, accessKeySecret, proxyPassword]) {
        expect(bytes).not.toContain(secret);
        expect(bytes).not.toContain(Buffer.from(secret).toString('base64'));
      }
      expect(bytes).toContain('cws-gcm1.');
      expect(bytes).toContain('AZ_CLIENT_ID');
    } finally {
      await onDisk.close();
    }
  });

  it('opens the credentials again after a restart with the same master key', async () => {
    const databasePath = join(dir, 'cws.sqlite');
    const masterKey = generateMasterKey();
    const first = await appAgainstFakes({ databasePath, masterKey });
    const account = (await first.callJson('POST', '/v1/cloud-accounts', alibabaBody())).body;
    await first.close();

    const second = await appAgainstFakes({ databasePath, masterKey });
    try {
      const scan = await second.callJson('POST', '/v1/scans', { selected_accounts: [account.id] });
      const done = await waitForScan(second, scan.body.scan_id);
      expect(done.status).toBe('completed');
    } finally {
      await second.close();
    }
  });

  it('fails the account check, not the server, when the master key changed', async () => {
    const databasePath = join(dir, 'cws.sqlite');
    const first = await appAgainstFakes({ databasePath, masterKey: generateMasterKey() });
    const account = (await first.callJson('POST', '/v1/cloud-accounts', alibabaBody())).body;
    await first.close();

    const second = await appAgainstFakes({ databasePath, masterKey: generateMasterKey() });
    try {
      expect((await second.callJson('GET', '/v1/accounts')).body).toHaveLength(1);
      const callsBefore = fakes.alibaba.calls.length;
      const scan = await second.callJson('POST', '/v1/scans', { selected_accounts: [account.id] });
      const done = await waitForScan(second, scan.body.scan_id);
      expect(done.status).toBe('failed');
      expect(done.accounts[0].errors[0].code).toBe('credentials.unreadable');
      expect(fakes.alibaba.calls.length).toBe(callsBefore);
    } finally {
      await second.close();
    }
  });
});

describe('POST /v1/cloud-accounts/test', () => {
  it('checks only the format of a provider without a collector', async () => {
    const { status, body } = await test.callJson('POST', '/v1/cloud-accounts/test', {
      provider: 'unsupported-provider',
      credentials: '{"foo":"bar"}',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, provider: 'unsupported-provider', implemented: false });
    expect(body.message).toContain('only the format');
    expect(body.checks).toEqual([expect.objectContaining({ name: 'format', ok: true })]);
  });

  it('reports a malformed credential document of such a provider as not ok', async () => {
    const { status, body } = await test.callJson('POST', '/v1/cloud-accounts/test', {
      provider: 'gcp',
      credentials: 'not json',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: false, implemented: false });
  });

  it('refuses aws like account creation does', async () => {
    const { status, body } = await test.callJson('POST', '/v1/cloud-accounts/test', {
      provider: 'aws',
      credentials: '{}',
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('account.aws_managed_by_profiles');
  });

  it('gets a token and reads the subscription for good Azure credentials', async () => {
    const { status, body } = await test.callJson('POST', '/v1/cloud-accounts/test', {
      provider: 'azure',
      credentials: fakes.credentials.azure,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, provider: 'azure', implemented: true });
    expect(body.checks.map((c: { name: string }) => c.name)).toEqual(['token', 'resource_manager']);
  });

  it('answers ok:false with category auth for a wrong Azure secret, without echoing it', async () => {
    const { body } = await test.callJson('POST', '/v1/cloud-accounts/test', {
      provider: 'azure',
      credentials: { ...fakes.credentials.azure, client_secret: 'wrong-secret-value-1234' },
    });
    expect(body).toMatchObject({ ok: false, implemented: true, category: 'auth' });
    expect(JSON.stringify(body)).not.toContain('wrong-secret-value-1234');
  });

  it('answers ok:false, not a server error, for a tenant id the Azure SDK refuses', async () => {
    const { status, body } = await test.callJson('POST', '/v1/cloud-accounts/test', {
      provider: 'azure',
      credentials: { ...fakes.credentials.azure, tenant_id: 'AZ_TENANT_ID' },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: false, category: 'invalid', code: 'client_setup_failed' });
  });

  it('signs DescribeRegions for good Alibaba credentials and reports a wrong secret as auth', async () => {
    const good = await test.callJson('POST', '/v1/cloud-accounts/test', {
      provider: 'alibaba',
      credentials: JSON.stringify(fakes.credentials.alibaba),
      region: 'cn-shanghai',
    });
    expect(good.body).toMatchObject({ ok: true, provider: 'alibaba', implemented: true });
    const bad = await test.callJson('POST', '/v1/cloud-accounts/test', {
      provider: 'alibaba',
      credentials: { ...fakes.credentials.alibaba, access_key_secret: 'not-the-secret' },
    });
    expect(bad.body).toMatchObject({ ok: false, category: 'auth' });
  });

  it('goes through the proxy profile it names', async () => {
    const proxy = await startConnectProxy();
    try {
      const profile = await test.callJson('POST', '/v1/proxies', { name: 'p', url: proxy.url });
      const { body } = await test.callJson('POST', '/v1/cloud-accounts/test', {
        provider: 'azure',
        credentials: fakes.credentials.azure,
        proxy_profile_id: profile.body.id,
      });
      expect(body.ok).toBe(true);
      expect(proxy.targets).toContain(new URL(fakes.azure.url).host);
    } finally {
      await proxy.stop();
    }
  });

  it('never creates a scan or counts toward the quota', async () => {
    await test.callJson('POST', '/v1/cloud-accounts/test', {
      provider: 'alibaba',
      credentials: fakes.credentials.alibaba,
    });
    expect((await test.callJson('GET', '/v1/scans')).body).toEqual([]);
    expect((await test.callJson('GET', '/v1/settings/quota')).body.used).toBe(0);
  });
});

describe('scanning cloud accounts', () => {
  it('scans an Azure and an Alibaba account against the fakes and prices their findings', async () => {
    const azure = await create(azureBody());
    const alibaba = await create(alibabaBody());
    const started = await test.callJson('POST', '/v1/scans', {
      selected_accounts: [azure.id, alibaba.id],
    });
    expect(started.status).toBe(202);
    const scan = await waitForScan(test, started.body.scan_id);
    expect(scan.status).toBe('completed');
    expect(scan.accounts.map((a: { status: string }) => a.status)).toEqual([
      'completed',
      'completed',
    ]);

    const { body: findings } = await test.callJson(
      'GET',
      `/v1/findings?scan_id=${scan.scan_id}&limit=250`,
    );
    const providers = new Set(findings.map((f: { provider: string }) => f.provider));
    expect(providers).toEqual(new Set(['azure', 'alibaba']));
    const unattached = findings.find(
      (f: { rule_id: string }) => f.rule_id === 'azure.disk.unattached',
    );
    expect(unattached.account_id).toBe(azure.id);
    expect(unattached.estimated_monthly_cost).toBeGreaterThan(0);
    expect(findings.some((f: { rule_id: string }) => f.rule_id === 'alibaba.disk.unattached')).toBe(
      true,
    );
    expect(JSON.stringify(findings)).not.toContain('AZ_CLIENT_SECRET');
    expect(JSON.stringify(scan)).not.toContain('ALI_ACCESS_KEY_SECRET');
  });

  it('fails the check of an Azure account whose tenant id the SDK refuses as invalid, like the test', async () => {
    const azure = await create({
      ...azureBody(),
      credentials: { ...fakes.credentials.azure, tenant_id: 'AZ_TENANT_ID' },
    });
    const started = await test.callJson('POST', '/v1/scans', { selected_accounts: [azure.id] });
    const scan = await waitForScan(test, started.body.scan_id);
    expect(scan.accounts[0].errors).toEqual([
      expect.objectContaining({ code: 'client_setup_failed', category: 'invalid' }),
    ]);
    const tested = await test.callJson('POST', '/v1/cloud-accounts/test', {
      provider: 'azure',
      credentials: { ...fakes.credentials.azure, tenant_id: 'AZ_TENANT_ID' },
    });
    expect(tested.body).toMatchObject({ code: 'client_setup_failed', category: 'invalid' });
  });

  it('visits cloud accounts in a full-scope scan', async () => {
    const alibaba = await create(alibabaBody());
    const started = await test.callJson('POST', '/v1/scans');
    expect(started.status).toBe(202);
    const scan = await waitForScan(test, started.body.scan_id);
    expect(scan.selected_accounts).toEqual([alibaba.id]);
    expect(scan.status).toBe('completed');
  });

  it('applies the account policy_custom to its findings', async () => {
    const strict = await create({
      ...alibabaBody(),
      policy_custom: 'excluded_tags:\n  - env=prod\n',
    });
    const started = await test.callJson('POST', '/v1/scans', { selected_accounts: [strict.id] });
    const scan = await waitForScan(test, started.body.scan_id);
    const { body: findings } = await test.callJson(
      'GET',
      `/v1/findings?scan_id=${scan.scan_id}&limit=250`,
    );
    // d-bp1avail000000001 is unattached but tagged env=prod in the fixture.
    expect(findings.map((f: { resource_id: string }) => f.resource_id)).not.toContain(
      'd-bp1avail000000001',
    );
  });

  it('sends a scan through the account proxy profile', async () => {
    const proxy = await startConnectProxy();
    try {
      const profile = await test.callJson('POST', '/v1/proxies', { name: 'p', url: proxy.url });
      const account = await create({ ...alibabaBody(), proxy_profile_id: profile.body.id });
      const started = await test.callJson('POST', '/v1/scans', {
        selected_accounts: [account.id],
      });
      const scan = await waitForScan(test, started.body.scan_id);
      expect(scan.status).toBe('completed');
      expect(proxy.targets).toContain(new URL(fakes.alibaba.url).host);
    } finally {
      await proxy.stop();
    }
  });
});
