/** The error catalogue: every stable code the API can answer with (CONTRACT.md "Errors"). */
export const ERROR_CATALOGUE = {
  'auth.missing_token': {
    http_status: 401,
    title: 'Bearer token missing',
    remedy: 'Send Authorization: Bearer <token>; `cws token` prints it.',
  },
  'auth.invalid_token': {
    http_status: 401,
    title: 'Bearer token not accepted',
    remedy: 'Use the current token (`cws token`); it changes when rotated.',
  },
  'auth.rate_limited': {
    http_status: 429,
    title: 'Too many failed sign-in attempts',
    remedy: 'Wait for the minute to pass, then retry with the right token.',
  },
  'request.invalid_json': {
    http_status: 400,
    title: 'Body is not valid JSON',
    remedy: 'Send a JSON document with Content-Type: application/json.',
  },
  'request.unsupported_media_type': {
    http_status: 415,
    title: 'Body is not JSON',
    remedy: 'Send Content-Type: application/json.',
  },
  'request.validation_failed': {
    http_status: 400,
    title: 'Request failed validation',
    remedy: 'Correct the fields listed in details.',
  },
  'request.body_too_large': {
    http_status: 413,
    title: 'Body over 1 MiB',
    remedy: 'Send a smaller body.',
  },
  'request.route_not_found': {
    http_status: 404,
    title: 'No such route',
    remedy: 'See GET /v1/openapi.json for the routes.',
  },
  'request.method_not_allowed': {
    http_status: 405,
    title: 'Method not allowed on this route',
    remedy: 'See the Allow header for the methods this route takes.',
  },
  'resource.not_found': {
    http_status: 404,
    title: 'No such resource',
    remedy: 'Check the id; list the collection to see what exists.',
  },
  'resource.conflict': {
    http_status: 409,
    title: 'Resource in use',
    remedy: 'Remove what refers to it first.',
  },
  'account.aws_managed_by_profiles': {
    http_status: 400,
    title: 'AWS accounts come from local profiles',
    remedy: 'Add a profile to ~/.aws/config; it appears in GET /v1/accounts as profile_<name>.',
  },
  'account.unsupported_provider': {
    http_status: 400,
    title: 'Provider not supported for cloud accounts',
    remedy: 'Use provider "azure" or "alibaba".',
  },
  'account.invalid_credentials': {
    http_status: 400,
    title: 'Credentials incomplete or malformed',
    remedy: 'Send every required credential field for the provider.',
  },
  'secret.unreadable': {
    http_status: 409,
    title: 'Stored secret cannot be decrypted',
    remedy:
      'The master key changed: restore CWS_MASTER_KEY or master.key, or enter the secret again.',
  },
  'scan.unknown_accounts': {
    http_status: 400,
    title: 'Unknown accounts selected',
    remedy: 'Pick ids from GET /v1/accounts; details list the unknown ones.',
  },
  'scan.no_active_checks': {
    http_status: 422,
    title: 'Nothing to scan',
    remedy: 'Add an AWS profile or a cloud account, or use demo_mode or include_kubernetes.',
  },
  'scan.too_many_active': {
    http_status: 429,
    title: 'Too many scans queued or running',
    remedy: 'Wait for a scan to finish or cancel one.',
  },
  'scan.not_cancelable': {
    http_status: 409,
    title: 'Scan already finished',
    remedy: 'Only queued and running scans can be canceled.',
  },
  'quota.exceeded': {
    http_status: 429,
    title: 'Monthly scan quota used up',
    remedy: 'Raise monthly_scan_limit with PATCH /v1/settings/quota or wait for the next month.',
  },
  'k8s.kubectl_not_found': {
    http_status: 424,
    title: 'kubectl not found',
    remedy: 'Install kubectl on PATH or point CWS_KUBECTL at it.',
  },
  'k8s.kubeconfig_not_found': {
    http_status: 400,
    title: 'Kubeconfig file not found',
    remedy: 'Pass the path of a readable kubeconfig file.',
  },
  'k8s.kubeconfig_invalid': {
    http_status: 400,
    title: 'Kubeconfig file cannot be parsed',
    remedy: 'Fix the YAML at the line named in the message.',
  },
  'k8s.context_not_found': {
    http_status: 400,
    title: 'Context not in kubeconfig',
    remedy: 'Pick a context from GET /v1/k8s/contexts.',
  },
  'report.source_not_found': {
    http_status: 404,
    title: 'No completed scan to report on',
    remedy: 'Run a scan first, or pass the scan_id of a completed scan.',
  },
  'internal.error': {
    http_status: 500,
    title: 'Unexpected error',
    remedy: 'Retry; if it persists, the server log has the cause under this request id.',
  },
} as const satisfies Record<string, CatalogueEntry>;

interface CatalogueEntry {
  http_status: number;
  title: string;
  remedy: string;
}

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** One detail per offending field or item. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/**
 * The one error type that crosses into HTTP: a catalogue code, a public message and details.
 * The cause stays on the server side (logged, never sent).
 */
export class CwsError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message?: string, details: ErrorDetail[] = [], cause?: unknown) {
    super(message ?? ERROR_CATALOGUE[code].title, { cause });
    this.name = 'CwsError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].http_status;
    this.details = details;
  }
}

/** The catalogue as GET /v1/meta/errors lists it. */
export function listErrorCatalogue(): Array<CatalogueEntry & { code: string }> {
  return Object.entries(ERROR_CATALOGUE).map(([code, entry]) => ({ code, ...entry }));
}
