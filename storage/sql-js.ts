import initSqlJs, { type Database } from 'sql.js';
// The wasm is imported as a file asset so `bun build --compile` embeds it; sql.js's own loader
// would look for it next to the build machine's node_modules.
import wasmPath from 'sql.js/dist/sql-wasm.wasm' with { type: 'file' };

let sqlJs: Promise<initSqlJs.SqlJsStatic> | undefined;

/** sql.js with its wasm, loaded once per thread. */
export function loadSqlJs(): Promise<initSqlJs.SqlJsStatic> {
  sqlJs ??= Bun.file(wasmPath)
    .arrayBuffer()
    .then((wasmBinary) => initSqlJs({ wasmBinary }));
  return sqlJs;
}

/**
 * Per-connection settings, applied on open and again after every export (sql.js reopens the
 * connection to export, which resets them): foreign keys enforced, and the rollback journal kept
 * in memory rather than in sql.js's emulated file system, where each transaction would copy its
 * pages twice. Durability comes from writing the whole file, not from the journal.
 */
export function configureConnection(db: Database): void {
  db.run('PRAGMA foreign_keys = ON');
  db.run('PRAGMA journal_mode = MEMORY');
}
