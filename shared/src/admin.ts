import { type Static, Type as T } from '@sinclair/typebox';
import { Id, OPERATOR_STATUSES, ROLES } from './model.js';

/** REST bodies of the console's settings, admin, canned-response, tag and visitor-card endpoints. */

export const BusinessHoursSchema = T.Object({
  days: T.Array(
    T.Object({
      day: T.Integer({ minimum: 0, maximum: 6, description: '0 = Sunday' }),
      from: T.Integer({ minimum: 0, maximum: 1440, description: 'minutes from local midnight' }),
      to: T.Integer({ minimum: 0, maximum: 1440 }),
    }),
    { maxItems: 28 },
  ),
});

export const PrechatSchema = T.Object({
  enabled: T.Boolean(),
  requireEmail: T.Boolean(),
  topics: T.Array(T.String({ minLength: 1, maxLength: 60 }), { maxItems: 20 }),
});

/**
 * A team (department) of a site: Sales, Support… Visitors pick one in the pre-chat form or the host page does
 * (JS API `setTeam`); the chat then waits in that team's queue and only the team's operators are offered it.
 */
export const Team = T.Object({ id: Id, name: T.String() });
export type Team = Static<typeof Team>;
/**
 * How a site's teams are edited (PATCH /api/admin/sites/:id `teams`): the whole list. An entry with an `id`
 * keeps (and may rename) that team; one without is new; a team left out is deleted (its waiting chats go
 * back to the whole site's queue, its operators keep their other teams).
 */
export const TeamInput = T.Object(
  { id: T.Optional(Id), name: T.String({ minLength: 1, maxLength: 60 }) },
  { additionalProperties: T.Never() },
);
export type TeamInput = Static<typeof TeamInput>;

/** Languages the widget ships texts for (widget/src/chat/i18n.ts). */
export const WIDGET_LANGS = ['en', 'cs', 'ru'] as const;
export type WidgetLang = (typeof WIDGET_LANGS)[number];
const WidgetLang = T.Union(WIDGET_LANGS.map((l) => T.Literal(l)));

/** A site's own wording for one language; an omitted text falls back to the built-in one. */
export const SiteTexts = T.Object(
  {
    launcherText: T.Optional(T.String({ maxLength: 60 })),
    greeting: T.Optional(T.String({ maxLength: 500 })),
    offlineText: T.Optional(T.String({ maxLength: 500 })),
    prechatText: T.Optional(T.String({ maxLength: 500 })),
  },
  // Not `false`: Fastify's Ajv strips such extra keys silently; a never-schema refuses them instead.
  { additionalProperties: T.Never() },
);
export type SiteTexts = Static<typeof SiteTexts>;

/** Per-language widget texts: only known language codes are keys. */
export const SiteTextsByLang = T.Partial(
  T.Object(
    Object.fromEntries(WIDGET_LANGS.map((l) => [l, SiteTexts])) as Record<WidgetLang, typeof SiteTexts>,
    {
      additionalProperties: T.Never(),
    },
  ),
);
export type SiteTextsByLang = Static<typeof SiteTextsByLang>;

/** Site settings every operator of the site may read (GET /api/sites). */
export const SiteSettings = T.Object({
  id: Id,
  key: T.String(),
  name: T.String(),
  timezone: T.String(),
  color: T.String(),
  position: T.Union([T.Literal('left'), T.Literal('right')]),
  launcherText: T.String(),
  greeting: T.String(),
  lang: T.String(),
  businessHours: T.Union([BusinessHoursSchema, T.Null()]),
  alertAfterSeconds: T.Integer(),
  /** Queue colours: green below amberAfterSeconds, amber below alertAfterSeconds, red from then on. */
  amberAfterSeconds: T.Integer(),
  slaSeconds: T.Integer(),
  ringTimeoutSeconds: T.Integer({ description: '0 = off' }),
  autoAwayMinutes: T.Integer({ description: '0 = off' }),
  typingPreview: T.Boolean(),
  prechat: PrechatSchema,
  /** The site's teams in display order (empty: no teams, one queue for the whole site). */
  teams: T.Array(Team),
  /**
   * The site's own widget wording per language; missing texts fall back to the built-in ones. Optional in the
   * type only so clients written before it compile; the server always sends it.
   */
  texts: T.Optional(SiteTextsByLang),
});
export type SiteSettings = Static<typeof SiteSettings>;

/**
 * What administrators see and edit, for the sites in their scope only (PATCH /api/admin/sites/:id takes any
 * subset of the editable fields). The identity secret is never sent for a site outside the caller's scope.
 */
export const SiteAdmin = T.Composite([
  SiteSettings,
  T.Object({ allowedOrigins: T.Array(T.String()), identitySecret: T.String() }),
]);
export type SiteAdmin = Static<typeof SiteAdmin>;

/** Site keys: 3–40 lower-case letters, digits and dashes (they appear in embed snippets and URLs). */
export const SITE_KEY_PATTERN = /^[a-z0-9-]{3,40}$/;

