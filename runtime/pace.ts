import { EventLoopLag } from './event-loop-lag';

/**
 * A lag sample above this (ms) means a request arriving then waited: the pace steps down at once.
 * After this many on-time samples in a row (5 ms apart), it steps back up.
 */
const LATE_MS = 0.6;
const CALM_SAMPLES = 40;
/** Longest pause between two launches when even one at a time is too much. */
const MAX_GAP_MS = 64;
/** How long after a request the API counts as in use. */
const IN_USE_MS = 250;

/**
 * When the API last took a request. Background work slows down for late samples only while the
 * API is in use: with nobody waiting for an answer, a late loop costs no one anything, and a storm
 * of scans or deliveries then runs at full speed.
 */
export class RequestActivity {
  private lastAt = Number.NEGATIVE_INFINITY;

  /** Notes a request arriving now. */
  noteRequest(): void {
    this.lastAt = performance.now();
  }

  /** Whether a request arrived within the last IN_USE_MS. */
  get isInUse(): boolean {
    return performance.now() - this.lastAt < IN_USE_MS;
  }
}

/**
 * How fast background work may start, set by how late the event loop runs while the API is in
 * use: each late sample halves the parallelism, then, at one, doubles a pause between launches; a
 * run of on-time samples (or of samples taken while no request came) undoes one step. Background
 * work thus settles where stalls are rare, which keeps the API's tail latency near idle; with no
 * requests coming it goes at full speed.
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
  /** What `watch` was last told. */
  private isBusy = false;

  constructor(
    private readonly maximum: number,
    /** Called when more may start: the parallelism grew or a pause ended. */
    private readonly onLoosened: () => void = () => {},
    /** The API's requests; absent, every late sample counts. */
    private readonly activity?: RequestActivity,
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

  /**
   * Samples the loop while work runs or waits, and until the pace is back at full speed; `busy`
   * says whether work runs or waits. Sampling on after the work ends is what lets a pace that was
   * slowed down recover: stopping and restarting the sampler with every piece of work would
   * restart its period each time, and no sample would ever be taken.
   */
  watch(busy: boolean): void {
    this.isBusy = busy;
    if (busy || this.gapHandle || !this.isAtFullSpeed) this.lag.start();
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
    if (lagMs > LATE_MS && (this.activity?.isInUse ?? true)) {
      this.calmSamples = 0;
      if (this.allowed > 1) this.allowed = Math.floor(this.allowed / 2);
      else this.gapMs = Math.min(MAX_GAP_MS, Math.max(1, this.gapMs * 2));
    } else if (++this.calmSamples >= CALM_SAMPLES) {
      this.calmSamples = 0;
      if (this.gapMs > 0) this.gapMs = this.gapMs >= 2 ? this.gapMs / 2 : 0;
      else this.allowed = Math.min(this.maximum, this.allowed + 1);
    }
    if (this.allowed > before) this.loosened();
    if (!this.isBusy && !this.gapHandle && this.isAtFullSpeed) this.lag.stop();
  }

  private get isAtFullSpeed(): boolean {
    return this.allowed === this.maximum && this.gapMs === 0;
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
