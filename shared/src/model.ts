import { type Static, Type as T } from '@sinclair/typebox';
import { MAX_TEXT_LENGTH } from './version.js';

/** Domain values that travel over the wire. Code tables are `as const` arrays with derived unions. */
export const CONVERSATION_STATUSES = ['queued', 'active', 'ended', 'missed', 'offline'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const OPERATOR_STATUSES = ['online', 'away', 'offline'] as const;
export type OperatorStatus = (typeof OPERATOR_STATUSES)[number];

/** admin: the installation (every site, grants any role); owner: administers only their sites. */
export const ROLES = ['admin', 'owner', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** `note` is an internal operator note: stored with a seq, never delivered to the visitor. */
export const MESSAGE_AUTHORS = ['visitor', 'operator', 'system', 'note'] as const;
export type MessageAuthor = (typeof MESSAGE_AUTHORS)[number];

export const RATINGS = ['good', 'bad'] as const;
export type Rating = (typeof RATINGS)[number];

export const Id = T.String({ minLength: 1, maxLength: 64 });
/** Client-generated id, unique per sender; the server dedupes retries by it. */
export const ClientId = T.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const Text = T.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH });
export const Seq = T.Integer({ minimum: 0 });
export const Timestamp = T.Integer({ minimum: 0, description: 'milliseconds since the Unix epoch' });

export const Page = T.Object({
  url: T.String({ maxLength: 2048 }),
  title: T.Optional(T.String({ maxLength: 512 })),
  referrer: T.Optional(T.String({ maxLength: 2048 })),
});
export type Page = Static<typeof Page>;

export const Message = T.Object({
  conversationId: Id,
  seq: Seq,
  clientId: T.Union([ClientId, T.Null()]),
  author: T.Union(MESSAGE_AUTHORS.map((a) => T.Literal(a))),
  operatorId: T.Union([Id, T.Null()]),
  authorName: T.Union([T.String(), T.Null()]),
  text: T.String(),
  at: Timestamp,
});
export type Message = Static<typeof Message>;

export const OperatorRef = T.Object({ id: Id, name: T.String() });
export type OperatorRef = Static<typeof OperatorRef>;

export const Eta = T.Object({
  minSeconds: T.Integer({ minimum: 0 }),
  maxSeconds: T.Integer({ minimum: 0 }),
});
export type Eta = Static<typeof Eta>;

export const ConversationView = T.Object({
  id: Id,
  siteId: Id,
  /** The team whose queue the chat is routed through (null: the whole site). */
  teamId: T.Optional(T.Union([Id, T.Null()])),
  visitorId: Id,
  visitorName: T.Union([T.String(), T.Null()]),
  status: T.Union(CONVERSATION_STATUSES.map((s) => T.Literal(s))),
  operator: T.Union([OperatorRef, T.Null()]),
  createdAt: Timestamp,
  enqueuedAt: T.Union([Timestamp, T.Null()]),
  assignedAt: T.Union([Timestamp, T.Null()]),
  endedAt: T.Union([Timestamp, T.Null()]),
  lastSeq: Seq,
  /** Time of the oldest visitor message still waiting for an operator reply; null when answered. */
  waitingSince: T.Union([Timestamp, T.Null()]),
  rating: T.Union([T.Literal('good'), T.Literal('bad'), T.Null()]),
  tags: T.Optional(T.Array(T.String())),
  visitorEmail: T.Optional(T.Union([T.String(), T.Null()])),
  /** Whether the visitor's name/email were verified by a signed identity from the host page. */
  visitorVerified: T.Optional(T.Boolean()),
});
export type ConversationView = Static<typeof ConversationView>;

export const QueueEntry = T.Object({
  conversationId: Id,
  siteId: Id,
  /** The team queue it waits in (null: the whole site's). Positions count within that queue. */
  teamId: T.Optional(T.Union([Id, T.Null()])),
  visitorId: Id,
  visitorName: T.Union([T.String(), T.Null()]),
  enqueuedAt: Timestamp,
  position: T.Integer({ minimum: 1 }),
  preview: T.String(),
});
export type QueueEntry = Static<typeof QueueEntry>;

export const OperatorPresence = T.Object({
  id: Id,
  name: T.String(),
  status: T.Union(OPERATOR_STATUSES.map((s) => T.Literal(s))),
  capacity: T.Integer({ minimum: 0 }),
  activeChats: T.Integer({ minimum: 0 }),
});
export type OperatorPresence = Static<typeof OperatorPresence>;
