import type { ScanService } from '../core/scan/service';
import type { Logger } from './logger';
import { LagPace, type RequestActivity } from './pace';

/**
 * The scan job queue: at most `concurrency` scans run at once, the rest wait in arrival order.
 * While the event loop runs late and the API is in use, fewer start, and then with pauses between
 * them: scans are background work and yield to requests. Each running scan has an AbortController
 * so cancel reaches its next cloud call.
 */
export class ScanQueue {
  private readonly waiting: string[] = [];
  private readonly running = new Map<string, AbortController>();
  private service: ScanService | undefined;
  private idleWaiters: Array<() => void> = [];
  private readonly pace: LagPace;

  constructor(
    concurrency: number,
    private readonly logger: Logger,
    activity?: RequestActivity,
  ) {
    this.pace = new LagPace(concurrency, () => this.pump(), activity);
  }

  /** Connects the service whose scans this queue runs. */
  attach(service: ScanService): void {
    this.service = service;
    service.onCancelRequested((scanId) => {
      this.running.get(scanId)?.abort(new DOMException('scan canceled', 'AbortError'));
      const index = this.waiting.indexOf(scanId);
      if (index >= 0) this.waiting.splice(index, 1);
    });
  }

  /** Adds a stored, queued scan. */
  enqueue(scanId: string): void {
    this.waiting.push(scanId);
    queueMicrotask(() => this.pump());
  }

  /** Aborts every running scan (shutdown); they end canceled or are recovered as interrupted. */
  abortAll(): void {
    for (const controller of this.running.values())
      controller.abort(new DOMException('shutting down', 'AbortError'));
  }

  /** Resolves when nothing is running or waiting. */
  whenIdle(): Promise<void> {
    if (!this.running.size && !this.waiting.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (
      this.service &&
      this.waiting.length &&
      this.running.size < this.pace.limit &&
      !this.pace.isPausing()
    ) {
      const scanId = this.waiting.shift() as string;
      this.pace.launched();
      const controller = new AbortController();
      this.running.set(scanId, controller);
      const started = performance.now();
      this.service
        .execute(scanId, controller.signal)
        .catch((error) =>
          this.logger.error('scan failed unexpectedly', {
            scan_id: scanId,
            cause: String(error?.stack ?? error),
          }),
        )
        .finally(() => {
          this.running.delete(scanId);
          this.logger.info('scan finished', {
            scan_id: scanId,
            ms: Math.round(performance.now() - started),
          });
          this.pump();
          if (!this.running.size && !this.waiting.length)
            this.idleWaiters.splice(0).forEach((resolve) => resolve());
        });
    }
    this.pace.watch(this.running.size > 0 || this.waiting.length > 0);
  }
}
