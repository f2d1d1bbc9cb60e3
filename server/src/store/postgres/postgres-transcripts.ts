import type { TranscriptQuery } from '@beseda/shared';
import { and, desc, eq, gte, inArray, lt, lte, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import {
  DEFAULT_TRANSCRIPT_LIMIT,
  FINISHED_STATUSES,
  foldForSearch,
  type PageBound,
  pageByCreatedAt,
  parseSearch,
  type TranscriptRow,
  truncateSnippet,
} from '../transcripts.js';
import type { TranscriptListRows } from '../types.js';
import { conversationColumns, conversations, conversationTags, messages, visitors } from './schema.js';

export async function searchPostgresTranscripts(
  db: PostgresJsDatabase,
  query: TranscriptQuery & { siteIds: string[] },
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
    // strpos, not LIKE: '%' and '_' typed by the user are literal characters.
    const contains = (column: SQLWrapper) => sql`strpos(lower(${column}), ${needle}) > 0`;
    filters.push(
      or(
        contains(conversations.visitorName),
        contains(conversations.visitorEmail),
        contains(visitors.name),
        contains(visitors.email),
        sql`lower(${conversations.visitorId}) = ${needle}`,
      ),
    );
  }
  if (tsQuery) {
    filters.push(
      inArray(
        conversations.id,
        db
          .select({ id: messages.conversationId })
          .from(messages)
          .where(sql`${messages.textSearch} @@ ${tsQuery}`),
      ),
    );
  }

  const snippetFor = async (conversationId: string, firstVisitorText: string | null): Promise<string> => {
    if (!tsQuery) return truncateSnippet(firstVisitorText);
    const [row] = await db
      .select({
        s: sql<string>`ts_headline('simple'::regconfig, ${messages.text}, ${tsQuery}, 'MaxFragments=1, MaxWords=16, MinWords=6, StartSel="", StopSel=""')`,
      })
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), sql`${messages.textSearch} @@ ${tsQuery}`))
      .orderBy(messages.seq)
      .limit(1);
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
        conversation: conversationColumns,
        firstVisitorText: sql<string | null>`(select m.text from ${messages} m
          where m.conversation_id = ${conversations.id} and m.author = 'visitor' order by m.seq limit 1)`,
      })
      .from(conversations)
      .leftJoin(visitors, eq(visitors.id, conversations.visitorId))
      .where(and(...filters, boundFilter))
      .orderBy(desc(conversations.createdAt), desc(conversations.id));
    const rows = 'at' in bound ? await base : await base.limit(bound.limit);
    return Promise.all(
      rows.map(async (r) => ({
        conversation: r.conversation,
        // Seqs start at 1 and have no gaps, so the last seq is the number of messages.
        messageCount: r.conversation.lastSeq,
        snippet: await snippetFor(r.conversation.id, r.firstVisitorText),
      })),
    );
  };

  return pageByCreatedAt(fetch, query.before, limit);
}
