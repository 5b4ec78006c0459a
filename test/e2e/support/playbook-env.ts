import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeEc2, type FakeEc2 } from '../../fakes/ec2';
import { startHttpReceiver, type HttpReceiver } from '../../fakes/http-receiver';
import { AWS_FIXTURE_REGION } from '../../fixtures/aws/region-inventory';
import { writeAwsProfiles, type AwsProfileFiles } from '../../support/aws-profile';
import { REPO_ROOT, startBinary, type RunningBinary } from './binary';
import { startCloudFakes, type CloudFakes } from './cloud-fakes';
import { startKubeFixture, type KubeFixture } from './kube-fixture';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy';

/** The user playbooks, next to the repository as CI lays them out. */
export const PLAYBOOKS_DIR =
  process.env.CWS_PLAYBOOKS_DIR ?? join(REPO_ROOT, '..', 'shared', 'playbooks');

/** Everything the playbooks talk to: the binary and the local fakes behind it. */
export interface PlaybookEnvironment {
  server: RunningBinary;
  ec2: FakeEc2;
  cloud: CloudFakes;
  kube: KubeFixture;
  receiver: HttpReceiver;
  profiles: AwsProfileFiles;
  /** Sits between the scripts and the binary and records every exchange. */
  proxy: RecordingProxy;
  /** The environment to run a playbook script with. */
  scriptEnv: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts the compiled binary with a fixture AWS profile `abc123` on the fake EC2, the Azure and
 * Alibaba fakes behind the process-wide endpoints, a fake cluster for Playbook 10, a local webhook
 * receiver for Playbook 6, and the client packages built for Playbook 11.
 */
export async function startPlaybookEnvironment(): Promise<PlaybookEnvironment> {
  const ec2 = await startFakeEc2({
    inventory: { 'us-east-1': AWS_FIXTURE_REGION, 'eu-west-1': {}, 'ap-southeast-1': {} },
    regions: ['us-east-1', 'eu-west-1', 'ap-southeast-1'],
    pageSize: 4,
  });
  const profiles = writeAwsProfiles({ abc123: { endpoint: ec2.url } });
  const [cloud, kube, receiver, nodePath] = await Promise.all([
    startCloudFakes(),
    startKubeFixture(),
    Promise.resolve(startHttpReceiver()),
    buildClients(),
  ]);
  const server = await startBinary({ env: { ...profiles.env, HOME: profiles.dir, ...cloud.env } });
  const proxy = await startRecordingProxy(server.url, server.ca);
  const proxyCaPath = join(profiles.dir, 'proxy-ca.pem');
  writeFileSync(proxyCaPath, proxy.ca);
  const scriptEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: profiles.dir,
    CWS_BASE_URL: proxy.url,
    CWS_TOKEN: server.token,
    CWS_WEBHOOK_URL: `${receiver.url}/cws-webhook`,
    KUBECONFIG_PATH: kube.kubeconfigPath,
    KUBE_CONTEXT: kube.context,
    PYTHONPATH: join(REPO_ROOT, 'clients', 'python'),
    NODE_PATH: nodePath,
    CWS_CA_FILE: proxyCaPath,
    NODE_EXTRA_CA_CERTS: proxyCaPath,
    PLAYBOOK_LOG_DIR: mkdtempSync(join(tmpdir(), 'cws-playbook-logs-')),
  };
  return {
    server,
    ec2,
    cloud,
    kube,
    receiver,
    profiles,
    proxy,
    scriptEnv,
    async close() {
      proxy.close();
      await server.stop();
      await Promise.all([ec2.close(), cloud.close(), kube.close(), receiver.close()]);
      profiles.restore();
    },
  };
}

/** Compiles the JS client and returns a NODE_PATH folder that holds it. */
async function buildClients(): Promise<string> {
  const nodePath = mkdtempSync(join(tmpdir(), 'cws-node-path-'));
  const build = Bun.spawn(['sh', join(REPO_ROOT, 'clients', 'js', 'build.sh'), nodePath], {
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [code, err] = await Promise.all([build.exited, new Response(build.stderr).text()]);
  if (code !== 0) throw new Error(`client build failed: ${err}`);
  return nodePath;
}
