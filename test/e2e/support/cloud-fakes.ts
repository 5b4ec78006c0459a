import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeAlibaba, type FakeAlibaba, type FakeAlibabaRegion } from '../../fakes/alibaba';
import { startFakeAzure, type ArmCollection, type FakeAzure } from '../../fakes/azure';
import alibabaRegion from '../../fixtures/alibaba/region-mixed.json';
import azureSubscription from '../../fixtures/azure/subscription-mixed.json';

/** The placeholder credentials Playbook 8 (and 7) import, which the fakes accept. */
export const PLACEHOLDER_CREDENTIALS = {
  azure: {
    tenant_id: 'AZ_TENANT_ID',
    client_id: 'AZ_CLIENT_ID',
    client_secret: 'AZ_CLIENT_SECRET',
    subscription_id: 'AZ_SUBSCRIPTION_ID',
  },
  alibaba: { access_key_id: 'ALI_ACCESS_KEY_ID', access_key_secret: 'ALI_ACCESS_KEY_SECRET' },
} as const;

/**
 * The tenant the Azure fake serves. @azure/identity refuses a tenant id outside `[0-9a-zA-Z-.]`
 * before sending anything, so Playbook 8's `AZ_TENANT_ID` never reaches the fake: that account's
 * check fails locally (an invalid tenant id) while its Alibaba account completes. An Azure account
 * that should scan the fake uses this tenant with the other placeholders.
 */
export const FAKE_AZURE_TENANT_ID = '0a0a0a0a-1b1b-2c2c-3d3d-4e4e4e4e4e4e';

/** The environment a server needs to reach only the fakes, and how to stop them. */
export interface CloudFakes {
  azure: FakeAzure;
  alibaba: FakeAlibaba;
  /** Process-wide endpoint overrides and the fakes' CA, for `cws serve`. */
  env: {
    CWS_AZURE_AUTHORITY_HOST: string;
    CWS_AZURE_RESOURCE_MANAGER: string;
    CWS_ALIBABA_ENDPOINT: string;
    NODE_EXTRA_CA_CERTS: string;
  };
  /** Credentials that scan the fakes end to end (Azure with FAKE_AZURE_TENANT_ID). */
  credentials: {
    azure: Record<string, string>;
    alibaba: Record<string, string>;
  };
  close(): Promise<void>;
}

/**
 * Starts the Azure fake (HTTPS token endpoint and Resource Manager, a mixed subscription) and the
 * Alibaba fake (RPC, a mixed cn-hangzhou and an empty cn-shanghai), both accepting the
 * placeholder credentials, and writes the Azure fake's CA to a temporary PEM file for
 * NODE_EXTRA_CA_CERTS (the binary trusts it for every outgoing TLS connection).
 */
export async function startCloudFakes(): Promise<CloudFakes> {
  const { subscriptionId: fixtureSubscription, ...resources } = azureSubscription;
  const subscription = PLACEHOLDER_CREDENTIALS.azure.subscription_id;
  // The fixture's resource ids name its own subscription; the fake serves them under the placeholder.
  const rehomed = JSON.parse(
    JSON.stringify(resources).replaceAll(fixtureSubscription, subscription),
  ) as Record<ArmCollection, Record<string, unknown>[]>;
  const azure = await startFakeAzure({
    tenantId: FAKE_AZURE_TENANT_ID,
    clientId: PLACEHOLDER_CREDENTIALS.azure.client_id,
    clientSecret: PLACEHOLDER_CREDENTIALS.azure.client_secret,
    subscriptions: { [subscription]: { resources: rehomed } },
    pageSize: 3,
  });

  const { region: _region, ...hangzhou } = alibabaRegion;
  const alibaba = await startFakeAlibaba({
    accessKeyId: PLACEHOLDER_CREDENTIALS.alibaba.access_key_id,
    accessKeySecret: PLACEHOLDER_CREDENTIALS.alibaba.access_key_secret,
    regions: { 'cn-hangzhou': hangzhou as unknown as FakeAlibabaRegion, 'cn-shanghai': {} },
  });

  const dir = mkdtempSync(join(tmpdir(), 'cws-cloud-fakes-'));
  const caPath = join(dir, 'fake-azure-ca.pem');
  writeFileSync(caPath, azure.ca);
  return {
    azure,
    alibaba,
    env: {
      CWS_AZURE_AUTHORITY_HOST: azure.url,
      CWS_AZURE_RESOURCE_MANAGER: azure.url,
      CWS_ALIBABA_ENDPOINT: alibaba.endpointPattern,
      NODE_EXTRA_CA_CERTS: caPath,
    },
    credentials: {
      azure: { ...PLACEHOLDER_CREDENTIALS.azure, tenant_id: FAKE_AZURE_TENANT_ID },
      alibaba: { ...PLACEHOLDER_CREDENTIALS.alibaba },
    },
    async close() {
      await Promise.all([azure.stop(), alibaba.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// `bun test/e2e/support/cloud-fakes.ts` keeps the fakes up for a server started by hand (the
// playbooks): it prints the environment to start `cws serve` with, and stops on SIGINT/SIGTERM.
if (import.meta.main) {
  const fakes = await startCloudFakes();
  for (const [name, value] of Object.entries(fakes.env)) console.log(`export ${name}='${value}'`);
  const stop = async () => {
    await fakes.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
