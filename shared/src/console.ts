import { type Static, Type as T } from '@sinclair/typebox';
import { ConversationView, Id } from './model.js';

/** REST types of the operator's own profile (`/api/me/profile`) and the offline inbox (`/api/inbox`). */

/** Languages the console speaks (console/src/i18n). */
export const CONSOLE_LANGS = ['en', 'cs', 'ru'] as const;
export type ConsoleLang = (typeof CONSOLE_LANGS)[number];

/** What the operator sets for themselves, on every device they sign in on. */
export const OperatorProfile = T.Object({
  /** Console language; null = follow the browser's languages. */
  locale: T.Union([T.Union(CONSOLE_LANGS.map((l) => T.Literal(l))), T.Null()]),
  /** "Do you answer chats yourself?" (setup checklist); null = not answered yet. */
  answersChats: T.Union([T.Boolean(), T.Null()]),
});
export type OperatorProfile = Static<typeof OperatorProfile>;

/**
 * `PATCH /api/me/profile`. The language is checked by the route (not the schema) so an unknown one gets a
 * sentence naming the languages there are. `answersChats: false` sets the capacity to 0 (no chat is routed);
 * `true` restores `capacity` (or the previous one, at least 1).
 */
export const ProfilePatch = T.Object(
  {
    // Null first: Fastify's Ajv coerces types, and with the string first a null would become "".
    locale: T.Optional(T.Union([T.Null(), T.String({ maxLength: 35 })])),
    answersChats: T.Optional(T.Boolean()),
    capacity: T.Optional(T.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: T.Never() },
);
export type ProfilePatch = Static<typeof ProfilePatch>;

export const INBOX_STATUSES = ['open', 'answered', 'closed'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];
const InboxStatusSchema = T.Union(INBOX_STATUSES.map((s) => T.Literal(s)));

/** One offline message or missed chat in the inbox, with the status every operator of the site sees. */
export const InboxItem = T.Object({
  conversation: ConversationView,
  /** The visitor's first message (cut), '' for a missed chat without one. */
  preview: T.String(),
  status: InboxStatusSchema,
  /** When and by whom the status last changed; null while it was never changed. */
  changedAt: T.Union([T.Integer(), T.Null()]),
  changedBy: T.Union([T.Object({ id: Id, name: T.String() }), T.Null()]),
});
export type InboxItem = Static<typeof InboxItem>;

export const InboxList = T.Object({
  items: T.Array(InboxItem),
  /** Open items of the caller's sites (the badge), however many are listed. */
  openCount: T.Integer(),
  nextBefore: T.Union([T.Integer(), T.Null()]),
});
export type InboxList = Static<typeof InboxList>;

export const InboxQuery = T.Object(
  {
    /** Default open; `active` = open and answered (what still may need a follow-up); `all` = every status. */
    status: T.Optional(T.Union([InboxStatusSchema, T.Literal('active'), T.Literal('all')])),
    limit: T.Optional(T.Integer({ minimum: 1, maximum: 100 })),
    before: T.Optional(T.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type InboxQuery = Static<typeof InboxQuery>;

export const InboxStatusBody = T.Object({ status: InboxStatusSchema }, { additionalProperties: T.Never() });
export type InboxStatusBody = Static<typeof InboxStatusBody>;
