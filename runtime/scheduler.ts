import type { ScheduleRunReport, ScheduleService } from '../core/schedules/service';
import type { Logger } from './logger';
import type { Timer, TimerHandle } from './timer';

/**
 * Fires schedules in-process: one timer armed for the soonest next run (re-armed after every
 * change), a pass over the due schedules when it fires. Times come from croner and the schedule
 * service; the timer and the clock are injected so that tests fire runs without waiting.
 */
export class Scheduler {
  private handle: TimerHandle | undefined;
  private pass: Promise<void> | undefined;
  private isAgainWanted = false;
  private isRunning = false;

  constructor(
    private readonly service: ScheduleService,
    private readonly options: {
      clock: () => Date;
      timer: Timer;
      logger: Logger;
      /** Longest sleep before looking again (a safety net for clock jumps and suspends). */
      maxSleepMs?: number;
    },
  ) {
    service.onChange(() => this.arm());
  }

  /** Recomputes next runs, runs once each schedule missed while the process was down, then arms. */
  async start(): Promise<void> {
    this.isRunning = true;
    await this.service.recover();
    await this.runPass();
  }

  /** Stops firing; a pass in progress finishes. */
  async stop(): Promise<void> {
    this.isRunning = false;
    this.options.timer.clear(this.handle);
    this.handle = undefined;
    await this.settled();
  }

  /** Resolves once no pass is in progress. */
  async settled(): Promise<void> {
    while (this.pass) await this.pass;
  }

  private runPass(): Promise<void> {
    if (this.pass) {
      this.isAgainWanted = true;
      return this.pass;
    }
    this.options.timer.clear(this.handle);
    this.handle = undefined;
    this.pass = (async () => {
      try {
        do {
          this.isAgainWanted = false;
          for (const report of await this.service.runDue()) this.log(report);
        } while (this.isAgainWanted && this.isRunning);
      } catch (error) {
        this.options.logger.error('scheduler pass failed', {
          cause: String((error as Error)?.stack ?? error),
        });
      } finally {
        this.pass = undefined;
        this.arm();
      }
    })();
    return this.pass;
  }

  private arm(): void {
    if (!this.isRunning || this.pass) return;
    this.options.timer.clear(this.handle);
    this.handle = undefined;
    const at = this.service.nextWakeAt();
    if (at === undefined) return;
    const delay = Math.min(Math.max(at - this.options.clock().getTime(), 0), this.maxSleepMs);
    this.handle = this.options.timer.set(() => {
      this.handle = undefined;
      void this.runPass();
    }, delay);
  }

  private get maxSleepMs(): number {
    return this.options.maxSleepMs ?? 60_000;
  }

  private log(report: ScheduleRunReport): void {
    const fields = {
      schedule_id: report.schedule_id,
      scan_id: report.scan_id,
      error: report.error ?? undefined,
    };
    if (report.cause) {
      this.options.logger.error('scheduled run failed unexpectedly', {
        ...fields,
        cause: String((report.cause as Error)?.stack ?? report.cause),
      });
    } else {
      this.options.logger.info('scheduled run', fields);
    }
  }
}
