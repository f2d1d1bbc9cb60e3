import type { ChatEventRecord, EventsListener } from './types.js';

/**
 * Subscribers to committed events. A listener's failure is its own: it must neither undo the commit
 * (already durable) nor keep the other listeners from hearing the batch, so it is reported as a process
 * warning and the rest carry on.
 */
export class EventListeners {
  private readonly listeners = new Set<EventsListener>();

  add(listener: EventsListener): () => void {
    // A wrapper per subscription, so subscribing the same function twice needs two unsubscribes.
    const entry: EventsListener = (events) => listener(events);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  emit(events: ChatEventRecord[]): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(events);
      } catch (err) {
        process.emitWarning(err instanceof Error ? err : new Error(String(err)), 'BesedaEventListenerError');
      }
    }
  }
}
