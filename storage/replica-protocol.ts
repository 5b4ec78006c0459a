import type { SqlValue } from 'sql.js';

/** One change as the main thread ran it: SQL and its parameters. */
export type Statement = [sql: string, params: SqlValue[]];

/** Main thread → replica: apply these changes (or start over from `seed`), then write the file. */
export interface FlushRequest {
  id: number;
  path: string;
  /** The whole database, when the replica must start from the main thread's copy. */
  seed?: Uint8Array;
  statements: Statement[];
}

/** Replica → main thread: the file holds the flush, or why it does not. */
export type FlushReply =
  | { id: number; outcome: 'written' }
  | { id: number; outcome: 'diverged'; message: string }
  | { id: number; outcome: 'failed'; message: string };
