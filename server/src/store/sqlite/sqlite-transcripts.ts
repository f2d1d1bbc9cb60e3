import type { TranscriptQuery } from '@beseda/shared';
import { and, desc, eq, gte, inArray, lt, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import {
  DEFAULT_TRANSCRIPT_LIMIT,
  FINISHED_STATUSES,
  type PageBound,
  pageByCreatedAt,
  searchTokens,
  type TranscriptRow,
  truncateSnippet,
} from '../transcripts.js';
import type { TranscriptListRows } from '../types.js';
import { conversations, visitors } from './schema.js';

/**
 * Every token becomes a quoted FTS5 string, so operators, column filters and stray quotes in the user's
 * input are plain text; the tokens are ANDed (FTS5's implicit operator).
 */
export function ftsMatchExpression(q: string | undefined): string | null {
  const tokens = searchTokens(q);
  if (tokens.length === 0) return null;
  return tokens.map((t) => `"${t.replaceAll('"', '""')}"`).join(' ');
}

// SQLite's lower() folds ASCII only; `casefold` is registered on the connection with JS toLowerCase.
const folded = (column: SQLWrapper) => sql`casefold(${column})`;

export async function searchSqliteTranscripts(
  db: BetterSQLite3Database,
  query: TranscriptQuery & { siteIds: string[] },
): Promise<TranscriptListRows> {
  const limit = query.limit ?? DEFAULT_TRANSCRIPT_LIMIT;
  if (query.siteIds.length === 0) return { items: [], nextBefore: null };
  const hasText = query.q !== undefined && query.q.trim() !== '';
  const match = ftsMatchExpression(query.q);
  // Text was asked for but none of it can be indexed: nothing can match.
  if (hasText && match === null) return { items: [], nextBefore: null };

  const filters: (SQL | undefined)[] = [
    inArray(conversations.siteId, query.siteIds),
    inArray(conversations.status, [...FINISHED_STATUSES]),
    query.from === undefined ? undefined : gte(conversations.createdAt, query.from),
    query.to === undefined ? undefined : lt(conversations.createdAt, query.to),
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
  if (match !== null) {
    filters.push(
      sql`${conversations.id} in (select m.conversation_id from messages_fts join messages m on m.id = messages_fts.rowid where messages_fts match ${match})`,
    );
  }

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
    const base = db
      .select({
        conversation: conversations,
        firstVisitorText: sql<
          string | null
        >`(select text from messages where conversation_id = ${conversations.id} and author = 'visitor' order by seq limit 1)`,
      })
      .from(conversations)
      .leftJoin(visitors, eq(visitors.id, conversations.visitorId))
      .where(and(...filters, boundFilter))
      .orderBy(desc(conversations.createdAt), desc(conversations.id));
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
