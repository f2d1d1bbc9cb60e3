import { sql } from 'drizzle-orm';
import { getTableConfig, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Derived dashboard tables in the SQLite store's database file. Everything here is rebuildable from the
 * `events` (and `messages`) tables, so the tables are created with CREATE TABLE IF NOT EXISTS when the
 * metrics layer opens (METRICS_DDL below) instead of through the store's drizzle-kit migrations; a change
 * of METRICS_SCHEMA_VERSION drops and rebuilds them. The drizzle definitions describe the same tables for
 * typed access and are checked against the DDL by sqlite-schema.test.ts.
 *
 * Time columns are ms since the epoch; `day` is a local day number (days since 1970-01-01 of the local
 * date in the site's timezone, see tz.ts); `operator_id` '' = no operator, '*' = whole team.
 */

/**
 * 2: teams (issue #12.8): chat_facts.team_id, team rows in the rollups (`team_id` '' = the whole site),
 * metric_values.team_id, team_intervals.
 */
export const METRICS_SCHEMA_VERSION = 2;

/** Key/value state: `schema_version`, `cursor` (id of the last event folded in). */
export const metricsMeta = sqliteTable('metrics_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** The timezone each site's facts were placed in; a change triggers re-placement. */
export const metricsSites = sqliteTable('metrics_sites', {
  siteId: text('site_id').primaryKey(),
  timezone: text('timezone').notNull(),
});

/** One row per conversation (facts.ts ChatFact). */
export const chatFacts = sqliteTable(
  'chat_facts',
  {
    conversationId: text('conversation_id').primaryKey(),
    siteId: text('site_id').notNull(),
    /** The team the chat was last routed to (facts.ts ChatFact.teamId); null = the whole site. */
    teamId: text('team_id'),
    createdAt: integer('created_at').notNull(),
    day: integer('day').notNull(),
    hour: integer('hour').notNull(),
    weekday: integer('weekday').notNull(),
    status: text('status').notNull(),
    enqueuedAt: integer('enqueued_at'),
    assignedAt: integer('assigned_at'),
    firstOperatorId: text('first_operator_id'),
    operatorId: text('operator_id'),
    waitMs: integer('wait_ms'),
    firstReplyAt: integer('first_reply_at'),
    firstReplyOperatorId: text('first_reply_operator_id'),
    frtMs: integer('frt_ms'),
    endedAt: integer('ended_at'),
    endedBy: text('ended_by'),
    handlingMs: integer('handling_ms'),
    missed: integer('missed').notNull(),
    rating: text('rating'),
    ratingComment: text('rating_comment'),
    ratedAt: integer('rated_at'),
    transfers: integer('transfers').notNull(),
    /** JSON string[] */
    tags: text('tags').notNull(),
    /** JSON [operatorId | null, ms][] */
    responses: text('responses').notNull(),
  },
  (t) => [
    index('chat_facts_site_created_idx').on(t.siteId, t.createdAt, t.conversationId),
    index('chat_facts_comments_idx').on(t.siteId, t.createdAt).where(sql`${t.ratingComment} is not null`),
    // A team's chats export and its comments.
    index('chat_facts_team_idx')
      .on(t.siteId, t.teamId, t.createdAt, t.conversationId)
      .where(sql`${t.teamId} is not null`),
    index('chat_facts_team_comments_idx')
      .on(t.siteId, t.teamId, t.createdAt)
      .where(sql`${t.ratingComment} is not null and ${t.teamId} is not null`),
  ],
);

/** Every duration value (wait, frt, resp) with its bucket, for exact percentiles by rank. */
export const metricValues = sqliteTable(
  'metric_values',
  {
    conversationId: text('conversation_id').notNull(),
    siteId: text('site_id').notNull(),
    /** The chat's team (null = none). */
    teamId: text('team_id'),
    metric: text('metric').notNull(),
    operatorId: text('operator_id').notNull(),
    bucket: integer('bucket').notNull(),
    day: integer('day').notNull(),
    value: integer('value').notNull(),
  },
  (t) => [
    // Team drills: one team's bucket in value order.
    index('metric_values_team_idx')
      .on(t.siteId, t.teamId, t.metric, t.bucket, t.value, t.day, t.operatorId)
      .where(sql`${t.teamId} is not null`),
    // Team drills: one bucket's values in value order, so LIMIT/OFFSET needs no sort.
    index('metric_values_rank_idx').on(t.siteId, t.metric, t.bucket, t.value, t.day, t.operatorId),
    // Per-operator drills: one operator's bucket, a few rows to sort.
    index('metric_values_lookup_idx').on(t.siteId, t.metric, t.operatorId, t.bucket, t.day, t.value),
    index('metric_values_conversation_idx').on(t.conversationId),
  ],
);

const counters = {
  started: integer('started').notNull().default(0),
  offline: integer('offline').notNull().default(0),
  assigned: integer('assigned').notNull().default(0),
  missed: integer('missed').notNull().default(0),
  ended: integer('ended').notNull().default(0),
  handled: integer('handled').notNull().default(0),
  handlingMs: integer('handling_ms').notNull().default(0),
  waitCount: integer('wait_count').notNull().default(0),
  waitMs: integer('wait_ms').notNull().default(0),
  frtCount: integer('frt_count').notNull().default(0),
  frtMs: integer('frt_ms').notNull().default(0),
  respCount: integer('resp_count').notNull().default(0),
  respMs: integer('resp_ms').notNull().default(0),
  good: integer('good').notNull().default(0),
  bad: integer('bad').notNull().default(0),
  transfers: integer('transfers').notNull().default(0),
};

/**
 * Additive counters per site × team × day block (levels: 1, 8, 64, 512 days) × attributed operator.
 * `team_id` '' = every chat of the site; a team's chats are also counted again under their team.
 */
export const chatRollup = sqliteTable(
  'chat_rollup',
  {
    siteId: text('site_id').notNull(),
    teamId: text('team_id').notNull().default(''),
    level: integer('level').notNull(),
    block: integer('block').notNull(),
    operatorId: text('operator_id').notNull(),
    ...counters,
  },
  (t) => [primaryKey({ columns: [t.siteId, t.teamId, t.level, t.block, t.operatorId] })],
);

/** Value counts per bucket, per site × team ('' = all) × metric × operator (and '*') × day block. */
export const metricHist = sqliteTable(
  'metric_hist',
  {
    siteId: text('site_id').notNull(),
    teamId: text('team_id').notNull().default(''),
    metric: text('metric').notNull(),
    operatorId: text('operator_id').notNull(),
    level: integer('level').notNull(),
    block: integer('block').notNull(),
    bucket: integer('bucket').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.teamId, t.metric, t.operatorId, t.level, t.block, t.bucket] })],
);

