import { describe, expect, it } from 'bun:test';
import {
  DEFAULT_SCAN_POLICY,
  type CallOptions,
  type Outcome,
  type ScanAccount,
} from '../../../core/model';
import {
  type KubectlRunner,
  createKubernetesScanner,
} from '../../../core/providers/kubernetes/scanner';
import type { KubernetesInventory } from '../../../core/providers/kubernetes/inventory';
import { NOW, configMap, deployment, node, pod, secret } from '../../fixtures/kubernetes/objects';

const account: ScanAccount = {
  id: 'k8s-prod',
  provider: 'kubernetes',
  name: 'prod',
  source: 'kubeconfig',
  connection: { kubeconfig_path: '/home/op/.kube/config', context: 'prod' },
  regions: [],
};

const check = { id: 'k8s-prod:cluster', account_id: 'k8s-prod', region: 'cluster', label: '' };

function callOptions(overrides: Partial<CallOptions> = {}): CallOptions {
  return {
    signal: new AbortController().signal,
    timeout_ms: 15_000,
    policy: DEFAULT_SCAN_POLICY,
    now: NOW,
    ...overrides,
  };
}

type Reply = Outcome<string> | ((args: string[]) => Outcome<string>);

interface FakeCall {
  args: string[];
  timeoutMs: number;
  maxBytes: number;
}

/**
 * A runner that answers by the resource asked for (`pods`, `secrets`, `version`, or the raw path),
 * records every call and how many ran at once.
 */
function fakeRunner(replies: Record<string, Reply>, fallback: Reply = list([])) {
  const calls: FakeCall[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const run: KubectlRunner = async (args, options) => {
    calls.push({ args, timeoutMs: options.timeoutMs, maxBytes: options.maxBytes });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await Bun.sleep(2);
    inFlight--;
    const reply = replies[subject(args)] ?? fallback;
    return typeof reply === 'function' ? reply(args) : reply;
  };
  return { run, calls, maxInFlight: () => maxInFlight };
}

function subject(args: string[]): string {
  const verbAt = args.findIndex((arg) => arg === 'get' || arg === 'version');
  if (args[verbAt] === 'version') return 'version';
  return args[verbAt + 1] === '--raw' ? (args[verbAt + 2] as string) : (args[verbAt + 1] as string);
}

function list(items: unknown[]): Outcome<string> {
  return { ok: true, value: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) };
}

/** What kubectl prints for the scanner's metadata-only jsonpath template. */
function metadataLines(
  items: ReturnType<typeof secret>[],
  withAnnotations: boolean,
): Outcome<string> {
  const lines = items.map((item) => {
    const m = item.metadata;
    const fields = [
      m.namespace,
      m.name,
      m.uid,
      m.resourceVersion,
      m.creationTimestamp,
      item.type ?? '',
      m.labels ? JSON.stringify(m.labels) : '',
      m.ownerReferences ? JSON.stringify(m.ownerReferences) : '',
    ];
    if (withAnnotations) fields.push(m.annotations ? JSON.stringify(m.annotations) : '');
    return fields.join('\t');
  });
  return { ok: true, value: lines.map((line) => `${line}\n`).join('') };
}

const failure = (
  code: string,
  category: 'network' | 'permission' | 'not_found' | 'timeout' | 'invalid',
  message = code,
): Outcome<string> => ({
  ok: false,
  reason: { code, category, message },
});

const VERSION: Outcome<string> = {
  ok: true,
  value: JSON.stringify({
    clientVersion: { gitVersion: 'v1.32.4' },
    serverVersion: { gitVersion: 'v1.29.6' },
  }),
};

describe('createKubernetesScanner.planChecks', () => {
  const scanner = createKubernetesScanner({ runKubectl: fakeRunner({}).run });

  it('plans one check per cluster context', async () => {
    expect(await scanner.planChecks(account, callOptions())).toEqual({
      ok: true,
      value: [check].map((item) => ({ ...item, label: 'Kubernetes context prod' })),
    });
  });

  it.each([
    [{ context: 'prod' }, 'connection.kubeconfig_path is required'],
    [{ kubeconfig_path: '/k' }, 'connection.context is required'],
    [
      { kubeconfig_path: '/k', context: 'c', namespaces: ['--all-namespaces'] },
      'connection.namespaces must be a list of namespace names',
    ],
  ])('rejects the connection %p', async (connection, message) => {
    const result = await scanner.planChecks({ ...account, connection }, callOptions());
    expect(result).toEqual({
      ok: false,
      reason: { code: 'k8s.connection_invalid', message, category: 'invalid' },
    });
  });
});

