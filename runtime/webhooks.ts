import type { DomainEventName, EventBus } from '../core/events';
import type { SettingsRepository } from '../core/repositories';
import { presentScan } from '../core/scan/present';
import type { ScanRepository } from '../core/scan/types';
import type { WebhookService } from '../core/webhooks/service';
import type { WebhookEvent } from '../core/webhooks/types';
import type { Logger } from './logger';

/** Domain events that webhooks deliver (webhook.test is sent by the test route only). */
const DELIVERED_EVENTS = [
  'scan.started',
  'scan.completed',
  'scan.failed',
  'scan.canceled',
  'report.generated',
] as const satisfies ReadonlyArray<DomainEventName & WebhookEvent>;

/**
 * Subscribes webhooks to the event bus: each event becomes one persisted delivery per active,
 * subscribed webhook, carrying the scan summary (or the report reference) as it was at that
 * moment. Queuing is a small local write; sending happens on the delivery worker, so a receiver
 * never delays a scan. Returns the unsubscribe for shutdown.
 */
export function wireWebhookEvents(options: {
  bus: EventBus;
  webhooks: WebhookService;
  scans: ScanRepository;
  settings: SettingsRepository;
  logger: Logger;
}): () => void {
  const { bus, webhooks, scans, settings, logger } = options;
  const queue = (event: WebhookEvent, data: () => Record<string, unknown>) =>
    webhooks.enqueue(event, data).catch((error) =>
      logger.error('webhook event could not be queued', {
        event,
        cause: String((error as Error)?.stack ?? error),
      }),
    );
  const scanData = (scanId: string) => {
    const scan = scans.get(scanId);
    return scan ? summarizeScan(presentScan(scan, settings.read('general'))) : { scan_id: scanId };
  };
  const unsubscribers = DELIVERED_EVENTS.map((event) =>
    bus.subscribe(event, (payload) => {
      if (event === 'report.generated') {
        const report = payload as { report_id: string; scan_id: string; format: string };
        return void queue(event, () => ({
          ...report,
          download_path: `/v1/reports/${report.report_id}/download`,
        }));
      }
      return void queue(event, () => scanData((payload as { scan_id: string }).scan_id));
    }),
  );
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
}

/**
 * The scan as a delivery carries it: the totals and each account's outcome, without the per-check
 * errors and warnings (GET /v1/scans/{id} has them). Small bodies keep the queue small.
 */
function summarizeScan(scan: ReturnType<typeof presentScan>): Record<string, unknown> {
  const { accounts, ...totals } = scan;
  return {
    ...totals,
    accounts: accounts.map(({ account_id, provider, status, findings, checks_failed }) => ({
      account_id,
      provider,
      status,
      findings,
      checks_failed,
    })),
  };
}
