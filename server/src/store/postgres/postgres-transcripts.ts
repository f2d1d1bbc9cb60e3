import type { TranscriptQuery } from '@beseda/shared';
import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { compileSearch } from '../search-match.js';
import { transcriptFilters, trigramNeedle, VISITOR_IDS_CAP, visitorNeedle } from '../transcript-filters.js';
import {
  DEFAULT_TRANSCRIPT_LIMIT,
  foldForSearch,
  newestMatching,
  type PageBound,
  pageByCreatedAt,
  parseSearch,
  type SearchPlan,
  type TextSearchSteps,
  type TranscriptRow,
  withSnippets,
} from '../transcripts.js';
import type { TranscriptListRows } from '../types.js';
import { conversationColumns, conversations, conversationTags, messages, visitors } from './schema.js';

/**
 * The conversations whose visitor the needle can match, through the pg_trgm index of migration 0006 over
 * each conversation's lowered identity (LIKE with the needle's own '%', '_' and '\\' escaped): `none` when
 * there are none, undefined when the needle is too short for trigrams or common enough for the newest-first
 * walk (more than VISITOR_IDS_CAP). The row holds every column the exact filter compares, so a match of
 * the filter is always among these.
 */
async function visitorCandidates(
  db: PostgresJsDatabase,
  query: TranscriptQuery & { siteIds: string[] },
): Promise<SQL | 'none' | undefined> {
  const needle = visitorNeedle(query);
  if (needle === null || !trigramNeedle(needle)) return undefined;
  const pattern = `%${needle.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const rows = await db.execute<{ id: string }>(sql`select conversation_id as id from visitor_search
    where ident like ${pattern} and site_id = any(${pgTextArray(query.siteIds)}::text[])
    limit ${VISITOR_IDS_CAP + 1}`);
  if (rows.length === 0) return 'none';
  if (rows.length > VISITOR_IDS_CAP) return undefined;
  return sql`${conversations.id} = any(${pgTextArray(rows.map((r) => r.id))}::text[])`;
}

/** A text[] literal: postgres-js sends it as one parameter. */
const pgTextArray = (values: string[]) => `{${values.map((v) => JSON.stringify(v)).join(',')}}`;

export async function searchPostgresTranscripts(
  db: PostgresJsDatabase,
  query: TranscriptQuery & { siteIds: string[] },
  plan: SearchPlan = 'auto',
): Promise<TranscriptListRows> {
  const limit = query.limit ?? DEFAULT_TRANSCRIPT_LIMIT;
  if (query.siteIds.length === 0) return { items: [], nextBefore: null };
  const hasText = query.q !== undefined && query.q.trim() !== '';
  // Same parse as the SQLite store, folded like the index: words match as prefixes (`objedn:*`), quoted
  // phrases as phrases. The words go through to_tsvector, so their punctuation never reaches tsquery syntax.
  const { words, phrases } = parseSearch(query.q);
  if (hasText && words.length === 0 && phrases.length === 0) return { items: [], nextBefore: null };
  const parts: SQL[] = phrases.map(
    (p) => sql`phraseto_tsquery('simple'::regconfig, ${foldForSearch(p.join(' '))})`,
  );
  if (words.length > 0)
    parts.push(sql`to_tsquery('simple'::regconfig, (select coalesce(string_agg(quote_literal(w) || ':*', ' & '), '')
      from unnest(tsvector_to_array(to_tsvector('simple'::regconfig, ${foldForSearch(words.join(' '))}))) as w))`);
  const tsQuery = parts.length === 0 ? null : sql`(${sql.join(parts, sql` && `)})`;
  // The query is built once and then passed as a value: as an expression inside the searches the planner
  // cannot see which terms it holds, and guessed plans that read whole posting lists.
  let compiledQuery: Promise<string | null> | undefined;
  const compiled = () => {
    compiledQuery ??= tsQuery
      ? db.execute<{ q: string }>(sql`select ${tsQuery}::text as q`).then((r) => r[0]?.q ?? null)
      : Promise.resolve(null);
    return compiledQuery;
  };
  // Snippets are cut in JavaScript, as on SQLite (search-match.ts).
  const matcher = tsQuery ? compileSearch(query.q) : null;

  const narrowed = await visitorCandidates(db, query);
  if (narrowed === 'none') return { items: [], nextBefore: null };
  const {
    filters,
    bound: boundFilter,
    olderThan,
  } = transcriptFilters(
    query,
    {
      conversations,
      visitors,
      conversationTags,
      lower: (column) => sql`lower(${column})`,
      // strpos, not LIKE: '%' and '_' typed by the user are literal characters.
      contains: (lowered, needle) => sql`strpos(${lowered}, ${needle}) > 0`,
    },
    narrowed,
  );
  const order = [desc(conversations.createdAt), desc(conversations.id)];
  const selection = {
    conversation: conversationColumns,
    firstVisitorText: sql<string | null>`(select m.text from ${messages} m
      where m.conversation_id = ${conversations.id} and m.author = 'visitor' order by m.seq limit 1)`,
  };
  const candidates = (bound: PageBound, extra?: SQL) =>
    db
      .select({ id: conversations.id, createdAt: conversations.createdAt })
      .from(conversations)
      .leftJoin(visitors, eq(visitors.id, conversations.visitorId))
      .where(and(...filters, boundFilter(bound), extra))
      .orderBy(...order);

  const steps: TextSearchSteps = {
    async candidates(bound, k, after) {
      return candidates(bound, olderThan(after)).limit(k);
    },
    async matching(ids) {
      const q = await compiled();
      if (ids.length === 0 || q === null) return new Set();
      // Each conversation's messages through the primary key, testing the stored vectors, stopping at the
      // first match. coalesce() keeps the GIN index out of it: with a common term it would read the term's
      // whole posting list. LATERAL … LIMIT 1, not EXISTS: the planner turned EXISTS over a window of 4,000
      // into a hash semi-join fed by a parallel scan of every message (0.7–1 s at 1M messages).
      const rows = await db.execute<{
        id: string;
      }>(sql`select x.id from unnest(${pgTextArray(ids)}::text[]) as x(id)
        cross join lateral (select 1 from ${messages} m
          where m.conversation_id = x.id and coalesce(m.text_search, ''::tsvector) @@ ${q}::tsquery limit 1) hit`);
      return new Set(rows.map((r) => r.id));
    },
    async viaIndex(bound, k) {
      const q = await compiled();
      if (q === null) return [];
      // The term is rare among the newest conversations: its messages first (GIN), then each one's
      // conversation by primary key (LATERAL), never a walk over all conversations joined by hash.
      const rows = await db.execute<{ id: string }>(sql`with hits as materialized (
          select distinct m.conversation_id as id from ${messages} m where m.text_search @@ ${q}::tsquery)
        select c.id from hits cross join lateral (
          select ${conversations.id} as id, ${conversations.createdAt} as created_at from ${conversations}
            left join ${visitors} on ${visitors.id} = ${conversations.visitorId}
          where ${conversations.id} = hits.id and ${and(...filters, boundFilter(bound))}
          -- One row per id anyway; the LIMIT keeps the planner from flattening this into a hash join.
          limit 1) c
        order by c.created_at desc, c.id desc
        limit ${k}`);
      return rows.map((r) => r.id);
    },
  };

  const fetch = async (bound: PageBound): Promise<TranscriptRow[]> => {
    if (!matcher) {
      const base = db
        .select(selection)
        .from(conversations)
        .leftJoin(visitors, eq(visitors.id, conversations.visitorId))
        .where(and(...filters, boundFilter(bound)))
        .orderBy(...order);
      return withSnippets('at' in bound ? await base : await base.limit(bound.limit), null, []);
    }
    const ids = await newestMatching(steps, bound, plan);
    if (ids.length === 0) return [];
    const [rows, texts] = await Promise.all([
      db
        .select(selection)
        .from(conversations)
        .where(inArray(conversations.id, ids))
        .orderBy(...order),
      db
        .select({ conversationId: messages.conversationId, text: messages.text })
        .from(messages)
        .where(inArray(messages.conversationId, ids))
        .orderBy(messages.conversationId, messages.seq),
    ]);
    return withSnippets(rows, matcher, texts);
  };

  return pageByCreatedAt(fetch, query.before, limit);
}
