import { describe, expect, it } from 'bun:test';
import { quoteUsage } from '../../../core/pricing/price';
import { KUBERNETES_PRICES } from '../../../core/pricing/tables/kubernetes';
import {
  container,
  deployment,
  horizontalPodAutoscaler,
  hoursAgo,
  node,
  pod,
  podMetrics,
  replicaSet,
  scaledObject,
  statefulSet,
} from '../../fixtures/kubernetes/objects';
import { draftsOf, evaluate } from '../../fixtures/kubernetes/rules';

const ns = 'shop';

describe('k8s.workload.zero_replicas', () => {
  const rule = 'k8s.workload.zero_replicas';

  it('reports a deployment at zero for longer than the grace period, dated by managedFields', () => {
    const output = evaluate({
      deployments: [deployment('legacy', ns, { replicas: 0, replicasSetAt: hoursAgo(100) })],
    });
    const draft = draftsOf(output, rule).get('shop/deployment/legacy');
    expect(draft?.confidence).toBe('medium');
    expect(draft?.action_type).toBe('REVIEW');
    expect(draft?.usage).toEqual([]);
    expect(draft?.evidence.zero_since_source).toBe('managedFields');
    expect(draft?.fix_command).toBe('kubectl --context prod -n shop delete deployment legacy');
  });

  it('waits out the grace period after the scale-down', () => {
    const output = evaluate({
      deployments: [deployment('paused', ns, { replicas: 0, replicasSetAt: hoursAgo(5) })],
    });
    expect(draftsOf(output, rule).size).toBe(0);
  });

  it('honours a longer grace period from the policy', () => {
    const output = evaluate(
      { deployments: [deployment('paused', ns, { replicas: 0, replicasSetAt: hoursAgo(100) })] },
      {},
      { grace_period_hours: 200 },
    );
    expect(draftsOf(output, rule).size).toBe(0);
  });

  it('falls back to the newest condition, then to creation, at low confidence', () => {
    const output = evaluate({
      deployments: [
        deployment('by-condition', ns, { replicas: 0, conditionsAt: hoursAgo(50) }),
        deployment('by-creation', ns, { replicas: 0 }),
        deployment('recent-condition', ns, { replicas: 0, conditionsAt: hoursAgo(1) }),
      ],
    });
    const drafts = draftsOf(output, rule);
    expect(drafts.get('shop/deployment/by-condition')?.confidence).toBe('low');
    expect(drafts.get('shop/deployment/by-creation')?.evidence.zero_since_source).toBe(
      'creationTimestamp',
    );
    expect(drafts.has('shop/deployment/recent-condition')).toBe(false);
  });

  it.each([
    ['an HPA', horizontalPodAutoscaler('hpa', ns, { kind: 'Deployment', name: 'worker' }), {}],
    ['a KEDA ScaledObject (kind defaults to Deployment)', scaledObject('so', ns, 'worker'), {}],
  ])('leaves a deployment scaled by %s alone', (_label, scaler) => {
    const lists =
      scaler.kind === 'ScaledObject'
        ? { scaledobjects: [scaler as ReturnType<typeof scaledObject>] }
        : { horizontalpodautoscalers: [scaler as ReturnType<typeof horizontalPodAutoscaler>] };
    const output = evaluate({
      ...lists,
      deployments: [deployment('worker', ns, { replicas: 0, replicasSetAt: hoursAgo(100) })],
    });
    expect(draftsOf(output, rule).size).toBe(0);
  });

  it('does not let an HPA of a same-named StatefulSet hide a deployment', () => {
    const output = evaluate({
      horizontalpodautoscalers: [
        horizontalPodAutoscaler('hpa', ns, { kind: 'StatefulSet', name: 'worker' }),
      ],
      deployments: [deployment('worker', ns, { replicas: 0, replicasSetAt: hoursAgo(100) })],
    });
    expect(draftsOf(output, rule).size).toBe(1);
  });

  it('reports StatefulSets too, and lowers confidence when HPAs could not be listed', () => {
    const output = evaluate(
      { statefulsets: [statefulSet('db', ns, { replicas: 0, replicasSetAt: hoursAgo(100) })] },
      { horizontalpodautoscalers: 'forbidden' },
    );
    expect(draftsOf(output, rule).get('shop/statefulset/db')?.confidence).toBe('low');
  });

  it('treats a missing KEDA as known-empty, costing no confidence', () => {
    const output = evaluate(
      { deployments: [deployment('legacy', ns, { replicas: 0, replicasSetAt: hoursAgo(100) })] },
      { scaledobjects: 'absent' },
    );
    expect(draftsOf(output, rule).get('shop/deployment/legacy')?.confidence).toBe('medium');
  });

  it('ignores workloads with replicas, and kube-system', () => {
    const output = evaluate({
      deployments: [
        deployment('web', ns, { replicas: 2 }),
        deployment('dns', 'kube-system', { replicas: 0, replicasSetAt: hoursAgo(100) }),
      ],
    });
    expect(draftsOf(output, rule).size).toBe(0);
  });
});

