import { afterEach, describe, expect, it } from 'bun:test';
import { LagPace, RequestActivity } from '../../runtime/pace';

const paces: LagPace[] = [];
afterEach(() => paces.splice(0).forEach((pace) => pace.stop()));

/** Holds the event loop long enough that the pace's next lag sample (every 5 ms) comes late. */
async function stallLoop(times: number, beforeEach: () => void = () => {}): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    beforeEach();
    const until = performance.now() + 6;
    while (performance.now() < until);
    await Bun.sleep(1);
  }
}

function watchedPace(activity?: RequestActivity): LagPace {
  const pace = new LagPace(8, () => {}, activity);
  paces.push(pace);
  pace.watch(true);
  return pace;
}

describe('LagPace', () => {
  it('slows background work down when the loop runs late', async () => {
    const pace = watchedPace();
    await stallLoop(10);
    expect(pace.limit).toBeLessThan(8);
  });

  it('returns to full speed once the work that slowed it has ended', async () => {
    const activity = new RequestActivity();
    const pace = watchedPace(activity);
    await stallLoop(4, () => activity.noteRequest());
    expect(pace.limit).toBeLessThan(8);
    pace.watch(false);
    // Once the requests stop, no sample counts as late, whatever else the machine is doing.
    const deadline = performance.now() + 10_000;
    while (pace.limit < 8 && performance.now() < deadline) await Bun.sleep(20);
    expect(pace.limit).toBe(8);
  }, 15_000);

  it('keeps full speed while the API takes no requests, however late the loop runs', async () => {
    const pace = watchedPace(new RequestActivity());
    await stallLoop(10);
    expect(pace.limit).toBe(8);
  });

  it('slows down once requests come in', async () => {
    const activity = new RequestActivity();
    const pace = watchedPace(activity);
    await stallLoop(10, () => activity.noteRequest());
    expect(pace.limit).toBeLessThan(8);
  });
});

describe('RequestActivity', () => {
  it('counts the API in use only shortly after a request', async () => {
    const activity = new RequestActivity();
    expect(activity.isInUse).toBe(false);
    activity.noteRequest();
    expect(activity.isInUse).toBe(true);
    await Bun.sleep(300);
    expect(activity.isInUse).toBe(false);
  });
});
