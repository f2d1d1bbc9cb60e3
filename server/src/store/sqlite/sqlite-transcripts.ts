import type { TranscriptQuery } from '@beseda/shared';
import { and, desc, eq, gte, inArray, lt, lte, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import {
  DEFAULT_TRANSCRIPT_LIMIT,
  FINISHED_STATUSES,
  type PageBound,
  pageByCreatedAt,
  parseSearch,
  type TranscriptRow,
  truncateSnippet,
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
  return parts.length === 0 ? null : parts.join(' ');
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

// SQLite's lower() folds ASCII only; `casefold` is registered on the connection with JS toLowerCase.
const folded = (column: SQLWrapper) => sql`casefold(${column})`;

/** Above this many matching messages, walking conversations newest first finds a page sooner. */
const RARE_TERM_HITS = 10_000;

/**
 * Newest-first text search has two good plans and each is bad where the other shines. A rare term
 * matches few messages: collect their conversations, then sort. A common term matches most of them:
 * walk the conversations newest first and test each until the page is full. Counting up to the
 * threshold is cheap and decides; both plans return the same rows.
 */
function chooseTextPlan(
  db: BetterSQLite3Database,
  match: string,
  rareTermHits: number,
): 'none' | 'hits-first' | 'scan-and-test' {
  const row = db.get<{ n: number }>(
    sql`select count(*) as n from (select rowid from messages_fts where messages_fts match ${match} limit ${rareTermHits})`,
  );
  if (row.n === 0) return 'none';
  return row.n < rareTermHits ? 'hits-first' : 'scan-and-test';
}

export async function searchSqliteTranscripts(
  db: BetterSQLite3Database,
  query: TranscriptQuery & { siteIds: string[] },
  rareTermHits = RARE_TERM_HITS,
): Promise<TranscriptListRows> {
  const limit = query.limit ?? DEFAULT_TRANSCRIPT_LIMIT;
  if (query.siteIds.length === 0) return { items: [], nextBefore: null };
  const hasText = query.q !== undefined && query.q.trim() !== '';
  const match = ftsMatchExpression(query.q);
  // Text was asked for but none of it can be indexed: nothing can match.
  if (hasText && match === null) return { items: [], nextBefore: null };

  const filters: (SQL | undefined)[] = [
    inArray(conversations.siteId, query.siteIds),
    query.status === undefined
      ? inArray(conversations.status, [...FINISHED_STATUSES])
      : eq(conversations.status, query.status),
    query.rating === undefined ? undefined : eq(conversations.rating, query.rating),
    query.tag === undefined
      ? undefined
      : sql`exists (select 1 from ${conversationTags} t
          where t.conversation_id = ${conversations.id} and t.tag = ${query.tag})`,
    query.from === undefined ? undefined : gte(conversations.createdAt, query.from),
    // Both ends inclusive: the console sends the last millisecond of the chosen day as `to`.
    query.to === undefined ? undefined : lte(conversations.createdAt, query.to),
    query.operatorId === undefined ? undefined : eq(conversations.operatorId, query.operatorId),
  ];
  const needle = query.visitor?.trim().toLowerCase();
  if (needle) {
    const contains = (column: SQLWrapper) => sql`instr(${folded(column)}, ${needle}) > 0`;
    filters.push(
      or(
        contains(conversations.visitorName),
        contains(conversations.visitorEmail),
        contains(visitors.name),
        contains(visitors.email),
        sql`${folded(conversations.visitorId)} = ${needle}`,
      ),
    );
  }
  const plan = match === null ? 'scan' : chooseTextPlan(db, match, rareTermHits);
  if (plan === 'none') return { items: [], nextBefore: null };
  if (plan === 'scan-and-test') {
    filters.push(sql`exists (select 1 from messages m cross join messages_fts on messages_fts.rowid = m.id
      where m.conversation_id = ${conversations.id} and messages_fts match ${match})`);
  }
  const hits = db
    .selectDistinct({ id: messages.conversationId })
    .from(messagesFts)
    .innerJoin(messages, eq(messages.id, messagesFts.rowid))
    .where(sql`messages_fts match ${match}`)
    .as('hits');

  const snippetFor = (conversationId: string, firstVisitorText: string | null): string => {
    if (match === null) return truncateSnippet(firstVisitorText);
    // CROSS JOIN keeps the conversation's own messages as the outer loop; FTS5 then only tests those rows.
    const row = db.get<{ s: string } | undefined>(
      sql`select snippet(messages_fts, 0, '', '', '…', 16) as s from messages m cross join messages_fts on messages_fts.rowid = m.id where m.conversation_id = ${conversationId} and messages_fts match ${match} order by m.seq limit 1`,
    );
    return row?.s ?? '';
  };

  const fetch = async (bound: PageBound): Promise<TranscriptRow[]> => {
    const boundFilter =
      'at' in bound
        ? eq(conversations.createdAt, bound.at)
        : bound.before === undefined
          ? undefined
          : lt(conversations.createdAt, bound.before);
    const selection = {
      conversation: conversationColumns,
      firstVisitorText: sql<string | null>`(select text from messages
        where conversation_id = ${conversations.id} and author = 'visitor' order by seq limit 1)`,
    };
    const order = [desc(conversations.createdAt), desc(conversations.id)];
    // CROSS JOIN makes SQLite start from the few matching conversations rather than walk all of the
    // site's conversations in time order.
    const base =
      plan === 'hits-first'
        ? db
            .select(selection)
            .from(hits)
            .crossJoin(conversations)
            .leftJoin(visitors, eq(visitors.id, conversations.visitorId))
            .where(and(eq(conversations.id, hits.id), ...filters, boundFilter))
            .orderBy(...order)
            .$dynamic()
        : db
            .select(selection)
            .from(conversations)
            .leftJoin(visitors, eq(visitors.id, conversations.visitorId))
            .where(and(...filters, boundFilter))
            .orderBy(...order)
            .$dynamic();
    const rows = 'at' in bound ? base.all() : base.limit(bound.limit).all();
    return rows.map((r) => ({
      conversation: r.conversation,
      // Seqs start at 1 and have no gaps, so the last seq is the number of messages.
      messageCount: r.conversation.lastSeq,
      snippet: snippetFor(r.conversation.id, r.firstVisitorText),
    }));
  };

  return pageByCreatedAt(fetch, query.before, limit);
}
