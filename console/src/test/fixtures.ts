import type { ConversationView, Message, OMe, OperatorServerFrame } from '@beseda/shared/types';

/** Builders for protocol values in tests: each takes only the fields a test cares about. */

export const ME: OMe = {
  id: 'op-1',
  name: 'Anna',
  email: 'anna@example.com',
  role: 'operator',
  status: 'online',
  capacity: 3,
};

export function conversation(id: string, over: Partial<ConversationView> = {}): ConversationView {
  return {
    id,
    siteId: 'site-1',
    visitorId: `visitor-${id}`,
    visitorName: null,
    status: 'active',
    operator: { id: ME.id, name: ME.name },
    createdAt: 1_000,
    enqueuedAt: 1_000,
    assignedAt: 2_000,
    endedAt: null,
    lastSeq: 0,
    waitingSince: null,
    rating: null,
    ...over,
  };
}

export function message(conversationId: string, seq: number, over: Partial<Message> = {}): Message {
  return {
    conversationId,
    seq,
    clientId: null,
    author: 'visitor',
    operatorId: null,
    authorName: null,
    text: `message ${seq}`,
    at: 10_000 + seq * 1000,
    ...over,
  };
}

type Welcome = Extract<OperatorServerFrame, { type: 'welcome' }>;

export function welcome(chats: ConversationView[], over: Partial<Welcome> = {}): Welcome {
  return { type: 'welcome', v: 1, me: ME, chats, queue: [], operators: [], ...over };
}
