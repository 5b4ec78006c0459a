import { afterEach, describe, expect, it } from 'bun:test';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Database, SqlValue } from 'sql.js';
import { Store, type Row } from '../../storage/database';
import { loadSqlJs } from '../../storage/sql-js';

const dirs: string[] = [];
/** Stores a test opened and has not closed itself; closed after it so no replica thread lingers. */
const openStores = new Set<Store>();

afterEach(async () => {
  for (const store of openStores) await store.close();
  openStores.clear();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cws-replica-'));
  dirs.push(dir);
  return join(dir, 'cws.sqlite');
}

async function openStore(
  path?: string,
  flushDelayMs?: number,
  backgroundDelayMs?: number,
  replicaHoldMs?: number,
): Promise<Store> {
  const store = await Store.open({ path, flushDelayMs, backgroundDelayMs, replicaHoldMs });
  openStores.add(store);
  return store;
}

async function closeStore(store: Store): Promise<void> {
  openStores.delete(store);
  await store.close();
}

/** Every table's rows, sorted, and the schema: two copies match when their dumps are equal. */
type Dump = Record<string, string[]>;

function dump(query: (sql: string) => Row[]): Dump {
  const result: Dump = {
    schema: query('SELECT type, name, tbl_name, sql FROM sqlite_master').map(show).sort(),
  };
  const tables = query(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  );
  for (const { name } of tables)
    result[String(name)] = query(`SELECT * FROM "${name}"`).map(show).sort();
  return result;
}

function show(row: Row): string {
  return JSON.stringify(row, (_, value) =>
    value instanceof Uint8Array ? `blob:${Buffer.from(value).toString('hex')}` : value,
  );
}

function dumpStore(store: Store): Dump {
  return dump((sql) => store.all(sql));
}

/**
 * The file as it is on disk now, read with sql.js directly: opening a second Store on the path
 * would start a second writer for it.
 */
async function dumpFile(path: string): Promise<Dump> {
  const db = await readFile(path);
  try {
    return dump((sql) => rowsOf(db, sql));
  } finally {
    db.close();
  }
}

async function readFile(path: string): Promise<Database> {
  const SQL = await loadSqlJs();
  return new SQL.Database(readFileSync(path));
}

function rowsOf(db: Database, sql: string, params: SqlValue[] = []): Row[] {
  const statement = db.prepare(sql);
  try {
    statement.bind(params);
    const rows: Row[] = [];
    while (statement.step()) rows.push(statement.getAsObject());
    return rows;
  } finally {
    statement.free();
  }
}

async function fileRows(path: string, sql: string, params: SqlValue[] = []): Promise<Row[]> {
  const db = await readFile(path);
  try {
    return rowsOf(db, sql, params);
  } finally {
    db.close();
  }
}

function insertScan(store: Store, id: string): void {
  store.insert('scans', {
    id,
    status: 'queued',
    trigger_source: 'manual',
    request: '{}',
    selected_accounts: '[]',
    created_at: '2026-01-01T00:00:00Z',
  });
}

function insertFinding(store: Store, id: string, scanId: string, cost: number): void {
  store.insert('findings', {
    id,
    scan_id: scanId,
    rule_id: 'aws.ebs.unattached',
    provider: 'aws',
    account_id: '123456789012',
    region: 'eu-west-1',
    resource_type: 'ebs_volume',
    resource_id: `vol-${id}`,
    monthly_cost_usd: cost,
    carbon_kg_monthly: cost / 10,
    fingerprint: `fp-${id}`,
    first_seen_at: '2026-01-01T00:00:00Z',
    body: JSON.stringify({ id, note: null }),
  });
}

function putSetting(store: Store, key: string, value: string): void {
  store.run(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 't')
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [key, value],
  );
}

async function settingKeys(path: string): Promise<string[]> {
  return (await fileRows(path, 'SELECT key FROM settings ORDER BY key')).map((r) => String(r.key));
}

