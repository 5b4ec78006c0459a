/**
 * How long background work may hold the event loop before waiting I/O (requests) gets in. A
 * request that arrives meanwhile waits about this long at most, plus the piece of work under way.
 */
const SLICE_MS = 0.25;

const waiting: Array<() => void> = [];
let releaseScheduled = false;
/** When the current slice began; undefined once the loop has polled I/O since. */
let sliceStartedAt: number | undefined;

/**
 * Resolves on a later turn of the event loop: the point where a long piece of background work,
 * such as a scan between its steps, lets others in. Callers wait in one line and are released one
 * per turn. While the slice of SLICE_MS lasts, the next turn is the next check phase, which costs
 * nothing; once it is spent, a zero-delay timer, the only kind of turn that also serves the
 * sockets (the runtime polls I/O before timers fire, not between immediates). One line matters:
 * separate timers coming due together would fire back to back with no I/O between.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    scheduleRelease();
  });
}

function scheduleRelease(): void {
  if (releaseScheduled || !waiting.length) return;
  releaseScheduled = true;
  // Judged in the next turn, once the caller released last has run on to its next wait.
  setImmediate(() => (sliceLeft() ? release() : setTimeout(release, 0)));
}

function release(): void {
  releaseScheduled = false;
  // The released caller runs on in this turn's microtasks.
  (waiting.shift() as () => void)();
  scheduleRelease();
}

function sliceLeft(): boolean {
  const now = performance.now();
  if (sliceStartedAt === undefined) {
    sliceStartedAt = now;
    // Fires after the loop's next poll, and so ends the slice before any timer queued after it.
    setTimeout(() => (sliceStartedAt = undefined), 0);
  }
  return now - sliceStartedAt < SLICE_MS;
}
