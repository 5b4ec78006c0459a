import type { SettingsRepository } from '../core/repositories';
import { SETTINGS_DEFAULTS, type SettingsKey, type SettingsOf } from '../core/settings';
import type { Store } from './database';

/**
 * Settings documents as JSON rows keyed by name, merged over their defaults on read. Reads are
 * on nearly every request, so parsed documents are cached; this repository is the only writer of
 * the table (one process owns the data directory), so writing through keeps the cache exact.
 */
export function createSettingsRepository(store: Store): SettingsRepository {
  const cache = new Map<string, unknown>();
  const readJson = <T>(key: string): T | undefined => {
    if (!cache.has(key)) {
      const row = store.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]);
      cache.set(key, row ? JSON.parse(row.value) : undefined);
    }
    return structuredClone(cache.get(key)) as T | undefined;
  };
  // The cache changes in the same synchronous step as the row, so a read-modify-write that
  // follows sees it even before the flush lands.
  const write = (key: string, value: unknown) =>
    store.write(() => {
      upsert(store, key, value);
      cache.set(key, structuredClone(value));
    });
  return {
    read<K extends SettingsKey>(key: K): SettingsOf<K> {
      const stored = readJson<Partial<SettingsOf<K>>>(key) ?? {};
      return { ...SETTINGS_DEFAULTS[key], ...stored } as SettingsOf<K>;
    },
    write,
    readDocument: readJson,
    writeDocument: write,
  };
}

function upsert(store: Store, key: string, value: unknown): void {
  store.run(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [key, JSON.stringify(value), new Date().toISOString()],
  );
}
