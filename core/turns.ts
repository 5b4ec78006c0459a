const waiting: Array<() => void> = [];
let isReleaseScheduled = false;

/**
 * Resolves on a later turn of the event loop: the point where a long piece of background work,
 * such as a scan between its steps, lets requests in. Callers wait in one line and exactly one is
 * released per turn, so a turn holds the loop for one caller's step, however many wait; the
 * runtime polls sockets between turns. Separate immediates queued together would run back to
 * back in one turn, with no I/O between them.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    scheduleRelease();
  });
}

function scheduleRelease(): void {
  if (isReleaseScheduled) return;
  isReleaseScheduled = true;
  setImmediate(release);
}

function release(): void {
  isReleaseScheduled = false;
  // The released caller runs on in this turn's microtasks, up to its next wait.
  (waiting.shift() as () => void)();
  if (waiting.length) scheduleRelease();
}
