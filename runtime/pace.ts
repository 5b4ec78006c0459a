import { EventLoopLag } from './event-loop-lag';

/**
 * A lag sample above this (ms) means a request arriving then waited: the pace steps down at once.
 * After this many on-time samples in a row (5 ms apart), it steps back up.
 */
const LATE_MS = 0.6;
const CALM_SAMPLES = 20;
/** Longest pause between two launches when even one at a time is too much. */
const MAX_GAP_MS = 64;

/**
 * How fast background work may start, set by how late the event loop runs: each late sample halves
 * the parallelism, then, at one, doubles a pause between launches; a run of on-time samples undoes
 * one step. Background work thus settles where stalls are rare, which keeps the API's tail latency
 * near idle; with nothing else running it goes at full speed.
 */
export class LagPace {
  private allowed: number;
  private gapMs = 0;
  private gapHandle: ReturnType<typeof setTimeout> | undefined;
  private lastLaunchAt = 0;
  private calmSamples = 0;
  private readonly lag = new EventLoopLag((lagMs) => this.adapt(lagMs));
  /** Work admitted through `admit()` and not yet ended, and the work waiting for admission. */
  private admitted = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly maximum: number,
    /** Called when more may start: the parallelism grew or a pause ended. */
    private readonly onLoosened: () => void = () => {},
  ) {
    this.allowed = maximum;
  }

  /**
   * Resolves when one more piece of work may start, with the call that reports its end: for
   * callers that wait their turn rather than being pumped.
   */
  admit(): Promise<() => void> {
    const admitted = new Promise<() => void>((resolve) =>
      this.queue.push(() => {
        let isEnded = false;
        resolve(() => {
          if (isEnded) return;
          isEnded = true;
          this.admitted -= 1;
          this.admitQueued();
        });
      }),
    );
    this.admitQueued();
    return admitted;
  }

  /** Work that may run at once now. */
  get limit(): number {
    return this.allowed;
  }

  /** Whether a pause is under way (without starting one). */
  get isPaused(): boolean {
    return this.gapHandle !== undefined;
  }

  /** Whether the pause after the last launch still lasts; `onLoosened` follows its end. */
  isPausing(): boolean {
    if (this.gapHandle) return true;
    const wait = this.lastLaunchAt + this.gapMs - performance.now();
    if (this.gapMs === 0 || wait <= 0) return false;
    this.gapHandle = setTimeout(() => {
      this.gapHandle = undefined;
      this.loosened();
    }, wait);
    this.gapHandle.unref?.();
    return true;
  }

  /** Notes a launch (the next pause counts from here). */
  launched(): void {
    this.lastLaunchAt = performance.now();
  }

  /** Samples the loop while work runs or waits for a pause to end; `busy` says whether it does. */
  watch(busy: boolean): void {
    if (busy || this.gapHandle) this.lag.start();
    else this.lag.stop();
  }

  /** Stops sampling and drops a pending pause. */
  stop(): void {
    clearTimeout(this.gapHandle);
    this.gapHandle = undefined;
    this.lag.stop();
  }

  private adapt(lagMs: number): void {
    const before = this.allowed;
    if (lagMs > LATE_MS) {
      this.calmSamples = 0;
      if (this.allowed > 1) this.allowed = Math.floor(this.allowed / 2);
      else this.gapMs = Math.min(MAX_GAP_MS, Math.max(1, this.gapMs * 2));
    } else if (++this.calmSamples >= CALM_SAMPLES) {
      this.calmSamples = 0;
      if (this.gapMs > 0) this.gapMs = this.gapMs >= 2 ? this.gapMs / 2 : 0;
      else this.allowed = Math.min(this.maximum, this.allowed + 1);
    }
    if (this.allowed > before) this.loosened();
  }

  private loosened(): void {
    this.admitQueued();
    this.onLoosened();
  }

  private admitQueued(): void {
    while (this.queue.length && this.admitted < this.allowed && !this.isPausing()) {
      this.admitted += 1;
      this.launched();
      (this.queue.shift() as () => void)();
    }
    this.watch(this.admitted > 0 || this.queue.length > 0);
  }
}
