import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanAccount } from '../../core/model';
import { createAlibabaScanner } from '../../core/providers/alibaba/scanner';
import { parseAwsProfiles } from '../../core/providers/aws/profiles';
import { createAwsScanner } from '../../core/providers/aws/scanner';
import { createAzureScanner } from '../../core/providers/azure/scanner';
import { KIND_SPECS } from '../../core/providers/kubernetes/collect';
import { createKubernetesScanner } from '../../core/providers/kubernetes/scanner';
import { createKubectlRunner, findKubectl } from '../../runtime/kubectl';
import { startFakeAlibaba, type FakeAlibabaRegion } from '../fakes/alibaba';
import { startFakeAzure, type ArmCollection, type FakeSubscription } from '../fakes/azure';
import { startFakeEc2, type FakeEc2Options } from '../fakes/ec2';
import { startFakeKubeApiServer, type FakeKubeApiServerOptions } from '../fakes/kube-apiserver';
import { BUILT_IN_RESOURCES, KEDA_RESOURCES, METRICS_RESOURCES } from '../fakes/kube/resources';
import alibabaRegion from '../fixtures/alibaba/region-mixed.json';
import { AWS_FIXTURE_NOW, AWS_FIXTURE_REGION } from '../fixtures/aws/region-inventory';
import azureSubscription from '../fixtures/azure/subscription-mixed.json';
import { SECRET_BASE64, SECRET_PLAINTEXT, shopCluster } from '../fixtures/kubernetes/cluster';
import { NOW as KUBERNETES_NOW } from '../fixtures/kubernetes/objects';
import { writeAwsProfiles } from '../support/aws-profile';
import {
  COLLECTOR_SCENARIOS,
  describeCollectorContract,
  type CollectorHarness,
  type CollectorScenario,
} from './collector-contract';

/** Longer than any per-call timeout the contract uses: a slow call must time out, not finish. */
const STALL_MS = 20_000;

// AWS: the real EC2 client, credentials and endpoint from shared profile files.

/** The secret key test/support/aws-profile.ts writes for every profile. */
const AWS_SECRET_KEY = 'fixtureSecretNotReal';
const AWS_PROFILE = 'contract';

const awsFake: Record<CollectorScenario, FakeEc2Options> = {
  inventory: { inventory: awsRegions(AWS_FIXTURE_REGION) },
  paged: { inventory: awsRegions(AWS_FIXTURE_REGION), pageSize: 2 },
  throttled: {
    inventory: awsRegions(AWS_FIXTURE_REGION),
    // Adaptive retry mode slows a client down after each throttle (a fresh client to about one
    // call per two seconds), so the region's last list is the one refused, to keep this quick.
    throttleActions: { DescribeNetworkInterfaces: 1 },
  },
  slow: { inventory: { 'us-east-1': AWS_FIXTURE_REGION }, delayMs: { DescribeVolumes: STALL_MS } },
  denied: { inventory: awsRegions(AWS_FIXTURE_REGION), deniedRegions: ['eu-west-1'] },
  empty: { inventory: awsRegions({}) },
};

function awsRegions(home: FakeEc2Options['inventory'][string]): FakeEc2Options['inventory'] {
  return { 'us-east-1': home, 'eu-west-1': {}, 'ap-south-1': {} };
}

const aws: CollectorHarness = {
  provider: 'aws',
  rulePrefix: 'aws.',
  now: AWS_FIXTURE_NOW,
  secrets: [AWS_SECRET_KEY],
  slow: { timeoutMs: 300, slackMs: 1_500 },
  denied: { code: 'UnauthorizedOperation', refuses: (check) => check.region === 'eu-west-1' },
  async start(scenario) {
    const ec2 = await startFakeEc2(awsFake[scenario]);
    const files = writeAwsProfiles({ [AWS_PROFILE]: { endpoint: ec2.url } });
    files.activate();
    const [account] = parseAwsProfiles(
      readFileSync(files.env.AWS_CONFIG_FILE as string, 'utf8'),
      readFileSync(files.env.AWS_SHARED_CREDENTIALS_FILE as string, 'utf8'),
    );
    return {
      scanner: createAwsScanner(),
      account: account as ScanAccount,
      requests: () => ec2.requests.length,
      continuationPages: () => ec2.requests.filter((request) => request.nextToken).length,
      throttledAnswers: () => ec2.requests.filter((request) => request.status === 503).length,
      async close() {
        files.restore();
        await ec2.close();
      },
    };
  },
};

// Azure: @azure/identity and the ARM SDKs against the HTTPS authority + Resource Manager fake.

