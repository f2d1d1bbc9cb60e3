import { type Static, Type as T } from '@sinclair/typebox';
import { ERROR_CODES } from './errors.js';
import {
  ClientId,
  ConversationView,
  Eta,
  Id,
  Message,
  OperatorRef,
  Page,
  RATINGS,
  Seq,
  Text,
  Timestamp,
} from './model.js';

/**
 * Frames on /ws/visitor. The upgrade itself carries the credentials (?site=KEY&vid=…&token=…);
 * the first frame must be `hello`.
 */

/** Client frames reject unknown fields: a misspelt or misplaced field is an error, not silently ignored. */
const strict = { additionalProperties: false } as const;

// ---- visitor → server ----
export const VHello = T.Object(
  {
    type: T.Literal('hello'),
    v: T.Integer(),
    /**
     * The conversation the client last showed and the last seq it saw in it; the server replays everything
     * after it (also when that conversation ended meanwhile, so the visitor still sees the end and can rate).
     */
    conversationId: T.Optional(Id),
    lastSeq: T.Optional(Seq),
    page: T.Optional(Page),
    lang: T.Optional(T.String({ maxLength: 35 })),
    /** IANA timezone of the visitor's browser, so operators see the visitor's local time. */
    timezone: T.Optional(T.String({ maxLength: 64 })),
  },
  strict,
);
/**
 * `teamId`: the team the visitor (pre-chat form) or the host page (`setTeam`) chose; it applies when this
 * message opens a new conversation and is ignored otherwise. A team that no longer exists routes the chat
 * to the whole site (the message is never refused for it).
 */
export const VSend = T.Object(
  { type: T.Literal('send'), clientId: ClientId, text: Text, teamId: T.Optional(Id) },
  strict,
);
export const VTyping = T.Object(
  {
    type: T.Literal('typing'),
    active: T.Boolean(),
    /** The draft so far; used only when the site enabled typing preview (the widget discloses it). */
    preview: T.Optional(T.String({ maxLength: 1000 })),
  },
  strict,
);
/**
 * The host page (JS API `identify`) or the pre-chat form tells who the visitor is. A signature over
 * `userId|email|name|expiresAt` with the site's identity secret marks the identity verified.
 */
export const VIdentify = T.Object(
  {
    type: T.Literal('identify'),
    name: T.Optional(T.String({ maxLength: 200 })),
    email: T.Optional(T.String({ maxLength: 254 })),
    userId: T.Optional(T.String({ maxLength: 200 })),
    expiresAt: T.Optional(T.Integer({ minimum: 0, description: 'Unix seconds' })),
    signature: T.Optional(T.String({ maxLength: 128 })),
    attributes: T.Optional(
      T.Record(
        T.String({ maxLength: 64 }),
        T.Union([T.String({ maxLength: 500 }), T.Number(), T.Boolean()]),
        {
          maxProperties: 50,
        },
      ),
    ),
  },
  strict,
);
/** Leave-a-message form: nobody online or outside business hours. Stored as an `offline` conversation. */
export const VOfflineMessage = T.Object(
  {
    type: T.Literal('offline_message'),
    clientId: ClientId,
    name: T.String({ minLength: 1, maxLength: 200 }),
    email: T.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' }),
    text: Text,
  },
  strict,
);
export const VEnd = T.Object({ type: T.Literal('end') }, strict);
export const VRate = T.Object(
  {
    type: T.Literal('rate'),
    conversationId: Id,
    rating: T.Union(RATINGS.map((r) => T.Literal(r))),
    comment: T.Optional(T.String({ maxLength: 2000 })),
  },
  strict,
);
export const VPage = T.Object({ type: T.Literal('page'), page: Page }, strict);
export const VPing = T.Object({ type: T.Literal('ping') }, strict);
/**
 * Fill a gap: the messages of the visitor's own conversation after `afterSeq` (internal notes excluded),
 * answered with `history`. Sent when a live `message` frame's `prev` is above the last seq the client holds.
 */
export const VSync = T.Object({ type: T.Literal('sync'), conversationId: Id, afterSeq: Seq }, strict);