describe('Store replica', () => {
  it('writes a file whose rows and schema match the main copy after each commit', async () => {
    const path = tempPath();
    const store = await openStore(path);
    const flushesAtOpen = store.flushCount;

    await store.write(() => {
      for (const scan of ['s1', 's2', 's3']) {
        insertScan(store, scan);
        for (let i = 1; i <= 3; i++) insertFinding(store, `${scan}-f${i}`, scan, i * 1.25);
      }
    });
    expect(await dumpFile(path)).toEqual(dumpStore(store));

    await store.write(() => {
      store.run("UPDATE scans SET status = 'succeeded', finished_at = ? WHERE id = ?", [
        '2026-01-01T00:05:00Z',
        's1',
      ]);
      store.run('UPDATE findings SET monthly_cost_usd = monthly_cost_usd * 2 WHERE scan_id = ?', [
        's3',
      ]);
      // ON DELETE CASCADE must run on the replica too: the foreign keys pragma is per connection.
      store.run('DELETE FROM scans WHERE id = ?', ['s2']);
      store.run('DELETE FROM findings WHERE id = ?', ['s3-f1']);
    });
    await store.write(() => {
      store.run('CREATE TABLE notes (id INTEGER PRIMARY KEY, label TEXT, data BLOB, ratio REAL)');
      store.run('CREATE INDEX notes_label ON notes (label)');
      store.run('INSERT INTO notes (label, data, ratio) VALUES (?, ?, ?)', [
        'raw',
        new Uint8Array([0, 1, 254, 255]),
        0.1,
      ]);
      store.run('INSERT INTO notes (label, data, ratio) VALUES (?, ?, ?)', [null, null, -3.5e-7]);
    });

    const onDisk = await dumpFile(path);
    expect(onDisk).toEqual(dumpStore(store));
    expect(await fileRows(path, 'SELECT id FROM findings WHERE scan_id = ?', ['s2'])).toEqual([]);
    expect(await fileRows(path, 'SELECT count(*) AS n FROM findings')).toEqual([{ n: 5 }]);
    expect(
      await fileRows(path, 'SELECT monthly_cost_usd FROM findings WHERE id = ?', ['s3-f2']),
    ).toEqual([{ monthly_cost_usd: 5 }]);
    expect(onDisk.notes).toHaveLength(2);
    // Three commits, three replica flushes: the file above is the replica's, not a main write.
    expect(store.flushCount - flushesAtOpen).toBe(3);

    await closeStore(store);
    const reopened = await openStore(path);
    expect(dumpStore(reopened)).toEqual(onDisk);
  });

  it('keeps a transaction that threw out of the file, wherever it falls in a flush', async () => {
    const path = tempPath();
    const store = await openStore(path);
    await store.write(() => {
      insertScan(store, 's1');
      insertFinding(store, 'f1', 's1', 1);
    });
    const succeed = (key: string) => rejectionOf(store.write(() => putSetting(store, key, '1')));
    const fail = (tag: string) =>
      rejectionOf(
        store.write(() => {
          insertScan(store, `s-${tag}`);
          store.run("UPDATE scans SET status = 'failed' WHERE id = 's1'");
          store.run("DELETE FROM findings WHERE id = 'f1'");
          throw new Error(`boom ${tag}`);
        }),
      );

    // The writes of each round share one flush: the failed one comes last, first, in the middle.
    const rounds = [
      { start: () => [succeed('a1'), fail('last')], errors: [undefined, 'boom last'] },
      { start: () => [fail('first'), succeed('b1')], errors: ['boom first', undefined] },
      {
        start: () => [succeed('c1'), fail('middle'), succeed('c2')],
        errors: [undefined, 'boom middle', undefined],
      },
    ];
    for (const { start, errors } of rounds) {
      expect((await Promise.all(start())).map((error) => error?.message)).toEqual(errors);
      expect(await dumpFile(path)).toEqual(dumpStore(store));
    }

    expect(await fileRows(path, 'SELECT id, status FROM scans')).toEqual([
      { id: 's1', status: 'queued' },
    ]);
    expect(await fileRows(path, 'SELECT id FROM findings')).toEqual([{ id: 'f1' }]);
    expect(await settingKeys(path)).toEqual(['a1', 'b1', 'c1', 'c2']);

    await closeStore(store);
    const reopened = await openStore(path);
    expect(reopened.all('SELECT id FROM scans')).toEqual([{ id: 's1' }]);
    expect(reopened.all('SELECT id FROM findings')).toEqual([{ id: 'f1' }]);
  });

  it('does not replay a statement that failed inside a transaction that went on', async () => {
    const path = tempPath();
    const store = await openStore(path);
    await store.write(() => putSetting(store, 'taken', 'first'));
    await store.write(() => {
      expect(() =>
        store.run("INSERT INTO settings (key, value, updated_at) VALUES ('taken', 'x', 't')"),
      ).toThrow(/UNIQUE/);
      putSetting(store, 'next', '1');
    });

    expect(await dumpFile(path)).toEqual(dumpStore(store));
    expect(await settingKeys(path)).toEqual(['next', 'taken']);
  });

  it('shares flushes among many concurrent writes and persists all of them', async () => {
    const path = tempPath();
    const store = await openStore(path);
    const before = store.flushCount;
    const writes: Promise<void>[] = [];
    // Ten waves a millisecond apart: some arrive while a flush is waiting, some while one runs.
    for (let wave = 0; wave < 10; wave++) {
      for (let i = 0; i < 20; i++) {
        writes.push(store.write(() => putSetting(store, `k${wave}-${i}`, String(i))));
      }
      await Bun.sleep(1);
    }
    await Promise.all(writes);

    const flushes = store.flushCount - before;
    expect(flushes).toBeGreaterThanOrEqual(1);
    expect(flushes).toBeLessThanOrEqual(10);
    expect(await settingKeys(path)).toHaveLength(200);
    expect(await dumpFile(path)).toEqual(dumpStore(store));

    await closeStore(store);
    const reopened = await openStore(path);
    expect(reopened.all('SELECT key FROM settings')).toHaveLength(200);
  });
});

