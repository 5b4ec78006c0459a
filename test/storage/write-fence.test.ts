import { describe, expect, it } from 'bun:test';
import { WriteFence } from '../../storage/write-fence';

describe('WriteFence', () => {
  it('installs newer writes and drops an older one', () => {
    const fence = new WriteFence();
    const renamed: number[] = [];
    expect(fence.installWaiting(3, 2, () => renamed.push(3))).toBe(true);
    expect(fence.tryInstall(5, 1, () => renamed.push(5))).toBe(true);
    expect(fence.installWaiting(4, 2, () => renamed.push(4))).toBe(false);
    expect(renamed).toEqual([3, 5]);
  });

  it('answers at once while another holder renames, and is free again after', () => {
    const fence = new WriteFence();
    let inner: boolean | undefined = true;
    fence.tryInstall(1, 2, () => {
      inner = fence.tryInstall(2, 1, () => {
        throw new Error('must not rename while the fence is held');
      });
    });
    expect(inner).toBeUndefined();
    expect(fence.tryInstall(2, 1, () => {})).toBe(true);
  });

  it('is released when a rename throws', () => {
    const fence = new WriteFence();
    expect(() =>
      fence.tryInstall(1, 1, () => {
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    // The failed write is not in place: the same id may try again.
    expect(fence.tryInstall(1, 1, () => {})).toBe(true);
  });

  it('is shared by another view of the same memory, as a worker sees it', () => {
    const fence = new WriteFence();
    const other = new WriteFence(fence.buffer);
    expect(other.installWaiting(7, 2, () => {})).toBe(true);
    expect(fence.tryInstall(6, 1, () => {})).toBe(false);
  });

  it('is freed for a holder that ended, and only for that one', () => {
    const fence = new WriteFence();
    // A thread that took the fence and was terminated before giving it back.
    const lock = new Int32Array(fence.buffer, 0, 1);
    Atomics.store(lock, 0, 3);
    expect(fence.tryInstall(1, 1, () => {})).toBeUndefined();
    fence.releaseFor(2);
    expect(fence.tryInstall(1, 1, () => {})).toBeUndefined();
    fence.releaseFor(3);
    expect(fence.tryInstall(1, 1, () => {})).toBe(true);
  });
});