export const VisitorClientFrame = T.Union([
  VHello,
  VSend,
  VTyping,
  VEnd,
  VRate,
  VPage,
  VPing,
  VIdentify,
  VOfflineMessage,
  VSync,
]);
export type VisitorClientFrame = Static<typeof VisitorClientFrame>;

// ---- server → visitor ----
export const ErrorFrame = T.Object({
  type: T.Literal('error'),
  code: T.Union(ERROR_CODES.map((c) => T.Literal(c))),
  message: T.String(),
  /** The clientId of the frame that failed, when it had one, so the client can stop retrying. */
  ref: T.Optional(T.String()),
});
export type ErrorFrame = Static<typeof ErrorFrame>;

export const VWelcome = T.Object({
  type: T.Literal('welcome'),
  v: T.Integer(),
  visitorId: Id,
  /** Secret the widget stores and presents on the next upgrade. */
  token: T.String(),
  /**
   * False while the visitor exists only in this connection: rows are made at the first message, the
   * leave-a-message form or an identify, never for a visitor who only reads. Until a welcome says true (or
   * an `ack`/`identity` arrives) the client keeps presenting its generated id with `new=1`.
   */
  stored: T.Optional(T.Boolean()),
  conversation: T.Union([ConversationView, T.Null()]),
  operatorsOnline: T.Boolean(),
  /** Inside the site's business hours (always true without configured hours). */
  withinHours: T.Optional(T.Boolean()),
});
export const VAck = T.Object({
  type: T.Literal('ack'),
  clientId: ClientId,
  conversationId: Id,
  seq: Seq,
  at: Timestamp,
});
/**
 * A live message (this server always sends `prev`). `prev` is the seq of the previous message this audience may see (0 = none): internal
 * notes take seqs too, so a visitor cannot tell a gap from `seq - 1`. A client holding `lastSeq` applies the
 * frame when `prev <= lastSeq`; when `prev > lastSeq` something is missing: it keeps the frame, asks
 * `sync { afterSeq: lastSeq }`, and never advances `lastSeq` past the gap. Frames are not guaranteed to
 * arrive in seq order (several nodes publish), so this rule, not arrival order, is what makes resume exact.
 */
export const VMessage = T.Object({ type: T.Literal('message'), message: Message, prev: T.Optional(Seq) });
/** Replay after hello: everything after the client's lastSeq, in seq order. */
export const VHistory = T.Object({
  type: T.Literal('history'),
  conversationId: Id,
  messages: T.Array(Message),
});
export const VConversation = T.Object({ type: T.Literal('conversation'), conversation: ConversationView });
export const VQueue = T.Object({
  type: T.Literal('queue'),
  conversationId: Id,
  position: T.Integer({ minimum: 1 }),
  ahead: T.Integer({ minimum: 0 }),
  eta: T.Union([Eta, T.Null()]),
});
export const VAssigned = T.Object({ type: T.Literal('assigned'), conversationId: Id, operator: OperatorRef });
export const VOperatorTyping = T.Object({
  type: T.Literal('typing'),
  conversationId: Id,
  active: T.Boolean(),
});
/** Someone can take chats of the site (no `teamId`) or of one of its teams (`teamId`), or nobody now. */
export const VAvailability = T.Object({
  type: T.Literal('availability'),
  operatorsOnline: T.Boolean(),
  teamId: T.Optional(Id),
});
/** Answer to `identify`: how the identity will be shown to operators. */
export const VIdentity = T.Object({
  type: T.Literal('identity'),
  verified: T.Boolean(),
  status: T.Union([T.Literal('verified'), T.Literal('unsigned'), T.Literal('expired'), T.Literal('invalid')]),
});
export const VPong = T.Object({ type: T.Literal('pong') });

export const VisitorServerFrame = T.Union([
  VWelcome,
  VAck,
  VMessage,
  VHistory,
  VConversation,
  VQueue,
  VAssigned,
  VOperatorTyping,
  VAvailability,
  VIdentity,
  VPong,
  ErrorFrame,
]);
export type VisitorServerFrame = Static<typeof VisitorServerFrame>;
