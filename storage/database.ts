import { existsSync, readFileSync } from 'node:fs';
import type initSqlJs from 'sql.js';
import type { Database as SqlJsDatabase, SqlValue, Statement as SqlJsStatement } from 'sql.js';
import type { Durability } from '../core/repositories';
import { nextTurn } from '../core/turns';
import { replaceFileDurably } from './durable-file';
import { MIGRATIONS } from './migrations';
import { Replica } from './replica';
import type { Statement } from './replica-protocol';
import { configureConnection, loadSqlJs } from './sql-js';

/** Back-to-back flushes start this many times the previous one's duration apart ... */
const FLUSH_SPACING = 4;
/** ... but never more than this many milliseconds after it ended. */
const MAX_SPACING_MS = 50;
/** Prepared statements kept at most. */
const MAX_PREPARED = 500;
/**
 * How long an acknowledged commit waits for the replica thread before the main thread writes the
 * file itself: the replica runs only on cores nothing else wants (storage/thread-priority.ts), so
 * while other programs keep every core busy it may get almost no time at all ...
 */
const RESCUE_AFTER_MS = 100;
/** ... or this many times the quickest recent flush, where every flush is slow (a large file). */
const RESCUE_FACTOR = 4;
/** Flush durations remembered for that. */
const RECENT_FLUSHES = 8;

/** A row as sql.js returns it: column name → value. */
export type Row = Record<string, SqlValue>;

/** Options for opening a database. */
export interface OpenOptions {
  /** File to load from and persist to; absent means a purely in-memory database (tests). */
  path?: string;
  /** How long a write waits for others to share its flush, in milliseconds. */
  flushDelayMs?: number;
  /**
   * The same for a background write (50 ms by default). Every flush serialises and syncs the
   * whole file, and those cores and that disk are the API's too: a storm of background work (a
   * thousand scheduled scans, say) flushing every few milliseconds shows in the API's tail
   * latency, while no one notices its writes landing a few dozen milliseconds later.
   */
  backgroundDelayMs?: number;
  /** Tests only: the replica thread sleeps this long before each flush, as if starved. */
  replicaHoldMs?: number;
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

/**
 * The sql.js database and its durable flushing. sql.js lives in memory and can persist only by
 * serialising the whole database, which takes long enough on a big database to stall requests.
 * So every committed change is also logged, and `commit()` hands the log to a replica thread
 * (storage/replica.ts) that replays it on its own copy and writes the file (temp file, fsync,
 * rename, fsync directory). Concurrent commits share one flush.
 */
export class Store {
  /** Commits waiting for the next flush. */
  private waiters: Waiter[] = [];
  /** Commits of the flush in flight. */
  private flushing: Waiter[] = [];
  /**
   * When the first of the waiting commits that an API call acknowledges (once it is on disk)
   * began to wait (performance.now() time); undefined when only background commits wait.
   */
  private waitingAcknowledgedSince: number | undefined;
  /** The same for the commits of the flush in flight. */
  private flushingAcknowledgedSince: number | undefined;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the armed flush fires (performance.now() time). */
  private flushDueAt = Number.POSITIVE_INFINITY;
  /** The next flush starts no sooner than this (performance.now() time): see scheduleFlush. */
  private spacedUntil = 0;
  private flushInFlight: Promise<void> | undefined;
  private rescueTimer: ReturnType<typeof setTimeout> | undefined;
  private rescueInFlight: Promise<void> | undefined;
  /** The processor time the last few flushes took, in milliseconds. */
  private readonly recentFlushMs: number[] = [];
  private closing = false;
  private isClosed = false;
  /** Changes since the last flush, in the order they ran; rolled-back ones are dropped. */
  private changeLog: Statement[] = [];
  /** Where the open transaction's changes start in the log. */
  private transactionStart = 0;
  private readonly replica: Replica | undefined;
  /**
   * Prepared statements by SQL text. Compiling a statement costs as much as running a small one,
   * and the same few hundred texts run over and over; an export frees them all (sql.js reopens
   * the connection), so the cache is emptied there.
   */
  private readonly statements = new Map<string, SqlJsStatement>();
  /** Number of whole-file writes so far (the write benchmark reports flushes per write). */
  flushCount = 0;

  private constructor(
    private readonly db: SqlJsDatabase,
    private readonly path: string | undefined,
    private readonly flushDelayMs: number,
    private readonly backgroundDelayMs: number,
    replicaHoldMs: number,
  ) {
    this.replica = path ? new Replica(path, () => this.exportForSeed(), replicaHoldMs) : undefined;
  }

