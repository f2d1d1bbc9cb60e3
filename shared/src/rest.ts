import { type Static, Type as T } from '@sinclair/typebox';
import { OperatorProfile } from './console.js';
import { ConversationView, Id, Message, Timestamp } from './model.js';
import { OMe } from './operator.js';

/** REST bodies shared by server and console. Errors are `{ error: ErrorCode, message }`. */

export const LoginBody = T.Object({
  email: T.String({ minLength: 3, maxLength: 254 }),
  password: T.String({ minLength: 1, maxLength: 200 }),
});
export type LoginBody = Static<typeof LoginBody>;

/** `profile` rides beside `me` (the welcome frame's type) so the console applies it at sign-in. */
export const MeResponse = T.Object({ me: OMe, profile: OperatorProfile });
export type MeResponse = Static<typeof MeResponse>;

/** Public, cacheable settings the widget needs before it opens a socket. */
export const WidgetConfig = T.Object({
  siteKey: T.String(),
  name: T.String(),
  color: T.String(),
  /** Text colour on `color` (#fff or #111, whichever contrasts more), so the loader needs no colour maths. */
  foreground: T.Optional(T.String()),
  position: T.Union([T.Literal('left'), T.Literal('right')]),
  launcherText: T.String(),
  greeting: T.String(),
  operatorsOnline: T.Boolean(),
  /** Inside business hours (site timezone); false → the widget shows the leave-a-message form. */
  withinHours: T.Optional(T.Boolean()),
  prechat: T.Optional(
    T.Object({ enabled: T.Boolean(), requireEmail: T.Boolean(), topics: T.Array(T.String()) }),
  ),
  /** Operators see the visitor's draft as it is typed; the widget must say so. */
  typingPreview: T.Optional(T.Boolean()),
  /**
   * The language these texts are in: the first of the visitor's languages (`?lang=` list) the widget
   * speaks, else the site's default language. The widget shows its UI strings in it too.
   */
  lang: T.Optional(T.String()),
  /** Shown above the leave-a-message form (replaces the built-in "Leave a message…" line). */
  offlineText: T.Optional(T.String()),
  /** Shown above the pre-chat form. */
  prechatText: T.Optional(T.String()),
  /** Accessible name of the launcher when it has no text ("Open chat" in `lang`). */
  openLabel: T.Optional(T.String()),
  /**
   * The site's teams and whether someone of each can take chats now (empty or absent: no teams). The pre-chat
   * form offers them; a team with nobody online gets the leave-a-message form.
   */
  teams: T.Optional(T.Array(T.Object({ id: T.String(), name: T.String(), online: T.Boolean() }))),
});
export type WidgetConfig = Static<typeof WidgetConfig>;

/** Per-language texts a site may override; anything left out falls back to the translated default. */
export interface WidgetTexts {
  launcherText?: string;
  greeting?: string;
  offlineText?: string;
  prechatText?: string;
}

/** `GET /api/widget/embed?site=KEY`: the snippet for Admin → Sites, pinned to one loader version by SRI. */
export interface WidgetEmbed {
  html: string;
  src: string;
  integrity: string;
}

/** widget/dist/manifest.json, written by the widget build (widget/build/finish-dist.ts). */
export interface WidgetManifest {
  /** Immutable, versioned copy of the loader and its SRI digest. */
  loader: { file: string; integrity: string };
  /** The chat UI bundle the loader pins. */
  chat: { file: string; integrity: string };
  /** Language → file of its string pack (English is built into the chat bundle). */
  langs: Record<string, string>;
  /** Every shipped text asset with its size raw and as sent (gzip level 9, brotli quality 11). */
  files: Record<string, { bytes: number; gzip: number; brotli: number }>;
}

export const ChatEvent = T.Object({
  type: T.String(),
  at: Timestamp,
  operatorId: T.Union([Id, T.Null()]),
  data: T.Union([T.Record(T.String(), T.Unknown()), T.Null()]),
});
export type ChatEvent = Static<typeof ChatEvent>;

export const TranscriptQuery = T.Object({
  q: T.Optional(T.String({ maxLength: 200 })),
  from: T.Optional(T.Integer({ minimum: 0 })),
  to: T.Optional(T.Integer({ minimum: 0 })),
  operatorId: T.Optional(Id),
  visitor: T.Optional(T.String({ maxLength: 254 })),
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 200 })),
  before: T.Optional(T.Integer({ minimum: 0, description: 'cursor: createdAt of the last row seen' })),
  tag: T.Optional(T.String({ maxLength: 40 })),
  rating: T.Optional(T.Union([T.Literal('good'), T.Literal('bad')])),
  status: T.Optional(T.Union([T.Literal('ended'), T.Literal('missed'), T.Literal('offline')])),
});
export type TranscriptQuery = Static<typeof TranscriptQuery>;

export const TranscriptSummary = T.Object({
  conversation: ConversationView,
  messageCount: T.Integer(),
  snippet: T.String(),
});
export type TranscriptSummary = Static<typeof TranscriptSummary>;

export const TranscriptList = T.Object({
  items: T.Array(TranscriptSummary),
  nextBefore: T.Union([T.Integer(), T.Null()]),
});
export type TranscriptList = Static<typeof TranscriptList>;

export const Transcript = T.Object({
  conversation: ConversationView,
  messages: T.Array(Message),
  events: T.Array(ChatEvent),
});
export type Transcript = Static<typeof Transcript>;
