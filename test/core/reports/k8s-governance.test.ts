import { describe, expect, it } from 'bun:test';
import type { Finding } from '../../../core/model';
import { buildSnapshot } from '../../../core/providers/kubernetes/snapshot';
import { summarizeInventory } from '../../../core/providers/kubernetes/inventory';
import { buildK8sActionPlan } from '../../../core/reports/k8s-action-plan';
import { buildK8sGovernance } from '../../../core/reports/k8s-governance';
import { shopLists } from '../../fixtures/kubernetes/cluster';
import { priceDrafts } from '../../fixtures/kubernetes/findings';
import { NOW, hoursAgo } from '../../fixtures/kubernetes/objects';
import { evaluate } from '../../fixtures/kubernetes/rules';

const options = { now: NOW, window_days: 7 };

function shop() {
  const lists = shopLists();
  const findings = priceDrafts(evaluate(lists).drafts);
  const inventory = summarizeInventory(buildSnapshot(lists, { secrets: 'forbidden' }), {
    context: 'prod',
    server_version: 'v1.29.6',
  });
  return { findings, clusters: [{ account_id: 'k8s-prod', inventory }] };
}

function sum(findings: Finding[]): number {
  return (
    Math.round(
      findings.reduce((total, finding) => total + finding.estimated_monthly_cost, 0) * 100,
    ) / 100
  );
}

describe('buildK8sGovernance', () => {
  it('totals open findings, savings, carbon, and governance-only findings', () => {
    const { findings, clusters } = shop();
    const handled = findings.map((finding) =>
      finding.rule_id === 'k8s.job.finished' ? { ...finding, handled: true } : finding,
    );
    const report = buildK8sGovernance(handled, clusters, options);
    const open = handled.filter((finding) => !finding.handled);
    expect(report.totals).toMatchObject({
      findings: 11,
      open_findings: 10,
      handled_findings: 1,
      governance_findings: 4,
      estimated_monthly_savings: sum(open),
      clusters: 1,
    });
    expect(report.totals.carbon_kg_monthly).toBeGreaterThan(0);
    expect(report.totals.estimated_window_savings).toBeCloseTo((sum(open) * 7) / (730 / 24), 2);
  });

  it('counts as new only the findings first seen within the window', () => {
    const { findings, clusters } = shop();
    const aged = findings.map((finding, index) =>
      index < 3 ? { ...finding, first_seen_at: hoursAgo(24 * 30) } : finding,
    );
    expect(buildK8sGovernance(aged, clusters, options).totals.new_in_window).toBe(8);
  });

  it("breaks waste down by rule, costliest first, with each rule's share", () => {
    const { findings, clusters } = shop();
    const report = buildK8sGovernance(findings, clusters, options);
    expect(report.categories).toHaveLength(10);
    const first = report.categories[0];
    expect(first?.rule_id).toBe('k8s.workload.overrequested');
    expect(first?.title).toBe('Workload requests far more than it uses');
    const shares = report.categories.reduce(
      (total, category) => total + category.share_of_savings,
      0,
    );
    expect(shares).toBeCloseTo(1, 2);
    const savings = report.categories.map((category) => category.estimated_monthly_savings);
    expect(savings).toEqual([...savings].sort((a, b) => b - a));
  });

  it('ranks namespaces and workloads, and lists the costliest resources', () => {
    const { findings, clusters } = shop();
    const report = buildK8sGovernance(findings, clusters, options);
    const shopRow = report.by_namespace.find((row) => row.namespace === 'shop');
    expect(shopRow?.findings).toBe(9);
    expect(shopRow?.rules['k8s.pvc.unused']).toBe(2);
    const clusterRow = report.by_namespace.find((row) => row.namespace === null);
    expect(clusterRow?.findings).toBe(2);
    expect(report.by_workload.map((row) => row.workload).sort()).toEqual(
      ['deployment/legacy', 'deployment/web', 'job/migrate-1', 'pod/debug'].sort(),
    );
    expect(report.top_offenders.workloads[0]?.workload).toBe('deployment/web');
    expect(report.top_offenders.resources[0]?.resource_id).toBe('shop/deployment/web');
    expect(report.top_offenders.resources.length).toBe(10);
  });

  it('summarises each cluster: size, requested share, and lists that were incomplete', () => {
    const { findings, clusters } = shop();
    const [summary] = buildK8sGovernance(findings, clusters, options).clusters;
    expect(summary).toMatchObject({
      account_id: 'k8s-prod',
      context: 'prod',
      server_version: 'v1.29.6',
      region: 'us-east-1',
      cloud: 'aws',
      nodes: 3,
      pods: 4,
      persistentvolumeclaims: 5,
      namespaces: 1,
      findings: 11,
      incomplete_kinds: ['secrets'],
      metrics_available: true,
    });
    // Two web pods at 1 core (their 0.1-core init container runs before the app) and db-0 at 0.5,
    // of 8 allocatable cores.
    expect(summary?.capacity.requested_cpu_cores).toBe(2.5);
    expect(summary?.requested_share.cpu).toBe(0.313);
  });

  it('ends with the first actions of the action plan', () => {
    const { findings, clusters } = shop();
    const report = buildK8sGovernance(findings, clusters, options);
    expect(report.actions).toEqual(buildK8sActionPlan(findings, options).actions.slice(0, 10));
  });

  it('reports zeros for a cluster without findings', () => {
    const { clusters } = shop();
    const report = buildK8sGovernance([], clusters, options);
    expect(report.totals.estimated_monthly_savings).toBe(0);
    expect(report.categories).toEqual([]);
    expect(report.clusters[0]?.findings).toBe(0);
  });
});
