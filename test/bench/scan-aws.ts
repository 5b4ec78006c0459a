/**
 * AWS scan benchmark (`npx bun test/bench/scan-aws.ts`): one account over 17 regions against the
 * fake EC2 with 40 ms per call and 3 pages per describe call, compared with the ideal for the
 * configured call concurrency; then the same scan over 50 accounts, and peak RSS.
 */
import type { FakeEc2Region } from '../fakes/ec2';
import { startFakeEc2 } from '../fakes/ec2';
import { createTestApp, waitForScan } from '../support/app';
import { writeAwsProfiles } from '../support/aws-profile';
import { fixed, peakRssMiB, report } from './support';

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
];
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 40);
const PAGE_SIZE = 4;
const PAGES = 3;
const CHECKS_PER_ACCOUNT = 17;
const CHECKS_PER_PROVIDER = 64;

// The fake runs in its own process, as a remote endpoint would: its XML work must not share the
// scanner's thread and inflate the measured overhead.
if (process.argv[2] === '--fake') {
  const inventory = Object.fromEntries(REGIONS.map((region) => [region, regionInventory(region)]));
  const served = await startFakeEc2({
    inventory,
    regions: REGIONS,
    latencyMs: LATENCY_MS,
    pageSize: PAGE_SIZE,
  });
  const counters = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: () =>
      Response.json({
        total: Object.values(served.calls).reduce((a, b) => a + b, 0),
        regions: served.regionCalls,
      }),
  });
  console.log(`${served.url} http://127.0.0.1:${counters.port}`);
  await new Promise(() => {});
}
const fakeProcess = Bun.spawn([process.execPath, import.meta.path, '--fake'], {
  stdout: 'pipe',
  stderr: 'inherit',
  env: process.env,
});
const [fakeUrl, countersUrl] = (await readLine(fakeProcess.stdout)).trim().split(' ') as [
  string,
  string,
];
let failed = false;
process.on('exit', () => fakeProcess.kill());

for (const accounts of (process.env.BENCH_ACCOUNTS ?? '1,50').split(',').map(Number)) {
  const names = Array.from({ length: accounts }, (_, i) => `bench${i}`);
  const profiles = writeAwsProfiles(
    Object.fromEntries(names.map((name) => [name, { endpoint: fakeUrl }])),
  );
  profiles.activate();
  const test = await createTestApp({
    env: profiles.env,
    config: {
      checksPerAccount: CHECKS_PER_ACCOUNT,
      checksPerProvider: CHECKS_PER_PROVIDER,
      scanConcurrency: 1,
    },
  });
  const before = await fakeCounters();
  const started = performance.now();
  const { body } = await test.callJson('POST', '/v1/scans', {});
  const scan = await waitForScan(test, body.scan_id, 600_000);
  const wall = (performance.now() - started) / 1000;
  const after = await fakeCounters();
  const calls = after.total - before.total;
  const perRegion = REGIONS.map(
    (region) => (after.regions[region] ?? 0) - (before.regions[region] ?? 0),
  );
  // One region's calls run one after another; the longest such chain per account bounds the wall time.
  const chain = ((Math.max(...perRegion) / accounts) * LATENCY_MS) / 1000;
  const concurrency = Math.min(CHECKS_PER_PROVIDER, CHECKS_PER_ACCOUNT * accounts);
  const ideal = Math.max((calls * LATENCY_MS) / 1000 / concurrency, chain);
  console.log(
    `\n# AWS scan: ${accounts} account(s) x ${REGIONS.length} regions, ${LATENCY_MS} ms per call, ${PAGES} pages per describe call`,
  );
  report(
    'status',
    `${scan.status}, ${scan.resources_scanned} resources, ${scan.resources_found} findings`,
  );
  report('cloud calls', String(calls));
  report('call concurrency', String(concurrency));
  report('wall time', `${fixed(wall, 2)} s`);
  report('ideal (calls x latency / concurrency, or longest chain)', `${fixed(ideal, 2)} s`);
  report('ratio wall/ideal (target <= 1.5)', fixed(wall / ideal, 2));
  report('peak RSS so far', `${fixed(peakRssMiB(), 0)} MiB`);
  if (scan.status !== 'completed' || wall / ideal > 1.5) failed = true;
  await test.close();
  profiles.restore();
}
fakeProcess.kill();
process.exit(failed ? 1 : 0);

async function fakeCounters(): Promise<{ total: number; regions: Record<string, number> }> {
  return (await fetch(countersUrl)).json();
}

async function readLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  let text = '';
  while (!text.includes('\n')) {
    const { done, value } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return text;
}

/** PAGES pages of every kind the collector describes, healthy except a few findings. */
function regionInventory(region: string): FakeEc2Region {
  const count = PAGE_SIZE * PAGES;
  const ids = (prefix: string) =>
    Array.from({ length: count }, (_, i) => `${prefix}-${region}-${i}`);
  const created = new Date('2026-01-01T00:00:00Z');
  return {
    instances: ids('i').map((id) => ({
      InstanceId: id,
      InstanceType: 'm5.large',
      State: { Name: 'running', Code: 16 },
      LaunchTime: created,
    })),
    volumes: ids('vol').map((id, i) => ({
      VolumeId: id,
      Size: 100,
      VolumeType: 'gp3',
      State: i === 0 ? 'available' : 'in-use',
      CreateTime: created,
      Attachments:
        i === 0 ? [] : [{ InstanceId: `i-${region}-${i}`, State: 'attached', VolumeId: id }],
    })),
    addresses: ids('eipalloc').map((id, i) => ({
      AllocationId: id,
      PublicIp: `203.0.113.${i}`,
      Domain: 'vpc',
      ...(i === 0 ? {} : { AssociationId: `eipassoc-${i}`, InstanceId: `i-${region}-${i}` }),
    })),
    snapshots: ids('snap').map((id, i) => ({
      SnapshotId: id,
      VolumeId: `vol-${region}-${i}`,
      VolumeSize: 100,
      StartTime: created,
      State: 'completed',
      OwnerId: '123456789012',
    })),
    images: ids('ami').map((id) => ({
      ImageId: id,
      Name: id,
      CreationDate: created.toISOString(),
      State: 'available',
      OwnerId: '123456789012',
    })),
    launchTemplates: ids('lt').map((id) => ({
      LaunchTemplateId: id,
      LaunchTemplateName: id,
      LatestVersionNumber: 1,
    })),
    launchTemplateVersions: ids('lt').map((id, i) => ({
      LaunchTemplateId: id,
      VersionNumber: 1,
      LaunchTemplateData: { ImageId: `ami-${region}-${i}` },
    })),
    natGateways: ids('nat').map((id) => ({
      NatGatewayId: id,
      State: 'available',
      CreateTime: created,
    })),
    routeTables: ids('rtb').map((id, i) => ({
      RouteTableId: id,
      Routes: [{ NatGatewayId: `nat-${region}-${i}` }],
    })),
    networkInterfaces: ids('eni').map((id) => ({ NetworkInterfaceId: id, Status: 'in-use' })),
  } as FakeEc2Region;
}
