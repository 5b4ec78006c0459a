const SAMPLE_EVERY_MS = 5;

/**
 * How late the event loop runs a short timer: the time a request arriving now would wait before
 * its handler starts. Sampled only while started, with an unref'd timer (it never keeps the
 * process alive); each sample is handed to `onSample` in milliseconds.
 */
export class EventLoopLag {
  private handle: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly onSample: (lagMs: number) => void) {}

  /** Starts sampling (no-op when sampling already). */
  start(): void {
    if (this.handle === undefined) this.schedule();
  }

  /** Stops sampling. */
  stop(): void {
    clearTimeout(this.handle);
    this.handle = undefined;
  }

  private schedule(): void {
    const due = performance.now() + SAMPLE_EVERY_MS;
    this.handle = setTimeout(() => {
      this.onSample(Math.max(0, performance.now() - due));
      this.schedule();
    }, SAMPLE_EVERY_MS);
    this.handle.unref?.();
  }
}
