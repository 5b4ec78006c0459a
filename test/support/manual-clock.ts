import type { Timer } from '../../runtime/timer';

interface PendingTimer {
  id: number;
  due: number;
  callback: () => void;
}

/**
 * A clock that moves only when told, with a Timer on it: `advance` fires every timer that comes
 * due, in order, so schedules and webhook retries run without waiting.
 */
export class ManualClock {
  private nowMs: number;
  private nextId = 1;
  private pending: PendingTimer[] = [];

  constructor(start: Date | string) {
    this.nowMs = new Date(start).getTime();
  }

  /** The injected clock. */
  readonly clock = (): Date => new Date(this.nowMs);

  /** The injected timer. */
  readonly timer: Timer = {
    set: (callback, delayMs) => {
      const entry = { id: this.nextId++, due: this.nowMs + Math.max(0, delayMs), callback };
      this.pending.push(entry);
      return entry.id;
    },
    clear: (handle) => {
      this.pending = this.pending.filter((entry) => entry.id !== handle);
    },
  };

  /** Milliseconds since the epoch. */
  get now(): number {
    return this.nowMs;
  }

  /** Timers waiting to fire. */
  get timerCount(): number {
    return this.pending.length;
  }

  /**
   * Moves time forward by `ms`, firing each timer at its own due time; `settle` is awaited after
   * each one (the work a timer starts is asynchronous, and may arm the next timer when done).
   */
  async advance(ms: number, settle: () => Promise<void> = async () => {}): Promise<void> {
    const target = this.nowMs + ms;
    for (;;) {
      const next = this.pending
        .filter((entry) => entry.due <= target)
        .sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.pending = this.pending.filter((entry) => entry !== next);
      this.nowMs = Math.max(this.nowMs, next.due);
      next.callback();
      await settle();
    }
    this.nowMs = target;
  }

  /** Jumps to a moment without firing anything (the process was down meanwhile). */
  jumpTo(moment: Date | string): void {
    this.nowMs = new Date(moment).getTime();
  }
}
