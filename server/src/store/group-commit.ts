import { performance } from 'node:perf_hooks';
import { channels } from '../ops/channels.js';

/** What one write in a batch came to: its value, or the error that only this write hit. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Pending<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: every write requested before the event loop comes round is written by one call of
 * `commit` (one transaction, one fsync), and each caller's promise settles only after that call
 * returned, i.e. after the transaction committed. Batches run one after another, so writes commit in the
 * order they were requested; while a batch is in flight the next one collects.
 */
export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private scheduled = false;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly commit: (items: T[]) => Outcome<R>[] | Promise<Outcome<R>[]>) {}

  push(item: T): Promise<R> {
    if (this.closed) return Promise.reject(new Error('Store is closed'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      // The durable-write backlog: requested, not yet committed (what /metrics calls the outbox backlog).
      if (channels.outboxBacklog.hasSubscribers) channels.outboxBacklog.publish({ size: this.queue.length });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.drain();
        });
      }
    });
  }

  /** Refuses new writes and resolves once everything already requested has committed. */
  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
  }

  private drain(): Promise<void> {
    this.running = this.running.then(() => this.runBatch());
    return this.running;
  }

  private async runBatch(): Promise<void> {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let outcomes: Outcome<R>[];
    const started = performance.now();
    try {
      outcomes = await this.commit(batch.map((p) => p.item));
      if (channels.storeBatch.hasSubscribers)
        channels.storeBatch.publish({ size: batch.length, ms: performance.now() - started });
      if (channels.outboxBacklog.hasSubscribers) channels.outboxBacklog.publish({ size: this.queue.length });
    } catch (error) {
      // The transaction itself failed (disk full, connection lost): nothing in it is durable.
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if (!outcome) p.reject(new Error('Group commit returned no outcome for a write'));
      else if (outcome.ok) p.resolve(outcome.value);
      else p.reject(outcome.error);
    });
  }
}
