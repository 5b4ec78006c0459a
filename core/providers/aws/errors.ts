import type { FailureCategory, FailureReason } from '../../model';

/** AWS error codes by the category a scan reports them under. */
const CATEGORY_BY_CODE: Record<string, FailureCategory> = {
  UnauthorizedOperation: 'permission',
  AccessDenied: 'permission',
  AccessDeniedException: 'permission',
  // A region the account has not opted into answers OptInRequired: the account may not use it.
  OptInRequired: 'permission',
  AuthFailure: 'auth',
  InvalidClientTokenId: 'auth',
  SignatureDoesNotMatch: 'auth',
  ExpiredToken: 'auth',
  ExpiredTokenException: 'auth',
  UnrecognizedClientException: 'auth',
  CredentialsProviderError: 'auth',
  RequestLimitExceeded: 'throttled',
  Throttling: 'throttled',
  ThrottlingException: 'throttled',
  RequestThrottled: 'throttled',
  TimeoutError: 'timeout',
  RequestTimeout: 'timeout',
  RequestTimeoutException: 'timeout',
  InvalidParameterValue: 'invalid',
  InvalidParameterCombination: 'invalid',
  InvalidParameter: 'invalid',
  InvalidAction: 'invalid',
  MissingParameter: 'invalid',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ETIMEDOUT',
  'ConnectionRefused',
  'ConnectionClosed',
  'FailedToOpenSocket',
]);

const MAX_MESSAGE_LENGTH = 300;

/**
 * Turns an error from the EC2 client into a failure reason with the AWS error code kept. The
 * message is the service's own, shortened, with anything shaped like an access key id or a
 * signing token blanked: some signature errors echo the canonical request they computed.
 */
export function classifyAwsError(error: unknown, timedOut: boolean): FailureReason {
  if (timedOut) {
    return {
      code: 'TimeoutError',
      message: 'The EC2 call did not answer within the configured API timeout.',
      category: 'timeout',
    };
  }
  const fields = errorFields(error);
  const category =
    CATEGORY_BY_CODE[fields.code] ??
    (NETWORK_CODES.has(fields.code) || NETWORK_CODES.has(fields.errno) ? 'network' : undefined) ??
    (fields.status === 401 || fields.status === 403 ? 'permission' : undefined) ??
    (fields.status !== undefined && fields.status >= 500 ? 'internal' : undefined) ??
    'internal';
  return {
    code: fields.code || 'UnknownError',
    message: shorten(fields.message || 'The EC2 call failed.'),
    category,
  };
}

function errorFields(error: unknown): {
  code: string;
  errno: string;
  message: string;
  status?: number;
} {
  if (typeof error !== 'object' || error === null) {
    return { code: '', errno: '', message: String(error) };
  }
  const record = error as Record<string, unknown>;
  const metadata = record.$metadata as { httpStatusCode?: number } | undefined;
  const code =
    typeof record.Code === 'string'
      ? record.Code
      : typeof record.name === 'string' && record.name !== 'Error'
        ? record.name
        : typeof record.code === 'string'
          ? record.code
          : '';
  return {
    code,
    errno: typeof record.code === 'string' ? record.code : '',
    message: typeof record.message === 'string' ? record.message : '',
    status: metadata?.httpStatusCode,
  };
}

/** Access key ids (AKIA…, ASIA…) and long base64 runs such as session tokens or signatures. */
const SECRET_SHAPES = [/\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g, /[A-Za-z0-9+/=_-]{40,}/g];

function shorten(message: string): string {
  const redacted = SECRET_SHAPES.reduce((text, shape) => text.replace(shape, '****'), message);
  const oneLine = redacted.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_MESSAGE_LENGTH
    ? `${oneLine.slice(0, MAX_MESSAGE_LENGTH - 1)}…`
    : oneLine;
}
