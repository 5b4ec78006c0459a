import { decodeMasterKey, encodeMasterKey, generateMasterKey } from '../core/secrets';
import { ConfigError } from './config';
import { readOptional, writeSecretFile } from './data-dir';

/**
 * The key that seals stored secrets: `CWS_MASTER_KEY` when set (containers take it from a secret
 * store), else the data directory's `master.key`, created with mode 0600 on first use. Losing the
 * key makes stored credentials unreadable, so an unusable key stops the start instead of being
 * replaced.
 */
export function loadMasterKey(configured: string | undefined, keyPath: string): Uint8Array {
  if (configured) return parseConfiguredMasterKey(configured);
  const stored = readOptional(keyPath);
  if (stored !== undefined) {
    const key = decodeMasterKey(stored);
    if (!key) {
      throw new ConfigError(
        `${keyPath} does not hold a 32-byte key (64 hex digits or base64); restore it from a backup`,
      );
    }
    return key;
  }
  const key = generateMasterKey();
  writeSecretFile(keyPath, `${encodeMasterKey(key)}\n`);
  return key;
}

/** Reads `CWS_MASTER_KEY`: 32 bytes as 64 hex digits or base64. */
export function parseConfiguredMasterKey(text: string): Uint8Array {
  const key = decodeMasterKey(text);
  if (!key) {
    throw new ConfigError(
      'CWS_MASTER_KEY must be 32 bytes written as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)',
    );
  }
  return key;
}