const AZURE_TENANT = '11111111-2222-3333-4444-555555555555';
const AZURE_CLIENT = '66666666-7777-8888-9999-000000000000';
const AZURE_SECRET = 'contract-client-secret-0123456789abcdef';
const { subscriptionId: AZURE_SUBSCRIPTION, ...azureCollections } = azureSubscription;
const azureResources = azureCollections as unknown as Record<
  ArmCollection,
  Record<string, unknown>[]
>;
/** Large enough that the unpaged scenarios fit every collection on one page. */
const AZURE_ONE_PAGE = 1_000;

const azureFake: Record<CollectorScenario, { subscription: FakeSubscription; pageSize: number }> = {
  inventory: { subscription: { resources: azureResources }, pageSize: AZURE_ONE_PAGE },
  paged: { subscription: { resources: azureResources }, pageSize: 2 },
  throttled: {
    subscription: { resources: azureResources, throttle: { disks: 1, virtualMachines: 1 } },
    pageSize: AZURE_ONE_PAGE,
  },
  slow: {
    subscription: { resources: azureResources, delayMs: { disks: STALL_MS } },
    pageSize: AZURE_ONE_PAGE,
  },
  denied: { subscription: { resources: azureResources, denied: true }, pageSize: AZURE_ONE_PAGE },
  empty: { subscription: {}, pageSize: AZURE_ONE_PAGE },
};

const azure: CollectorHarness = {
  provider: 'azure',
  rulePrefix: 'azure.',
  now: new Date('2026-12-01T00:00:00Z'),
  secrets: [AZURE_SECRET],
  slow: { timeoutMs: 400, slackMs: 1_500 },
  // One check per subscription: a refused subscription is the whole account.
  denied: { code: 'AuthorizationFailed', refuses: () => true },
  async start(scenario) {
    const setup = azureFake[scenario];
    const fake = await startFakeAzure({
      tenantId: AZURE_TENANT,
      clientId: AZURE_CLIENT,
      clientSecret: AZURE_SECRET,
      subscriptions: { [AZURE_SUBSCRIPTION]: setup.subscription },
      pageSize: setup.pageSize,
      retryAfterSeconds: 0,
    });
    return {
      scanner: createAzureScanner({
        authorityHost: fake.url,
        resourceManagerEndpoint: fake.url,
        ca: fake.ca,
        retry: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 100 },
      }),
      account: {
        id: 'acc_azure_contract',
        provider: 'azure',
        name: 'contract subscription',
        source: 'cloud_account',
        connection: {
          tenant_id: AZURE_TENANT,
          client_id: AZURE_CLIENT,
          client_secret: AZURE_SECRET,
          subscription_id: AZURE_SUBSCRIPTION,
        },
        regions: [],
      },
      requests: () => fake.calls.length,
      continuationPages: () => fake.calls.filter((call) => call.query.$skiptoken).length,
      throttledAnswers: () => fake.calls.filter((call) => call.status === 429).length,
      close: () => fake.stop(),
    };
  },
};

// Alibaba Cloud: pop-core's signed RPC calls against the ECS + VPC fake.

const ALIBABA_KEY_ID = 'LTAI5tContractKey0001';
const ALIBABA_KEY_SECRET = 'contractSecretValue0123456789abcdef';
const { region: _alibabaRegionId, ...alibabaResources } = alibabaRegion;
const hangzhou = alibabaResources as unknown as FakeAlibabaRegion;

const alibabaFake: Record<
  CollectorScenario,
  { regions: Record<string, FakeAlibabaRegion>; maxPageSize?: number }
> = {
  inventory: { regions: { 'cn-hangzhou': hangzhou, 'cn-shanghai': {} } },
  paged: { regions: { 'cn-hangzhou': hangzhou, 'cn-shanghai': {} }, maxPageSize: 2 },
  throttled: {
    regions: {
      'cn-hangzhou': {
        ...hangzhou,
        throttle: { DescribeRegions: 1, DescribeDisks: 2, DescribeEipAddresses: 1 },
      },
      'cn-shanghai': {},
    },
  },
  slow: { regions: { 'cn-hangzhou': { ...hangzhou, delayMs: { DescribeDisks: STALL_MS } } } },
  denied: {
    regions: { 'cn-hangzhou': hangzhou, 'cn-shanghai': {}, 'ap-southeast-1': { denied: true } },
  },
  empty: { regions: { 'cn-hangzhou': {}, 'cn-shanghai': {} } },
};

