import type { WebhookService } from '../core/webhooks/service';
import type { DeliveryAttempt, DeliveryRepository, WebhookDelivery } from '../core/webhooks/types';
import { nextTurn } from '../core/turns';
import type { Logger } from './logger';
import { LagPace, type RequestActivity } from './pace';
import type { Timer, TimerHandle } from './timer';

/** Due deliveries read from the queue at a time. */
const READ_AHEAD = 64;
/** Flushing may take this share of the time at most: a slow flush spaces the next ones out. */
const FLUSH_SHARE = 0.01;
/** Longest wait before queue changes reach disk, however slow flushing is. */
const MAX_PERSIST_DELAY_MS = 10_000;
/** Least time between two prunings of the delivery log. */
const PRUNE_EVERY_MS = 60_000;

/** How the delivery worker paces itself. */
export interface WebhookWorkerOptions {
  /** Attempts in flight at once at most: a slow or dead receiver holds no more than this. */
  concurrency: number;
  clock: () => Date;
  timer: Timer;
  logger: Logger;
  /** Queue changes reach disk this long after the first of them (longer when flushes are slow). */
  persistEveryMs?: number;
  /** Finished deliveries kept in each webhook's log. */
  keepPerWebhook?: number;
  /** Longest sleep between looks at the queue (a safety net for clock jumps). */
  maxSleepMs?: number;
  /** The API's requests, which deliveries yield to. */
  activity?: RequestActivity;
}

/**
 * Drains the persisted delivery queue. Due deliveries are read ahead in batches and attempted up
 * to a parallelism bound; outcomes are recorded together, and flushed to disk in batches, so a
 * storm of deliveries does not become a storm of file writes. The bound is `concurrency` while
 * the API is quiet and shrinks while the event loop runs late as requests come in: webhook traffic
 * yields to the API. Retries wait on the timer.
 */
