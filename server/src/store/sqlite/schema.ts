import type { ConversationStatus, MessageAuthor, OperatorStatus, Rating, Role } from '@beseda/shared';
import { getTableColumns, sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { BusinessHours, EventType, InboxStatus, Site } from '../types.js';

// Timestamps are integer milliseconds since the epoch, exactly what the Store interface carries,
// so no conversion happens on the hot path.

export const sites = sqliteTable('sites', {
  id: text('id').primaryKey(),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  allowedOrigins: text('allowed_origins', { mode: 'json' }).$type<string[]>().notNull(),
  timezone: text('timezone').notNull(),
  color: text('color').notNull(),
  position: text('position').$type<'left' | 'right'>().notNull(),
  launcherText: text('launcher_text').notNull(),
  greeting: text('greeting').notNull(),
  businessHours: text('business_hours', { mode: 'json' }).$type<BusinessHours>(),
  alertAfterSeconds: integer('alert_after_seconds').notNull(),
  slaSeconds: integer('sla_seconds').notNull(),
  identitySecret: text('identity_secret').notNull(),
  // The store always writes every field; the defaults only fill rows that predate the column.
  lang: text('lang').notNull().default('en'),
  amberAfterSeconds: integer('amber_after_seconds').notNull().default(60),
  ringTimeoutSeconds: integer('ring_timeout_seconds').notNull().default(0),
  autoAwayMinutes: integer('auto_away_minutes').notNull().default(10),
  typingPreview: integer('typing_preview', { mode: 'boolean' }).notNull().default(false),
  prechat: text('prechat', { mode: 'json' })
    .$type<Site['prechat']>()
    .notNull()
    .default({ enabled: false, requireEmail: false, topics: [] }),
  texts: text('texts', { mode: 'json' }).$type<Site['texts']>().notNull().default({}),
  teams: text('teams', { mode: 'json' }).$type<Site['teams']>().notNull().default([]),
  createdAt: integer('created_at').notNull(),
});

export const operators = sqliteTable(
  'operators',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    passwordHash: text('password_hash').notNull(),
    capacity: integer('capacity').notNull(),
    status: text('status').$type<OperatorStatus>().notNull(),
    active: integer('active', { mode: 'boolean' }).notNull(),
    createdAt: integer('created_at').notNull(),
    // null = follow the browser's language.
    locale: text('locale'),
    // null = the owner was never asked (setup checklist).
    answersChats: integer('answers_chats', { mode: 'boolean' }),
    // Ids in the sites' `teams` lists (teams live with their site; a deleted team's id is ignored).
    teamIds: text('team_ids', { mode: 'json' }).$type<string[]>().notNull().default([]),
  },
  // Login looks operators up by the address as typed; "Ann@x.io" and "ann@x.io" are one account.
  (t) => [uniqueIndex('operators_email_lower_uq').on(sql`lower(${t.email})`)],
);

export const operatorSites = sqliteTable(
  'operator_sites',
  {
    operatorId: text('operator_id')
      .notNull()
      .references(() => operators.id, { onDelete: 'cascade' }),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.operatorId, t.siteId] }), index('operator_sites_site_idx').on(t.siteId)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    token: text('token').primaryKey(),
    operatorId: text('operator_id')
      .notNull()
      .references(() => operators.id, { onDelete: 'cascade' }),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('sessions_operator_idx').on(t.operatorId)],
);

export const visitors = sqliteTable(
  'visitors',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    name: text('name'),
    email: text('email'),
    lang: text('lang'),
    userAgent: text('user_agent'),
    userId: text('user_id'),
    verified: integer('verified', { mode: 'boolean' }).notNull().default(false),
    timezone: text('timezone'),
    attributes: text('attributes', { mode: 'json' })
      .$type<Record<string, string | number | boolean>>()
      .notNull()
      .default({}),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
  },
  (t) => [index('visitors_site_idx').on(t.siteId)],
);