describe('k8s.workload.overrequested', () => {
  const rule = 'k8s.workload.overrequested';
  const spec = { containers: [container('app', { cpu: '1', memory: '2Gi' })] };
  const pods = [
    pod('web-rs-1', ns, { node: 'n1', owner: { kind: 'ReplicaSet', name: 'web-rs' }, spec }),
    pod('web-rs-2', ns, { node: 'n1', owner: { kind: 'ReplicaSet', name: 'web-rs' }, spec }),
  ];
  const base = {
    nodes: [node('n1', { cpu: '8', memory: '32Gi' })],
    deployments: [deployment('web', ns, { replicas: 2, spec })],
    replicasets: [replicaSet('web-rs', ns, 'web')],
    pods,
  };

  it('compares requests with measured use and prices the excess per unit', () => {
    const output = evaluate({
      ...base,
      pod_metrics: [
        podMetrics('web-rs-1', ns, { app: { cpu: '100m', memory: '256Mi' } }),
        podMetrics('web-rs-2', ns, { app: { cpu: '50m', memory: '200Mi' } }),
      ],
    });
    const draft = draftsOf(output, rule).get('shop/deployment/web');
    expect(draft?.confidence).toBe('medium');
    expect(draft?.evidence.basis).toBe('metrics');
    expect(draft?.fix_command).toBe(
      'kubectl --context prod -n shop set resources deployment web -c app --requests=cpu=130m,memory=333Mi',
    );
    const before = quoteUsage(KUBERNETES_PRICES, 'cluster', draft?.usage ?? []).monthly_usd;
    const after = quoteUsage(KUBERNETES_PRICES, 'cluster', draft?.usage_after ?? []).monthly_usd;
    // 2 vCPU + 4 GiB requested, 0.26 vCPU + 0.65 GiB recommended, at unit rates.
    expect(before).toBe(58.52);
    expect(after).toBe(8.01);
  });

  it('leaves a workload alone whose use is close to its requests', () => {
    const output = evaluate({
      ...base,
      pod_metrics: [
        podMetrics('web-rs-1', ns, { app: { cpu: '800m', memory: '1800Mi' } }),
        podMetrics('web-rs-2', ns, { app: { cpu: '700m', memory: '1700Mi' } }),
      ],
    });
    expect(draftsOf(output, rule).size).toBe(0);
  });

  it('without metrics, lists a pod reserving half its node at low confidence and no money', () => {
    const big = { containers: [container('app', { cpu: '5', memory: '2Gi' })] };
    const output = evaluate({
      ...base,
      pods: [pod('solo', ns, { node: 'n1', spec: big })],
    });
    const draft = draftsOf(output, rule).get('shop/pod/solo');
    expect(draft?.confidence).toBe('low');
    expect(draft?.usage).toEqual([]);
    expect(draft?.evidence.basis).toBe('requests_vs_allocatable');
    expect(
      output.warnings.some((warning) => warning.startsWith(`${rule}: metrics API absent`)),
    ).toBe(true);
    expect(draftsOf(evaluate(base), rule).size).toBe(0);
  });
});

describe('k8s.pod.no_requests', () => {
  const rule = 'k8s.pod.no_requests';

  it('reports one finding per workload, naming each container and what it lacks', () => {
    const spec = {
      initContainers: [container('migrate', { cpu: '100m' })],
      containers: [container('app', { cpu: '100m', memory: '64Mi' }), container('sidecar')],
    };
    const output = evaluate({
      deployments: [deployment('web', ns, { spec })],
      replicasets: [replicaSet('web-rs', ns, 'web')],
      pods: [
        pod('web-rs-1', ns, { owner: { kind: 'ReplicaSet', name: 'web-rs' }, spec }),
        pod('web-rs-2', ns, { owner: { kind: 'ReplicaSet', name: 'web-rs' }, spec }),
      ],
    });
    const drafts = draftsOf(output, rule);
    expect(drafts.size).toBe(1);
    const draft = drafts.get('shop/deployment/web');
    expect(draft?.evidence.containers).toEqual([
      { name: 'sidecar', missing: ['cpu', 'memory'] },
      { name: 'migrate', missing: ['memory'] },
    ]);
    expect(draft?.usage).toEqual([]);
    expect(draft?.fix_command).toBeUndefined();
    expect(draft?.details).toStartWith(
      'Containers without requests: sidecar (no CPU, no memory); migrate (no memory). ',
    );
  });

  it('offers a fix command from measured use when the metrics API has it', () => {
    const output = evaluate({
      pods: [pod('debug', ns, { containers: [container('shell')] })],
      pod_metrics: [podMetrics('debug', ns, { shell: { cpu: '10m', memory: '100Mi' } })],
    });
    expect(draftsOf(output, rule).get('shop/pod/debug')?.fix_command).toBeUndefined();
    const deployed = evaluate({
      deployments: [deployment('tool', ns)],
      replicasets: [replicaSet('tool-rs', ns, 'tool')],
      pods: [
        pod('tool-rs-1', ns, {
          owner: { kind: 'ReplicaSet', name: 'tool-rs' },
          containers: [container('shell')],
        }),
      ],
      pod_metrics: [podMetrics('tool-rs-1', ns, { shell: { cpu: '10m', memory: '100Mi' } })],
    });
    expect(draftsOf(deployed, rule).get('shop/deployment/tool')?.fix_command).toBe(
      'kubectl --context prod -n shop set resources deployment tool -c shell --requests=cpu=13m,memory=130Mi',
    );
  });

  it('ignores finished pods, complete requests and kube-system', () => {
    const output = evaluate({
      pods: [
        pod('done', ns, { phase: 'Succeeded', containers: [container('task')] }),
        pod('ok', ns, { containers: [container('app', { cpu: '1m', memory: '1Mi' })] }),
        pod('proxy', 'kube-system', { containers: [container('kube-proxy')] }),
      ],
    });
    expect(draftsOf(output, rule).size).toBe(0);
  });
});