describe('createKubernetesScanner.runCheck', () => {
  const cluster = {
    version: VERSION,
    nodes: list([node('n1')]),
    pods: list([pod('web-1', 'shop', { node: 'n1' })]),
    'deployments.apps': list([deployment('web', 'shop')]),
    secrets: metadataLines(
      [
        secret('stale', 'shop'),
        secret('tok', 'shop', { type: 'kubernetes.io/service-account-token' }),
      ],
      false,
    ),
    configmaps: metadataLines(
      [configMap('cfg', 'shop', { annotations: { owner: 'team-a' } })],
      true,
    ),
    'scaledobjects.keda.sh': failure('k8s.kind_not_served', 'not_found'),
    '/apis/metrics.k8s.io/v1beta1/nodes': failure('k8s.kind_not_served', 'not_found'),
    '/apis/metrics.k8s.io/v1beta1/pods': failure('k8s.kind_not_served', 'not_found'),
  };

  it('probes the server, then lists every kind read-only with the exact kubectl arguments', async () => {
    const fake = fakeRunner(cluster);
    const result = await createKubernetesScanner({ runKubectl: fake.run }).runCheck(
      account,
      check,
      callOptions(),
    );
    expect(result.ok).toBe(true);
    const base = ['--kubeconfig=/home/op/.kube/config', '--context=prod'];
    expect(fake.calls[0]?.args).toEqual([
      ...base,
      'version',
      '-o',
      'json',
      '--request-timeout',
      '15s',
    ]);
    const byResource = new Map(fake.calls.map((call) => [subject(call.args), call.args]));
    expect(byResource.get('pods')).toEqual([
      ...base,
      'get',
      'pods',
      '--all-namespaces',
      '-o',
      'json',
      '--request-timeout',
      '15s',
    ]);
    expect(byResource.get('nodes')).toEqual([
      ...base,
      'get',
      'nodes',
      '-o',
      'json',
      '--request-timeout',
      '15s',
    ]);
    expect(byResource.get('deployments.apps')).toContain('--show-managed-fields');
    expect(byResource.get('/apis/metrics.k8s.io/v1beta1/pods')).toEqual([
      ...base,
      'get',
      '--raw',
      '/apis/metrics.k8s.io/v1beta1/pods',
      '--request-timeout',
      '15s',
    ]);
    const secretsOutput = byResource.get('secrets')?.find((arg) => arg.startsWith('jsonpath='));
    expect(secretsOutput).toBeDefined();
    expect(secretsOutput).not.toContain('annotations');
    expect(secretsOutput).not.toContain('.data');
    expect(byResource.get('configmaps')?.find((arg) => arg.startsWith('jsonpath='))).toContain(
      '.metadata.annotations',
    );
    expect(fake.calls).toHaveLength(22);
  });

  it('bounds each call: request timeout from the policy, process time and output size', async () => {
    const fake = fakeRunner(cluster);
    await createKubernetesScanner({ runKubectl: fake.run, maxBytes: 1234 }).runCheck(
      account,
      check,
      callOptions({ timeout_ms: 2_500 }),
    );
    expect(fake.calls[1]?.args).toContain('3s');
    expect(fake.calls.every((call) => call.timeoutMs === 15_000 && call.maxBytes === 1234)).toBe(
      true,
    );
  });

  it('runs at most four kubectl processes at once', async () => {
    const fake = fakeRunner(cluster);
    await createKubernetesScanner({ runKubectl: fake.run }).runCheck(account, check, callOptions());
    expect(fake.maxInFlight()).toBe(4);
    const two = fakeRunner(cluster);
    await createKubernetesScanner({ runKubectl: two.run, concurrency: 2 }).runCheck(
      account,
      check,
      callOptions(),
    );
    expect(two.maxInFlight()).toBe(2);
  });

  it('judges the snapshot: secrets by metadata, inventory per kind, warnings for missing add-ons', async () => {
    const fake = fakeRunner(cluster);
    const result = await createKubernetesScanner({ runKubectl: fake.run }).runCheck(
      account,
      check,
      callOptions(),
    );
    if (!result.ok) throw new Error(result.reason.message);
    const ids = result.value.drafts.map((draft) => `${draft.rule_id} ${draft.resource_id}`);
    expect(ids).toContain('k8s.secret.unused shop/secret/stale');
    expect(ids).toContain('k8s.configmap.unused shop/configmap/cfg');
    expect(ids).not.toContain('k8s.secret.unused shop/secret/tok');
    expect(result.value.resources_scanned).toBe(6);
    const inventory = result.value.inventory as KubernetesInventory;
    expect(inventory.server_version).toBe('v1.29.6');
    expect(inventory.kinds.pods).toEqual({ count: 1, names: ['shop/web-1'], truncated: false });
    expect(inventory.kinds.workloads.names).toEqual(['shop/deployment/web']);
    expect(inventory.availability.scaledobjects).toBe('absent');
    expect(result.value.warnings).toContain('scaledobjects absent: k8s.kind_not_served');
  });

  it('lists namespaced kinds once per configured namespace and cluster kinds once', async () => {
    const fake = fakeRunner(cluster);
    const scoped = {
      ...account,
      connection: { ...account.connection, namespaces: ['shop', 'web'] },
    };
    const result = await createKubernetesScanner({ runKubectl: fake.run }).runCheck(
      scoped,
      check,
      callOptions(),
    );
    expect(result.ok).toBe(true);
    const podCalls = fake.calls.filter((call) => subject(call.args) === 'pods');
    expect(podCalls.map((call) => call.args.find((arg) => arg.startsWith('--namespace')))).toEqual([
      '--namespace=shop',
      '--namespace=web',
    ]);
    expect(fake.calls.filter((call) => subject(call.args) === 'nodes')).toHaveLength(1);
    expect(fake.calls.map((call) => subject(call.args))).toContain(
      '/apis/metrics.k8s.io/v1beta1/namespaces/web/pods',
    );
  });

  it('fails the check when the probe cannot reach the cluster, without listing anything', async () => {
    const down = failure(
      'k8s.cluster_unreachable',
      'network',
      'The connection to the server was refused',
    );
    const fake = fakeRunner({ version: down });
    const result = await createKubernetesScanner({ runKubectl: fake.run }).runCheck(
      account,
      check,
      callOptions(),
    );
    expect(result).toEqual(down as typeof result);
    expect(fake.calls).toHaveLength(1);
  });

  it('goes on when only /version is forbidden', async () => {
    const fake = fakeRunner({ ...cluster, version: failure('k8s.forbidden', 'permission') });
    const result = await createKubernetesScanner({ runKubectl: fake.run }).runCheck(
      account,
      check,
      callOptions(),
    );
    expect(result.ok && (result.value.inventory as KubernetesInventory).server_version).toBeNull();
  });

  it('turns a forbidden kind into a warning and skips the rules that need it', async () => {
    const forbidden = failure('k8s.forbidden', 'permission', 'secrets is forbidden');
    const fake = fakeRunner({ ...cluster, secrets: forbidden });
    const result = await createKubernetesScanner({ runKubectl: fake.run }).runCheck(
      account,
      check,
      callOptions(),
    );
    if (!result.ok) throw new Error(result.reason.message);
    expect(result.value.warnings).toContain('secrets forbidden: secrets is forbidden');
    expect(result.value.warnings).toContain('k8s.secret.unused skipped: secrets forbidden');
    expect(result.value.drafts.some((draft) => draft.rule_id === 'k8s.secret.unused')).toBe(false);
  });

  it('asks again without --show-managed-fields when kubectl predates the flag', async () => {
    const fake = fakeRunner({
      ...cluster,
      'deployments.apps': (args) =>
        args.includes('--show-managed-fields')
          ? failure('k8s.kubectl_unsupported_flag', 'invalid')
          : list([deployment('web', 'shop')]),
    });
    const result = await createKubernetesScanner({ runKubectl: fake.run }).runCheck(
      account,
      check,
      callOptions(),
    );
    expect(result.ok).toBe(true);
    expect(fake.calls.filter((call) => subject(call.args) === 'deployments.apps')).toHaveLength(2);
    expect(
      result.ok && (result.value.inventory as KubernetesInventory).availability.deployments,
    ).toBe('ok');
  });

  it('fails the check when no kind could be listed at all', async () => {
    const slow = failure('k8s.timeout', 'timeout');
    const fake = fakeRunner({ version: VERSION }, slow);
    const result = await createKubernetesScanner({ runKubectl: fake.run }).runCheck(
      account,
      check,
      callOptions(),
    );
    expect(result).toEqual(slow as typeof result);
  });

  it('treats a missing built-in kind as unknown, not empty', async () => {
    const fake = fakeRunner({
      ...cluster,
      'endpointslices.discovery.k8s.io': failure('k8s.kind_not_served', 'not_found'),
    });
    const result = await createKubernetesScanner({ runKubectl: fake.run }).runCheck(
      account,
      check,
      callOptions(),
    );
    expect(
      result.ok && (result.value.inventory as KubernetesInventory).availability.endpointslices,
    ).toBe('failed');
  });

  it('drops what may carry values even when kubectl prints whole objects', async () => {
    const applied = configMap('cfg', 'shop', {
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"k":"plain-value"}}',
      },
    });
    const fake = fakeRunner({ ...cluster, configmaps: metadataLines([applied], true) });
    const result = await createKubernetesScanner({ runKubectl: fake.run }).runCheck(
      account,
      check,
      callOptions(),
    );
    expect(JSON.stringify(result)).not.toContain('plain-value');
  });

  it('propagates a cancellation instead of reporting it as a failure', async () => {
    const controller = new AbortController();
    const run: KubectlRunner = async () => {
      controller.abort();
      throw new DOMException('Aborted', 'AbortError');
    };
    const scanner = createKubernetesScanner({ runKubectl: run });
    await expect(
      scanner.runCheck(account, check, callOptions({ signal: controller.signal })),
    ).rejects.toThrow('Aborted');
  });
});
