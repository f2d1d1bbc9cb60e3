import type { TranscriptQuery } from '@beseda/shared';
import { and, desc, eq, gt, inArray, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { compileSearch } from '../search-match.js';
import { transcriptFilters, trigramNeedle, VISITOR_IDS_CAP, visitorNeedle } from '../transcript-filters.js';
import {
  DEFAULT_TRANSCRIPT_LIMIT,
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

// The FTS5 table made by migration 0001, declared here only to be queried: schema.ts would have
// drizzle-kit try to create it as a plain table.
const messagesFts = sqliteTable('messages_fts', {
  rowid: integer('rowid').notNull(),
  text: text('text').notNull(),
});

/**
 * Every word becomes a quoted FTS5 prefix query (`objedn` finds `objednávka`), and words in double
 * quotes a phrase, so operators, column filters and stray quotes in the user's input are plain text; the
 * parts are ANDed (FTS5's implicit operator). Diacritics and case are folded by the tokenizer.
 */
export function ftsMatchExpression(q: string | undefined): string | null {
  const { words, phrases } = parseSearch(q);
  const quote = (t: string) => `"${t.replaceAll('"', '""')}"`;
  const word = (w: string) => {
    // unicode61 folds Latin diacritics but keeps Russian ё apart from е: a word with either matches both.
    const variants = yoVariants(w);
    return variants.length === 1 ? `${quote(w)}*` : `(${variants.map((v) => `${quote(v)}*`).join(' OR ')})`;
  };
  const parts = [...phrases.map((p) => quote(p.join(' '))), ...words.map(word)];
  // Explicit AND: FTS5's implicit one does not accept a parenthesised group after a phrase.
  return parts.length === 0 ? null : parts.join(' AND ');
}

/**
 * The query's phrases as an FTS5 expression of exact tokens (each phrase with its е/ё spellings), or null
 * without phrases: what the newest-first walk reads (transcripts.ts walkNewest). Every message matching the
 * whole query matches this, so the walk's hits hold every match; the walk tests each conversation whole.
 */
export function phraseNarrowing(q: string | undefined): string | null {
  const { phrases } = parseSearch(q);
  if (phrases.length === 0) return null;
  const quote = (t: string) => `"${t.replaceAll('"', '""')}"`;
  return phrases.map((p) => `(${yoVariants(p.join(' ')).map(quote).join(' OR ')})`).join(' AND ');
}

const SAMPLE = 2_000;

/**
 * The word of a query of several that is rarest among the newest SAMPLE messages, as an FTS5 expression
 * (null for fewer than two words). Any message matching the query holds it, so it narrows as well as all
 * of them, and reading one rare prefix is cheaper than merging every word's lists.
 */
function rarestWord(db: BetterSQLite3Database, q: string | undefined): string | null {
  const { words } = parseSearch(q);
  if (words.length < 2) return null;
  let best: { word: string; n: number } | null = null;
  for (const word of words) {
    const n =
      db.get<{ n: number }>(sql`select count(*) as n from (select text from messages order by id desc
        limit ${SAMPLE}) where search_match(text, ${word})`)?.n ?? 0;
    if (best === null || n < best.n) best = { word, n };
  }
  return best ? ftsMatchExpression(best.word) : null;
}

/** Every spelling of a word with its е/ё letters swapped, up to 16 (people often type е for ё). */
function yoVariants(w: string): string[] {
  let out = [''];
  for (const ch of w) {
    const lower = ch.toLowerCase();
    const alts = lower === 'е' || lower === 'ё' ? ['е', 'ё'] : [ch];
    out = out.length * alts.length > 16 ? out.map((o) => o + ch) : out.flatMap((o) => alts.map((a) => o + a));
  }
  return out;
}

/**
 * The conversations whose visitor the needle can match, from the trigram index of migration 0007 (a phrase
 * of trigrams is a substring; the rows hold the lowered columns the exact filter compares, so the index is
 * exact and the filter's own test only confirms): `none` when there are none, undefined when the needle is
 * too short for trigrams or common enough for the newest-first walk (more than VISITOR_IDS_CAP).
 */
function visitorCandidates(db: BetterSQLite3Database, query: TranscriptQuery): SQL | 'none' | undefined {
  const needle = visitorNeedle(query);
  if (needle === null || !trigramNeedle(needle)) return undefined;
  const ids = db
    .all<{ id: string }>(sql`select r.conversation_id as id from visitor_search s
      join visitor_search_rows r on r.id = s.rowid
      where visitor_search match ${`"${needle.replaceAll('"', '""')}"`} limit ${VISITOR_IDS_CAP + 1}`)
    .map((r) => r.id);
  if (ids.length === 0) return 'none';
  if (ids.length > VISITOR_IDS_CAP) return undefined;
  return sql`${conversations.id} in (select value from json_each(${JSON.stringify(ids)}))`;
}

// SQLite's lower() folds ASCII only; `casefold` is registered on the connection with JS toLowerCase.
const folded = (column: SQLWrapper) => sql`casefold(${column})`;

export async function searchSqliteTranscripts(
  db: BetterSQLite3Database,
  query: TranscriptQuery & { siteIds: string[] },
  plan: SearchPlan = 'auto',
): Promise<TranscriptListRows> {
  const limit = query.limit ?? DEFAULT_TRANSCRIPT_LIMIT;
  if (query.siteIds.length === 0) return { items: [], nextBefore: null };
  const hasText = query.q !== undefined && query.q.trim() !== '';
  const match = ftsMatchExpression(query.q);
  const matcher = compileSearch(query.q);
  // Text was asked for but none of it can be indexed: nothing can match.
  if (hasText && (match === null || matcher === null)) return { items: [], nextBefore: null };

  const narrowed = visitorCandidates(db, query);
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
      lower: folded,
      contains: (lowered, needle) => sql`instr(${lowered}, ${needle}) > 0`,
    },
    narrowed,
  );
  const order = [desc(conversations.createdAt), desc(conversations.id)];
  const selection = {
    conversation: conversationColumns,
    // Qualified by hand: in a one-table select drizzle writes a bare "id", which inside this subquery
    // would be the message's id (a scan of every message per row).
    firstVisitorText: sql<string | null>`(select m.text from messages m
      where m.conversation_id = "conversations"."id" and m.author = 'visitor' order by m.seq limit 1)`,
  };

  // Phrases alone where there are some (exact tokens); else the rarest word: every word is a prefix whose
  // index lists FTS5 merges on every read (6 ms for `заказ*` at 1M messages, 0.4 ms for `ёлка*`), so that
  // walk waits for the first window to say the words are rare together.
  const phrases = phraseNarrowing(query.q);
  let narrowing = phrases ?? match;
  let rarest = phrases !== null;
  const walkExpression = () => {
    if (!rarest) narrowing = rarestWord(db, query.q) ?? narrowing;
    rarest = true;
    return narrowing;
  };
  const steps: TextSearchSteps = {
    async candidates(bound, k, after) {
      return db
        .select({ id: conversations.id, createdAt: conversations.createdAt })
        .from(conversations)
        .leftJoin(visitors, eq(visitors.id, conversations.visitorId))
        .where(and(...filters, boundFilter(bound), olderThan(after)))
        .orderBy(...order)
        .limit(k)
        .all();
    },
    async matching(ids) {
      if (ids.length === 0) return new Set();
      // search_match (registered on the connection) is search-match.ts on each message's text; the
      // conversation's messages come from the (conversation_id, seq) index, stopping at the first match.
      const rows = db.all<{ id: string }>(sql`select value as id from json_each(${JSON.stringify(ids)})
        where exists (select 1 from messages m where m.conversation_id = value and search_match(m.text, ${query.q ?? ''}))`);
      return new Set(rows.map((r) => r.id));
    },
    walk:
      narrowing === null
        ? undefined
        : {
            cheap: phrases !== null,
            steps: (bound) => ({
              async hits(below, n) {
                const ids = db
                  .all<{ id: number }>(sql`select rowid as id from messages_fts
            where messages_fts match ${walkExpression()} and rowid < ${below} order by rowid desc limit ${n}`)
                  .map((r) => r.id);
                if (ids.length === 0) return [];
                const owners = new Map(
                  db
                    .all<{
                      id: number;
                      conversationId: string;
                    }>(sql`select id, conversation_id as conversationId
              from messages where id in (select value from json_each(${JSON.stringify(ids)}))`)
                    .map((r) => [r.id, r.conversationId]),
                );
                return ids.map((id) => ({ id, conversationId: owners.get(id) ?? '' }));
              },
              async admit(ids) {
                if (ids.length === 0) return [];
                return db
                  .select({ id: conversations.id, createdAt: conversations.createdAt })
                  .from(conversations)
                  .leftJoin(visitors, eq(visitors.id, conversations.visitorId))
                  .where(
                    and(
                      sql`${conversations.id} in (select value from json_each(${JSON.stringify(ids)}))`,
                      ...filters,
                      boundFilter(bound),
                    ),
                  )
                  .all();
              },
              matching: (ids) => steps.matching(ids),
              async stragglers(than, below) {
                return db
                  .select({ id: conversations.id, createdAt: conversations.createdAt })
                  .from(conversations)
                  .leftJoin(visitors, eq(visitors.id, conversations.visitorId))
                  .where(
                    and(
                      ...filters,
                      boundFilter(bound),
                      or(
                        gt(conversations.createdAt, than.createdAt),
                        and(eq(conversations.createdAt, than.createdAt), gt(conversations.id, than.id)),
                      ),
                      // A conversation's first message has its smallest id: seqs are given in the order messages
                      // are inserted, and a new rowid is above every existing one. So one probe per conversation.
                      sql`(select m.id from messages m where m.conversation_id = "conversations"."id" and m.seq = 1) < ${below}`,
                    ),
                  )
                  .all();
              },
            }),
          },
    async viaIndex(bound, k) {
      const hits = db
        .selectDistinct({ id: messages.conversationId })
        .from(messagesFts)
        .innerJoin(messages, eq(messages.id, messagesFts.rowid))
        .where(sql`messages_fts match ${match}`)
        .as('hits');
      // CROSS JOIN makes SQLite start from the few matching conversations rather than walk all of the
      // site's conversations in time order.
      return db
        .select({ id: conversations.id })
        .from(hits)
        .crossJoin(conversations)
        .leftJoin(visitors, eq(visitors.id, conversations.visitorId))
        .where(and(eq(conversations.id, hits.id), ...filters, boundFilter(bound)))
        .orderBy(...order)
        .limit(k)
        .all()
        .map((r) => r.id);
    },
  };

  const fetch = async (bound: PageBound): Promise<TranscriptRow[]> => {
    if (!matcher) {
      const base = db
        .select(selection)
        .from(conversations)
        .leftJoin(visitors, eq(visitors.id, conversations.visitorId))
        .where(and(...filters, boundFilter(bound)))
        .orderBy(...order)
        .$dynamic();
      return withSnippets('at' in bound ? base.all() : base.limit(bound.limit).all(), null, []);
    }
    const ids = await newestMatching(steps, bound, plan);
    if (ids.length === 0) return [];
    const rows = db
      .select(selection)
      .from(conversations)
      .where(inArray(conversations.id, ids))
      .orderBy(...order)
      .all();
    const texts = db
      .select({ conversationId: messages.conversationId, text: messages.text })
      .from(messages)
      .where(inArray(messages.conversationId, ids))
      .orderBy(messages.conversationId, messages.seq)
      .all();
    return withSnippets(rows, matcher, texts);
  };

  return pageByCreatedAt(fetch, query.before, limit);
}
