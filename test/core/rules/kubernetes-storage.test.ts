import { describe, expect, it } from 'bun:test';
import { quoteUsage } from '../../../core/pricing/price';
import { KUBERNETES_PRICES } from '../../../core/pricing/tables/kubernetes';
import { regionOfZone } from '../../../core/rules/kubernetes/storage';
import {
  container,
  cronJob,
  deployment,
  hoursAgo,
  node,
  persistentVolume,
  persistentVolumeClaim,
  pod,
  statefulSet,
  storageClass,
} from '../../fixtures/kubernetes/objects';
import { draftsOf, evaluate } from '../../fixtures/kubernetes/rules';

const claimVolume = (claimName: string) => ({
  volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
});

describe('k8s.pv.unbound', () => {
  const rule = 'k8s.pv.unbound';

  it.each([
    ['Released', 'pv-released', true, 'high'],
    ['Available', 'pv-available', true, 'medium'],
    ['Bound', 'pv-bound', false, undefined],
    ['Failed', 'pv-failed', false, undefined],
  ] as const)('judges a %s volume', (phase, name, reported, confidence) => {
    const drafts = draftsOf(
      evaluate({ persistentvolumes: [persistentVolume(name, { phase })] }),
      rule,
    );
    const draft = drafts.get(`_cluster/persistentvolume/${name}`);
    expect(draft !== undefined).toBe(reported);
    if (draft) {
      expect(draft.confidence).toBe(confidence as 'high' | 'medium');
      expect(draft.fix_command).toBe(`kubectl --context prod delete pv ${name}`);
      expect(draft.action_type).toBe('DELETE');
    }
  });

  it('leaves a volume created within the grace period alone while it waits for its claim', () => {
    const fresh = persistentVolume('pv-new', { phase: 'Available', created: hoursAgo(3) });
    expect(draftsOf(evaluate({ persistentvolumes: [fresh] }), rule).size).toBe(0);
  });

  it('prices by capacity times the disk rate: a 1024 GiB gp3 volume is about $82 a month', () => {
    const volume = persistentVolume('pv-big', { phase: 'Released', capacity: '1Ti' });
    const draft = draftsOf(evaluate({ persistentvolumes: [volume] }), rule).get(
      '_cluster/persistentvolume/pv-big',
    );
    expect(draft?.usage).toEqual([
      { kind: 'storage', sku: 'storage:aws-ebs:gp3', gib: 1024, medium: 'ssd' },
    ]);
    const quote = quoteUsage(KUBERNETES_PRICES, 'us-east-1', draft?.usage ?? []);
    expect(quote.monthly_usd).toBe(81.92);
    expect(quote.price_source).toBe('table:us-east-1');
  });

  it('takes the disk type from the StorageClass parameters', () => {
    const volume = persistentVolume('pv-io', {
      phase: 'Released',
      capacity: '10Gi',
      storageClass: 'fast',
    });
    const output = evaluate({
      persistentvolumes: [volume],
      storageclasses: [storageClass('fast', 'ebs.csi.aws.com', { type: 'io2' })],
    });
    expect(draftsOf(output, rule).get('_cluster/persistentvolume/pv-io')?.usage[0]?.sku).toBe(
      'storage:aws-ebs:io2',
    );
  });

  it('prices a volume of an unknown driver with the per-unit default and says so', () => {
    const volume = persistentVolume('pv-ceph', {
      phase: 'Released',
      capacity: '10Gi',
      driver: 'rbd.csi.ceph.com',
    });
    const draft = draftsOf(evaluate({ persistentvolumes: [volume] }), rule).get(
      '_cluster/persistentvolume/pv-ceph',
    );
    expect(draft?.evidence.price_basis).toBe('unit-default');
    expect(quoteUsage(KUBERNETES_PRICES, 'cluster', draft?.usage ?? []).price_source).toBe(
      'unit-default',
    );
  });

  it('reports a host path volume without money: its disk is part of the node', () => {
    const volume = persistentVolume('pv-host', { phase: 'Released', hostPath: true });
    const draft = draftsOf(evaluate({ persistentvolumes: [volume] }), rule).get(
      '_cluster/persistentvolume/pv-host',
    );
    expect(draft?.usage).toEqual([]);
    expect(draft?.evidence.price_basis).toBe('not-billed-by-capacity');
  });

  it('takes the region from the volume, else from the nodes, else "cluster"', () => {
    const zoned = persistentVolume('pv-zoned', {
      phase: 'Released',
      labels: { 'topology.kubernetes.io/zone': 'eu-west-1b' },
    });
    const plain = persistentVolume('pv-plain', { phase: 'Released' });
    const withNodes = draftsOf(
      evaluate({ persistentvolumes: [zoned, plain], nodes: [node('n1', { region: 'us-west-2' })] }),
      rule,
    );
    expect(withNodes.get('_cluster/persistentvolume/pv-zoned')?.region).toBe('eu-west-1');
    expect(withNodes.get('_cluster/persistentvolume/pv-plain')?.region).toBe('us-west-2');
    const alone = draftsOf(evaluate({ persistentvolumes: [plain] }), rule);
    expect(alone.get('_cluster/persistentvolume/pv-plain')?.region).toBe('cluster');
  });

  it('never reports a volume carrying an excluded tag', () => {
    const volume = persistentVolume('pv-kept', {
      phase: 'Released',
      labels: { 'cws/ignore': 'true' },
    });
    expect(draftsOf(evaluate({ persistentvolumes: [volume] }), rule).size).toBe(0);
  });
});

