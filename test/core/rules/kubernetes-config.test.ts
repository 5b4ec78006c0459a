import { describe, expect, it } from 'bun:test';
import type { PodSpec } from '../../../core/providers/kubernetes/types';
import {
  configMap,
  container,
  cronJob,
  hoursAgo,
  ingress,
  persistentVolume,
  pod,
  secret,
  serviceAccount,
  statefulSet,
} from '../../fixtures/kubernetes/objects';
import { draftsOf, evaluate } from '../../fixtures/kubernetes/rules';

const ns = 'shop';

describe('k8s.configmap.unused', () => {
  const rule = 'k8s.configmap.unused';
  const withSpec = (spec: Partial<PodSpec>) => pod('p', ns, { spec });

  it('reports a ConfigMap nothing refers to, as governance (no money)', () => {
    const draft = draftsOf(evaluate({ configmaps: [configMap('stale', ns)] }), rule).get(
      'shop/configmap/stale',
    );
    expect(draft?.usage).toEqual([]);
    expect(draft?.confidence).toBe('medium');
    expect(draft?.fix_command).toBe('kubectl --context prod -n shop delete configmap stale');
  });

  it.each([
    ['a volume', withSpec({ volumes: [{ name: 'v', configMap: { name: 'cfg' } }] })],
    [
      'a projected volume source',
      withSpec({
        volumes: [{ name: 'v', projected: { sources: [{ configMap: { name: 'cfg' } }] } }],
      }),
    ],
    [
      'env of a container',
      withSpec({
        containers: [
          container('app', {
            env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg' } } }],
          }),
        ],
      }),
    ],
    [
      'envFrom of an init container',
      withSpec({
        initContainers: [container('init', { envFrom: [{ configMapRef: { name: 'cfg' } }] })],
      }),
    ],
    [
      'envFrom of an ephemeral container',
      withSpec({
        ephemeralContainers: [container('debug', { envFrom: [{ configMapRef: { name: 'cfg' } }] })],
      }),
    ],
  ])('counts a reference from %s', (_label, user) => {
    const output = evaluate({ pods: [user], configmaps: [configMap('cfg', ns)] });
    expect(draftsOf(output, rule).size).toBe(0);
  });

  it('counts references from workload templates: a statefulset and a cronjob', () => {
    const volumes = [{ name: 'v', configMap: { name: 'cfg' } }];
    const output = evaluate({
      statefulsets: [statefulSet('db', ns, { spec: { volumes } })],
      cronjobs: [cronJob('nightly', ns, { volumes: [{ name: 'v', configMap: { name: 'cfg2' } }] })],
      configmaps: [configMap('cfg', ns), configMap('cfg2', ns)],
    });
    expect(draftsOf(output, rule).size).toBe(0);
  });

  it.each([
    ['kube-root-ca.crt', configMap('kube-root-ca.crt', ns)],
    ['anything in kube-system', configMap('coredns', 'kube-system')],
    [
      'an object a controller owns',
      configMap('leader', ns, { ownedBy: { kind: 'Deployment', name: 'op' } }),
    ],
    ['an object inside the grace period', configMap('new', ns, { created: hoursAgo(1) })],
    ['an excluded object', configMap('kept', ns, { labels: { 'cws/ignore': 'true' } })],
  ])('exempts %s', (_label, item) => {
    expect(draftsOf(evaluate({ configmaps: [item] }), rule).size).toBe(0);
  });

  it('is skipped when pods could not be listed', () => {
    const output = evaluate({ configmaps: [configMap('cfg', ns)] }, { pods: 'failed' });
    expect(draftsOf(output, rule).size).toBe(0);
  });
});

describe('k8s.secret.unused', () => {
  const rule = 'k8s.secret.unused';

  it.each([
    [
      'a pod volume',
      { pods: [pod('p', ns, { spec: { volumes: [{ name: 'v', secret: { secretName: 's' } }] } })] },
    ],
    [
      'a projected volume source',
      {
        pods: [
          pod('p', ns, {
            spec: { volumes: [{ name: 'v', projected: { sources: [{ secret: { name: 's' } }] } }] },
          }),
        ],
      },
    ],
    [
      'a CSI volume secret',
      {
        pods: [
          pod('p', ns, {
            spec: { volumes: [{ name: 'v', csi: { nodePublishSecretRef: { name: 's' } } }] },
          }),
        ],
      },
    ],
    [
      'env of an init container',
      {
        pods: [
          pod('p', ns, {
            spec: {
              initContainers: [
                container('init', {
                  env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 's' } } }],
                }),
              ],
            },
          }),
        ],
      },
    ],
    [
      'imagePullSecrets of a pod',
      { pods: [pod('p', ns, { spec: { imagePullSecrets: [{ name: 's' }] } })] },
    ],
    [
      'a service account secret',
      { serviceaccounts: [serviceAccount('sa', ns, { secrets: ['s'] })] },
    ],
    [
      'a service account pull secret',
      { serviceaccounts: [serviceAccount('sa', ns, { imagePullSecrets: ['s'] })] },
    ],
    ['Ingress TLS', { ingresses: [ingress('web', ns, ['s'])] }],
  ])('counts a reference from %s', (_label, lists) => {
    const output = evaluate({ ...lists, secrets: [secret('s', ns)] });
    expect(draftsOf(output, rule).size).toBe(0);
  });

  it('counts a CSI persistent volume naming a secret in its namespace', () => {
    const volume = persistentVolume('pv', { phase: 'Bound' });
    volume.spec = {
      ...volume.spec,
      csi: { driver: 'smb.csi.k8s.io', nodeStageSecretRef: { name: 's', namespace: ns } },
    };
    const output = evaluate({ persistentvolumes: [volume], secrets: [secret('s', ns)] });
    expect(draftsOf(output, rule).size).toBe(0);
  });

  it.each([
    ['service-account tokens', secret('tok', ns, { type: 'kubernetes.io/service-account-token' })],
    [
      'Helm release records',
      secret('sh.helm.release.v1.web.v3', ns, { type: 'helm.sh/release.v1' }),
    ],
    ['Helm records by name alone', secret('sh.helm.release.v1.web.v4', ns)],
    ['secrets in kube-system', secret('bootstrap', 'kube-system')],
  ])('exempts %s', (_label, item) => {
    expect(draftsOf(evaluate({ secrets: [item] }), rule).size).toBe(0);
  });

  it('reports an unreferenced secret by name and type only', () => {
    const output = evaluate({
      secrets: [secret('old-creds', ns, { type: 'kubernetes.io/basic-auth' })],
    });
    const draft = draftsOf(output, rule).get('shop/secret/old-creds');
    expect(draft?.evidence).toMatchObject({ type: 'kubernetes.io/basic-auth', namespace: ns });
    expect(JSON.stringify(draft)).not.toContain(Buffer.from('fixture-only').toString('base64'));
  });

  it('lowers confidence when service accounts or ingresses could not be listed', () => {
    const output = evaluate({ secrets: [secret('s', ns)] }, { serviceaccounts: 'forbidden' });
    expect(draftsOf(output, rule).get('shop/secret/s')?.confidence).toBe('low');
  });
});
