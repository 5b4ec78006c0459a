import { describe, expect, test } from 'bun:test';
import { nextTurn } from '../../core/turns';

const spin = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('nextTurn', () => {
  test('releases waiters in the order they came', async () => {
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4, 5].map((n) => nextTurn().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  test('serves requests from another process while background work goes on', async () => {
    await expectRequestsServedDuring(1);
  });

  test('runs one waiter per turn, so requests get in between many waiting pieces of work', async () => {
    await expectRequestsServedDuring(8);
  });
});

/**
 * Holds the loop with `workers` lines of 0.25 ms pieces, each piece waiting for its turn, while a
 * client in another process makes 30 requests: they are answered along the way, not after the
 * work, which is what the turns are for.
 */
async function expectRequestsServedDuring(workers: number): Promise<void> {
  let piecesDone = 0;
  const seenAt: number[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: () => {
      seenAt.push(piecesDone);
      return new Response('ok');
    },
  });
  const client = Bun.spawn(
    [
      process.execPath,
      '-e',
      `for (let i = 0; i < 30; i++) { await fetch(process.argv[1]); await Bun.sleep(2); }`,
      `http://127.0.0.1:${server.port}/`,
    ],
    { stdout: 'ignore', stderr: 'inherit' },
  );
  try {
    while (!seenAt.length) await Bun.sleep(1);
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (; piecesDone < 800 && seenAt.length < 30; piecesDone += 1) {
          spin(0.25);
          await nextTurn();
        }
      }),
    );
    await client.exited;
    // The requests were answered along the way, not after the work: about every few pieces.
    expect(seenAt.length).toBe(30);
    expect(piecesDone).toBeLessThan(800);
  } finally {
    client.kill();
    server.stop(true);
  }
}
