import type { SettingsRepository } from '../core/repositories';
import { SETTINGS_DEFAULTS, type SettingsKey, type SettingsOf } from '../core/settings';
import type { Store } from './database';

/** Settings documents as JSON rows keyed by name, merged over their defaults on read. */
export function createSettingsRepository(store: Store): SettingsRepository {
  return {
    read<K extends SettingsKey>(key: K): SettingsOf<K> {
      const stored = readJson<Partial<SettingsOf<K>>>(store, key) ?? {};
      return { ...SETTINGS_DEFAULTS[key], ...stored } as SettingsOf<K>;
    },
    write(key, value) {
      return store.write(() => upsert(store, key, value));
    },
    readDocument<T>(key: string) {
      return readJson<T>(store, key);
    },
    writeDocument(key, value) {
      return store.write(() => upsert(store, key, value));
    },
  };
}

function readJson<T>(store: Store, key: string): T | undefined {
  const row = store.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]);
  return row ? (JSON.parse(row.value) as T) : undefined;
}

function upsert(store: Store, key: string, value: unknown): void {
  store.run(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [key, JSON.stringify(value), new Date().toISOString()],
  );
}
