import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { notFound, translateError } from '../errors.js';
import { CANNED_FIELDS, pickPatch } from '../patch.js';
import type { CannedRecord, Conversation, Store } from '../types.js';
import { canned, conversationTags } from './schema.js';

type Tx = Parameters<Parameters<PostgresJsDatabase['transaction']>[0]>[0] | PostgresJsDatabase;

/** Runs inside the caller's transaction, so the index rows change together with conversations.tags. */
export async function replaceConversationTags(tx: Tx, c: Conversation): Promise<void> {
  await tx.delete(conversationTags).where(eq(conversationTags.conversationId, c.id));
  if (c.tags.length === 0) return;
  await tx
    .insert(conversationTags)
    .values(c.tags.map((tag) => ({ conversationId: c.id, siteId: c.siteId, tag })))
    .onConflictDoNothing();
}

export async function listPostgresTags(
  db: PostgresJsDatabase,
  siteIds: string[],
  prefix: string,
  limit: number,
): Promise<string[]> {
  if (siteIds.length === 0) return [];
  const uses = sql<number>`count(*)`;
  const rows = await db
    .select({ tag: conversationTags.tag, uses })
    .from(conversationTags)
    // starts_with, not LIKE: '%' and '_' in the prefix are literal characters.
    .where(
      and(inArray(conversationTags.siteId, siteIds), sql`starts_with(${conversationTags.tag}, ${prefix})`),
    )
    .groupBy(conversationTags.tag)
    // COLLATE "C" orders ties by code point, as SQLite does, whatever the database's collation.
    .orderBy(desc(uses), sql`${conversationTags.tag} collate "C"`)
    .limit(limit);
  return rows.map((r) => r.tag);
}

export function postgresCanned(db: PostgresJsDatabase) {
  const get = async (id: string): Promise<CannedRecord | null> => {
    const [row] = await db.select().from(canned).where(eq(canned.id, id));
    return row ?? null;
  };
  return {
    get,
    list: (operatorId: string, siteIds: string[]): Promise<CannedRecord[]> =>
      db
        .select()
        .from(canned)
        .where(
          or(
            eq(canned.operatorId, operatorId),
            and(
              isNull(canned.operatorId),
              siteIds.length === 0
                ? isNull(canned.siteId)
                : or(isNull(canned.siteId), inArray(canned.siteId, siteIds)),
            ),
          ),
        )
        .orderBy(sql`${canned.shortcut} collate "C"`, asc(canned.createdAt), asc(canned.id)),
    create: async (c: Omit<CannedRecord, 'id'>): Promise<CannedRecord> => {
      const row: CannedRecord = { ...c, id: randomUUID() };
      try {
        await db.insert(canned).values(row);
      } catch (err) {
        throw translateError(err);
      }
      return row;
    },
    update: async (id: string, patch: Parameters<Store['updateCanned']>[1]): Promise<CannedRecord> => {
      const set = pickPatch(patch, CANNED_FIELDS);
      let row: CannedRecord | null | undefined;
      try {
        row =
          Object.keys(set).length === 0
            ? await get(id)
            : (await db.update(canned).set(set).where(eq(canned.id, id)).returning())[0];
      } catch (err) {
        throw translateError(err);
      }
      if (!row) throw notFound('Canned response', id);
      return row;
    },
    delete: async (id: string): Promise<void> => {
      await db.delete(canned).where(eq(canned.id, id));
    },
  };
}
