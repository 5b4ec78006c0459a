import type { EventBus } from '../core/events';
import { nextTurn } from '../core/turns';
import type { ScanNotifier } from '../core/notify/scan-notifier';
import type { Logger } from './logger';

/** Bound on one SMTP exchange or chat post after a scan (a PDF attachment can be large). */
export const NOTIFY_TIMEOUT_MS = 30_000;

/** The notifier attached to the event bus, and what shutdown waits for. */
export interface NotificationWiring {
  /** Resolves once every delivery started so far has finished and been recorded. */
  whenIdle(): Promise<void>;
  /** Stops listening (shutdown); deliveries in flight carry on until whenIdle. */
  detach(): void;
}

/**
 * Subscribes the notifier to terminal scan events. Each delivery runs detached from the scan that
 * published the event: it never delays or fails the scan, and an unexpected error is logged once.
 */
export function wireNotifications(
  bus: EventBus,
  notifier: ScanNotifier,
  logger: Logger,
): NotificationWiring {
  const inFlight = new Set<Promise<void>>();
  const track = (scanId: string) => {
    // In a turn of its own: reading the scan and the channels is not the finishing scan's work.
    const delivery = nextTurn()
      .then(() => notifier.scanFinished(scanId))
      .catch((error) =>
        logger.error('scan notification failed unexpectedly', {
          scan_id: scanId,
          cause: String((error as Error)?.message ?? error),
        }),
      );
    inFlight.add(delivery);
    void delivery.finally(() => inFlight.delete(delivery));
  };
  const unsubscribers = [
    bus.subscribe('scan.completed', ({ scan_id }) => track(scan_id)),
    bus.subscribe('scan.failed', ({ scan_id }) => track(scan_id)),
    bus.subscribe('scan.canceled', ({ scan_id }) => track(scan_id)),
  ];
  return {
    async whenIdle() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    detach() {
      for (const unsubscribe of unsubscribers) unsubscribe();
    },
  };
}
