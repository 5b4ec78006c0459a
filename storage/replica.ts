import { renameSync } from 'node:fs';
import { settleTemporaryFile, writeTemporaryFile } from './durable-file';
import type { FlushReply, FlushRequest, Statement } from './replica-protocol';
import { WriteFence } from './write-fence';

/**
 * The worker's code: beside this file when running from source; in the compiled executable, the
 * entry point `storage/replica-worker` that runtime/build.ts embeds, named from the embedded root.
 */
const WORKER_ENTRY = import.meta.url.includes('/$bunfs/')
  ? './storage/replica-worker.ts'
  : new URL('./replica-worker.ts', import.meta.url).href;

/** The main thread's owner number at the write fence; each replica thread takes the next one. */
const MAIN_OWNER = 1;

/**
 * The main thread's side of the replica thread (storage/replica-worker.ts): hands it the changes
 * made since the last flush and resolves when the file holds them. The thread starts on the first
 * flush; if it dies or its copy stops matching, a new one starts from the main thread's copy.
 */
export class Replica {
  private worker: Bun.Worker | undefined;
  /** The current thread's owner number at the fence. */
  private workerOwner = MAIN_OWNER;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (reply: FlushReply) => void; reject: (error: Error) => void }
  >();
  /** Whether the next thread must start from a seed rather than from the file. */
  private needsSeed = false;
  /** Shared with every thread: the main thread's own writes take an id in the same sequence. */
  private readonly fence = new WriteFence();

  constructor(
    private readonly path: string,
    /**
     * The main thread's whole database, for a replica that must start over. The store forgets
     * its logged changes as it exports: the seed holds them, and replaying them would apply them
     * twice.
     */
    private readonly exportMain: () => Uint8Array,
    /** Tests only: see FlushRequest.holdMs. */
    private readonly holdMs = 0,
  ) {}

  /**
   * Writes `statements` (changes since the last flush) to the file through the replica; resolves
   * to the processor time that took, in milliseconds.
   */
  async flush(statements: Statement[]): Promise<number> {
    let reply = await this.send(statements, this.needsSeed);
    if (reply.outcome === 'diverged') reply = await this.send([], true);
    if (reply.outcome !== 'written') throw new Error(`database flush failed: ${reply.message}`);
    return reply.busyMs;
  }

  /**
   * Writes the main thread's whole database to the file now, ahead of the flushes the thread
   * still owes: their changes are in it, so their answers, when they come, are dropped.
   */
  async writeFromMain(bytes: Uint8Array): Promise<void> {
    const id = this.nextId++;
    const temporary = writeTemporaryFile(this.path, bytes, 'main');
    const rename = () => renameSync(temporary, this.path);
    let installed = this.fence.tryInstall(id, MAIN_OWNER, rename);
    // The replica holds the fence only to rename, but a starved one may be kept off its core
    // meanwhile: this thread must not block on it.
    while (installed === undefined) {
      await Bun.sleep(1);
      installed = this.fence.tryInstall(id, MAIN_OWNER, rename);
    }
    // False when a flush sent after this write began, with its changes and newer ones, is in place.
    settleTemporaryFile(temporary, this.path, installed);
  }

  /** Starts the thread ahead of the first flush, which would otherwise wait for it to load. */
  prepare(): void {
    // Idle, the thread must not hold the process open.
    this.start().unref();
  }

  /** Stops the thread; call only when no flush is in flight. */
  stop(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }

  private send(statements: Statement[], seed: boolean): Promise<FlushReply> {
    const worker = this.start();
    const { path } = this;
    const fence = { fence: this.fence.buffer, fenceOwner: this.workerOwner };
    // A seed already holds every change made so far, these statements included.
    const request: FlushRequest = seed
      ? { id: this.nextId++, path, seed: this.exportMain(), statements: [], ...fence }
      : { id: this.nextId++, path, statements, ...fence };
    if (this.holdMs) request.holdMs = this.holdMs;
    this.needsSeed = false;
    return new Promise((resolve, reject) => {
      this.waiting.set(request.id, { resolve, reject });
      // A flush in flight keeps the process alive; an idle thread does not.
      worker.ref();
      worker.postMessage(request);
    });
  }

  private start(): Bun.Worker {
    if (this.worker) return this.worker;
    // Bun's worker (the DOM typing lacks ref/unref).
    const worker = new Worker(WORKER_ENTRY) as unknown as Bun.Worker;
    const owner = (this.workerOwner += 1);
    worker.addEventListener('message', (event) => {
      const reply = (event as unknown as MessageEvent<FlushReply>).data;
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (!this.waiting.size) worker.unref();
      waiter?.resolve(reply);
    });
    worker.addEventListener('error', (event) =>
      this.fail(new Error(`database replica stopped: ${(event as ErrorEvent).message}`)),
    );
    // A thread that ends without an error event (exit, termination) fails what it still owed.
    worker.addEventListener('close', () => {
      this.fence.releaseFor(owner);
      if (this.worker === worker) this.fail(new Error('database replica stopped'));
    });
    this.worker = worker;
    return worker;
  }

  private fail(error: Error): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.needsSeed = true;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