  /** Opens (or creates) the database, applies pending migrations and persists the result. */
  static async open(options: OpenOptions = {}): Promise<Store> {
    const SQL = await loadSqlJs();
    const db = options.path ? openFile(SQL, options.path) : new SQL.Database();
    configureConnection(db);
    const store = new Store(
      db,
      options.path,
      options.flushDelayMs ?? 2,
      options.backgroundDelayMs ?? 50,
      options.replicaHoldMs ?? 0,
    );
    // Before anything is served, the file must match this copy: the replica starts from it.
    const migrated = store.migrate();
    if (options.path && (migrated || !existsSync(options.path))) store.writeNow();
    return store;
  }

  /** Runs a statement that changes rows; the caller commits. */
  run(sql: string, params: SqlValue[] = []): void {
    this.prepared(sql).run(params);
    this.log(sql, params);
  }

  /** Inserts one row given as column → value (table and column names are ours, never input). */
  insert(table: string, row: Record<string, SqlValue>): void {
    const columns = Object.keys(row);
    this.run(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      Object.values(row),
    );
  }

  /** Runs `work` as one transaction: all of it or, when it throws, none of it. */
  transaction<T>(work: () => T): T {
    this.run('BEGIN');
    try {
      const result = work();
      this.run('COMMIT');
      return result;
    } catch (error) {
      this.run('ROLLBACK');
      throw error;
    }
  }

