import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { notFound, translateError } from '../errors.js';
import { CANNED_FIELDS, pickPatch } from '../patch.js';
import type { CannedRecord, Conversation, Store } from '../types.js';
import { canned, conversationTags } from './schema.js';

/** Runs inside the caller's transaction, so the index rows change together with conversations.tags. */
export function replaceConversationTags(db: BetterSQLite3Database, c: Conversation): void {
  db.delete(conversationTags).where(eq(conversationTags.conversationId, c.id)).run();
  if (c.tags.length === 0) return;
  db.insert(conversationTags)
    .values(c.tags.map((tag) => ({ conversationId: c.id, siteId: c.siteId, tag })))
    .onConflictDoNothing()
    .run();
}

/** The smallest string greater than every string that starts with `prefix`, for an index range scan. */
export function prefixEnd(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}

export function listSqliteTags(
  db: BetterSQLite3Database,
  siteIds: string[],
  prefix: string,
  limit: number,
): string[] {
  if (siteIds.length === 0) return [];
  const uses = sql<number>`count(*)`;
  return db
    .select({ tag: conversationTags.tag, uses })
    .from(conversationTags)
    .where(
      and(
        inArray(conversationTags.siteId, siteIds),
        gte(conversationTags.tag, prefix),
        lt(conversationTags.tag, prefixEnd(prefix)),
      ),
    )
    .groupBy(conversationTags.tag)
    .orderBy(desc(uses), asc(conversationTags.tag))
    .limit(limit)
    .all()
    .map((r) => r.tag);
}

export function sqliteCanned(db: BetterSQLite3Database) {
  const get = (id: string): CannedRecord | null =>
    db.select().from(canned).where(eq(canned.id, id)).get() ?? null;
  return {
    get,
    list: (operatorId: string, siteIds: string[]): CannedRecord[] =>
      db
        .select()
        .from(canned)
        .where(
          or(
            eq(canned.operatorId, operatorId),
            and(isNull(canned.operatorId), or(isNull(canned.siteId), inArray(canned.siteId, siteIds))),
          ),
        )
        .orderBy(asc(canned.shortcut), asc(canned.createdAt), asc(canned.id))
        .all(),
    create: (c: Omit<CannedRecord, 'id'>): CannedRecord => {
      const row: CannedRecord = { ...c, id: randomUUID() };
      try {
        return db.insert(canned).values(row).returning().get();
      } catch (err) {
        throw translateError(err);
      }
    },
    update: (id: string, patch: Parameters<Store['updateCanned']>[1]): CannedRecord => {
      const set = pickPatch(patch, CANNED_FIELDS);
      let row: CannedRecord | null | undefined;
      try {
        row =
          Object.keys(set).length === 0
            ? get(id)
            : db.update(canned).set(set).where(eq(canned.id, id)).returning().get();
      } catch (err) {
        throw translateError(err);
      }
      if (!row) throw notFound('Canned response', id);
      return row;
    },
    delete: (id: string): void => {
      db.delete(canned).where(eq(canned.id, id)).run();
    },
  };
}
