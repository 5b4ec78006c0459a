import {
  closeSync,
  fsyncSync,
  openSync,
  renameSync,
  writeSync,
  existsSync,
  readFileSync,
} from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import initSqlJs, { type Database as SqlJsDatabase, type SqlValue } from 'sql.js';
// The wasm is imported as a file asset so `bun build --compile` embeds it; sql.js's own loader
// would look for it next to the build machine's node_modules.
import wasmPath from 'sql.js/dist/sql-wasm.wasm' with { type: 'file' };
import { MIGRATIONS } from './migrations';

/** A row as sql.js returns it: column name → value. */
export type Row = Record<string, SqlValue>;

/** Options for opening a database. */
export interface OpenOptions {
  /** File to load from and persist to; absent means a purely in-memory database (tests). */
  path?: string;
  /** How long a write waits for others to share its flush, in milliseconds. */
  flushDelayMs?: number;
}

/** Raised when the database file exists but cannot be read as a database. */
export class DatabaseFileError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot open database file ${path}: ${(cause as Error)?.message ?? cause}`, { cause });
    this.name = 'DatabaseFileError';
  }
}

/** Between two flushes, at least this many times the last snapshot's duration passes. */
const SNAPSHOT_SPACING = 4;

let sqlJs: Promise<initSqlJs.SqlJsStatic> | undefined;

/**
 * The sql.js database and its durable flushing. sql.js lives in memory; `commit()` writes the whole
 * file (temp file, fsync, rename, fsync directory) and concurrent commits share one flush.
 */
export class Store {
  private pendingFlush: Promise<void> | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private lastSnapshotMs = 0;
  /** Number of whole-file writes so far (the write benchmark reports flushes per write). */
  flushCount = 0;

  private constructor(
    private readonly db: SqlJsDatabase,
    private readonly path: string | undefined,
    private readonly flushDelayMs: number,
  ) {}

  /** Opens (or creates) the database, applies pending migrations and persists the result. */
  static async open(options: OpenOptions = {}): Promise<Store> {
    const SQL = await loadSqlJs();
    const db = options.path ? openFile(SQL, options.path) : new SQL.Database();
    db.run('PRAGMA foreign_keys = ON');
    const store = new Store(db, options.path, options.flushDelayMs ?? 2);
    if (store.migrate() || (options.path && !existsSync(options.path))) await store.commit();
    return store;
  }

  /** Runs a statement that changes rows; the caller commits. */
  run(sql: string, params: SqlValue[] = []): void {
    this.db.run(sql, params);
  }

  /** Inserts one row given as column → value (table and column names are ours, never input). */
  insert(table: string, row: Record<string, SqlValue>): void {
    const columns = Object.keys(row);
    this.db.run(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      Object.values(row),
    );
  }

  /** All rows of a query. */
  all<T extends Row = Row>(sql: string, params: SqlValue[] = []): T[] {
    const statement = this.db.prepare(sql);
    try {
      statement.bind(params);
      const rows: T[] = [];
      while (statement.step()) rows.push(statement.getAsObject() as T);
      return rows;
    } finally {
      statement.free();
    }
  }

  /** The first row of a query, if any. */
  get<T extends Row = Row>(sql: string, params: SqlValue[] = []): T | undefined {
    return this.all<T>(sql, params)[0];
  }

  /** Rows changed by the last statement. */
  changes(): number {
    return this.db.getRowsModified();
  }

  /**
   * Runs `work` as one transaction (all or nothing in memory) and resolves once it is on disk.
   * sql.js is single-threaded, so nothing interleaves with `work` while it runs.
   */
  async write<T>(work: () => T): Promise<T> {
    this.db.run('BEGIN');
    let result: T;
    try {
      result = work();
      this.db.run('COMMIT');
    } catch (error) {
      this.db.run('ROLLBACK');
      throw error;
    }
    await this.commit();
    return result;
  }

  /**
   * Resolves once everything written so far is on disk. Calls within `flushDelayMs` of each other
   * share one flush, so a burst of acknowledged writes costs one file write.
   */
  commit(): Promise<void> {
    if (!this.path) return Promise.resolve();
    if (this.pendingFlush) return this.pendingFlush;
    const next = this.flushing.then(
      () =>
        new Promise<void>((resolve, reject) => {
          setTimeout(
            () => {
              // Later commits must wait for a flush that starts after their change.
              this.pendingFlush = undefined;
              this.flushInBackground().then(resolve, reject);
            },
            // The snapshot blocks the event loop for as long as it takes; waiting a few times
            // that long between flushes keeps most of the loop free for requests under a write
            // storm, and groups more writes into each flush.
            Math.max(this.flushDelayMs, this.lastSnapshotMs * SNAPSHOT_SPACING),
          );
        }),
    );
    this.pendingFlush = next;
    this.flushing = next.catch(() => undefined);
    return next;
  }

  /** Flushes synchronously (shutdown) and releases the database. */
  close(): void {
    if (this.path) this.flushNow();
    this.db.close();
  }

  /** The database file's bytes as they would be written now. */
  exportBytes(): Uint8Array {
    return this.db.export();
  }

  private migrate(): boolean {
    this.db.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    const applied = new Set(
      this.all<{ version: number }>('SELECT version FROM schema_migrations').map((r) => r.version),
    );
    let changed = false;
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      this.db.run('BEGIN');
      try {
        this.db.exec(migration.sql);
        this.db.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [
          migration.version,
          new Date().toISOString(),
        ]);
        this.db.run('COMMIT');
      } catch (error) {
        this.db.run('ROLLBACK');
        throw new Error(`migration ${migration.version} failed: ${(error as Error).message}`);
      }
      changed = true;
    }
    return changed;
  }

  /**
   * Takes the snapshot on this thread (sql.js), then writes, syncs and renames with asynchronous
   * file calls so the event loop keeps serving requests while the disk works.
   */
  private async flushInBackground(): Promise<void> {
    const path = this.path as string;
    const bytes = this.snapshot();
    const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    const file = await open(temporary, 'w', 0o600);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
    const directory = await open(dirname(path), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
    this.flushCount += 1;
  }

  private snapshot(): Uint8Array {
    const started = performance.now();
    const bytes = this.db.export();
    this.lastSnapshotMs = performance.now() - started;
    // export() resets connection pragmas; foreign keys must stay on.
    this.db.run('PRAGMA foreign_keys = ON');
    return bytes;
  }

  /** The same durable write, synchronously: for shutdown, when nothing else may run. */
  private flushNow(): void {
    const path = this.path as string;
    const bytes = this.snapshot();
    const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.final.tmp`);
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    const directory = openSync(dirname(path), 'r');
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
    this.flushCount += 1;
  }
}

async function loadSqlJs(): Promise<initSqlJs.SqlJsStatic> {
  sqlJs ??= Bun.file(wasmPath)
    .arrayBuffer()
    .then((wasmBinary) => initSqlJs({ wasmBinary }));
  return sqlJs;
}

function openFile(SQL: initSqlJs.SqlJsStatic, path: string): SqlJsDatabase {
  if (!existsSync(path)) return new SQL.Database();
  let db: SqlJsDatabase | undefined;
  try {
    const bytes = readFileSync(path);
    // This store never writes an empty file (it renames a complete one into place), so an empty
    // file is someone else's; starting over in it would hide that.
    if (bytes.length === 0) throw new Error('the file is empty');
    db = new SQL.Database(bytes);
    // sql.js opens anything lazily; reading the schema proves the file really is a database.
    db.exec('SELECT count(*) FROM sqlite_master');
    return db;
  } catch (error) {
    db?.close();
    throw new DatabaseFileError(path, error);
  }
}
