import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportFiles } from '../core/reports/generate';

/** Names a report file may have: no separators, so nothing escapes the directory. */
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

/**
 * Report files in one directory (`<data dir>/reports`). A write goes to a temporary file in the
 * same directory, is flushed to disk, then renamed over the final name, so a crash leaves either
 * no file or the whole one. `directory` may be a function, called at the first use (a temporary
 * directory is then only made when a report is written).
 */
export function createReportFiles(directory: string | (() => string)): ReportFiles {
  const dir = typeof directory === 'string' ? () => directory : directory;
  const pathOf = (name: string) => {
    if (!SAFE_NAME.test(name)) throw new Error(`unsafe report file name ${JSON.stringify(name)}`);
    return join(dir(), name);
  };
  return {
    async write(name, bytes) {
      const target = pathOf(name);
      await mkdir(dir(), { recursive: true, mode: 0o700 });
      const temporary = `${target}.${crypto.randomUUID()}.tmp`;
      try {
        const fd = openSync(temporary, 'w', 0o600);
        try {
          let offset = 0;
          while (offset < bytes.byteLength) {
            offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
          }
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      syncDirectory(dir());
    },
    async read(name) {
      try {
        return new Uint8Array(await readFile(pathOf(name)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async remove(name) {
      await rm(pathOf(name), { force: true });
    },
  };
}

/** Makes the rename itself durable; some platforms cannot open a directory, which is fine. */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // Directory fsync is unsupported here; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
