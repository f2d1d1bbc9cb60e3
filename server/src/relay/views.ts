import type { ConversationView, OMe, OperatorPresence } from '@beseda/shared';
import type { Conversation } from '../store/types.js';
import type { OperatorEntry } from './directory.js';

/** What a client is shown of a conversation; `waitingSince` is derived by consoles from the messages. */
export function conversationView(
  c: Conversation,
  operatorName: (id: string) => string | null,
  extra: { waitingSince?: number | null; visitorVerified?: boolean } = {},
): ConversationView {
  const name = c.operatorId ? operatorName(c.operatorId) : null;
  return {
    id: c.id,
    siteId: c.siteId,
    teamId: c.teamId ?? null,
    visitorId: c.visitorId,
    visitorName: c.visitorName,
    status: c.status,
    operator: c.operatorId ? { id: c.operatorId, name: name ?? 'Operator' } : null,
    createdAt: c.createdAt,
    enqueuedAt: c.enqueuedAt,
    assignedAt: c.assignedAt,
    endedAt: c.endedAt,
    lastSeq: c.lastSeq,
    waitingSince: extra.waitingSince ?? null,
    rating: c.rating,
    tags: c.tags,
    visitorEmail: c.visitorEmail,
    visitorVerified: extra.visitorVerified ?? false,
  };
}

export interface LiveStatus {
  status: OperatorPresence['status'];
  load: number;
  capacity: number;
}

export const presenceView = (o: OperatorEntry, live: LiveStatus | undefined): OperatorPresence => ({
  id: o.id,
  name: o.name,
  status: live?.status ?? 'offline',
  capacity: live?.capacity ?? o.capacity,
  activeChats: live?.load ?? 0,
});

export const meView = (o: OperatorEntry, live: LiveStatus | undefined): OMe => ({
  id: o.id,
  name: o.name,
  email: o.email,
  role: o.role,
  status: live?.status ?? 'offline',
  capacity: live?.capacity ?? o.capacity,
});
