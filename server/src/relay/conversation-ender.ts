import type { Clock } from '../core/clock.js';
import { BesedaError } from '../core/errors.js';
import { topics } from '../hub/types.js';
import type { Conversation, Store } from '../store/types.js';
import type { ActiveChats } from './active-chats.js';
import type { Delivery } from './delivery.js';
import type { Directory } from './directory.js';
import type { Router } from './router.js';
import { systemText } from './system-text.js';

/** Ending a chat, by either side: one unit of work in the store, then the routing state frees the operator. */
export class ConversationEnder {
  constructor(
    private readonly d: {
      store: Store;
      router: Router;
      delivery: Delivery;
      directory: Directory;
      active: ActiveChats;
      clock: Clock;
    },
  ) {}

  async end(conv: Conversation, by: 'visitor' | 'operator', operatorId: string | null): Promise<void> {
    if (conv.status !== 'queued' && conv.status !== 'active')
      throw new BesedaError('invalid_state', 'This conversation is not open');
    const now = this.d.clock.now();
    const wasQueued = conv.status === 'queued';
    const name = operatorId ? (this.d.directory.operatorName(operatorId) ?? 'The operator') : 'The operator';
    const result = await this.d.store.commit({
      conversation: { id: conv.id, patch: { status: wasQueued ? 'missed' : 'ended', endedAt: now } },
      messages: [
        {
          conversationId: conv.id,
          clientId: null,
          author: 'system',
          operatorId,
          authorName: null,
          text: by === 'visitor' ? systemText.endedByVisitor : systemText.endedBy(name),
          at: now,
        },
      ],
      events: [
        {
          siteId: conv.siteId,
          conversationId: conv.id,
          operatorId: operatorId ?? conv.operatorId,
          type: wasQueued ? 'missed' : 'ended',
          at: now,
          data: { by },
        },
      ],
    });
    const saved = result.conversation ?? { ...conv, status: wasQueued ? 'missed' : 'ended', endedAt: now };
    this.d.active.forget(conv.id);
    // Stored first: if this node dies now, the rebuild reads an ended chat and frees the operator anyway.
    await this.d.router.dispatch({ type: 'leave', conversationId: conv.id });
    const view = await this.d.router.view(saved);
    for (const a of result.messages) this.d.delivery.message(saved, a.message, a.prevPublic);
    this.d.delivery.toVisitor(conv.visitorId, { type: 'conversation', conversation: view });
    this.d.delivery.toConversation(conv.id, { type: 'chat', conversation: view });
    // A chat that ended unanswered is a missed chat in the site's offline inbox.
    if (wasQueued)
      this.d.delivery.toSiteOperators(conv.siteId, {
        type: 'inbox_changed',
        siteId: conv.siteId,
        conversationId: conv.id,
      });
    if (conv.assignedAt !== null)
      this.d.delivery.internal(topics.control(), {
        kind: 'handled',
        scope: this.d.directory.chatScope(conv.siteId, conv.teamId),
        ms: now - conv.assignedAt,
      });
  }
}