/** Chats started per site × team ('' = all) × operator (and '*') × day block × weekday × local hour. */
export const volumeRollup = sqliteTable(
  'volume_rollup',
  {
    siteId: text('site_id').notNull(),
    teamId: text('team_id').notNull().default(''),
    operatorId: text('operator_id').notNull(),
    level: integer('level').notNull(),
    block: integer('block').notNull(),
    weekday: integer('weekday').notNull(),
    hour: integer('hour').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.teamId, t.operatorId, t.level, t.block, t.weekday, t.hour] })],
);

/** Online stretches per operator and site, from operator_status events; to_ms null = still online. */
export const operatorIntervals = sqliteTable(
  'operator_intervals',
  {
    id: integer('id').primaryKey(),
    operatorId: text('operator_id').notNull(),
    siteId: text('site_id').notNull(),
    fromMs: integer('from_ms').notNull(),
    toMs: integer('to_ms'),
  },
  (t) => [
    // Covering: the coverage query reads intervals ending after the range start without table lookups.
    index('operator_intervals_site_to_idx').on(t.siteId, t.toMs, t.fromMs, t.operatorId),
    index('operator_intervals_open_idx').on(t.operatorId).where(sql`${t.toMs} is null`),
  ],
);

/**
 * Online stretches per operator and team (issue #12.8), from operator_status events' `data.teamIds`. Team
 * ids are unique across sites, so no site column: a deleted team's rows are never asked for again.
 */
export const teamIntervals = sqliteTable(
  'team_intervals',
  {
    id: integer('id').primaryKey(),
    operatorId: text('operator_id').notNull(),
    teamId: text('team_id').notNull(),
    fromMs: integer('from_ms').notNull(),
    toMs: integer('to_ms'),
  },
  (t) => [
    index('team_intervals_team_to_idx').on(t.teamId, t.toMs, t.fromMs, t.operatorId),
    index('team_intervals_open_idx').on(t.operatorId).where(sql`${t.toMs} is null`),
  ],
);

const KEY_COLUMNS = new Set(['site_id', 'team_id', 'level', 'block', 'operator_id']);

