import type { TranscriptQuery } from '@beseda/shared';
import {
  type AnyColumn,
  and,
  eq,
  gte,
  inArray,
  lt,
  lte,
  or,
  type SQL,
  type SQLWrapper,
  sql,
} from 'drizzle-orm';
import { type Candidate, FINISHED_STATUSES, type PageBound } from './transcripts.js';

/** The columns the transcript filters read, from either dialect's schema (same names, same meaning). */
export interface TranscriptColumns {
  conversations: {
    id: AnyColumn;
    siteId: AnyColumn;
    status: AnyColumn;
    rating: AnyColumn;
    createdAt: AnyColumn;
    operatorId: AnyColumn;
    visitorId: AnyColumn;
    visitorName: AnyColumn;
    visitorEmail: AnyColumn;
  };
  visitors: { name: AnyColumn; email: AnyColumn };
  conversationTags: SQLWrapper;
  /** Lower case beyond ASCII: SQLite's lower() folds ASCII only. */
  lower: (column: SQLWrapper) => SQL;
  /** Whether the lowered column holds the needle as plain text ('%' and '_' are not wildcards). */
  contains: (lowered: SQL, needle: string) => SQL;
}

/** The visitor filter as both dialects compare it: trimmed, lower case (JavaScript's), or null. */
export function visitorNeedle(query: TranscriptQuery): string | null {
  const needle = query.visitor?.trim().toLowerCase();
  return needle ? needle : null;
}

/**
 * Whether the needle can be looked up in a trigram index (SQLite FTS5 `trigram`, PostgreSQL pg_trgm): a
 * substring shorter than three characters has no trigram to look up, so those are tested row by row.
 */
export const trigramNeedle = (needle: string) => Array.from(needle).length >= 3;

/**
 * The most conversations a visitor needle may narrow to for the list of their ids to be used. A needle
 * found in more (a common surname, a mail domain) is in a large share of the newest conversations, so the
 * newest-first walk with the exact test finds a page sooner than sorting the list would.
 */
export const VISITOR_IDS_CAP = 1_000;

/**
 * Every filter of the history page but the text, and the page bounds, for one dialect's tables: written
 * once so both stores filter alike. Queries left-join visitors for the visitor filter. `narrowed` is the
 * dialect's list of conversations the visitor needle can match at all (from its trigram index): a superset
 * of the exact test's matches, which still applies.
 */
export function transcriptFilters(
  query: TranscriptQuery & { siteIds: string[] },
  t: TranscriptColumns,
  narrowed?: SQL,
) {
  const c = t.conversations;
  const filters: (SQL | undefined)[] = [
    inArray(c.siteId, query.siteIds),
    query.status === undefined ? inArray(c.status, [...FINISHED_STATUSES]) : eq(c.status, query.status),
    query.rating === undefined ? undefined : eq(c.rating, query.rating),
    query.tag === undefined
      ? undefined
      : sql`exists (select 1 from ${t.conversationTags} t
          where t.conversation_id = ${c.id} and t.tag = ${query.tag})`,
    query.from === undefined ? undefined : gte(c.createdAt, query.from),
    // Both ends inclusive: the console sends the last millisecond of the chosen day as `to`.
    query.to === undefined ? undefined : lte(c.createdAt, query.to),
    query.operatorId === undefined ? undefined : eq(c.operatorId, query.operatorId),
  ];
  const needle = visitorNeedle(query);
  if (needle) {
    filters.push(narrowed);
    const has = (column: AnyColumn) => t.contains(t.lower(column), needle);
    filters.push(
      or(
        has(c.visitorName),
        has(c.visitorEmail),
        has(t.visitors.name),
        has(t.visitors.email),
        sql`${t.lower(c.visitorId)} = ${needle}`,
      ),
    );
  }
  return {
    filters,
    bound: (bound: PageBound) =>
      'at' in bound
        ? eq(c.createdAt, bound.at)
        : bound.before === undefined
          ? undefined
          : lt(c.createdAt, bound.before),
    /** After a window's last conversation in (createdAt, id) descending order. */
    olderThan: (last: Candidate | undefined) =>
      last === undefined
        ? undefined
        : or(lt(c.createdAt, last.createdAt), and(eq(c.createdAt, last.createdAt), lt(c.id, last.id))),
  };
}
