import { dlopen, FFIType, ptr } from 'bun:ffi';
import { setPriority } from 'node:os';

/** Linux's scheduling policy for work that runs only when a core would otherwise sit idle. */
const SCHED_IDLE = 5;
/** The niceness used where that policy cannot be set. */
const FALLBACK_NICENESS = 10;

/**
 * Lowers the calling thread below every ordinary thread of the machine. The replica thread calls
 * it: its flushes burn a core for milliseconds at a time, and at normal priority they took cores
 * from the thread that answers requests and from the API's clients. Under SCHED_IDLE any ordinary
 * thread that wakes up takes the core at once (a lower niceness only shrinks a thread's share,
 * and a waking request could still wait a whole time slice). The price: while other programs keep
 * every core busy it gets almost no time, so the store writes acknowledged changes itself when
 * the replica keeps them waiting (Store.rescue in storage/database.ts). Only Linux sets these for
 * one thread; elsewhere they would lower the whole process, so nothing changes there.
 */
export function lowerThisThread(): 'idle' | 'nice' | 'unchanged' {
  if (process.platform !== 'linux') return 'unchanged';
  try {
    const libc = dlopen('libc.so.6', {
      sched_setscheduler: { args: [FFIType.i32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
    });
    // Thread id 0 is the calling thread; SCHED_IDLE takes priority 0.
    const result = libc.symbols.sched_setscheduler(0, SCHED_IDLE, ptr(new Int32Array(1)));
    libc.close();
    if (result === 0) return 'idle';
  } catch {
    // Not glibc (musl names its libc differently): fall through.
  }
  try {
    setPriority(FALLBACK_NICENESS);
    return 'nice';
  } catch {
    return 'unchanged';
  }
}
