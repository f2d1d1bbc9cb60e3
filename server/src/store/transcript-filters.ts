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

/**
 * Every filter of the history page but the text, and the page bounds, for one dialect's tables: written
 * once so both stores filter alike. Queries left-join visitors for the visitor filter.
 */
export function transcriptFilters(query: TranscriptQuery & { siteIds: string[] }, t: TranscriptColumns) {
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
  const needle = query.visitor?.trim().toLowerCase();
  if (needle) {
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
