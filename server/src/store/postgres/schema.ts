import type { ConversationStatus, MessageAuthor, OperatorStatus, Rating, Role } from '@beseda/shared';
import { getTableColumns, sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { BusinessHours, EventType, InboxStatus, Site } from '../types.js';

// Timestamps are bigint milliseconds since the epoch, read back as JS numbers (safe far past year 275000),
// so rows map onto the Store types without conversion.
const millis = (name: string) => bigint(name, { mode: 'number' });

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
/** A 64-bit transaction id; read as text, never by the Store. */
const xid8 = customType<{ data: string }>({ dataType: () => 'xid8' });

export const sites = pgTable('sites', {
  id: text('id').primaryKey(),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  allowedOrigins: jsonb('allowed_origins').$type<string[]>().notNull(),
  timezone: text('timezone').notNull(),
  color: text('color').notNull(),
  position: text('position').$type<'left' | 'right'>().notNull(),
  launcherText: text('launcher_text').notNull(),
  greeting: text('greeting').notNull(),
  businessHours: jsonb('business_hours').$type<BusinessHours>(),
  alertAfterSeconds: integer('alert_after_seconds').notNull(),
  slaSeconds: integer('sla_seconds').notNull(),
  identitySecret: text('identity_secret').notNull(),
  lang: text('lang').notNull(),
  amberAfterSeconds: integer('amber_after_seconds').notNull(),
  ringTimeoutSeconds: integer('ring_timeout_seconds').notNull(),
  autoAwayMinutes: integer('auto_away_minutes').notNull(),
  typingPreview: boolean('typing_preview').notNull(),
  prechat: jsonb('prechat').$type<Site['prechat']>().notNull(),
  texts: jsonb('texts').$type<Site['texts']>().notNull().default({}),
  teams: jsonb('teams').$type<Site['teams']>().notNull().default([]),
  createdAt: millis('created_at').notNull(),
});

export const operators = pgTable(
  'operators',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    passwordHash: text('password_hash').notNull(),
    capacity: integer('capacity').notNull(),
    status: text('status').$type<OperatorStatus>().notNull(),
    active: boolean('active').notNull(),
    createdAt: millis('created_at').notNull(),
    // null = follow the browser's language.
    locale: text('locale'),
    // null = the owner was never asked (setup checklist).
    answersChats: boolean('answers_chats'),
    // Ids in the sites' `teams` lists (teams live with their site; a deleted team's id is ignored).
    teamIds: jsonb('team_ids').$type<string[]>().notNull().default([]),
  },
  // Login looks operators up by the address as typed; "Ann@x.io" and "ann@x.io" are one account.
  (t) => [uniqueIndex('operators_email_lower_uq').on(sql`lower(${t.email})`)],
);

export const operatorSites = pgTable(
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

export const sessions = pgTable(
  'sessions',
  {
    token: text('token').primaryKey(),
    operatorId: text('operator_id')
      .notNull()
      .references(() => operators.id, { onDelete: 'cascade' }),
    expiresAt: millis('expires_at').notNull(),
  },
  (t) => [index('sessions_operator_idx').on(t.operatorId)],
);

export const visitors = pgTable(
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
    verified: boolean('verified').notNull(),
    timezone: text('timezone'),
    attributes: jsonb('attributes').$type<Record<string, string | number | boolean>>().notNull(),
    createdAt: millis('created_at').notNull(),
    lastSeenAt: millis('last_seen_at').notNull(),
  },
  (t) => [index('visitors_site_idx').on(t.siteId)],
);

export const pageViews = pgTable(
  'page_views',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    visitorId: text('visitor_id')
      .notNull()
      .references(() => visitors.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    title: text('title'),
    referrer: text('referrer'),
    at: millis('at').notNull(),
  },
  (t) => [index('page_views_visitor_at_idx').on(t.visitorId, t.at)],
);

export const conversations = pgTable(
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
    createdAt: millis('created_at').notNull(),
    enqueuedAt: millis('enqueued_at'),
    assignedAt: millis('assigned_at'),
    endedAt: millis('ended_at'),
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
    tags: jsonb('tags').$type<string[]>().notNull(),
  },
  (t) => [
    index('conversations_site_created_idx').on(t.siteId, t.createdAt),
    index('conversations_visitor_idx').on(t.visitorId),
    index('conversations_operator_created_idx').on(t.operatorId, t.createdAt),
    // Open conversations are few among millions of finished ones; every node reads them on start.
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
export const conversationTags = pgTable(
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

export const messages = pgTable(
  'messages',
  {
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
    at: millis('at').notNull(),
    // 'simple': no language-specific stemming or stop words, since one site's visitors write in any language.
    // Lower case and without diacritics (translate is immutable, unlike unaccent), so `zasilka` finds
    // `zásilka`; queries fold the same way (transcripts.ts foldForSearch). Null until the deferred indexer
    // (postgres-search-index.ts) fills it after the commit: appends do not pay for the vector.
    textSearch: tsvector('text_search'),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.seq] }),
    uniqueIndex('messages_conversation_client_uq')
      .on(t.conversationId, t.clientId)
      .where(sql`${t.clientId} is not null`),
    index('messages_text_search_idx').using('gin', t.textSearch),
    // The indexer's queue: only the few rows not yet indexed are in it.
    index('messages_unindexed_idx').on(t.conversationId, t.seq).where(sql`${t.textSearch} is null`),
  ],
);

export const events = pgTable(
  'events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    siteId: text('site_id').references(() => sites.id, { onDelete: 'cascade' }),
    conversationId: text('conversation_id').references(() => conversations.id, { onDelete: 'cascade' }),
    operatorId: text('operator_id').references(() => operators.id, { onDelete: 'set null' }),
    type: text('type').$type<EventType>().notNull(),
    at: millis('at').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
    // The writing transaction. Ids are taken before commit, so a lower id can commit later; the metrics
    // fold reads events in (xact, id) order below the oldest running transaction, which never skips one.
    xact: xid8('xact').notNull().default(sql`pg_current_xact_id()`),
  },
  (t) => [
    index('events_site_at_idx').on(t.siteId, t.at),
    index('events_conversation_idx').on(t.conversationId),
    index('events_xact_idx').on(t.xact, t.id),
  ],
);

/** The columns a Store `ChatEventRecord` carries. */
const { xact: _xact, ...eventColumns } = getTableColumns(events);

export { eventColumns };

export const canned = pgTable(
  'canned',
  {
    id: text('id').primaryKey(),
    shortcut: text('shortcut').notNull(),
    text: text('text').notNull(),
    operatorId: text('operator_id').references(() => operators.id, { onDelete: 'cascade' }),
    siteId: text('site_id').references(() => sites.id, { onDelete: 'cascade' }),
    createdAt: millis('created_at').notNull(),
  },
  (t) => [index('canned_operator_idx').on(t.operatorId), index('canned_site_idx').on(t.siteId)],
);

/**
 * Status of offline messages and missed chats in the console's inbox (issue #12.7). A conversation without
 * a row is open; a row appears the first time an operator changes the status.
 */
export const inboxStates = pgTable(
  'inbox_states',
  {
    conversationId: text('conversation_id')
      .primaryKey()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    status: text('status').$type<InboxStatus>().notNull(),
    changedAt: millis('changed_at').notNull(),
    changedBy: text('changed_by').references(() => operators.id, { onDelete: 'set null' }),
  },
  (t) => [index('inbox_states_site_status_idx').on(t.siteId, t.status)],
);