export const pageViews = sqliteTable(
  'page_views',
  {
    id: integer('id').primaryKey(),
    visitorId: text('visitor_id')
      .notNull()
      .references(() => visitors.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    title: text('title'),
    referrer: text('referrer'),
    at: integer('at').notNull(),
  },
  (t) => [index('page_views_visitor_at_idx').on(t.visitorId, t.at)],
);

export const conversations = sqliteTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    teamId: text('team_id'),
    visitorId: text('visitor_id')
      .notNull()
      .references(() => visitors.id, { onDelete: 'cascade' }),
    status: text('status').$type<ConversationStatus>().notNull(),
    operatorId: text('operator_id').references(() => operators.id, { onDelete: 'set null' }),
    createdAt: integer('created_at').notNull(),
    enqueuedAt: integer('enqueued_at'),
    assignedAt: integer('assigned_at'),
    endedAt: integer('ended_at'),
    // Equals the number of stored messages, since seqs start at 1 without gaps.
    lastSeq: integer('last_seq').notNull().default(0),
    // The seq of the latest non-note message: the visitor's chain of `prev` links skips notes. Bumped in
    // the same statement or transaction as last_seq.
    lastPublicSeq: integer('last_public_seq').notNull().default(0),
    // Fencing token of routing writes (Store.commit): a stale node's decision can never overwrite a newer one.
    routingRev: integer('routing_rev').notNull().default(0),
    rating: text('rating').$type<Rating>(),
    ratingComment: text('rating_comment'),
    visitorName: text('visitor_name'),
    visitorEmail: text('visitor_email'),
    // The conversation's own copy, read with it; conversation_tags indexes the same tags by site.
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default([]),
  },
  (t) => [
    index('conversations_site_created_idx').on(t.siteId, t.createdAt),
    index('conversations_visitor_idx').on(t.visitorId),
    index('conversations_operator_created_idx').on(t.operatorId, t.createdAt),
    // Open conversations are few among millions of finished ones; the relay reads them on every start.
    index('conversations_open_idx').on(t.status).where(sql`${t.status} in ('queued', 'active')`),
    // The offline inbox lists a site's offline messages and missed chats, newest first.
    index('conversations_inbox_idx')
      .on(t.siteId, t.createdAt)
      .where(sql`${t.status} in ('offline', 'missed')`),
    // One open conversation per visitor, also when several nodes race to open one.
    uniqueIndex('conversations_visitor_open_uq')
      .on(t.visitorId)
      .where(sql`${t.status} in ('queued', 'active')`),
  ],
);

/** The columns a Store `Conversation` carries: all but last_public_seq, which only the writer reads. */
const { lastPublicSeq: _lastPublicSeq, ...conversationColumns } = getTableColumns(conversations);

export { conversationColumns };

/** One row per tag of a conversation, so tag suggestions count usage per site from an index. */
export const conversationTags = sqliteTable(
  'conversation_tags',
  {
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.tag] }),
    index('conversation_tags_site_tag_idx').on(t.siteId, t.tag),
  ],
);

export const messages = sqliteTable(
  'messages',
  {
    // Integer rowid so the external-content FTS5 table (migration 0001) can point at rows.
    id: integer('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    // The seq of the conversation's previous non-note message (0 = none), fixed when the row is written.
    prevPublic: integer('prev_public').notNull().default(0),
    clientId: text('client_id'),
    author: text('author').$type<MessageAuthor>().notNull(),
    operatorId: text('operator_id').references(() => operators.id, { onDelete: 'set null' }),
    authorName: text('author_name'),
    text: text('text').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [
    uniqueIndex('messages_conversation_seq_uq').on(t.conversationId, t.seq),
    uniqueIndex('messages_conversation_client_uq')
      .on(t.conversationId, t.clientId)
      .where(sql`${t.clientId} is not null`),
  ],
);

export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey(),
    siteId: text('site_id').references(() => sites.id, { onDelete: 'cascade' }),
    conversationId: text('conversation_id').references(() => conversations.id, { onDelete: 'cascade' }),
    operatorId: text('operator_id').references(() => operators.id, { onDelete: 'set null' }),
    type: text('type').$type<EventType>().notNull(),
    at: integer('at').notNull(),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [
    index('events_site_at_idx').on(t.siteId, t.at),
    index('events_conversation_idx').on(t.conversationId),
  ],
);

export const canned = sqliteTable(
  'canned',
  {
    id: text('id').primaryKey(),
    shortcut: text('shortcut').notNull(),
    text: text('text').notNull(),
    operatorId: text('operator_id').references(() => operators.id, { onDelete: 'cascade' }),
    siteId: text('site_id').references(() => sites.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('canned_operator_idx').on(t.operatorId), index('canned_site_idx').on(t.siteId)],
);

/**
 * Status of offline messages and missed chats in the console's inbox (issue #12.7). A conversation without
 * a row is open; a row appears the first time an operator changes the status.
 */
export const inboxStates = sqliteTable(
  'inbox_states',
  {
    conversationId: text('conversation_id')
      .primaryKey()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    status: text('status').$type<InboxStatus>().notNull(),
    changedAt: integer('changed_at').notNull(),
    changedBy: text('changed_by').references(() => operators.id, { onDelete: 'set null' }),
  },
  (t) => [index('inbox_states_site_status_idx').on(t.siteId, t.status)],
);
