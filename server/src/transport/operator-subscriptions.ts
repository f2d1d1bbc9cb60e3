import type { OperatorServerFrame } from '@beseda/shared';
import type { Hub } from '../hub/types.js';
import { topics } from '../hub/types.js';

/**
 * The hub topics one console listens to: its operator topic, its sites, and the conversation topic of
 * every chat it holds — joined when a `chat` frame shows the chat is theirs, left when it ended or moved
 * on (after forwarding that last frame). Tracks the highest seq forwarded per chat for catch-up.
 */
export class OperatorSubscriptions {
  private readonly topics = new Map<string, () => void>();
  private readonly seqs = new Map<string, number>();

  constructor(
    private readonly hub: Hub,
    private readonly operatorId: string,
    private readonly send: (frame: OperatorServerFrame) => void,
  ) {}

  subscribe(topic: string): void {
    if (this.topics.has(topic)) return;
    this.topics.set(
      topic,
      this.hub.subscribe(topic, (f) => this.forward(f as OperatorServerFrame)),
    );
  }

  watchConversation(conversationId: string): void {
    if (!this.seqs.has(conversationId)) this.seqs.set(conversationId, 0);
    this.subscribe(topics.conversation(conversationId));
  }

  forward(frame: OperatorServerFrame): void {
    this.observe(frame);
    this.send(frame);
    if (frame.type === 'chat') {
      const c = frame.conversation;
      const mine = c.operator?.id === this.operatorId && (c.status === 'active' || c.status === 'queued');
      if (!mine) this.unwatch(c.id);
    }
  }

  observe(frame: OperatorServerFrame): void {
    if (frame.type === 'chat') {
      const c = frame.conversation;
      if (c.operator?.id === this.operatorId && c.status === 'active') this.watchConversation(c.id);
    } else if (frame.type === 'message') {
      const id = frame.message.conversationId;
      if (this.seqs.has(id)) this.seqs.set(id, Math.max(this.seqs.get(id)!, frame.message.seq));
    } else if (frame.type === 'history') {
      const last = frame.messages.at(-1);
      if (last && this.seqs.has(frame.conversationId))
        this.seqs.set(frame.conversationId, Math.max(this.seqs.get(frame.conversationId)!, last.seq));
    }
  }

  positions(): [string, number][] {
    return [...this.seqs.entries()];
  }

  close(): void {
    for (const off of this.topics.values()) off();
    this.topics.clear();
    this.seqs.clear();
  }

  private unwatch(conversationId: string): void {
    this.seqs.delete(conversationId);
    const topic = topics.conversation(conversationId);
    this.topics.get(topic)?.();
    this.topics.delete(topic);
  }
}
