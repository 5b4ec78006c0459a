import { afterEach, describe, expect, it } from 'bun:test';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseFileError, Store } from '../../storage/database';
import { MIGRATIONS } from '../../storage/migrations';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cws-store-'));
  dirs.push(dir);
  return join(dir, 'cws.sqlite');
}

describe('Store', () => {
  it('applies every migration once and records it', async () => {
    const path = tempPath();
    const store = await Store.open({ path });
    const versions = store.all<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
    await store.close();
    const reopened = await Store.open({ path });
    expect(reopened.all('SELECT version FROM schema_migrations')).toHaveLength(MIGRATIONS.length);
    reopened.close();
  });

  it('numbers migrations uniquely and in order', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('has written a write to disk by the time it resolves', async () => {
    const path = tempPath();
    const store = await Store.open({ path });
    await store.write(() =>
      store.run("INSERT INTO settings (key, value, updated_at) VALUES ('k', '1', 'now')"),
    );
    writeFileSync(`${path}.snapshot`, readFileSync(path));
    const snapshot = await Store.open({ path: `${path}.snapshot` });
    expect(
      snapshot.get<{ value: string }>("SELECT value FROM settings WHERE key = 'k'")?.value,
    ).toBe('1');
    snapshot.close();
    await store.close();
  });

  it('groups concurrent writes into far fewer flushes than writes', async () => {
    const store = await Store.open({ path: tempPath() });
    const before = store.flushCount;
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        store.write(() =>
          store.run('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)', [
            `k${i}`,
            '1',
            'now',
          ]),
        ),
      ),
    );
    const flushes = store.flushCount - before;
    expect(flushes).toBeGreaterThanOrEqual(1);
    expect(flushes).toBeLessThan(10);
    await store.close();
  });

  it('rolls a failed write back entirely', async () => {
    const store = await Store.open();
    await expect(
      store.write(() => {
        store.run("INSERT INTO settings (key, value, updated_at) VALUES ('a', '1', 'now')");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(store.all('SELECT * FROM settings')).toEqual([]);
    await store.close();
  });

  it('refuses a file that is not a database and leaves it as it was', async () => {
    const path = tempPath();
    writeFileSync(path, 'precious notes, not a database');
    await expect(Store.open({ path })).rejects.toBeInstanceOf(DatabaseFileError);
    expect(readFileSync(path, 'utf8')).toBe('precious notes, not a database');
  });

  it('leaves no temporary file behind after flushing', async () => {
    const path = tempPath();
    const store = await Store.open({ path });
    await store.write(() =>
      store.run("INSERT INTO settings (key, value, updated_at) VALUES ('k', '1', 'now')"),
    );
    await store.close();
    expect(readdirSync(join(path, '..')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(path)).toBe(true);
  });
});

describe('Store with an empty file', () => {
  it('refuses it rather than starting a new database in its place', async () => {
    const path = tempPath();
    writeFileSync(path, '');
    await expect(Store.open({ path })).rejects.toBeInstanceOf(DatabaseFileError);
    expect(readFileSync(path).length).toBe(0);
  });
});
