import { describe, expect, it } from 'bun:test';
import { listContexts } from '../../../core/providers/kubernetes/kubeconfig';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.do-not-leak';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: prod-cluster
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: LS0tLS1CRUdJTi1DRVJU
users:
- name: admin
  user:
    token: ${TOKEN}
- name: eks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, prod]
contexts:
- name: prod
  context:
    cluster: prod-cluster
    user: admin
    namespace: shop
- name: staging
  context:
    cluster: prod-cluster
    user: eks
current-context: prod
`;

describe('listContexts', () => {
  it('lists every context with its cluster, namespace and user, and the current one', () => {
    const result = listContexts(KUBECONFIG);
    expect(result).toEqual({
      ok: true,
      value: {
        current_context: 'prod',
        contexts: [
          { name: 'prod', cluster: 'prod-cluster', namespace: 'shop', user: 'admin' },
          { name: 'staging', cluster: 'prod-cluster', namespace: null, user: 'eks' },
        ],
      },
    });
  });

  it('copies no credential, address or plugin out of the file', () => {
    const text = JSON.stringify(listContexts(KUBECONFIG));
    for (const secretPart of [TOKEN, 'LS0tLS1CRUdJTi1DRVJU', '10.0.0.1', 'get-token']) {
      expect(text).not.toContain(secretPart);
    }
  });

  it('reads a kubeconfig written as JSON', () => {
    const json = JSON.stringify({
      contexts: [{ name: 'kind-dev', context: { cluster: 'kind-dev', user: 'kind-dev' } }],
      'current-context': 'kind-dev',
    });
    const result = listContexts(json);
    expect(result.ok && result.value.contexts.map((context) => context.name)).toEqual(['kind-dev']);
  });

  it('fails with the parser line and never the offending text', () => {
    const broken = `apiVersion: v1\ncontexts:\n- name: a\n  context: {cluster: c\nusers:\n  token: ${TOKEN}\n`;
    const result = listContexts(broken);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason.code).toBe('k8s.kubeconfig_invalid');
    expect(result.reason.category).toBe('invalid');
    expect(result.reason.message).toMatch(/line \d+, column \d+/);
    expect(result.reason.message).not.toContain(TOKEN);
  });

  it.each([
    ['a list at the top', '- a\n- b\n', 'kubeconfig must be a YAML mapping'],
    ['contexts that are not a list', 'contexts: {a: b}\n', 'kubeconfig "contexts" must be a list'],
  ])('rejects %s', (_label, text, message) => {
    expect(listContexts(text)).toEqual({
      ok: false,
      reason: { code: 'k8s.kubeconfig_invalid', message, category: 'invalid' },
    });
  });

  it('treats an empty file as no contexts and skips nameless entries', () => {
    expect(listContexts('')).toEqual({ ok: true, value: { current_context: null, contexts: [] } });
    const result = listContexts('contexts:\n- context: {cluster: x}\n- name: b\n');
    expect(result.ok && result.value.contexts).toEqual([
      { name: 'b', cluster: null, namespace: null, user: null },
    ]);
  });
});
