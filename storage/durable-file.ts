import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `path` with `bytes` so that a crash leaves the old file or the new one, never a torn
 * one: write a temporary file beside it, fsync it, rename it over, fsync the directory. The calls
 * block: the replica thread, which makes most of these writes, has nothing else to do meanwhile,
 * and the main thread makes them only at start-up, at shutdown and for a starved replica.
 */
export function replaceFileDurably(path: string, bytes: Uint8Array, tag: string): void {
  renameSync(writeTemporaryFile(path, bytes, tag), path);
  syncDirectory(path);
}

/**
 * The first step of that: writes `bytes` to a temporary file beside `path`, fsyncs it and returns
 * its name. `tag` keeps the temporary names of different writers apart.
 */
export function writeTemporaryFile(path: string, bytes: Uint8Array, tag: string): string {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${tag}.tmp`);
  const fd = openSync(temporary, 'w', 0o600);
  try {
    // A write may take only part of the bytes; the rest follow.
    for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temporary;
}

/**
 * The last step, once a write fence (storage/write-fence.ts) has said whether `temporary` was
 * renamed to `path`: makes that rename durable, or removes the temporary file a newer write made
 * unnecessary.
 */
export function settleTemporaryFile(temporary: string, path: string, isRenamed: boolean): void {
  if (isRenamed) syncDirectory(path);
  else rmSync(temporary, { force: true });
}

function syncDirectory(path: string): void {
  const directory = openSync(dirname(path), 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
}
