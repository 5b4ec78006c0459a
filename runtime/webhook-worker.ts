import type { DeliveryRepository, WebhookDelivery } from '../core/webhooks/types';
import type { WebhookService } from '../core/webhooks/service';
import type { Logger } from './logger';
import type { Timer, TimerHandle } from './timer';

/** How the delivery worker paces itself. */
export interface WebhookWorkerOptions {
  /** Attempts in flight at once: a slow or dead receiver holds at most this many. */
  concurrency: number;
  clock: () => Date;
  timer: Timer;
  logger: Logger;
  /** Attempt outcomes are flushed to disk at most this often. */
  persistEveryMs?: number;
  /** Finished deliveries kept in each webhook's log. */
  keepPerWebhook?: number;
  /** Longest sleep between looks at the queue (a safety net for clock jumps). */
  maxSleepMs?: number;
}

/**
 * Drains the persisted delivery queue: takes due deliveries up to the concurrency bound, lets the
 * service make one attempt each, and sleeps on the timer until the next retry is due. Outcomes
 * are flushed in batches so a storm of deliveries does not become a storm of file writes.
 */
export class WebhookWorker {
  private readonly inFlight = new Map<string, Promise<void>>();
  private wakeHandle: TimerHandle | undefined;
  private persistHandle: TimerHandle | undefined;
  private isDirty = false;
  private isRunning = false;
  private finishedSincePrune = 0;
  private readonly persistEveryMs: number;
  private readonly keepPerWebhook: number;
  private readonly maxSleepMs: number;

  constructor(
    private readonly service: WebhookService,
    private readonly deliveries: DeliveryRepository,
    private readonly options: WebhookWorkerOptions,
  ) {
    this.persistEveryMs = options.persistEveryMs ?? 1000;
    this.keepPerWebhook = options.keepPerWebhook ?? 1000;
    this.maxSleepMs = options.maxSleepMs ?? 60_000;
    service.onEnqueued(() => this.pump());
  }

  /** Starts draining, pending deliveries of a previous run included. */
  start(): void {
    this.isRunning = true;
    this.pump();
  }

  /** Stops taking work; resolves once attempts in flight ended and outcomes are on disk. */
  async stop(): Promise<void> {
    this.isRunning = false;
    this.options.timer.clear(this.wakeHandle);
    await this.settled();
    this.options.timer.clear(this.persistHandle);
    this.persistHandle = undefined;
    await this.flush();
  }

  /** Resolves once no attempt is in flight (tests and benchmarks wait on it). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Number of attempts in flight. */
  get active(): number {
    return this.inFlight.size;
  }

  /** Takes due deliveries into the free slots, then sleeps until the next one is due. */
  pump(): void {
    if (!this.isRunning) return;
    const free = this.options.concurrency - this.inFlight.size;
    if (free > 0) {
      const now = this.options.clock().toISOString();
      const exclude = new Set(this.inFlight.keys());
      for (const delivery of this.deliveries.listDue(now, free, exclude)) this.launch(delivery);
    }
    this.arm();
  }

  private launch(delivery: WebhookDelivery): void {
    const attempt = this.service
      .attempt(delivery)
      .then((result) => {
        if (!result.ok) {
          this.options.logger.warn('webhook delivery attempt failed', {
            delivery_id: delivery.id,
            webhook_id: delivery.webhook_id,
            event: delivery.event,
            attempt: delivery.attempts + 1,
            status_code: result.status_code,
            error: result.error,
          });
        }
      })
      .catch((error) =>
        this.options.logger.error('webhook delivery failed unexpectedly', {
          delivery_id: delivery.id,
          cause: String((error as Error)?.stack ?? error),
        }),
      )
      .finally(() => {
        this.inFlight.delete(delivery.id);
        this.finished();
        this.pump();
      });
    this.inFlight.set(delivery.id, attempt);
  }

  private finished(): void {
    this.isDirty = true;
    this.finishedSincePrune += 1;
    if (this.finishedSincePrune >= this.keepPerWebhook || !this.inFlight.size) {
      this.finishedSincePrune = 0;
      this.deliveries.prune(this.keepPerWebhook);
    }
    if (this.persistHandle === undefined) {
      this.persistHandle = this.options.timer.set(() => {
        this.persistHandle = undefined;
        void this.flush();
      }, this.persistEveryMs);
    }
  }

  private async flush(): Promise<void> {
    if (!this.isDirty) return;
    this.isDirty = false;
    try {
      await this.deliveries.persist();
    } catch (error) {
      this.isDirty = true;
      this.options.logger.error('webhook delivery log could not be saved', {
        cause: String((error as Error)?.message ?? error),
      });
    }
  }

  private arm(): void {
    this.options.timer.clear(this.wakeHandle);
    this.wakeHandle = undefined;
    if (!this.isRunning || this.inFlight.size >= this.options.concurrency) return;
    const soonest = this.deliveries.soonestDue(new Set(this.inFlight.keys()));
    if (soonest === undefined) return;
    const delay = Date.parse(soonest) - this.options.clock().getTime();
    this.wakeHandle = this.options.timer.set(
      () => {
        this.wakeHandle = undefined;
        this.pump();
      },
      Math.min(Math.max(delay, 0), this.maxSleepMs),
    );
  }
}