it.skipIf(process.platform !== 'linux')(
  'runs the replica thread below the main thread, and only that thread',
  async () => {
    const store = await openStore(tempPath());
    await store.write(() => putSetting(store, 'k', 'v'));
    // Field 41 of /proc/<pid>/task/<tid>/stat is the thread's scheduling policy (5: SCHED_IDLE).
    const policy = (tid: string) => {
      const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[38]);
    };
    const tids = readdirSync(`/proc/${process.pid}/task`);
    expect(policy(String(process.pid))).toBe(0);
    expect(tids.filter((tid) => policy(tid) === 5)).toHaveLength(1);
  },
);

describe('Store background writes', () => {
  it('wait for company until an acknowledged write comes, then share its flush', async () => {
    const path = tempPath();
    const store = await openStore(path, 0, 60_000);
    const flushesBefore = store.flushCount;
    let isBackgroundDone = false;
    const background = store
      .write(() => putSetting(store, 'a', '1'), 'background')
      .then(() => (isBackgroundDone = true));
    await Bun.sleep(30);
    expect(isBackgroundDone).toBe(false);
    expect(store.flushCount).toBe(flushesBefore);

    await store.write(() => putSetting(store, 'b', '2'));
    await background;
    expect(store.flushCount).toBe(flushesBefore + 1);
    expect(await settingKeys(path)).toEqual(['a', 'b']);
  });

  it('reach the disk on their own once their delay is over', async () => {
    const path = tempPath();
    const store = await openStore(path, 0, 20);
    const flushesBefore = store.flushCount;
    await Promise.all(
      ['a', 'b', 'c'].map((key) => store.write(() => putSetting(store, key, key), 'background')),
    );
    expect(store.flushCount).toBe(flushesBefore + 1);
    expect(await settingKeys(path)).toEqual(['a', 'b', 'c']);
  });
});