/** Column names of the additive counters, in ChatTotals order (facts.ts TOTAL_KEYS). */
export const COUNTER_COLUMNS = getTableConfig(chatRollup)
  .columns.map((c) => c.name)
  .filter((n) => !KEY_COLUMNS.has(n));

const COUNTER_DDL = COUNTER_COLUMNS.map((c) => `\t\`${c}\` integer DEFAULT 0 NOT NULL`).join(',\n');

/**
 * The migration, as SQL. Site deletion cascades to everything; conversation deletion cascades to facts and
 * values (rollups then need `rebuild()`); operators have no foreign key, since coverage history outlives
 * an operator account.
 */
export const METRICS_DDL = `
CREATE TABLE IF NOT EXISTS \`metrics_meta\` (
\t\`key\` text PRIMARY KEY NOT NULL,
\t\`value\` text NOT NULL
);
CREATE TABLE IF NOT EXISTS \`metrics_sites\` (
\t\`site_id\` text PRIMARY KEY NOT NULL,
\t\`timezone\` text NOT NULL,
\tFOREIGN KEY (\`site_id\`) REFERENCES \`sites\`(\`id\`) ON DELETE cascade
);
CREATE TABLE IF NOT EXISTS \`chat_facts\` (
\t\`conversation_id\` text PRIMARY KEY NOT NULL,
\t\`site_id\` text NOT NULL,
\t\`team_id\` text,
\t\`created_at\` integer NOT NULL,
\t\`day\` integer NOT NULL,
\t\`hour\` integer NOT NULL,
\t\`weekday\` integer NOT NULL,
\t\`status\` text NOT NULL,
\t\`enqueued_at\` integer,
\t\`assigned_at\` integer,
\t\`first_operator_id\` text,
\t\`operator_id\` text,
\t\`wait_ms\` integer,
\t\`first_reply_at\` integer,
\t\`first_reply_operator_id\` text,
\t\`frt_ms\` integer,
\t\`ended_at\` integer,
\t\`ended_by\` text,
\t\`handling_ms\` integer,
\t\`missed\` integer NOT NULL,
\t\`rating\` text,
\t\`rating_comment\` text,
\t\`rated_at\` integer,
\t\`transfers\` integer NOT NULL,
\t\`tags\` text NOT NULL,
\t\`responses\` text NOT NULL,
\tFOREIGN KEY (\`conversation_id\`) REFERENCES \`conversations\`(\`id\`) ON DELETE cascade,
\tFOREIGN KEY (\`site_id\`) REFERENCES \`sites\`(\`id\`) ON DELETE cascade
);
CREATE INDEX IF NOT EXISTS \`chat_facts_site_created_idx\` ON \`chat_facts\` (\`site_id\`,\`created_at\`,\`conversation_id\`);
CREATE INDEX IF NOT EXISTS \`chat_facts_comments_idx\` ON \`chat_facts\` (\`site_id\`,\`created_at\`) WHERE "chat_facts"."rating_comment" is not null;
CREATE INDEX IF NOT EXISTS \`chat_facts_team_idx\` ON \`chat_facts\` (\`site_id\`,\`team_id\`,\`created_at\`,\`conversation_id\`) WHERE "chat_facts"."team_id" is not null;
CREATE INDEX IF NOT EXISTS \`chat_facts_team_comments_idx\` ON \`chat_facts\` (\`site_id\`,\`team_id\`,\`created_at\`) WHERE "chat_facts"."rating_comment" is not null and "chat_facts"."team_id" is not null;
CREATE TABLE IF NOT EXISTS \`metric_values\` (
\t\`conversation_id\` text NOT NULL,
\t\`site_id\` text NOT NULL,
\t\`team_id\` text,
\t\`metric\` text NOT NULL,
\t\`operator_id\` text NOT NULL,
\t\`bucket\` integer NOT NULL,
\t\`day\` integer NOT NULL,
\t\`value\` integer NOT NULL,
\tFOREIGN KEY (\`conversation_id\`) REFERENCES \`conversations\`(\`id\`) ON DELETE cascade,
\tFOREIGN KEY (\`site_id\`) REFERENCES \`sites\`(\`id\`) ON DELETE cascade
);
CREATE INDEX IF NOT EXISTS \`metric_values_rank_idx\` ON \`metric_values\` (\`site_id\`,\`metric\`,\`bucket\`,\`value\`,\`day\`,\`operator_id\`);
CREATE INDEX IF NOT EXISTS \`metric_values_lookup_idx\` ON \`metric_values\` (\`site_id\`,\`metric\`,\`operator_id\`,\`bucket\`,\`day\`,\`value\`);
CREATE INDEX IF NOT EXISTS \`metric_values_conversation_idx\` ON \`metric_values\` (\`conversation_id\`);
CREATE INDEX IF NOT EXISTS \`metric_values_team_idx\` ON \`metric_values\` (\`site_id\`,\`team_id\`,\`metric\`,\`bucket\`,\`value\`,\`day\`,\`operator_id\`) WHERE "metric_values"."team_id" is not null;
CREATE TABLE IF NOT EXISTS \`chat_rollup\` (
\t\`site_id\` text NOT NULL,
\t\`team_id\` text DEFAULT '' NOT NULL,
\t\`level\` integer NOT NULL,
\t\`block\` integer NOT NULL,
\t\`operator_id\` text NOT NULL,
${COUNTER_DDL},
\tPRIMARY KEY(\`site_id\`, \`team_id\`, \`level\`, \`block\`, \`operator_id\`),
\tFOREIGN KEY (\`site_id\`) REFERENCES \`sites\`(\`id\`) ON DELETE cascade
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS \`metric_hist\` (
\t\`site_id\` text NOT NULL,
\t\`team_id\` text DEFAULT '' NOT NULL,
\t\`metric\` text NOT NULL,
\t\`operator_id\` text NOT NULL,
\t\`level\` integer NOT NULL,
\t\`block\` integer NOT NULL,
\t\`bucket\` integer NOT NULL,
\t\`n\` integer NOT NULL,
\tPRIMARY KEY(\`site_id\`, \`team_id\`, \`metric\`, \`operator_id\`, \`level\`, \`block\`, \`bucket\`),
\tFOREIGN KEY (\`site_id\`) REFERENCES \`sites\`(\`id\`) ON DELETE cascade
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS \`volume_rollup\` (
\t\`site_id\` text NOT NULL,
\t\`team_id\` text DEFAULT '' NOT NULL,
\t\`operator_id\` text NOT NULL,
\t\`level\` integer NOT NULL,
\t\`block\` integer NOT NULL,
\t\`weekday\` integer NOT NULL,
\t\`hour\` integer NOT NULL,
\t\`n\` integer NOT NULL,
\tPRIMARY KEY(\`site_id\`, \`team_id\`, \`operator_id\`, \`level\`, \`block\`, \`weekday\`, \`hour\`),
\tFOREIGN KEY (\`site_id\`) REFERENCES \`sites\`(\`id\`) ON DELETE cascade
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS \`operator_intervals\` (
\t\`id\` integer PRIMARY KEY NOT NULL,
\t\`operator_id\` text NOT NULL,
\t\`site_id\` text NOT NULL,
\t\`from_ms\` integer NOT NULL,
\t\`to_ms\` integer,
\tFOREIGN KEY (\`site_id\`) REFERENCES \`sites\`(\`id\`) ON DELETE cascade
);
CREATE INDEX IF NOT EXISTS \`operator_intervals_site_to_idx\` ON \`operator_intervals\` (\`site_id\`,\`to_ms\`,\`from_ms\`,\`operator_id\`);
CREATE INDEX IF NOT EXISTS \`operator_intervals_open_idx\` ON \`operator_intervals\` (\`operator_id\`) WHERE "operator_intervals"."to_ms" is null;
CREATE TABLE IF NOT EXISTS \`team_intervals\` (
\t\`id\` integer PRIMARY KEY NOT NULL,
\t\`operator_id\` text NOT NULL,
\t\`team_id\` text NOT NULL,
\t\`from_ms\` integer NOT NULL,
\t\`to_ms\` integer
);
CREATE INDEX IF NOT EXISTS \`team_intervals_team_to_idx\` ON \`team_intervals\` (\`team_id\`,\`to_ms\`,\`from_ms\`,\`operator_id\`);
CREATE INDEX IF NOT EXISTS \`team_intervals_open_idx\` ON \`team_intervals\` (\`operator_id\`) WHERE "team_intervals"."to_ms" is null;
`;

/** Tables in drop order (for a schema version change). */
export const METRICS_TABLES = [
  'team_intervals',
  'operator_intervals',
  'volume_rollup',
  'metric_hist',
  'chat_rollup',
  'metric_values',
  'chat_facts',
  'metrics_sites',
  'metrics_meta',
] as const;
