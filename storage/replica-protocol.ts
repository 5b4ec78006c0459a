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
  /** The WriteFence's memory (storage/write-fence.ts), and this thread's owner number there. */
  fence: SharedArrayBuffer;
  fenceOwner: number;
  /** Tests only: how long the thread sleeps before the flush, standing in for a starved thread. */
  holdMs?: number;
}

/**
 * Replica → main thread: the file holds the flush (or a newer write the main thread made), or why
 * it does not.
 */
export type FlushReply =
  | {
      id: number;
      outcome: 'written';
      /** The processor time the flush took, in milliseconds, apart from any wait for a core. */
      busyMs: number;
    }
  | { id: number; outcome: 'diverged'; message: string }
  | { id: number; outcome: 'failed'; message: string };
