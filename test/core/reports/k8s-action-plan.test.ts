import { describe, expect, it } from 'bun:test';
import type { Finding } from '../../../core/model';
import { buildK8sActionPlan, findingNamespace } from '../../../core/reports/k8s-action-plan';
import { shopLists } from '../../fixtures/kubernetes/cluster';
import { priceDrafts } from '../../fixtures/kubernetes/findings';
import { NOW, persistentVolumeClaim } from '../../fixtures/kubernetes/objects';
import { evaluate } from '../../fixtures/kubernetes/rules';

function shopFindings(): Finding[] {
  const lists = shopLists();
  lists.persistentvolumeclaims = [
    ...(lists.persistentvolumeclaims ?? []),
    persistentVolumeClaim('scratch-old', 'shop', { size: '10Gi' }),
  ];
  return priceDrafts(evaluate(lists).drafts);
}

const options = { now: NOW, window_days: 30 };

describe('buildK8sActionPlan', () => {
  it('groups the findings of one rule in one namespace into one action with their exact commands', () => {
    const findings = shopFindings();
    const plan = buildK8sActionPlan(findings, options);
    const claims = plan.actions.find((action) => action.rule_id === 'k8s.pvc.unused');
    expect(claims?.title).toBe(
      'Delete 3 unused persistent volume claim(s) in namespace shop of k8s-prod',
    );
    expect(claims?.namespace).toBe('shop');
    const members = findings.filter((finding) => finding.rule_id === 'k8s.pvc.unused');
    expect([...(claims?.finding_ids ?? [])].sort()).toEqual(
      members.map((finding) => finding.id).sort(),
    );
    expect(claims?.commands).toEqual([
      'kubectl --context prod -n shop delete pvc orphan-claim',
      'kubectl --context prod -n shop delete pvc data-db-1',
      'kubectl --context prod -n shop delete pvc scratch-old',
    ]);
    expect(claims?.confidence).toBe('low');
  });

  it('orders money by confidence-weighted savings, then governance by count, numbering from 1', () => {
    const plan = buildK8sActionPlan(shopFindings(), options);
    expect(plan.actions.map((action) => action.priority)).toEqual(
      plan.actions.map((_action, index) => index + 1),
    );
    const order = plan.actions.map((action) => action.rule_id);
    expect(order.slice(0, 5)).toEqual([
      'k8s.workload.overrequested',
      'k8s.node.underutilized',
      'k8s.service.lb_no_endpoints',
      'k8s.pv.unbound',
      'k8s.pvc.unused',
    ]);
    const savings = plan.actions.map((action) => action.estimated_monthly_savings);
    expect(savings.slice(5).every((value) => value === 0)).toBe(true);
    expect(order.slice(5)).toEqual([
      'k8s.job.finished',
      'k8s.pod.no_requests',
      'k8s.configmap.unused',
      'k8s.secret.unused',
      'k8s.workload.zero_replicas',
    ]);
  });

  it('adds up savings per month and over the window', () => {
    const findings = shopFindings();
    const plan = buildK8sActionPlan(findings, options);
    const monthly = findings.reduce((sum, finding) => sum + finding.estimated_monthly_cost, 0);
    expect(plan.total_estimated_monthly_savings).toBeCloseTo(monthly, 2);
    expect(plan.total_estimated_window_savings).toBeCloseTo((monthly * 30) / (730 / 24), 2);
    const lb = plan.actions.find((action) => action.rule_id === 'k8s.service.lb_no_endpoints');
    expect(lb?.estimated_monthly_savings).toBe(18.25);
  });

  it('leaves out handled findings and findings of other providers', () => {
    const findings = shopFindings().map((finding) =>
      finding.rule_id === 'k8s.pv.unbound' ? { ...finding, handled: true } : finding,
    );
    const foreign = { ...(findings[0] as Finding), id: 'aws-1', provider: 'aws' as const };
    const plan = buildK8sActionPlan([...findings, foreign], options);
    expect(plan.actions.some((action) => action.rule_id === 'k8s.pv.unbound')).toBe(false);
    expect(plan.actions.flatMap((action) => action.finding_ids)).not.toContain('aws-1');
  });

  it('shows money in the requested currency', () => {
    const plan = buildK8sActionPlan(shopFindings(), {
      ...options,
      currency: 'EUR',
      currency_rates: { EUR: 0.5 },
    });
    const lb = plan.actions.find((action) => action.rule_id === 'k8s.service.lb_no_endpoints');
    expect(plan.currency).toBe('EUR');
    expect(lb?.estimated_monthly_savings).toBe(9.13);
    expect(lb?.estimated_monthly_savings_usd).toBe(18.25);
  });

  it('plans nothing for no findings', () => {
    expect(buildK8sActionPlan([], options)).toEqual({
      generated_at: NOW.toISOString(),
      window_days: 30,
      currency: 'USD',
      total_estimated_monthly_savings: 0,
      total_estimated_window_savings: 0,
      actions: [],
    });
  });
});

describe('findingNamespace', () => {
  it('reads the namespace from evidence, else from the resource id', () => {
    const base = shopFindings()[0] as Finding;
    expect(findingNamespace({ ...base, evidence: { namespace: 'a' } })).toBe('a');
    expect(findingNamespace({ ...base, evidence: { namespace: null } })).toBeNull();
    expect(findingNamespace({ ...base, evidence: {}, resource_id: 'b/pod/x' })).toBe('b');
    expect(findingNamespace({ ...base, evidence: {}, resource_id: '_cluster/node/x' })).toBeNull();
  });
});
