import { describe, expect, it } from 'bun:test';
import { createDemoScanners, DEMO_ACCOUNTS, DEMO_KUBE_CONTEXT } from '../../../core/demo';
import { demoAlibabaInventory } from '../../../core/demo/inventory/alibaba';
import { demoAwsInventory } from '../../../core/demo/inventory/aws';
import { demoAzureInventory } from '../../../core/demo/inventory/azure';
import { demoKubernetesSnapshot } from '../../../core/demo/inventory/kubernetes';
import {
  DEFAULT_SCAN_POLICY,
  PROVIDERS,
  type CallOptions,
  type CheckSpec,
  type CheckResult,
  type ScanAccount,
  type ScanPolicy,
} from '../../../core/model';
import { ALIBABA_PRICES } from '../../../core/pricing/tables/alibaba';
import { AWS_PRICES } from '../../../core/pricing/tables/aws';
import { AZURE_PRICES } from '../../../core/pricing/tables/azure';
import { KUBERNETES_PRICES } from '../../../core/pricing/tables/kubernetes';
import { PROVIDER_CHECKS } from '../../../core/providers/catalogue';
import type { KubernetesInventory } from '../../../core/providers/kubernetes/inventory';
import { priceDrafts } from '../../../core/scan/price-findings';
import type { StoredFinding } from '../../../core/scan/types';

const NOW = new Date('2026-12-01T10:00:00.123Z');
const LATER = new Date('2031-07-19T03:17:45.999Z');
const PRICE_TABLES = {
  aws: AWS_PRICES,
  azure: AZURE_PRICES,
  alibaba: ALIBABA_PRICES,
  kubernetes: KUBERNETES_PRICES,
};

interface DemoRun {
  findings: StoredFinding[];
  results: { account: ScanAccount; region: string; result: CheckResult }[];
}

/** Plans and runs every demo check, then prices the drafts the way a scan does. */
async function runDemo(now: Date, policy: ScanPolicy = DEFAULT_SCAN_POLICY): Promise<DemoRun> {
  const scanners = createDemoScanners();
  const options = callOptions(now, policy);
  const results: DemoRun['results'] = [];
  for (const account of DEMO_ACCOUNTS) {
    const scanner = scanners[account.provider];
    const plan = await scanner.planChecks(account, options);
    if (!plan.ok) throw new Error(`plan failed: ${plan.reason.message}`);
    for (const check of plan.value) {
      const outcome = await scanner.runCheck(account, check, options);
      if (!outcome.ok) throw new Error(`check failed: ${outcome.reason.message}`);
      results.push({ account, region: check.region, result: outcome.value });
    }
  }
  const findings = priceDrafts(
    results.flatMap(({ result }) => result.drafts),
    {
      scanId: 'scan_demo',
      now,
      currency: 'USD',
      currencyRates: {},
      priceTables: PRICE_TABLES,
      handled: new Map(),
      firstSeen: new Map(),
    },
  );
  return { findings, results };
}

function callOptions(now: Date, policy: ScanPolicy = DEFAULT_SCAN_POLICY): CallOptions {
  return { signal: new AbortController().signal, timeout_ms: 5_000, policy, now };
}

function keyOf(finding: StoredFinding): string {
  return `${finding.rule_id}|${finding.account_id}|${finding.resource_id}`;
}

function total(findings: StoredFinding[]): number {
  return Math.round(findings.reduce((sum, f) => sum + f.estimated_monthly_cost_usd, 0) * 100) / 100;
}

