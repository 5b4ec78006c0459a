import { describe, expect, it } from 'bun:test';
import { quoteUsage } from '../../../core/pricing/price';
import { KUBERNETES_PRICES } from '../../../core/pricing/tables/kubernetes';
import { container, hoursAgo, node, nodeMetrics, pod } from '../../fixtures/kubernetes/objects';
import { draftsOf, evaluate } from '../../fixtures/kubernetes/rules';

const rule = 'k8s.node.underutilized';
const requesting = (name: string, nodeName: string, cpu: string, memory: string) =>
  pod(name, 'shop', { node: nodeName, containers: [container('app', { cpu, memory })] });

describe('k8s.node.underutilized', () => {
  it('reports a node under half requested, priced from its instance type as half the node', () => {
    const output = evaluate({
      nodes: [node('n1', { cpu: '2', memory: '8Gi', instanceType: 'm5.large' })],
      pods: [requesting('p1', 'n1', '500m', '1Gi')],
    });
    const draft = draftsOf(output, rule).get('_cluster/node/n1');
    expect(draft?.region).toBe('us-east-1');
    expect(draft?.confidence).toBe('medium');
    expect(draft?.evidence.cpu_requested_share).toBe(0.25);
    const now = quoteUsage(KUBERNETES_PRICES, 'us-east-1', draft?.usage ?? []);
    const after = quoteUsage(KUBERNETES_PRICES, 'us-east-1', draft?.usage_after ?? []);
    expect(now).toEqual({ monthly_usd: 70.08, price_source: 'table:us-east-1' });
    expect(now.monthly_usd - after.monthly_usd).toBe(35.04);
    expect(draft?.fix_command).toBe(
      'kubectl --context prod cordon n1 && kubectl --context prod drain n1 --ignore-daemonsets --delete-emptydir-data',
    );
    expect(draft?.details).toBe(
      'Pods request 25% of its allocatable CPU and 13% of its memory. Their requests would fit ' +
        'a node half the size of this m5.large, or the cluster autoscaler could pack them onto ' +
        'other nodes.',
    );
  });

  it('prices a recognised type in an unlisted region from its reference region, marked fallback', () => {
    const output = evaluate({
      nodes: [node('n1', { instanceType: 'e2-standard-4', region: 'asia-east1', provider: 'gce' })],
    });
    const draft = draftsOf(output, rule).get('_cluster/node/n1');
    expect(quoteUsage(KUBERNETES_PRICES, draft?.region ?? '', draft?.usage ?? [])).toEqual({
      monthly_usd: 97.83,
      price_source: 'fallback:asia-east1',
    });
  });

  it('prices an unknown instance type per vCPU and GiB, as a unit default', () => {
    const output = evaluate({
      nodes: [node('n1', { cpu: '4', memory: '16Gi', instanceType: 'x9.custom' })],
    });
    const draft = draftsOf(output, rule).get('_cluster/node/n1');
    expect(draft?.evidence.price_basis).toBe('unit-default');
    const quote = quoteUsage(KUBERNETES_PRICES, 'us-east-1', draft?.usage ?? []);
    expect(quote.price_source).toBe('unit-default');
    expect(quote.monthly_usd).toBe(141.79);
  });

  it.each([
    ['CPU at half', [requesting('p1', 'n1', '1', '1Gi')]],
    ['memory at half', [requesting('p1', 'n1', '100m', '4Gi')]],
    [
      'a heavy init container',
      [
        pod('p1', 'shop', {
          node: 'n1',
          containers: [container('app', { cpu: '100m', memory: '128Mi' })],
          spec: { initContainers: [container('load', { cpu: '1500m', memory: '128Mi' })] },
        }),
      ],
    ],
  ])('leaves a node alone with %s requested', (_label, pods) => {
    const output = evaluate({ nodes: [node('n1', { cpu: '2', memory: '8Gi' })], pods });
    expect(draftsOf(output, rule).size).toBe(0);
  });

  it('counts sidecar init containers with the app containers', () => {
    const output = evaluate({
      nodes: [node('n1', { cpu: '2', memory: '8Gi' })],
      pods: [
        pod('p1', 'shop', {
          node: 'n1',
          containers: [container('app', { cpu: '600m', memory: '128Mi' })],
          spec: {
            initContainers: [
              container('proxy', { cpu: '500m', memory: '128Mi', restartPolicy: 'Always' }),
            ],
          },
        }),
      ],
    });
    expect(draftsOf(output, rule).size).toBe(0);
  });

  it('does not count finished pods', () => {
    const output = evaluate({
      nodes: [node('n1', { cpu: '2', memory: '8Gi' })],
      pods: [
        pod('done', 'shop', {
          node: 'n1',
          phase: 'Succeeded',
          containers: [container('app', { cpu: '2', memory: '8Gi' })],
        }),
      ],
    });
    expect(draftsOf(output, rule).size).toBe(1);
  });

  it.each([
    [
      'a control-plane node',
      node('n1', { labels: { 'node-role.kubernetes.io/control-plane': '' } }),
    ],
    ['a cordoned node', node('n1', { unschedulable: true })],
    ['a node added within the grace period', node('n1', { created: hoursAgo(1) })],
    ['an excluded node', node('n1', { labels: { 'cws/ignore': 'true' } })],
  ])('skips %s', (_label, item) => {
    expect(draftsOf(evaluate({ nodes: [item] }), rule).size).toBe(0);
  });

  it('skips a node the metrics API shows busy (pods without requests use it)', () => {
    const output = evaluate({
      nodes: [node('n1', { cpu: '2', memory: '8Gi' })],
      node_metrics: [nodeMetrics('n1', '1500m', '2Gi')],
    });
    expect(draftsOf(output, rule).size).toBe(0);
  });

  it('is more certain when the metrics API confirms the node is quiet', () => {
    const output = evaluate({
      nodes: [node('n1', { cpu: '2', memory: '8Gi' })],
      node_metrics: [nodeMetrics('n1', '100m', '1Gi')],
    });
    const draft = draftsOf(output, rule).get('_cluster/node/n1');
    expect(draft?.confidence).toBe('high');
    expect(draft?.evidence.used_cpu_cores).toBe(0.1);
  });
});
