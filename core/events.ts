/** Domain events published in-process; webhooks, notifications, reports and SSE subscribe. */
export interface DomainEvents {
  'scan.started': { scan_id: string };
  'scan.progress': { scan_id: string; progress: ScanProgressSnapshot };
  'scan.completed': { scan_id: string };
  'scan.failed': { scan_id: string; error: string };
  'scan.canceled': { scan_id: string };
  'report.generated': { report_id: string; scan_id: string; format: string };
}

/** Progress as GET /v1/scans/{id}/progress reports it. */
export interface ScanProgressSnapshot {
  phase: 'queued' | 'planning' | 'collecting' | 'saving' | 'completed' | 'failed' | 'canceled';
  checks_total: number;
  checks_done: number;
  progress_percent: number;
}

export type DomainEventName = keyof DomainEvents;
type Listener<K extends DomainEventName> = (payload: DomainEvents[K]) => void | Promise<void>;

/**
 * A small typed publish/subscribe bus. A listener's failure is handed to `onListenerError` and
 * never reaches the publisher: delivery must not fail a scan.
 */
export class EventBus {
  private readonly listeners = new Map<DomainEventName, Set<Listener<DomainEventName>>>();

  constructor(
    private readonly onListenerError: (event: string, error: unknown) => void = () => {},
  ) {}

  /** Adds a listener; the returned function removes it. */
  subscribe<K extends DomainEventName>(event: K, listener: Listener<K>): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as Listener<DomainEventName>);
    this.listeners.set(event, set);
    return () => set.delete(listener as Listener<DomainEventName>);
  }

  /** Calls every listener of the event; never throws. */
  publish<K extends DomainEventName>(event: K, payload: DomainEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        const result = listener(payload);
        if (result instanceof Promise) result.catch((error) => this.onListenerError(event, error));
      } catch (error) {
        this.onListenerError(event, error);
      }
    }
  }
}