describe('regionOfZone', () => {
  it.each([
    ['us-east-1a', 'us-east-1'],
    ['us-central1-b', 'us-central1'],
    ['eastus-2', 'eastus'],
    ['weird', 'weird'],
  ])('reads %s as %s', (zone, region) => {
    expect(regionOfZone(zone)).toBe(region);
  });
});

describe('k8s.pvc.unused', () => {
  const rule = 'k8s.pvc.unused';
  const ns = 'shop';
  const id = (name: string) => `shop/persistentvolumeclaim/${name}`;

  it('reports a bound claim nothing uses, with the exact delete command', () => {
    const drafts = draftsOf(
      evaluate({
        persistentvolumeclaims: [persistentVolumeClaim('orphan', ns, { size: '50Gi' })],
        persistentvolumes: [persistentVolume('pv-orphan', { phase: 'Bound', capacity: '50Gi' })],
      }),
      rule,
    );
    const draft = drafts.get(id('orphan'));
    expect(draft?.fix_command).toBe('kubectl --context prod -n shop delete pvc orphan');
    expect(draft?.confidence).toBe('high');
    expect(draft?.usage).toEqual([
      { kind: 'storage', sku: 'storage:aws-ebs:gp3', gib: 50, medium: 'ssd' },
    ]);
  });

  it('prices a claim whose volume and class are unknown with the per-unit default', () => {
    const drafts = draftsOf(
      evaluate({ persistentvolumeclaims: [persistentVolumeClaim('orphan', ns, { size: '50Gi' })] }),
      rule,
    );
    expect(drafts.get(id('orphan'))?.usage[0]?.sku).toBe('unit:storage-gib-month');
  });

  it.each([
    ['a pod', { pods: [pod('p', ns, { spec: claimVolume('data') })] }],
    ['a finished pod', { pods: [pod('p', ns, { phase: 'Succeeded', spec: claimVolume('data') })] }],
    [
      'a deployment template',
      { deployments: [deployment('d', ns, { replicas: 0, spec: claimVolume('data') })] },
    ],
    ['a cronjob template', { cronjobs: [cronJob('c', ns, claimVolume('data'))] }],
  ])('treats a claim used by %s as used', (_label, lists) => {
    const output = evaluate({
      ...lists,
      persistentvolumeclaims: [persistentVolumeClaim('data', ns)],
    });
    expect(draftsOf(output, rule).size).toBe(0);
  });

  it('does not count a pod in another namespace as a user', () => {
    const output = evaluate({
      pods: [pod('p', 'other', { spec: claimVolume('data') })],
      persistentvolumeclaims: [persistentVolumeClaim('data', ns)],
    });
    expect(draftsOf(output, rule).has(id('data'))).toBe(true);
  });

  it('treats the claims of running StatefulSet replicas as used and kept ones as low-confidence waste', () => {
    const output = evaluate({
      statefulsets: [statefulSet('db', ns, { replicas: 2, claimTemplates: ['data'] })],
      persistentvolumeclaims: [
        persistentVolumeClaim('data-db-0', ns),
        persistentVolumeClaim('data-db-1', ns),
        persistentVolumeClaim('data-db-2', ns),
      ],
    });
    const drafts = draftsOf(output, rule);
    expect([...drafts.keys()]).toEqual([id('data-db-2')]);
    expect(drafts.get(id('data-db-2'))?.confidence).toBe('low');
    expect(drafts.get(id('data-db-2'))?.evidence.statefulset).toBe('db');
  });

  it('never reports a generic ephemeral claim: it belongs to its pod', () => {
    const ephemeralSpec = {
      volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }],
    };
    const output = evaluate({
      pods: [pod('web-1', ns, { spec: ephemeralSpec })],
      persistentvolumeclaims: [
        persistentVolumeClaim('web-1-scratch', ns),
        persistentVolumeClaim('owned', ns, { ownerPod: 'web-1' }),
      ],
    });
    expect(draftsOf(output, rule).size).toBe(0);
  });

  it('skips pending claims (no disk yet) and claims inside the grace period', () => {
    const output = evaluate({
      persistentvolumeclaims: [
        persistentVolumeClaim('pending', ns, { phase: 'Pending' }),
        persistentVolumeClaim('new', ns, { created: hoursAgo(1) }),
      ],
    });
    expect(draftsOf(output, rule).size).toBe(0);
  });

  it('skips the rule when pods could not be listed, rather than call every claim unused', () => {
    const output = evaluate(
      { persistentvolumeclaims: [persistentVolumeClaim('data', ns)] },
      { pods: 'forbidden' },
    );
    expect(draftsOf(output, rule).size).toBe(0);
    expect(output.warnings).toContain('k8s.pvc.unused skipped: pods forbidden');
  });

  it('lowers confidence when workload templates could not be listed', () => {
    const output = evaluate(
      {
        pods: [pod('p', ns, { containers: [container('app')] })],
        persistentvolumeclaims: [persistentVolumeClaim('data', ns)],
      },
      { cronjobs: 'forbidden' },
    );
    expect(draftsOf(output, rule).get(id('data'))?.confidence).toBe('medium');
    expect(output.warnings).toContain('k8s.pvc.unused confidence lowered: cronjobs forbidden');
  });
});
