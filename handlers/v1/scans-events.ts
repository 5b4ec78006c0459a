import type { ScanProgressSnapshot } from '../../core/events';
import type { Handler } from '../context';
import { requireScan } from './scans-get';

const TERMINAL_PHASES = new Set(['completed', 'failed', 'canceled']);
const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events of a scan's progress: the current state at once, every change after, and a
 * final `status` event with the terminal status, then the stream ends.
 */
export const streamScanEvents: Handler = (request, { params, services }) => {
  const scan = requireScan(services, params.id as string);

  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: unknown) =>
        controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      const finish = () => {
        cleanup();
        const final = services.scanRecords.get(scan.id);
        send('status', { scan_id: scan.id, status: final?.status });
        controller.close();
      };
      const onProgress = (progress: ScanProgressSnapshot) => {
        send('progress', { scan_id: scan.id, ...progress });
        if (TERMINAL_PHASES.has(progress.phase)) finish();
      };
      const unsubscribe = services.bus.subscribe('scan.progress', ({ scan_id, progress }) => {
        if (scan_id === scan.id) onProgress(progress);
      });
      const heartbeat = setInterval(
        () => controller.enqueue(encoder.encode(': keep-alive\n\n')),
        HEARTBEAT_MS,
      );
      cleanup = () => {
        unsubscribe();
        clearInterval(heartbeat);
      };
      request.signal?.addEventListener('abort', () => cleanup());
      onProgress(
        services.scans.progress(scan.id) ?? {
          phase: 'queued',
          checks_total: 0,
          checks_done: 0,
          progress_percent: 0,
        },
      );
    },
    cancel() {
      cleanup();
    },
  });

  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    },
  });
};
