import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `path` with `bytes` so that a crash leaves the old file or the new one, never a torn
 * one: write a temporary file beside it, fsync it, rename it over, fsync the directory.
 * `tag` keeps the temporary names of different writers apart.
 */
export async function replaceFileDurably(
  path: string,
  bytes: Uint8Array,
  tag: string,
): Promise<void> {
  const temporary = temporaryPath(path, tag);
  const file = await open(temporary, 'w', 0o600);
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  const directory = await open(dirname(path), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** The same replacement with blocking calls: for start-up and shutdown, when nothing else runs. */
export function replaceFileDurablySync(path: string, bytes: Uint8Array, tag: string): void {
  const temporary = temporaryPath(path, tag);
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  const directory = openSync(dirname(path), 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
}

function temporaryPath(path: string, tag: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${tag}.tmp`);
}