export const SitePatch = T.Partial(
  T.Object({
    name: T.String({ minLength: 1, maxLength: 120 }),
    allowedOrigins: T.Array(T.String({ maxLength: 300, pattern: '^(\\*|https?://[^/\\s]+)$' }), {
      maxItems: 50,
    }),
    timezone: T.String({ minLength: 1, maxLength: 64 }),
    color: T.String({ pattern: '^#[0-9a-fA-F]{6}$' }),
    position: T.Union([T.Literal('left'), T.Literal('right')]),
    launcherText: T.String({ maxLength: 60 }),
    greeting: T.String({ maxLength: 500 }),
    lang: WidgetLang,
    texts: SiteTextsByLang,
    businessHours: T.Union([BusinessHoursSchema, T.Null()]),
    alertAfterSeconds: T.Integer({ minimum: 10, maximum: 86_400 }),
    amberAfterSeconds: T.Integer({ minimum: 5, maximum: 86_400 }),
    slaSeconds: T.Integer({ minimum: 1, maximum: 86_400 }),
    ringTimeoutSeconds: T.Integer({ minimum: 0, maximum: 3600 }),
    autoAwayMinutes: T.Integer({ minimum: 0, maximum: 1440 }),
    typingPreview: T.Boolean(),
    prechat: PrechatSchema,
    teams: T.Array(TeamInput, { maxItems: 50 }),
    /** true = generate a new identity secret (old signatures stop verifying). */
    rotateIdentitySecret: T.Boolean(),
    /** A new site key: every embed snippet with the old one stops working (the server checks it is free). */
    // The format is checked by the route (SITE_KEY_PATTERN), which says what a key may contain.
    key: T.String({ minLength: 1, maxLength: 100 }),
  }),
);
export type SitePatch = Static<typeof SitePatch>;

export const NewSiteBody = T.Intersect([
  T.Object({
    name: T.String({ minLength: 1, maxLength: 120 }),
    /** Operators who work for the new site from the start (the creating admin always does). */
    operatorIds: T.Optional(T.Array(Id, { maxItems: 500 })),
  }),
  SitePatch,
]);
export type NewSiteBody = Static<typeof NewSiteBody>;

export const OperatorAdmin = T.Object({
  id: Id,
  email: T.String(),
  name: T.String(),
  role: T.Union(ROLES.map((r) => T.Literal(r))),
  capacity: T.Integer(),
  active: T.Boolean(),
  siteIds: T.Array(Id),
  /** Teams the operator answers for (each of one of their sites); they still take chats for no team. */
  teamIds: T.Array(Id),
  /** Live status from the relay. */
  status: T.Union(OPERATOR_STATUSES.map((s) => T.Literal(s))),
  activeChats: T.Integer(),
});
export type OperatorAdmin = Static<typeof OperatorAdmin>;

export const NewOperatorBody = T.Object({
  email: T.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' }),
  name: T.String({ minLength: 1, maxLength: 120 }),
  role: T.Union(ROLES.map((r) => T.Literal(r))),
  capacity: T.Integer({ minimum: 0, maximum: 50 }),
  siteIds: T.Optional(T.Array(Id, { maxItems: 100 })),
  teamIds: T.Optional(T.Array(Id, { maxItems: 200 })),
  /** Omitted → a password is generated and returned once. */
  password: T.Optional(T.String({ minLength: 8, maxLength: 200 })),
});
export type NewOperatorBody = Static<typeof NewOperatorBody>;

export const OperatorPatch = T.Partial(
  T.Object({
    name: T.String({ minLength: 1, maxLength: 120 }),
    role: T.Union(ROLES.map((r) => T.Literal(r))),
    capacity: T.Integer({ minimum: 0, maximum: 50 }),
    active: T.Boolean(),
    siteIds: T.Array(Id, { maxItems: 100 }),
    /** Must be teams of the operator's sites (after this patch): 400 otherwise. */
    teamIds: T.Array(Id, { maxItems: 200 }),
  }),
);
export type OperatorPatch = Static<typeof OperatorPatch>;

/** `{{visitor.name}}` and `{{operator.name}}` are replaced when inserted. */
export const CannedResponse = T.Object({
  id: Id,
  shortcut: T.String(),
  text: T.String(),
  /** null = shared with the whole team (owners manage these); else the personal owner's id. */
  operatorId: T.Union([Id, T.Null()]),
  siteId: T.Union([Id, T.Null()]),
  createdAt: T.Integer(),
});
export type CannedResponse = Static<typeof CannedResponse>;

export const CannedBody = T.Object({
  shortcut: T.String({ minLength: 1, maxLength: 40, pattern: '^[\\p{L}\\p{N}_-]+$' }),
  text: T.String({ minLength: 1, maxLength: 4000 }),
  shared: T.Boolean(),
  siteId: T.Optional(T.Union([Id, T.Null()])),
});
export type CannedBody = Static<typeof CannedBody>;

export const PageView = T.Object({
  url: T.String(),
  title: T.Union([T.String(), T.Null()]),
  referrer: T.Union([T.String(), T.Null()]),
  at: T.Integer(),
});
export type PageView = Static<typeof PageView>;

/** GET /api/visitors/:id — the visitor card beside a chat. */
export const VisitorCard = T.Object({
  visitor: T.Object({
    id: Id,
    name: T.Union([T.String(), T.Null()]),
    email: T.Union([T.String(), T.Null()]),
    verified: T.Boolean(),
    userId: T.Union([T.String(), T.Null()]),
    lang: T.Union([T.String(), T.Null()]),
    userAgent: T.Union([T.String(), T.Null()]),
    timezone: T.Union([T.String(), T.Null()]),
    attributes: T.Record(T.String(), T.Union([T.String(), T.Number(), T.Boolean()])),
    createdAt: T.Integer(),
    lastSeenAt: T.Integer(),
  }),
  pages: T.Array(PageView),
  conversations: T.Array(
    T.Object({
      id: Id,
      status: T.String(),
      createdAt: T.Integer(),
      endedAt: T.Union([T.Integer(), T.Null()]),
      rating: T.Union([T.Literal('good'), T.Literal('bad'), T.Null()]),
      operatorName: T.Union([T.String(), T.Null()]),
    }),
  ),
});
export type VisitorCard = Static<typeof VisitorCard>;