  /** All rows of a query. */
  all<T extends Row = Row>(sql: string, params: SqlValue[] = []): T[] {
    const statement = this.prepared(sql);
    try {
      statement.bind(params);
      const rows: T[] = [];
      while (statement.step()) rows.push(statement.getAsObject() as T);
      return rows;
    } finally {
      statement.reset();
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
  async write<T>(work: () => T, durability: Durability = 'acknowledged'): Promise<T> {
    const result = this.transaction(work);
    await this.commit(durability);
    return result;
  }

  /**
   * Resolves once everything written so far is on disk. Calls within `flushDelayMs` of each other
   * (`backgroundDelayMs` for background ones), or made while a flush is under way, share the next
   * flush, so a burst of writes costs one file write.
   */
  commit(durability: Durability = 'acknowledged'): Promise<void> {
    if (!this.path) return Promise.resolve();
    if (this.isClosed) return Promise.reject(new Error('the database is closed'));
    const flushed = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (durability === 'acknowledged') {
      this.waitingAcknowledgedSince ??= performance.now();
      this.armRescue();
    }
    this.scheduleFlush();
    return flushed;
  }

  /**
   * Starts the replica thread now rather than at the first commit (it loads sql.js, which takes
   * tens of milliseconds): the server calls this once it listens.
   */
  prepareReplica(): void {
    this.replica?.prepare();
  }

  /** Waits for the flush in flight, writes what is left, stops the replica and closes. */
  async close(): Promise<void> {
    if (this.path) {
      this.closing = true;
      clearTimeout(this.flushTimer);
      clearTimeout(this.rescueTimer);
      while (this.flushInFlight || this.rescueInFlight) {
        await Promise.all([this.flushInFlight, this.rescueInFlight]);
      }
      this.replica?.stop();
      this.writeNow();
      resumeInTurns(this.waiters.splice(0), undefined);
    }
    this.isClosed = true;
    this.freeStatements();
    this.db.close();
  }

  /** The database file's bytes as they would be written now. */
  exportBytes(): Uint8Array {
    this.statements.clear();
    const bytes = this.db.export();
    configureConnection(this.db);
    return bytes;
  }

  private prepared(sql: string): SqlJsStatement {
    let statement = this.statements.get(sql);
    if (!statement) {
      // The texts are the code's own, a bounded set; the guard only stops a runaway.
      if (this.statements.size >= MAX_PREPARED) this.freeStatements();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private freeStatements(): void {
    for (const statement of this.statements.values()) statement.free();
    this.statements.clear();
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

  private log(sql: string, params: SqlValue[]): void {
    if (!this.path) return;
    if (sql === 'ROLLBACK') {
      this.changeLog.length = this.transactionStart;
      return;
    }
    if (sql === 'BEGIN') this.transactionStart = this.changeLog.length;
    this.changeLog.push([sql, params]);
  }

  /**
   * Arms the next flush, or brings an armed one forward when an acknowledged commit arrives.
   * After a flush that ran while commits kept coming, the next waits FLUSH_SPACING − 1 times its
   * duration, capped, so that writing takes at most about 1/FLUSH_SPACING of the time: each flush
   * serialises and syncs the whole file however few rows changed.
   */
  private scheduleFlush(): void {
    if (this.closing || this.flushInFlight || !this.waiters.length) return;
    const now = performance.now();
    const delay =
      this.waitingAcknowledgedSince === undefined ? this.backgroundDelayMs : this.flushDelayMs;
    const dueAt = Math.max(this.spacedUntil, now + delay);
    if (this.flushTimer) {
      if (dueAt >= this.flushDueAt) return;
      clearTimeout(this.flushTimer);
    }
    this.flushDueAt = dueAt;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushDueAt = Number.POSITIVE_INFINITY;
      const started = performance.now();
      this.flushInFlight = this.flushThroughReplica().finally(() => {
        // Only commits that came while it ran (a steady stream) are spaced from this flush.
        const ended = performance.now();
        const spacing = Math.min(MAX_SPACING_MS, (FLUSH_SPACING - 1) * (ended - started));
        this.spacedUntil = this.waiters.length ? ended + spacing : 0;
        this.flushInFlight = undefined;
        this.scheduleFlush();
      });
    }, dueAt - now);
  }

  private async flushThroughReplica(): Promise<void> {
    this.flushing = this.waiters.splice(0);
    this.flushingAcknowledgedSince = this.waitingAcknowledgedSince;
    this.waitingAcknowledgedSince = undefined;
    const statements = this.changeLog;
    this.changeLog = [];
    let failure: Error | undefined;
    try {
      this.rememberFlush(await (this.replica as Replica).flush(statements));
      this.flushCount += 1;
    } catch (error) {
      failure = error as Error;
    }
    // Empty if the main thread wrote them meanwhile (rescue).
    resumeInTurns(this.flushing.splice(0), failure);
    this.flushingAcknowledgedSince = undefined;
    // After the first flush, commits that came meanwhile may be rescued.
    this.armRescue();
  }

  /**
   * Arms the check for the oldest acknowledged commit still waiting, if none is armed. Not before
   * the replica's first flush: starting the thread and loading sql.js take longer than a flush.
   */
  private armRescue(): void {
    if (this.rescueTimer || this.rescueInFlight || this.closing || !this.recentFlushMs.length)
      return;
    const since = this.oldestAcknowledged();
    if (since === undefined) return;
    const delay = Math.max(0, since + this.rescueAfterMs() - performance.now());
    this.rescueTimer = setTimeout(() => {
      this.rescueTimer = undefined;
      this.rescue();
    }, delay);
  }

  /**
   * Writes the file from this thread when an acknowledged commit has waited too long for the
   * replica. It blocks for an export and a synced write, which the replica would have taken off
   * this thread, and settles every commit made so far. The changes stay logged: the replica still
   * replays them to keep its copy, and the file it then writes is newer still.
   */
  private rescue(): void {
    const since = this.oldestAcknowledged();
    if (since === undefined || this.closing) return;
    if (performance.now() - since < this.rescueAfterMs()) return this.armRescue();
    const waiters = [...this.flushing.splice(0), ...this.waiters.splice(0)];
    this.flushingAcknowledgedSince = undefined;
    this.waitingAcknowledgedSince = undefined;
    const started = performance.now();
    const bytes = this.exportBytes();
    this.rememberFlush(performance.now() - started);
    this.rescueInFlight = (this.replica as Replica)
      .writeFromMain(bytes)
      .then(
        () => {
          this.flushCount += 1;
          resumeInTurns(waiters, undefined);
        },
        (error: Error) => resumeInTurns(waiters, error),
      )
      .finally(() => {
        this.rescueInFlight = undefined;
        this.armRescue();
      });
  }

  /** When the longest-waiting acknowledged commit began to wait, if one waits. */
  private oldestAcknowledged(): number | undefined {
    return this.flushingAcknowledgedSince ?? this.waitingAcknowledgedSince;
  }

  private rescueAfterMs(): number {
    const quickest = this.recentFlushMs.length ? Math.min(...this.recentFlushMs) : 0;
    return Math.max(RESCUE_AFTER_MS, RESCUE_FACTOR * quickest);
  }

  private rememberFlush(ms: number): void {
    this.recentFlushMs.push(ms);
    if (this.recentFlushMs.length > RECENT_FLUSHES) this.recentFlushMs.shift();
  }

  /** The whole database for a replica starting over; the logged changes are in it. */
  private exportForSeed(): Uint8Array {
    const bytes = this.exportBytes();
    this.changeLog = [];
    this.transactionStart = 0;
    return bytes;
  }

  /** Writes this thread's copy to the file at once (start-up and shutdown only: it blocks). */
  private writeNow(): void {
    replaceFileDurably(this.path as string, this.exportBytes(), 'main');
    this.changeLog = [];
    this.flushCount += 1;
  }
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Settles the commits of one flush one per turn of the event loop, in the same line as the other
 * background steps. Each commit's caller resumes and runs on until its next wait; settled all at
 * once, a large group would hold the loop for the sum of those runs, and requests arriving
 * meanwhile would wait behind all of them.
 */
function resumeInTurns(waiters: Waiter[], error: Error | undefined): void {
  for (const waiter of waiters) {
    void nextTurn().then(() => (error ? waiter.reject(error) : waiter.resolve()));
  }
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