describe('Store with a starved replica thread', () => {
  // The replica sleeps before each flush, as it would on a machine whose every core is busy.
  const HOLD_MS = 1_500;

  it('writes acknowledged changes from the main thread, and drops the late older flush', async () => {
    const path = tempPath();
    const store = await openStore(path, 0, 0, HOLD_MS);
    // Waits for the replica, which has then loaded the file.
    await store.write(() => putSetting(store, 'a', '1'), 'background');
    const started = performance.now();

    await store.write(() => putSetting(store, 'b', '2'));
    expect(await settingKeys(path)).toEqual(['a', 'b']);
    // Queued behind the replica's flush of 'b', which it still holds.
    await store.write(() => putSetting(store, 'c', '3'));
    expect(await settingKeys(path)).toEqual(['a', 'b', 'c']);
    // Each waited about RESCUE_AFTER_MS (100 ms), not for the replica.
    expect(performance.now() - started).toBeLessThan(HOLD_MS / 2);

    // The replica's answer for 'b' comes now: the file without 'c' must not replace the newer one.
    await Bun.sleep(HOLD_MS - (performance.now() - started) + 500);
    expect(await settingKeys(path)).toEqual(['a', 'b', 'c']);
    expect(await dumpFile(path)).toEqual(dumpStore(store));
    expect(readdirSync(dirname(path)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves background writes to the replica', async () => {
    const path = tempPath();
    const store = await openStore(path, 0, 0, HOLD_MS);
    const started = performance.now();
    await store.write(() => putSetting(store, 'a', '1'), 'background');
    expect(performance.now() - started).toBeGreaterThanOrEqual(HOLD_MS - 50);
    expect(await settingKeys(path)).toEqual(['a']);
  });
});

describe('Store replica when its copy stops matching', () => {
  it('starts the replica over from the main copy when the file it first loads differs', async () => {
    const path = tempPath();
    const store = await openStore(path);
    // Before the first flush, another database replaces the file: the replica loads it and
    // replaying the insert below then breaks its primary key.
    const foreign = await readFile(path);
    foreign.run("INSERT INTO settings (key, value, updated_at) VALUES ('theme', 'foreign', 't')");
    foreign.run("INSERT INTO settings (key, value, updated_at) VALUES ('extra', 'foreign', 't')");
    writeFileSync(path, foreign.export());
    foreign.close();

    await store.write(() =>
      store.run("INSERT INTO settings (key, value, updated_at) VALUES ('theme', 'main', 't')"),
    );

    expect(await dumpFile(path)).toEqual(dumpStore(store));
    expect(await fileRows(path, 'SELECT key, value FROM settings')).toEqual([
      { key: 'theme', value: 'main' },
    ]);

    await store.write(() => putSetting(store, 'later', '1'));
    expect(await dumpFile(path)).toEqual(dumpStore(store));
    expect(await settingKeys(path)).toEqual(['later', 'theme']);
  });

  it('starts a running replica over when replaying a change fails on its copy', async () => {
    const path = tempPath();
    const store = await openStore(path);
    await store.write(() =>
      store.run('CREATE TABLE tokens (id INTEGER PRIMARY KEY, value TEXT NOT NULL)'),
    );
    // randomblob() draws again on the replica, so the two copies now hold different tokens.
    await store.write(() =>
      store.run('INSERT INTO tokens (id, value) VALUES (1, hex(randomblob(16)))'),
    );
    const token = store.get<{ value: string }>('SELECT value FROM tokens WHERE id = 1')?.value;
    const replicaToken = (await fileRows(path, 'SELECT value FROM tokens WHERE id = 1'))[0];
    expect(replicaToken?.value).not.toBe(token);

    // Matches on the main copy only: on the replica the value is NULL, which NOT NULL refuses.
    await store.write(() =>
      store.run(
        `INSERT INTO tokens (id, value)
         SELECT 2, CASE WHEN value = ? THEN 'matched' END FROM tokens WHERE id = 1`,
        [token as string],
      ),
    );

    expect(await dumpFile(path)).toEqual(dumpStore(store));
    expect(await fileRows(path, 'SELECT id, value FROM tokens ORDER BY id')).toEqual([
      { id: 1, value: token as string },
      { id: 2, value: 'matched' },
    ]);

    await store.write(() => store.run("UPDATE tokens SET value = 'again' WHERE id = 2"));
    expect(await dumpFile(path)).toEqual(dumpStore(store));
  });

  it('overwrites a file replaced behind a running replica with the store rows', async () => {
    const path = tempPath();
    const store = await openStore(path);
    await store.write(() => putSetting(store, 'a', '1'));
    const foreign = await readFile(path);
    foreign.run('DELETE FROM settings');
    foreign.run("INSERT INTO settings (key, value, updated_at) VALUES ('intruder', 'x', 't')");
    writeFileSync(path, foreign.export());
    foreign.close();

    await store.write(() => putSetting(store, 'b', '2'));

    expect(await dumpFile(path)).toEqual(dumpStore(store));
    expect(await settingKeys(path)).toEqual(['a', 'b']);
  });
});

describe('Store replica failures', () => {
  it('rejects a flush the replica cannot write and keeps its changes for the next one', async () => {
    const path = tempPath();
    const store = await openStore(path);
    await store.write(() => putSetting(store, 'a', '1'));
    // A directory where the replica puts its temporary file (storage/durable-file.ts) makes the
    // write fail after the replay succeeded.
    const blocker = join(dirname(path), `.${basename(path)}.${process.pid}.replica.tmp`);
    mkdirSync(blocker);

    const failure = await rejectionOf(store.write(() => putSetting(store, 'b', '2')));
    expect(failure?.message).toContain('database flush failed');
    expect(await settingKeys(path)).toEqual(['a']);

    rmSync(blocker, { recursive: true });
    await store.write(() => putSetting(store, 'c', '3'));
    expect(await dumpFile(path)).toEqual(dumpStore(store));
    expect(await settingKeys(path)).toEqual(['a', 'b', 'c']);
  });

  it('rejects the flush of a replica that died and seeds a new one from the main copy', async () => {
    const path = tempPath();
    const store = await openStore(path, 0);
    await store.write(() => putSetting(store, 'a', '1'));

    const lost = store.write(() => putSetting(store, 'b', '2'));
    // Right after the flush timer posted the change: the replica has not answered yet.
    await new Promise((resolve) => setTimeout(resolve, 0));
    crashReplica(store);
    expect((await rejectionOf(lost))?.message).toContain('database replica stopped');

    await store.write(() => putSetting(store, 'c', '3'));
    expect(await dumpFile(path)).toEqual(dumpStore(store));
    expect(await settingKeys(path)).toEqual(['a', 'b', 'c']);
  });
});

describe('Store replica and close()', () => {
  it('writes everything when closed before the pending flush started', async () => {
    const path = tempPath();
    const store = await openStore(path, 50);
    const writes = Array.from({ length: 20 }, (_, i) =>
      store.write(() => putSetting(store, `k${i}`, String(i))),
    );
    await closeStore(store);
    await Promise.all(writes);

    const reopened = await openStore(path);
    expect(reopened.all('SELECT key FROM settings')).toHaveLength(20);
  });

  it('waits for the flush in flight and writes the changes made meanwhile', async () => {
    const path = tempPath();
    const store = await openStore(path, 0);
    const first = Array.from({ length: 10 }, (_, i) =>
      store.write(() => putSetting(store, `first${i}`, String(i))),
    );
    // The flush timer has fired: the first writes are with the replica, which is still starting.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const second = Array.from({ length: 10 }, (_, i) =>
      store.write(() => {
        insertScan(store, `scan${i}`);
        insertFinding(store, `finding${i}`, `scan${i}`, i);
      }),
    );
    const expected = dumpStore(store);
    await closeStore(store);
    await Promise.all([...first, ...second]);

    expect(readdirSync(dirname(path)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const reopened = await openStore(path);
    expect(dumpStore(reopened)).toEqual(expected);
    expect(reopened.all('SELECT id FROM findings')).toHaveLength(10);
  });
});

describe('Store without a file', () => {
  it('resolves commits without starting a replica thread', async () => {
    const started = countWorkers();
    try {
      const store = await openStore();
      await store.commit();
      await store.write(() => putSetting(store, 'a', '1'));
      expect(store.all('SELECT key FROM settings')).toEqual([{ key: 'a' }]);
      expect(store.flushCount).toBe(0);
      expect(started.count).toBe(0);

      // The counter does see the thread a file-backed store starts.
      const fileStore = await openStore(tempPath());
      await fileStore.write(() => putSetting(fileStore, 'a', '1'));
      expect(started.count).toBe(1);
    } finally {
      started.restore();
    }
  });
});

describe('Store replica seeding', () => {
  // A seed holds every change made until it was exported, those logged after this flush began
  // included; none may be replayed on top of it.
  it('applies a change made while a diverged flush is in flight once', async () => {
    const path = tempPath();
    const store = await openStore(path, 0);
    const foreign = await readFile(path);
    foreign.run("INSERT INTO settings (key, value, updated_at) VALUES ('clash', 'x', 't')");
    writeFileSync(path, foreign.export());
    foreign.close();

    store.transaction(() => {
      store.run('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
      store.run('INSERT INTO counter (id, n) VALUES (1, 0)');
      store.run("INSERT INTO settings (key, value, updated_at) VALUES ('clash', 'main', 't')");
    });
    const diverging = store.commit();
    // Runs right after the flush timer: the replica is still loading when this change is made.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const increment = store.write(() => store.run('UPDATE counter SET n = n + 1 WHERE id = 1'));
    await Promise.all([diverging, increment]);

    expect(store.all('SELECT n FROM counter')).toEqual([{ n: 1 }]);
    expect(await fileRows(path, 'SELECT n FROM counter')).toEqual([{ n: 1 }]);
  });

  // After a replica died, the new one starts from the main copy, which already holds the
  // changes of the flush that follows.
  it('applies the changes of the first flush after a replica died once', async () => {
    const path = tempPath();
    const store = await openStore(path);
    await store.write(() => {
      store.run('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
      store.run('INSERT INTO counter (id, n) VALUES (1, 0)');
    });
    crashReplica(store);
    await store.write(() => store.run('UPDATE counter SET n = n + 1 WHERE id = 1'));

    expect(store.all('SELECT n FROM counter')).toEqual([{ n: 1 }]);
    expect(await fileRows(path, 'SELECT n FROM counter')).toEqual([{ n: 1 }]);
  });
});

/**
 * The error `promise` rejects with, or undefined when it resolves. Not `expect(...).rejects`:
 * while bun:test (1.4) waits on that, it does not deliver worker messages, so a flush never ends.
 */
async function rejectionOf(promise: Promise<unknown>): Promise<Error | undefined> {
  return promise.then(
    () => undefined,
    (error: Error) => error,
  );
}

/**
 * Makes the store's replica thread report an error, as a crashed thread does. Nothing public
 * stops the thread, so this reaches into storage/replica.ts (`Store.replica`, `Replica.worker`).
 */
function crashReplica(store: Store): void {
  const replica = (store as unknown as { replica?: { worker?: EventTarget } }).replica;
  const worker = replica?.worker;
  if (!worker) throw new Error('no replica thread to crash: storage/replica.ts has changed');
  worker.dispatchEvent(new ErrorEvent('error', { message: 'simulated crash' }));
}

/** Counts the workers constructed until `restore()`. */
function countWorkers(): { count: number; restore: () => void } {
  const original = globalThis.Worker;
  const counter = {
    count: 0,
    restore: () => {
      globalThis.Worker = original;
    },
  };
  globalThis.Worker = class extends original {
    constructor(...args: ConstructorParameters<typeof Worker>) {
      super(...args);
      counter.count += 1;
    }
  };
  return counter;
}
