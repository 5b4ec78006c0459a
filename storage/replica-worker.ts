/**
 * The database's replica thread. It keeps a second sql.js copy of the database, replays the
 * changes the main thread made, and writes the file: sql.js can only persist by serialising the
 * whole database, and doing that here keeps the main thread free for requests.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import type { Database } from 'sql.js';
import { settleTemporaryFile, writeTemporaryFile } from './durable-file';
import type { FlushReply, FlushRequest } from './replica-protocol';
import { lowerThisThread } from './thread-priority';
import { WriteFence } from './write-fence';
import { configureConnection, loadSqlJs } from './sql-js';

declare const self: Worker;

// Flushes run only on cores the serving thread and the API's clients leave free.
lowerThisThread();

/** Where Linux tells this thread's processor time (the first number, in nanoseconds). */
const SCHEDSTAT = '/proc/thread-self/schedstat';
const hasSchedstat = existsSync(SCHEDSTAT);

let db: Database | undefined;
// Loading sql.js takes tens of milliseconds: begin before the first flush asks for it.
void loadSqlJs();

/** Flushes one after another: two writers of the same temporary file would tear it. */
let previous: Promise<void> = Promise.resolve();

self.onmessage = ({ data }: MessageEvent<FlushRequest>) => {
  previous = previous.then(async () => self.postMessage(await flush(data)));
};

async function flush(request: FlushRequest): Promise<FlushReply> {
  const { id } = request;
  const busyAtStart = busyNow();
  if (request.holdMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, request.holdMs);
  try {
    const SQL = await loadSqlJs();
    if (request.seed) {
      db?.close();
      db = configured(new SQL.Database(request.seed));
    }
    // The first flush starts from the file, which matched the main thread's copy when it opened.
    db ??= configured(new SQL.Database(readFileSync(request.path)));
    for (const [sql, params] of request.statements) db.run(sql, params);
  } catch (error) {
    // The copies no longer agree; the main thread answers with a seed.
    db?.close();
    db = undefined;
    return { id, outcome: 'diverged', message: String((error as Error)?.message ?? error) };
  }
  try {
    const bytes = db.export();
    configureConnection(db);
    // Blocking calls, on purpose: this thread has nothing else to do meanwhile, and the runtime's
    // asynchronous file calls made the main thread's hand-offs to it stall for up to a millisecond.
    const temporary = writeTemporaryFile(request.path, bytes, 'replica');
    const fence = new WriteFence(request.fence);
    // False when the main thread wrote a newer copy meanwhile.
    const isRenamed = fence.installWaiting(id, request.fenceOwner, () =>
      renameSync(temporary, request.path),
    );
    settleTemporaryFile(temporary, request.path, isRenamed);
    return { id, outcome: 'written', busyMs: busyNow() - busyAtStart };
  } catch (error) {
    return { id, outcome: 'failed', message: String((error as Error)?.message ?? error) };
  }
}

/**
 * This thread's processor time in milliseconds, or the clock where the system does not tell it:
 * the store judges from it whether a slow flush was slow work or a wait for a core.
 */
function busyNow(): number {
  if (!hasSchedstat) return performance.now();
  return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
}

function configured(database: Database): Database {
  configureConnection(database);
  return database;
}
