import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Creates the data directory (0700) if needed and returns the paths of what lives in it. */
export function prepareDataDir(dataDir: string) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  tightenMode(dataDir);
  mkdirSync(join(dataDir, 'reports'), { recursive: true, mode: 0o700 });
  return {
    database: join(dataDir, 'cws.sqlite'),
    token: join(dataDir, 'token'),
    tlsCert: join(dataDir, 'tls-cert.pem'),
    tlsKey: join(dataDir, 'tls-key.pem'),
    masterKey: join(dataDir, 'master.key'),
    reports: join(dataDir, 'reports'),
    kubectlCache: join(dataDir, 'kube-cache'),
    lock: join(dataDir, 'cws.lock'),
  };
}

export type DataPaths = ReturnType<typeof prepareDataDir>;

/**
 * Makes the directory 0700 when this user owns it. A mounted volume root owned by someone else
 * (a Kubernetes PVC) cannot be changed and is used as it is; the files inside are still 0600.
 */
function tightenMode(dataDir: string): void {
  try {
    chmodSync(dataDir, 0o700);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
}

/** Writes a small secret file atomically with mode 0600. */
export function writeSecretFile(path: string, content: string): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

/** Reads a file's trimmed text, or undefined when it does not exist. */
export function readOptional(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}