export class WebhookWorker {
  private readonly inFlight = new Map<string, Promise<void>>();
  private ready: WebhookDelivery[] = [];
  private outcomes: Array<{ id: string; webhookId: string; attempt: DeliveryAttempt }> = [];
  /** Webhooks with deliveries finished since the log was last pruned. */
  private readonly touched = new Set<string>();
  private isApplyScheduled = false;
  /** Deliveries whose attempt failed unexpectedly: left alone while this process lives. */
  private readonly quarantined = new Set<string>();
  private readonly pace: LagPace;
  private wakeHandle: TimerHandle | undefined;
  private persistHandle: TimerHandle | undefined;
  private isDirty = false;
  private isRunning = false;
  private lastPruneAt = 0;
  /** How long the last flush blocked, which sets how soon the next may come. */
  private lastFlushMs = 0;
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
    this.pace = new LagPace(options.concurrency, () => this.pump(), options.activity);
    service.onEnqueued(() => {
      this.changed();
      this.pump();
    });
  }

  /** Starts draining, pending deliveries of a previous run included. */
  start(): void {
    this.isRunning = true;
    this.pump();
  }

  /** Stops taking work; resolves once attempts in flight ended and everything is on disk. */
  async stop(): Promise<void> {
    this.isRunning = false;
    this.ready = [];
    this.pace.stop();
    this.options.timer.clear(this.wakeHandle);
    this.wakeHandle = undefined;
    await this.settled();
    this.pace.stop();
    if (this.touched.size) this.prune(this.options.clock().getTime());
    this.options.timer.clear(this.persistHandle);
    this.persistHandle = undefined;
    await this.flush();
  }

  /** Resolves once no attempt is in flight or waiting to be recorded. */
  async settled(): Promise<void> {
    while (this.inFlight.size) {
      await Promise.allSettled([...this.inFlight.values()]);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Number of attempts in flight. */
  get active(): number {
    return this.inFlight.size;
  }

  /** Takes due deliveries into the free slots, then sleeps until the next one is due. */
  pump(): void {
    if (!this.isRunning) return;
    while (this.inFlight.size < this.pace.limit && !this.pace.isPausing()) {
      if (!this.ready.length) {
        const now = this.options.clock().toISOString();
        this.ready = this.deliveries.listDue(now, READ_AHEAD, this.busyIds());
        if (!this.ready.length) break;
      }
      this.pace.launched();
      this.launch(this.ready.shift() as WebhookDelivery);
    }
    this.pace.watch(this.inFlight.size > 0);
    this.arm();
  }

  private launch(delivery: WebhookDelivery): void {
    const attempt = this.service.attempt(delivery).then(
      ({ result, record }) => {
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
        this.outcomes.push({ id: delivery.id, webhookId: delivery.webhook_id, attempt: record });
        this.scheduleApply();
      },
      (error) => {
        this.options.logger.error('webhook delivery failed unexpectedly', {
          delivery_id: delivery.id,
          cause: String((error as Error)?.stack ?? error),
        });
        this.quarantined.add(delivery.id);
        this.inFlight.delete(delivery.id);
        this.pump();
      },
    );
    this.inFlight.set(delivery.id, attempt);
  }

  /** Outcomes that arrive in one turn of the event loop are recorded in one transaction. */
  private scheduleApply(): void {
    if (this.isApplyScheduled) return;
    this.isApplyScheduled = true;
    // A background step like a scan's: it takes its turn in the line that lets requests in.
    void nextTurn().then(() => {
      this.isApplyScheduled = false;
      const batch = this.outcomes;
      this.outcomes = [];
      try {
        this.deliveries.recordAttempts(batch);
      } catch (error) {
        this.options.logger.error('webhook delivery outcomes could not be recorded', {
          cause: String((error as Error)?.stack ?? error),
        });
        for (const { id } of batch) this.quarantined.add(id);
      }
      for (const { id, webhookId } of batch) {
        this.inFlight.delete(id);
        this.touched.add(webhookId);
      }
      this.finished();
      this.pump();
    });
  }

  private busyIds(): Set<string> {
    return new Set([...this.inFlight.keys(), ...this.quarantined]);
  }

  private finished(): void {
    // Pruning walks each touched webhook's log: once a minute at most, not per delivery.
    const now = this.options.clock().getTime();
    if (now - this.lastPruneAt >= PRUNE_EVERY_MS) this.prune(now);
    this.changed();
  }

  private prune(now: number): void {
    this.lastPruneAt = now;
    this.deliveries.prune(this.touched, this.keepPerWebhook);
    this.touched.clear();
  }

  /**
   * Marks the queue changed; a flush follows within persistEveryMs, or later when flushing is
   * slow (the database file is written whole): flushes then take at most about 1 % of the time.
   */
  private changed(): void {
    this.isDirty = true;
    if (this.persistHandle === undefined) {
      const delay = Math.min(
        MAX_PERSIST_DELAY_MS,
        Math.max(this.persistEveryMs, this.lastFlushMs / FLUSH_SHARE),
      );
      this.persistHandle = this.options.timer.set(() => {
        this.persistHandle = undefined;
        void this.flush();
      }, delay);
    }
  }

  private async flush(): Promise<void> {
    if (!this.isDirty) return;
    this.isDirty = false;
    const started = performance.now();
    try {
      await this.deliveries.persist();
      this.lastFlushMs = performance.now() - started;
    } catch (error) {
      this.isDirty = true;
      this.options.logger.error('webhook delivery queue could not be saved', {
        cause: String((error as Error)?.message ?? error),
      });
    }
  }

  private arm(): void {
    this.options.timer.clear(this.wakeHandle);
    this.wakeHandle = undefined;
    // Work already waiting is started by a completion or by the end of the pause, not by a timer.
    if (!this.isRunning || this.ready.length || this.pace.isPaused) return;
    if (this.inFlight.size >= this.pace.limit) return;
    const soonest = this.deliveries.soonestDue(this.busyIds());
    if (soonest === undefined) return;
    const delay = Date.parse(soonest) - this.options.clock().getTime();
    this.wakeHandle = this.options.timer.set(
      () => {
        this.wakeHandle = undefined;
        this.pump();
      },
      Math.min(Math.max(delay, 1), this.maxSleepMs),
    );
  }
}
