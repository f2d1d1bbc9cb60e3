import { randomUUID } from 'node:crypto';
import { channels } from '../ops/channels.js';
import type { Hub } from './types.js';

/** Single-node hub: delivery is a synchronous loop over local handlers. */
export class MemoryHub implements Hub {
  readonly nodeId = randomUUID();
  private readonly handlers = new Map<string, Set<(payload: unknown) => void>>();

  async publish(topic: string, payload: unknown): Promise<void> {
    this.deliver(topic, payload);
  }

  /** Local delivery, shared with RedisHub for messages that arrive from other nodes. */
  deliver(topic: string, payload: unknown): void {
    const set = this.handlers.get(topic);
    if (!set) return;
    if (channels.hubReceive.hasSubscribers) channels.hubReceive.publish({ kind: topic.split(':', 1)[0]! });
    for (const h of [...set]) h(payload);
  }

  subscribe(topic: string, handler: (payload: unknown) => void): () => void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
    }
    set.add(handler);
    return () => {
      const s = this.handlers.get(topic);
      if (!s) return;
      s.delete(handler);
      if (s.size === 0) this.handlers.delete(topic);
    };
  }

  async ready(): Promise<void> {}

  /** A single process never loses its subscriptions. */
  onResubscribed(): () => void {
    return () => {};
  }

  topicCount(): number {
    return this.handlers.size;
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
