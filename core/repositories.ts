import type { AuditEvent } from './audit';
import type { Page, PageRequest } from './pagination';
import type { SettingsKey, SettingsOf } from './settings';

/**
 * The storage core needs, declared here and implemented in storage/. Every method that changes
 * state resolves only once the change is on disk.
 */
export interface SettingsRepository {
  read<K extends SettingsKey>(key: K): SettingsOf<K>;
  write<K extends SettingsKey>(key: K, value: SettingsOf<K>): Promise<void>;
  /** Free-form documents owned by other parts (smtp settings, say), JSON-serialisable. */
  readDocument<T>(key: string): T | undefined;
  writeDocument(key: string, value: unknown): Promise<void>;
}

/** The audit log. */
export interface AuditRepository {
  record(
    entry: {
      action: string;
      target: string;
      details?: Record<string, unknown>;
    },
    durability?: Durability,
  ): Promise<AuditEvent>;
  list(page: PageRequest): Page<AuditEvent>;
}

/**
 * Who waits for a write to reach the disk. `acknowledged`: an API call answers once it is there,
 * so it is flushed within milliseconds. `background`: only the work that made it (a scheduled run,
 * a scan under way), so it may wait a few dozen milliseconds to share its flush with others.
 */
export type Durability = 'acknowledged' | 'background';
