/**
 * Orders the renames of the two threads that write the database file (the replica, and the main
 * thread when the replica is starved): each write carries the id of the flush it holds, ids follow
 * the order of the changes, and a write older than the one in place is dropped. It lives in shared
 * memory, so that the check and the rename are one step for both threads.
 */
export class WriteFence {
  /** While a thread checks and renames, its owner number (see installWaiting); 0 when free. */
  private readonly lock: Int32Array;
  /** The id of the write in place. */
  private readonly newest: BigInt64Array;

  constructor(readonly buffer = new SharedArrayBuffer(16)) {
    this.lock = new Int32Array(buffer, 0, 1);
    this.newest = new BigInt64Array(buffer, 8, 1);
  }

  /**
   * Runs `rename` if write `id` is newer than the one in place; false, without renaming, if it is
   * older. `owner` (a positive number, one per thread) names the holder meanwhile. Waits while
   * another holds the fence (for a rename, microseconds): only the replica thread may wait so.
   */
  installWaiting(id: number, owner: number, rename: () => void): boolean {
    for (;;) {
      const holder = Atomics.compareExchange(this.lock, 0, 0, owner);
      if (holder === 0) return this.installHeld(id, rename);
      Atomics.wait(this.lock, 0, holder, 1);
    }
  }

  /** The same, but undefined at once if another thread holds the fence. */
  tryInstall(id: number, owner: number, rename: () => void): boolean | undefined {
    if (Atomics.compareExchange(this.lock, 0, 0, owner) !== 0) return undefined;
    return this.installHeld(id, rename);
  }

  /**
   * Frees the fence if `owner` holds it: for a thread that ended, terminated perhaps between
   * taking the fence and giving it back.
   */
  releaseFor(owner: number): void {
    if (Atomics.compareExchange(this.lock, 0, owner, 0) === owner) Atomics.notify(this.lock, 0);
  }

  private installHeld(id: number, rename: () => void): boolean {
    try {
      if (BigInt(id) < Atomics.load(this.newest, 0)) return false;
      rename();
      Atomics.store(this.newest, 0, BigInt(id));
      return true;
    } finally {
      Atomics.store(this.lock, 0, 0);
      Atomics.notify(this.lock, 0);
    }
  }
}
