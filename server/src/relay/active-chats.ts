import type { Conversation } from '../store/types.js';

/** What a send needs to know about an active chat: where it belongs and who handles it. */
export interface ActiveChat {
  id: string;
  siteId: string;
  visitorId: string;
  operatorId: string;
}

const MAX_REMEMBERED = 50_000;

/**
 * This node's memory of active chats, so a message does not read its conversation from the store first.
 * It is only a hint: sends made on it are stored with `requireActive` (the store checks status and
 * operator under the row lock it takes anyway) and a refusal makes the caller forget the entry and take
 * the slow path. So a chat ended, requeued or transferred on another node costs one refused write here,
 * never a message in the wrong place. Entries are learnt where this node reads or writes a conversation
 * and dropped where it ends or requeues one.
 */
export class ActiveChats {
  private readonly byId = new Map<string, ActiveChat>();
  private readonly byVisitor = new Map<string, ActiveChat>();

  remember(c: Conversation): void {
    if (c.status !== 'active' || c.operatorId === null) {
      this.forget(c.id);
      return;
    }
    const prior = this.byId.get(c.id);
    if (prior?.operatorId === c.operatorId) return;
    if (prior) this.forget(c.id);
    if (this.byId.size >= MAX_REMEMBERED) this.forget(this.byId.keys().next().value!);
    const chat: ActiveChat = {
      id: c.id,
      siteId: c.siteId,
      visitorId: c.visitorId,
      operatorId: c.operatorId,
    };
    this.byId.set(c.id, chat);
    this.byVisitor.set(c.visitorId, chat);
  }

  get(conversationId: string): ActiveChat | undefined {
    return this.byId.get(conversationId);
  }

  ofVisitor(visitorId: string): ActiveChat | undefined {
    return this.byVisitor.get(visitorId);
  }

  forget(conversationId: string): void {
    const chat = this.byId.get(conversationId);
    if (!chat) return;
    this.byId.delete(conversationId);
    if (this.byVisitor.get(chat.visitorId) === chat) this.byVisitor.delete(chat.visitorId);
  }

  get size(): number {
    return this.byId.size;
  }
}

/** The store refused a `requireActive` write: the chat moved on since this node learnt it. */
export function refusedAsStale(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'not_found';
}
