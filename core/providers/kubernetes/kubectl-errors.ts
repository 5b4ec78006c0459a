import type { FailureCategory, FailureReason } from '../../model';

interface Pattern {
  test: RegExp;
  code: string;
  category: FailureCategory;
}

/**
 * kubectl's stderr phrases, most specific first. A request timeout is reported as "Unable to
 * connect to the server: context deadline exceeded", so timeouts are matched before the generic
 * unreachable phrases; a dial that times out is an unreachable cluster, not a slow one.
 */
const PATTERNS: Pattern[] = [
  {
    test: /stat .*: no such file or directory|error loading config file .*no such file/,
    code: 'k8s.kubeconfig_not_found',
    category: 'invalid',
  },
  {
    test: /error loading config file|couldn't get version\/kind; json parse error/,
    code: 'k8s.kubeconfig_invalid',
    category: 'invalid',
  },
  {
    test: /context was not found for specified context|context "[^"]*" does not exist|no context exists with the name/,
    code: 'k8s.context_not_found',
    category: 'invalid',
  },
  {
    test: /unknown flag|unknown shorthand flag/,
    code: 'k8s.kubectl_unsupported_flag',
    category: 'invalid',
  },
  { test: /dial tcp [^\n]*i\/o timeout/, code: 'k8s.cluster_unreachable', category: 'network' },
  {
    test: /Client\.Timeout exceeded|context deadline exceeded|request canceled|TLS handshake timeout|\(Timeout\)|i\/o timeout/,
    code: 'k8s.timeout',
    category: 'timeout',
  },
  {
    test: /\(Unauthorized\)|You must be logged in|getting credentials|exec plugin|provide credentials/,
    code: 'k8s.unauthorized',
    category: 'auth',
  },
  { test: /\(Forbidden\)|is forbidden:/, code: 'k8s.forbidden', category: 'permission' },
  {
    test: /doesn't have a resource type|could not find the requested resource|\(NotFound\)|no matches for kind/,
    code: 'k8s.kind_not_served',
    category: 'not_found',
  },
  { test: /\(TooManyRequests\)|too many requests/i, code: 'k8s.throttled', category: 'throttled' },
  {
    test: /\(ServiceUnavailable\)|currently unable to handle the request/,
    code: 'k8s.service_unavailable',
    category: 'network',
  },
  { test: /x509:|tls: /, code: 'k8s.tls_verification_failed', category: 'network' },
  {
    test: /connection refused|was refused|no such host|network is unreachable|no route to host|Unable to connect to the server|dial tcp|connection reset|unexpected EOF/,
    code: 'k8s.cluster_unreachable',
    category: 'network',
  },
];

/** Turns kubectl's stderr and exit code into a failure with a stable code and category. */
export function classifyKubectlFailure(stderr: string, exitCode: number | null): FailureReason {
  const pattern = PATTERNS.find((candidate) => candidate.test.test(stderr));
  const message = summarizeStderr(stderr) || `kubectl exited with code ${exitCode ?? 'unknown'}`;
  if (!pattern) return { code: 'k8s.kubectl_failed', message, category: 'internal' };
  return { code: pattern.code, message, category: pattern.category };
}

const KLOG_LINE = /^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ \S+:\d+\] /;
const MAX_MESSAGE = 400;

/**
 * The lines of stderr an operator needs: kubectl's own error lines, without its client-side log
 * noise (klog lines repeat the same error), skew warnings, or anything that looks like a credential.
 */
export function summarizeStderr(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('WARNING:'));
  const meaningful = lines.filter((line) => !KLOG_LINE.test(line));
  const chosen = (meaningful.length ? meaningful : lines.slice(-1)).join(' ');
  const redacted = redactCredentials(chosen);
  return redacted.length > MAX_MESSAGE ? `${redacted.slice(0, MAX_MESSAGE - 1)}…` : redacted;
}

/** Masks bearer tokens, passwords and key material should an error echo one. */
export function redactCredentials(text: string): string {
  return text
    .replace(/(bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1****')
    .replace(
      /((?:token|password|secret|client-key-data|client-certificate-data)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
      '$1****',
    );
}
