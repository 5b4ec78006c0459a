/**
 * The database's replica thread. It keeps a second sql.js copy of the database, replays the
 * changes the main thread made, and writes the file: sql.js can only persist by serialising the
 * whole database, and doing that here keeps the main thread free for requests.
 */
import { readFileSync } from 'node:fs';
import type { Database } from 'sql.js';
import { replaceFileDurably } from './durable-file';
import type { FlushReply, FlushRequest } from './replica-protocol';
import { lowerThisThread } from './thread-priority';
import { configureConnection, loadSqlJs } from './sql-js';

declare const self: Worker;

// Flushes run only on cores the serving thread and the API's clients leave free.
lowerThisThread();

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
    replaceFileDurably(request.path, bytes, 'replica');
    return { id, outcome: 'written' };
  } catch (error) {
    return { id, outcome: 'failed', message: String((error as Error)?.message ?? error) };
  }
}

function configured(database: Database): Database {
  configureConnection(database);
  return database;
}
