import type { ErrorDetail } from './types.js';

/**
 * Every failure the client reports. Server errors carry the HTTP status and the body's stable code;
 * failures that never got an answer carry status 0 and a `client.*` code (`client.timeout`,
 * `client.tls_error`, `client.network_error`, `client.invalid_response`).
 */
export class CwsError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  readonly requestId: string | undefined;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: ErrorDetail[];
    requestId?: string;
    cause?: unknown;
  }) {
    super(init.message, { cause: init.cause });
    this.name = 'CwsError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.requestId = init.requestId;
  }
}

/** Builds the error for a non-2xx answer, from the contract's error body when it is one. */
export function errorFromResponse(
  status: number,
  body: Uint8Array,
  headerRequestId: string | undefined,
): CwsError {
  const parsed = parseErrorBody(body);
  return new CwsError({
    status,
    code: parsed?.code ?? `http.${status}`,
    message: parsed?.message ?? `HTTP ${status} without a CWS error body`,
    details: parsed?.details ?? [],
    requestId: parsed?.requestId ?? headerRequestId,
  });
}

interface ParsedError {
  code: string;
  message: string;
  details: ErrorDetail[];
  requestId: string | undefined;
}

function parseErrorBody(body: Uint8Array): ParsedError | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
  if (!isObject(value) || !isObject(value.error)) return undefined;
  const { code, message, details } = value.error;
  if (typeof code !== 'string') return undefined;
  return {
    code,
    message: typeof message === 'string' ? message : code,
    details: Array.isArray(details) ? (details as ErrorDetail[]) : [],
    requestId: typeof value.request_id === 'string' ? value.request_id : undefined,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
