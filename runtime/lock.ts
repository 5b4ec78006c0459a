import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * One process at a time owns a data directory: sql.js keeps the database in memory and writes the
 * whole file, so two writers would silently drop each other's changes.
 */
export function acquireDataDirLock(path: string): { release(): void } | { heldBy: number } {
  if (existsSync(path)) {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (pid && pid !== process.pid && isAlive(pid)) return { heldBy: pid };
  }
  writeFileSync(path, `${process.pid}\n`, { mode: 0o600 });
  return {
    release() {
      if (existsSync(path) && readFileSync(path, 'utf8').trim() === String(process.pid))
        rmSync(path, { force: true });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
