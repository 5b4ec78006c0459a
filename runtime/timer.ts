/** A handle returned by Timer.set, opaque to callers. */
export type TimerHandle = unknown;

/**
 * Delayed callbacks, injected so that the scheduler and the webhook worker run on a test's manual
 * clock as well as on the real one.
 */
export interface Timer {
  set(callback: () => void, delayMs: number): TimerHandle;
  clear(handle: TimerHandle): void;
}

/** The process's own timers. Background timers never keep the process alive on their own. */
export const systemTimer: Timer = {
  set(callback, delayMs) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    handle.unref?.();
    return handle;
  },
  clear(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
