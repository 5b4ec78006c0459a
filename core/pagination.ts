import { CwsError } from './errors';

/** Default and largest page sizes (CONTRACT.md "Lists and pagination"). */
export const PAGE_LIMIT_DEFAULT = 50;
export const PAGE_LIMIT_MAX = 250;

/** A position in a list ordered by a sort key and then the id. */
export interface CursorPosition {
  key: string | number;
  id: string;
}

/** What a repository needs to read one page. */
export interface PageRequest {
  limit: number;
  after?: CursorPosition;
}

/** One page of rows and where the next one starts. */
export interface Page<T> {
  items: T[];
  next?: CursorPosition;
}

/** The opaque cursor clients pass back: base64url of the position. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.key, position.id])).toString('base64url');
}

/** Reads a cursor; anything that did not come from encodeCursor is a validation failure. */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      (typeof value[0] === 'string' || typeof value[0] === 'number') &&
      typeof value[1] === 'string'
    ) {
      return { key: value[0], id: value[1] };
    }
  } catch {
    // fall through to the validation error below
  }
  throw new CwsError('request.validation_failed', 'cursor is not valid', [
    { path: 'cursor', message: 'not a cursor this server issued' },
  ]);
}

/** Splits one extra row off a `limit + 1` query into the page and its continuation. */
export function toPage<T>(
  rows: T[],
  limit: number,
  positionOf: (row: T) => CursorPosition,
): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, next: positionOf(items[items.length - 1] as T) };
}
