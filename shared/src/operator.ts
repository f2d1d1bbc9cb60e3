import { type Static, Type as T } from '@sinclair/typebox';
import {
  ClientId,
  ConversationView,
  Id,
  Message,
  OPERATOR_STATUSES,
  OperatorPresence,
  QueueEntry,
  ROLES,
  Seq,
  Text,
  Timestamp,
} from './model.js';
import { ErrorFrame } from './visitor.js';

/** Frames on /ws/operator. The upgrade is authenticated by the console's session cookie. */

/** Client frames reject unknown fields: a misspelt or misplaced field is an error, not silently ignored. */
const strict = { additionalProperties: false } as const;

// ---- operator → server ----
export const OHello = T.Object({ type: T.Literal('hello'), v: T.Integer() }, strict);
export const OStatus = T.Object(
  {
    type: T.Literal('status'),
    status: T.Union(OPERATOR_STATUSES.map((s) => T.Literal(s))),
    capacity: T.Optional(T.Integer({ minimum: 0, maximum: 50 })),
  },
  strict,
);
export const OSend = T.Object(
  {
    type: T.Literal('send'),
    conversationId: Id,
    clientId: ClientId,
    text: Text,
    /** true = internal note, never delivered to the visitor. */
    internal: T.Optional(T.Boolean()),
  },
  strict,
);
export const OTyping = T.Object(
  { type: T.Literal('typing'), conversationId: Id, active: T.Boolean() },
  strict,
);
export const OPick = T.Object({ type: T.Literal('pick'), conversationId: Id }, strict);
export const OEnd = T.Object({ type: T.Literal('end'), conversationId: Id }, strict);
/** Ask for messages after `afterSeq` (reload, reconnect, opening a chat). */
export const OSync = T.Object({ type: T.Literal('sync'), conversationId: Id, afterSeq: Seq }, strict);
export const OPing = T.Object({ type: T.Literal('ping') }, strict);
/**
 * The operator used the console (keyboard, pointer): the server's auto-away countdown starts again, and an
 * away that auto-away set ends. Consoles send it on input, at most every few seconds.
 */
export const OActivity = T.Object({ type: T.Literal('activity') }, strict);
/**
 * Hand a chat to another online operator with free capacity (`toOperatorId`), or to a team of its site
 * (`toTeamId`; null = the whole site): it then waits at the front of that queue (it keeps the time it first
 * queued) and the next free operator of the team gets it. Exactly one of the two. The note is stored as an
 * internal note.
 */
export const OTransfer = T.Object(
  {
    type: T.Literal('transfer'),
    conversationId: Id,
    toOperatorId: T.Optional(Id),
    toTeamId: T.Optional(T.Union([Id, T.Null()])),
    note: T.Optional(T.String({ maxLength: 2000 })),
  },
  strict,
);
/** Replace the conversation's tags (lower-cased, trimmed, unique). */
export const OTags = T.Object(
  {
    type: T.Literal('tags'),
    conversationId: Id,
    tags: T.Array(T.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 }),
  },
  strict,
);

export const OperatorClientFrame = T.Union([
  OHello,
  OStatus,
  OSend,
  OTyping,
  OPick,
  OEnd,
  OSync,
  OPing,
  OActivity,
  OTransfer,
  OTags,
]);
export type OperatorClientFrame = Static<typeof OperatorClientFrame>;

// ---- server → operator ----
export const OMe = T.Object({
  id: Id,
  name: T.String(),
  email: T.String(),
  role: T.Union(ROLES.map((r) => T.Literal(r))),
  status: T.Union(OPERATOR_STATUSES.map((s) => T.Literal(s))),
  capacity: T.Integer({ minimum: 0 }),
});
export type OMe = Static<typeof OMe>;

export const OWelcome = T.Object({
  type: T.Literal('welcome'),
  v: T.Integer(),
  me: OMe,
  /** Conversations currently assigned to this operator. */
  chats: T.Array(ConversationView),
  queue: T.Array(QueueEntry),
  operators: T.Array(OperatorPresence),
});
export const OAck = T.Object({
  type: T.Literal('ack'),
  clientId: ClientId,
  conversationId: Id,
  seq: Seq,
  at: Timestamp,
});
/** A live message; `prev` as on /ws/visitor (here every message is visible, so a gap is `prev > lastSeq`). */
export const OMessage = T.Object({ type: T.Literal('message'), message: Message, prev: T.Optional(Seq) });
export const OHistory = T.Object({
  type: T.Literal('history'),
  conversationId: Id,
  messages: T.Array(Message),
});
/** A conversation this operator holds was created, changed or left them (status ended / operator changed). */
export const OChat = T.Object({ type: T.Literal('chat'), conversation: ConversationView });
export const OQueue = T.Object({ type: T.Literal('queue'), queue: T.Array(QueueEntry) });
export const OPresence = T.Object({ type: T.Literal('presence'), operators: T.Array(OperatorPresence) });
/**
 * What changed in one site's queue since the previous queue frame: drop `removed`, add or replace
 * `upserted`. Positions follow enqueue order within the site (the console renumbers). The whole list comes
 * with `welcome` (and as `queue`).
 */
export const OQueueDelta = T.Object({
  type: T.Literal('queue_delta'),
  siteId: Id,
  /** The team queue this delta is about (absent or null: the whole site's queue). */
  teamId: T.Optional(T.Union([Id, T.Null()])),
  removed: T.Array(Id),
  upserted: T.Array(QueueEntry),
});
/** Colleagues whose presence changed since the previous presence frame (replace by id). */
export const OPresenceDelta = T.Object({
  type: T.Literal('presence_delta'),
  operators: T.Array(OperatorPresence),
});
export const OVisitorTyping = T.Object({
  type: T.Literal('typing'),
  conversationId: Id,
  active: T.Boolean(),
  /** The visitor's draft, only when the site enabled typing preview. */
  preview: T.Optional(T.String()),
});
export const OMeFrame = T.Object({ type: T.Literal('me'), me: OMe });
/** The visitor of one of my chats moved to another page of the site. */
export const OVisitorPage = T.Object({
  type: T.Literal('visitor_page'),
  conversationId: Id,
  page: T.Object({ url: T.String(), title: T.Union([T.String(), T.Null()]) }),
});
/** An owner changed a site's settings (thresholds, auto-away…): re-read GET /api/sites. */
export const OSitesChanged = T.Object({ type: T.Literal('sites_changed'), siteId: Id });
/** A visitor left a message while nobody was available (answer it by email). */
export const OOffline = T.Object({
  type: T.Literal('offline'),
  conversation: ConversationView,
  preview: T.String(),
});
export const OPong = T.Object({ type: T.Literal('pong') });
/**
 * The site's offline inbox changed (an item marked answered/closed/open by anyone, or a chat that ended
 * unanswered): re-read GET /api/inbox. Carries no content, so it needs no per-operator filtering.
 */
export const OInboxChanged = T.Object({
  type: T.Literal('inbox_changed'),
  siteId: Id,
  conversationId: Id,
});

export const OperatorServerFrame = T.Union([
  OWelcome,
  OAck,
  OMessage,
  OHistory,
  OChat,
  OQueue,
  OQueueDelta,
  OPresence,
  OPresenceDelta,
  OVisitorTyping,
  OMeFrame,
  OOffline,
  OVisitorPage,
  OSitesChanged,
  OInboxChanged,
  OPong,
  ErrorFrame,
]);
export type OperatorServerFrame = Static<typeof OperatorServerFrame>;
