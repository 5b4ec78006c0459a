import type { WebhookService } from '../core/webhooks/service';
import type { DeliveryAttempt, DeliveryRepository, WebhookDelivery } from '../core/webhooks/types';
import { EventLoopLag } from './event-loop-lag';
import type { Logger } from './logger';
import type { Timer, TimerHandle } from './timer';

/** Due deliveries read from the queue at a time. */
const READ_AHEAD = 64;
/** Flushing may take this share of the time at most: a slow flush spaces the next ones out. */
const FLUSH_SHARE = 0.01;
/** Longest wait before queue changes reach disk, however slow flushing is. */
const MAX_PERSIST_DELAY_MS = 10_000;
/** Least time between two prunings of the delivery log. */
const PRUNE_EVERY_MS = 60_000;
/**
 * A lag sample above this (ms) means a request arriving then waited: the worker steps down at
 * once. After this many on-time samples in a row (5 ms apart), it steps back up.
 */
const LATE_MS = 0.6;
const CALM_SAMPLES = 20;
/** Longest pause between two launches when even one attempt at a time is too much. */
const MAX_GAP_MS = 64;

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
}

/**
 * Drains the persisted delivery queue. Due deliveries are read ahead in batches and attempted up
 * to a parallelism bound; outcomes are recorded together, and flushed to disk in batches, so a
 * storm of deliveries does not become a storm of file writes. The bound is `concurrency` while
 * the process is idle and shrinks while the event loop runs late (a busy API, a scan, a burst of
 * quick receivers): webhook traffic yields to everything else. Retries wait on the timer.
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
  private limit: number;
  /** Pause between launches once the parallelism is down to one (0: none). */
  private gapMs = 0;
  private gapHandle: ReturnType<typeof setTimeout> | undefined;
  private lastLaunchAt = 0;
  private calmSamples = 0;
  private readonly lag: EventLoopLag;
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
    this.limit = options.concurrency;
    this.lag = new EventLoopLag((lagMs) => this.adapt(lagMs));
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
    clearTimeout(this.gapHandle);
    this.gapHandle = undefined;
    this.options.timer.clear(this.wakeHandle);
    this.wakeHandle = undefined;
    await this.settled();
    this.lag.stop();
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
    while (this.inFlight.size < this.limit && !this.isPacing()) {
      if (!this.ready.length) {
        const now = this.options.clock().toISOString();
        this.ready = this.deliveries.listDue(now, READ_AHEAD, this.busyIds());
        if (!this.ready.length) break;
      }
      this.lastLaunchAt = performance.now();
      this.launch(this.ready.shift() as WebhookDelivery);
    }
    if (this.inFlight.size || this.gapHandle) this.lag.start();
    else this.lag.stop();
    this.arm();
  }

  /** True while the pause after the last launch lasts; the pump resumes when it ends. */
  private isPacing(): boolean {
    if (this.gapHandle) return true;
    const wait = this.lastLaunchAt + this.gapMs - performance.now();
    if (this.gapMs === 0 || wait <= 0) return false;
    this.gapHandle = setTimeout(() => {
      this.gapHandle = undefined;
      this.pump();
    }, wait);
    this.gapHandle.unref?.();
    return true;
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
    setImmediate(() => {
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

  /**
   * Each late sample halves the parallelism, then, at one, doubles a pause between launches; a
   * run of on-time samples undoes one step. The worker thus settles where stalls are rare, which
   * is what keeps the API's tail latency near idle.
   */
  private adapt(lagMs: number): void {
    const before = this.limit;
    if (lagMs > LATE_MS) {
      this.calmSamples = 0;
      if (this.limit > 1) this.limit = Math.floor(this.limit / 2);
      else this.gapMs = Math.min(MAX_GAP_MS, Math.max(1, this.gapMs * 2));
    } else if (++this.calmSamples >= CALM_SAMPLES) {
      this.calmSamples = 0;
      if (this.gapMs > 0) this.gapMs = this.gapMs >= 2 ? this.gapMs / 2 : 0;
      else this.limit = Math.min(this.options.concurrency, this.limit + 1);
    }
    if (!this.inFlight.size && !this.gapHandle) this.lag.stop();
    else if (this.limit > before) this.pump();
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
    if (!this.isRunning || this.ready.length || this.gapHandle) return;
    if (this.inFlight.size >= this.limit) return;
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
