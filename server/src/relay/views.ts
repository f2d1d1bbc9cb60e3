import type { ConversationView, OperatorPresence } from '@beseda/shared';
import type { Conversation } from '../store/types.js';
import type { LiveConversation, LiveOperator } from './live-state.js';

export function conversationView(
  c: Conversation | LiveConversation,
  operatorName: (id: string) => string | null,
): ConversationView {
  const name = c.operatorId ? operatorName(c.operatorId) : null;
  return {
    id: c.id,
    siteId: c.siteId,
    visitorId: c.visitorId,
    visitorName: c.visitorName,
    status: c.status,
    operator: c.operatorId ? { id: c.operatorId, name: name ?? 'Operator' } : null,
    createdAt: c.createdAt,
    enqueuedAt: c.enqueuedAt,
    assignedAt: c.assignedAt,
    endedAt: c.endedAt,
    lastSeq: c.lastSeq,
    waitingSince: 'waitingSince' in c ? c.waitingSince : null,
    rating: c.rating,
    tags: c.tags,
    visitorEmail: c.visitorEmail,
    visitorVerified: 'visitorVerified' in c ? c.visitorVerified : false,
  };
}

export const presenceView = (o: LiveOperator): OperatorPresence => ({
  id: o.id,
  name: o.name,
  status: o.status,
  capacity: o.capacity,
  activeChats: o.active.size,
});