const alibaba: CollectorHarness = {
  provider: 'alibaba',
  rulePrefix: 'alibaba.',
  now: new Date('2026-12-01T00:00:00Z'),
  secrets: [ALIBABA_KEY_SECRET],
  slow: { timeoutMs: 300, slackMs: 1_500 },
  denied: { code: 'Forbidden.RAM', refuses: (check) => check.region === 'ap-southeast-1' },
  async start(scenario) {
    const fake = await startFakeAlibaba({
      accessKeyId: ALIBABA_KEY_ID,
      accessKeySecret: ALIBABA_KEY_SECRET,
      ...alibabaFake[scenario],
    });
    return {
      scanner: createAlibabaScanner({
        endpointPattern: fake.endpointPattern,
        retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20 },
      }),
      account: {
        id: 'acc_alibaba_contract',
        provider: 'alibaba',
        name: 'contract account',
        source: 'cloud_account',
        connection: { access_key_id: ALIBABA_KEY_ID, access_key_secret: ALIBABA_KEY_SECRET },
        regions: [],
      },
      requests: () => fake.calls.length,
      continuationPages: () =>
        fake.calls.filter((call) => call.params.NextToken || Number(call.params.PageNumber) > 1)
          .length,
      throttledAnswers: () =>
        fake.calls.filter(
          (call) => call.code?.startsWith('Throttling') || call.code === 'ServiceUnavailable',
        ).length,
      close: () => fake.stop(),
    };
  },
};

// Kubernetes: the real kubectl against the HTTPS API server fake.

const KUBECTL = findKubectl(process.env);
/** Every list the fake can serve, by the plural name its fault knobs take. */
const EVERY_KIND = [
  ...new Set([...BUILT_IN_RESOURCES, ...METRICS_RESOURCES, ...KEDA_RESOURCES].map((r) => r.plural)),
];

const kubernetesFake: Record<CollectorScenario, Omit<FakeKubeApiServerOptions, 'objects'>> = {
  inventory: { withMetrics: true },
  paged: { withMetrics: true, pageSize: 2 },
  throttled: {
    withMetrics: true,
    throttledKinds: { persistentvolumeclaims: 2, deployments: 1 },
    retryAfterSeconds: 0,
  },
  // A cluster check fails only when no list at all succeeds; a single slow or refused kind is a
  // warning on a check that still succeeds (kubernetes-e2e.test.ts covers that).
  slow: { withMetrics: true, stalledKinds: EVERY_KIND },
  denied: { withMetrics: true, forbiddenKinds: EVERY_KIND },
  empty: { withMetrics: true },
};

const kubernetes: CollectorHarness = {
  provider: 'kubernetes',
  rulePrefix: 'k8s.',
  now: KUBERNETES_NOW,
  // kubectl's --request-timeout has whole seconds.
  slow: { timeoutMs: 1_000, slackMs: 3_000 },
  denied: { code: 'k8s.forbidden', refuses: () => true },
  secrets: [SECRET_PLAINTEXT, SECRET_BASE64],
  ...(KUBECTL
    ? {}
    : {
        unsupported: Object.fromEntries(
          COLLECTOR_SCENARIOS.map((scenario) => [
            scenario,
            'no kubectl binary on PATH or in CWS_KUBECTL',
          ]),
        ),
      }),
  async start(scenario) {
    const dir = await mkdtemp(join(tmpdir(), 'cws-contract-kube-'));
    const server = await startFakeKubeApiServer({
      objects: scenario === 'empty' ? [] : shopCluster(),
      ...kubernetesFake[scenario],
    });
    const kubeconfig = await server.writeKubeconfig(dir, [{ name: 'contract' }]);
    return {
      scanner: createKubernetesScanner({
        runKubectl: createKubectlRunner({
          binary: KUBECTL as string,
          cacheDir: join(dir, 'cache'),
        }),
        // Every list at once, so that a cluster whose lists all stall fails within one timeout.
        concurrency: KIND_SPECS.length,
      }),
      account: {
        id: 'k8s-contract',
        provider: 'kubernetes',
        name: 'contract',
        source: 'kubeconfig',
        connection: { kubeconfig_path: kubeconfig, context: 'contract' },
        regions: [],
      },
      requests: () => server.requests.length,
      continuationPages: () => server.requests.filter((request) => request.query.continue).length,
      throttledAnswers: () => server.requests.filter((request) => request.status === 429).length,
      secrets: [server.token],
      async close() {
        await server.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

describeCollectorContract('AWS', aws);
describeCollectorContract('Azure', azure);
describeCollectorContract('Alibaba Cloud', alibaba);
describeCollectorContract('Kubernetes', kubernetes);
