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
  record(entry: {
    action: string;
    target: string;
    details?: Record<string, unknown>;
  }): Promise<AuditEvent>;
  list(page: PageRequest): Page<AuditEvent>;
}