describe('demo cloud', () => {
  it('has one demo account per provider, marked as demo', () => {
    expect(DEMO_ACCOUNTS.map((account) => account.provider).sort()).toEqual([...PROVIDERS].sort());
    expect(DEMO_ACCOUNTS.map((account) => account.id).sort()).toEqual([
      'demo_alibaba_cn',
      'demo_aws_prod',
      'demo_azure_corp',
      'demo_k8s_prod',
    ]);
    expect(DEMO_ACCOUNTS.every((account) => account.source === 'demo')).toBe(true);
  });

  it('fires every rule of the catalogue at least once', async () => {
    const { findings } = await runDemo(NOW);
    for (const provider of PROVIDERS) {
      const fired = new Set(findings.filter((f) => f.provider === provider).map((f) => f.rule_id));
      const silent = PROVIDER_CHECKS[provider].filter((rule) => !fired.has(rule));
      expect({ provider, silent }).toEqual({ provider, silent: [] });
    }
  });

  it('finds a realistic number of findings worth a few thousand dollars a month', async () => {
    const { findings, results } = await runDemo(NOW);
    expect(findings.length).toBeGreaterThanOrEqual(40);
    expect(findings.length).toBeLessThanOrEqual(70);
    expect(total(findings)).toBeGreaterThan(1_000);
    expect(total(findings)).toBeLessThan(5_000);
    // Most resources are healthy: far more are looked at than reported.
    const scanned = results.reduce((sum, { result }) => sum + result.resources_scanned, 0);
    expect(scanned).toBeGreaterThan(findings.length * 3);
    expect(new Set(findings.map(keyOf)).size).toBe(findings.length);
  });

  it('gives the same findings and money whatever the date', async () => {
    const [first, second] = await Promise.all([runDemo(NOW), runDemo(LATER)]);
    const lines = (run: DemoRun) =>
      run.findings
        .map((f) => `${keyOf(f)}|${f.estimated_monthly_cost_usd}|${f.carbon_kg_monthly}|${f.title}`)
        .sort();
    expect(lines(second)).toEqual(lines(first));
    expect(total(second.findings)).toBe(total(first.findings));
    expect(second.results.map((r) => r.result.resources_scanned)).toEqual(
      first.results.map((r) => r.result.resources_scanned),
    );
  });

  it('does not report the look-alikes that are not waste', async () => {
    const { findings } = await runDemo(NOW);
    const reported = (id: string) => findings.filter((f) => f.resource_id.endsWith(id));
    const traps: { id: string; why: string }[] = [
      { id: 'vol-0e1f2a3b4c5d61016', why: 'tagged cws:ignore=true' },
      { id: 'vol-0e1f2a3b4c5d61017', why: 'created within the grace period' },
      { id: 'eipalloc-0d1e2f3a4b5c61004', why: 'Elastic IP held by a NAT gateway' },
      { id: 'snap-0c4d5e6f7a8b91005', why: 'snapshot behind an AMI in use' },
      { id: 'snap-0c4d5e6f7a8b91006', why: 'AWS Backup recovery point' },
      { id: 'snap-0c4d5e6f7a8b91007', why: 'snapshot behind an AMI (counted in ami.unused)' },
      { id: 'eni-0b2c3d4e5f6a71022', why: 'detached interface without a public IP is free' },
      { id: 'ami-0d3e4f5a6b7c82001', why: 'AMI used by a launch template' },
      { id: 'ami-0c2b8ca1d5e4f1001', why: 'AMI the web servers run' },
      { id: '/disk-asr-replica', why: 'disk exported for Site Recovery (ActiveSAS)' },
      { id: '/disk-web-resize-tmp', why: 'disk detached five hours ago' },
      { id: '/vm-build-agent_OsDisk', why: 'VM deallocated for days, not weeks' },
      { id: '/pip-natgw-egress', why: 'public IP of a NAT gateway' },
      { id: '/pe-sqlstorage.nic.7c1d', why: 'private endpoint NIC' },
      { id: '/img-batch-base', why: 'image a VM was created from recently' },
      { id: 'd-bp1a9b8c7d6e5f4a3b09', why: 'disk detached two hours ago' },
      { id: 's-bp1c2d3e4f5a6b7c8d04', why: 'snapshot an image uses' },
      { id: 'ngw-bp1e2f3a4b5c6d7e8f03', why: 'NAT gateway created two days ago' },
      { id: 'payments/service/payments-public', why: 'dual-stack LB with a ready IPv6 slice' },
      { id: 'shop/deployment/batch-worker', why: 'scaled to zero by KEDA' },
      { id: 'default/persistentvolumeclaim/debug-shell-scratch', why: 'ephemeral volume claim' },
      { id: 'data/job/nightly-report-29385120', why: 'Job a CronJob owns' },
      { id: 'data/job/reindex-search', why: 'Job with a TTL' },
      { id: 'shop/configmap/checkout-migrations', why: 'used by an init container' },
      { id: 'shop/configmap/frontend-config', why: 'used by a projected volume' },
      { id: 'shop/secret/frontend-tls', why: 'used by Ingress TLS' },
      { id: 'shop/secret/registry-credentials', why: 'image pull secret of a service account' },
      { id: 'monitoring/secret/sh.helm.release.v1.grafana.v3', why: 'Helm release record' },
      { id: 'default/secret/default-token-7x2kq', why: 'service account token' },
      { id: 'shop/configmap/kube-root-ca.crt', why: 'system ConfigMap' },
      { id: '_cluster/node/ip-10-0-2-95.ec2.internal', why: 'cordoned node' },
    ];
    for (const trap of traps) {
      expect({ ...trap, findings: reported(trap.id).map((f) => f.rule_id) }).toEqual({
        ...trap,
        findings: [],
      });
    }
    // Rule-specific look-alikes: the resource is reported, but not by this rule.
    const fired = (rule: string, id: string) =>
      findings.some((f) => f.rule_id === rule && f.resource_id.endsWith(id));
    expect(fired('aws.ec2.stopped', 'i-0a1c3e5f7b9d21008')).toBe(false);
    expect(fired('aws.ipv4.public_on_stopped', 'i-0a1c3e5f7b9d21008')).toBe(true);
    expect(fired('alibaba.ecs.stopped_keep_charging', 'i-bp1f2a3b4c5d6e7f8a05')).toBe(false);
    expect(fired('alibaba.disk.on_stopped_instance', 'd-bp1a9b8c7d6e5f4a3b07')).toBe(true);
    expect(fired('aws.eip.unassociated', 'eipalloc-0d1e2f3a4b5c61006')).toBe(false);
    expect(fired('aws.eni.public_ip_unused', 'eni-0b2c3d4e5f6a71021')).toBe(true);
  });

  it('holds every trap resource in its inventory, so the trap test judges something', () => {
    const everything = JSON.stringify([
      demoAwsInventory(NOW),
      demoAzureInventory(NOW),
      demoAlibabaInventory(NOW),
      demoKubernetesSnapshot(NOW),
    ]);
    for (const name of [
      'vol-0e1f2a3b4c5d61016',
      'eipalloc-0d1e2f3a4b5c61004',
      'snap-0c4d5e6f7a8b91005',
      'ami-0d3e4f5a6b7c82001',
      'disk-asr-replica',
      'pe-sqlstorage.nic.7c1d',
      'ngw-bp1e2f3a4b5c6d7e8f03',
      'payments-public',
      'batch-worker',
      'debug-shell-scratch',
      'nightly-report-29385120',
      'sh.helm.release.v1.grafana.v3',
      'ip-10-0-2-95.ec2.internal',
    ]) {
      expect(everything).toContain(name);
    }
  });

  it('prices findings from the provider tables, never unpriced or by fallback', async () => {
    const { findings } = await runDemo(NOW);
    for (const finding of findings) {
      const expected =
        finding.rule_id === 'k8s.workload.overrequested'
          ? 'unit-default'
          : `table:${finding.region}`;
      expect(`${finding.rule_id} ${finding.price_source}`).toBe(`${finding.rule_id} ${expected}`);
    }
    const volume = findings.find((f) => f.resource_id === 'vol-0e1f2a3b4c5d61013');
    // 1024 GiB of gp3 at the us-east-1 list price of $0.08 per GiB-month.
    expect(volume?.estimated_monthly_cost_usd).toBe(81.92);
    expect(volume?.carbon_kg_monthly).toBeGreaterThan(0);
  });

  it('judges with the policy of the call', async () => {
    const strict = await runDemo(NOW, { ...DEFAULT_SCAN_POLICY, snapshot_age_days: 365 });
    const rules = new Set(strict.findings.map((f) => f.rule_id));
    expect(rules.has('aws.snapshot.old')).toBe(false);
    expect(rules.has('azure.snapshot.old')).toBe(false);
    const patient = await runDemo(NOW, { ...DEFAULT_SCAN_POLICY, stopped_instance_days: 90 });
    const stopped = patient.findings
      .filter((f) => f.rule_id === 'aws.ec2.stopped')
      .map((f) => `${f.resource_name} ${f.confidence}`);
    // Stopped 64 days is within 90; a stop of unknown age is still reported, at low confidence.
    expect(stopped).toEqual(['ml-training-box low']);
  });

  it('keeps a Kubernetes inventory shaped like the real scanner’s', async () => {
    const { results } = await runDemo(NOW);
    const cluster = results.find(({ account }) => account.provider === 'kubernetes');
    const inventory = cluster?.result.inventory as KubernetesInventory;
    expect(inventory).toMatchObject({
      context: DEMO_KUBE_CONTEXT,
      region: 'us-east-1',
      cloud: 'aws',
      metrics_available: true,
    });
    expect(inventory.kinds.nodes.count).toBe(5);
    expect(inventory.kinds.pods.count).toBeGreaterThan(20);
    expect(Object.keys(inventory.namespaces).sort()).toEqual([
      'data',
      'default',
      'kube-system',
      'monitoring',
      'payments',
      'shop',
    ]);
    expect(inventory.capacity.allocatable_cpu_cores).toBeCloseTo(19.6, 3);
  });

  it('plans a check per demo region, limited to the regions asked for', async () => {
    const scanners = createDemoScanners();
    const aws = DEMO_ACCOUNTS.find((a) => a.provider === 'aws') as ScanAccount;
    const all = await scanners.aws.planChecks(aws, callOptions(NOW));
    expect(all.ok && all.value.map((check) => check.region)).toEqual([
      'us-east-1',
      'eu-west-1',
      'ap-southeast-1',
    ]);
    const one = await scanners.aws.planChecks({ ...aws, regions: ['eu-west-1'] }, callOptions(NOW));
    expect(one.ok && one.value.map((check) => check.id)).toEqual(['demo_aws_prod:eu-west-1']);
    const azure = DEMO_ACCOUNTS.find((a) => a.provider === 'azure') as ScanAccount;
    const planned = await scanners.azure.planChecks(azure, callOptions(NOW));
    if (!planned.ok) throw new Error(planned.reason.message);
    const subscription = planned.value[0] as CheckSpec;
    const westOnly = await scanners.azure.runCheck(
      { ...azure, regions: ['westeurope'] },
      subscription,
      callOptions(NOW),
    );
    expect(westOnly.ok && westOnly.value.drafts.every((d) => d.region === 'westeurope')).toBe(true);
    expect(westOnly.ok && westOnly.value.drafts.length).toBeGreaterThan(0);
  });

  it('stops at a canceled signal like a real scanner', async () => {
    const scanners = createDemoScanners();
    const aws = DEMO_ACCOUNTS.find((a) => a.provider === 'aws') as ScanAccount;
    const controller = new AbortController();
    controller.abort();
    const check = {
      id: 'demo_aws_prod:us-east-1',
      account_id: aws.id,
      region: 'us-east-1',
      label: '',
    };
    await expect(
      scanners.aws.runCheck(aws, check, { ...callOptions(NOW), signal: controller.signal }),
    ).rejects.toThrow('canceled');
  });
});
