import * as v from 'valibot';
import { CwsError, type ErrorDetail } from '../core/errors';
import {
  decodeCursor,
  encodeCursor,
  PAGE_LIMIT_DEFAULT,
  PAGE_LIMIT_MAX,
  type Page,
  type PageRequest,
} from '../core/pagination';

/** Largest request body accepted (CONTRACT.md "Transport and auth"). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Content types a JSON body may arrive under: JSON itself, and what curl sends with a bare `-d`
 * (form-urlencoded) or some clients with text/plain. The body must still parse as JSON.
 */
const ACCEPTED_BODY_TYPE =
  /^(application\/([\w.+-]*\+)?json|application\/x-www-form-urlencoded|text\/plain)\b/i;

/** A JSON response with the given status. */
export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** The error body every failure shares. */
export function errorResponse(
  error: CwsError,
  requestId: string,
  headers: HeadersInit = {},
): Response {
  const body = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details.length ? { details: error.details } : {}),
    },
    request_id: requestId,
  };
  return json(body, error.status, headers);
}

/**
 * Reads a JSON body. An empty body is `undefined` (routes whose body is optional accept it); a
 * missing content type is accepted since curl users forget it; anything else non-JSON is refused.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > BODY_LIMIT_BYTES) throw new CwsError('request.body_too_large');
  const text = await readLimitedText(request);
  if (text.trim() === '') return undefined;
  const type = request.headers.get('content-type');
  if (type && !ACCEPTED_BODY_TYPE.test(type)) {
    throw new CwsError('request.unsupported_media_type', `content type ${type} is not JSON`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CwsError('request.invalid_json', `body is not JSON: ${(error as Error).message}`);
  }
}

/** Validates input against a schema; failure lists one detail per field. */
export function validate<const S extends v.GenericSchema>(
  schema: S,
  input: unknown,
): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  throw validationError(result.issues);
}

/** The validation error for a list of valibot issues. */
export function validationError(issues: readonly v.BaseIssue<unknown>[]): CwsError {
  const details: ErrorDetail[] = issues.map((issue) => ({
    path: v.getDotPath(issue) ?? '',
    message: issueMessage(issue),
  }));
  const first = details[0];
  const message = first ? describeDetail(first) : 'invalid request';
  return new CwsError('request.validation_failed', message, details);
}

/**
 * Object schemas report a missing key and an unknown key with the same schema message; tell them
 * apart so a missing field is not described as an unknown one.
 */
function issueMessage(issue: v.BaseIssue<unknown>): string {
  if (!issue.type.endsWith('object')) return issue.message;
  if (issue.expected === 'Object') {
    return issue.received === 'undefined'
      ? 'a JSON object body is required'
      : 'must be a JSON object';
  }
  if (issue.received === 'undefined' && issue.expected?.startsWith('"')) return 'is required';
  return issue.message;
}

function describeDetail({ path, message }: ErrorDetail): string {
  if (!path) return message;
  return /^(must|is|has|needs) /.test(message) ? `${path} ${message}` : `${path}: ${message}`;
}

/** A query-string object with single values, for validating with a schema. */
export function queryObject(query: URLSearchParams): Record<string, string> {
  return Object.fromEntries(query.entries());
}

/** limit, cursor and envelope, shared by every list route. */
export const PageQuery = v.object({
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, 'must be a whole number'),
      v.transform(Number),
      v.minValue(1),
      v.maxValue(PAGE_LIMIT_MAX),
    ),
    String(PAGE_LIMIT_DEFAULT),
  ),
  cursor: v.optional(v.pipe(v.string(), v.minLength(1))),
  envelope: v.optional(v.picklist(['true', 'false', '1', '0'])),
});

/** Reads the paging part of a query into what a repository takes. */
export function readPage(query: URLSearchParams): { page: PageRequest; envelope: boolean } {
  const parsed = validate(PageQuery, {
    limit: query.get('limit') ?? undefined,
    cursor: query.get('cursor') ?? undefined,
    envelope: query.get('envelope') ?? undefined,
  });
  const envelope =
    parsed.envelope === 'true' || parsed.envelope === '1' || parsed.cursor !== undefined;
  return {
    page: { limit: parsed.limit, after: parsed.cursor ? decodeCursor(parsed.cursor) : undefined },
    envelope,
  };
}

/** A list response: a plain array by default, the envelope when asked for or when paging. */
export function listResponse<T>(page: Page<T>, limit: number, envelope: boolean): Response {
  if (!envelope) return json(page.items);
  return json({
    items: page.items,
    page: {
      limit,
      next_cursor: page.next ? encodeCursor(page.next) : null,
      has_more: page.next !== undefined,
    },
  });
}

async function readLimitedText(request: Request): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > BODY_LIMIT_BYTES) {
      await reader.cancel();
      throw new CwsError('request.body_too_large');
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
