import { describe, expect, it } from 'bun:test';
import {
  classifyKubectlFailure,
  redactCredentials,
  summarizeStderr,
} from '../../../core/providers/kubernetes/kubectl-errors';

/** Stderr lines as kubectl prints them (recorded from kubectl 1.27–1.32 against a fake server). */
const KLOG =
  'E1203 17:29:33.692937    8202 memcache.go:265] "Unhandled Error" err="couldn\'t get current ' +
  'server API group list: Get \\"https://127.0.0.1:1/api?timeout=3s\\": dial tcp 127.0.0.1:1: ' +
  'connect: connection refused"';

describe('classifyKubectlFailure', () => {
  it.each([
    [
      `${KLOG}\n${KLOG}\nThe connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?`,
      'k8s.cluster_unreachable',
      'network',
    ],
    [
      'Unable to connect to the server: dial tcp 10.9.9.9:443: i/o timeout',
      'k8s.cluster_unreachable',
      'network',
    ],
    [
      'Unable to connect to the server: context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      'k8s.timeout',
      'timeout',
    ],
    [
      'Unable to connect to the server: x509: certificate signed by unknown authority',
      'k8s.tls_verification_failed',
      'network',
    ],
    ['error: You must be logged in to the server (Unauthorized)', 'k8s.unauthorized', 'auth'],
    [
      'Error from server (Forbidden): secrets is forbidden: User "u" cannot list resource "secrets" in API group "" at the cluster scope',
      'k8s.forbidden',
      'permission',
    ],
    [
      'error: the server doesn\'t have a resource type "scaledobjects"',
      'k8s.kind_not_served',
      'not_found',
    ],
    [
      'Error from server (NotFound): the server could not find the requested resource',
      'k8s.kind_not_served',
      'not_found',
    ],
    [
      'Error from server (ServiceUnavailable): the server is currently unable to handle the request',
      'k8s.service_unavailable',
      'network',
    ],
    ['Error from server (TooManyRequests): too many requests', 'k8s.throttled', 'throttled'],
    [
      'Error in configuration: context was not found for specified context: nosuch',
      'k8s.context_not_found',
      'invalid',
    ],
    [
      'error: stat /tmp/nonexist/cfg: no such file or directory',
      'k8s.kubeconfig_not_found',
      'invalid',
    ],
    [
      'error: error loading config file "/x": yaml: line 3: mapping values are not allowed',
      'k8s.kubeconfig_invalid',
      'invalid',
    ],
    ['error: unknown flag: --show-managed-fields', 'k8s.kubectl_unsupported_flag', 'invalid'],
    ['something odd happened', 'k8s.kubectl_failed', 'internal'],
  ])('classifies %p', (stderr, code, category) => {
    const reason = classifyKubectlFailure(stderr, 1);
    expect(reason.code).toBe(code);
    expect(reason.category).toBe(category as typeof reason.category);
  });

  it("keeps the message short: kubectl's own line, without klog noise or skew warnings", () => {
    const reason = classifyKubectlFailure(
      `WARNING: version difference between client (1.32) and server (1.20)\n${KLOG}\nThe connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?`,
      1,
    );
    expect(reason.message).toBe(
      'The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?',
    );
  });

  it('falls back to the exit code when stderr is empty', () => {
    expect(classifyKubectlFailure('', 137).message).toBe('kubectl exited with code 137');
  });
});

describe('redactCredentials', () => {
  it('masks bearer tokens and key material an error might echo', () => {
    const text = redactCredentials(
      'Authorization: Bearer abc.def.ghi token: s3cr3t client-key-data=LS0tLS1C password="hunter2"',
    );
    for (const secret of ['abc.def.ghi', 's3cr3t', 'LS0tLS1C', 'hunter2']) {
      expect(text).not.toContain(secret);
    }
  });

  it('leaves ordinary errors alone', () => {
    expect(summarizeStderr('Error from server (Forbidden): secrets is forbidden: User "u"')).toBe(
      'Error from server (Forbidden): secrets is forbidden: User "u"',
    );
  });
});
