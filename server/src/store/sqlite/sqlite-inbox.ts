import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { notFound, translateError } from '../errors.js';
import { INBOX_KINDS, INBOX_PREVIEW_CHARS, inboxStateOf } from '../inbox-rows.js';
import type { InboxQuery, InboxRows, InboxState, InboxStatus } from '../types.js';
import { conversationColumns, conversations, inboxStates, messages } from './schema.js';

/** The offline inbox on SQLite (types.ts InboxStore); synchronous like the rest of this store. */
export function sqliteInbox(db: BetterSQLite3Database) {
  // No row means open: the filter compares the row's status or its absence.
  const statusIs = (statuses: InboxStatus[]) =>
    or(
      inArray(inboxStates.status, statuses),
      statuses.includes('open') ? sql`${inboxStates.status} is null` : sql`0`,
    );
  const preview = sql<
    string | null
  >`(select substr(${messages.text}, 1, ${INBOX_PREVIEW_CHARS}) from ${messages}
    where ${messages.conversationId} = ${conversations.id} and ${messages.author} = 'visitor'
    order by ${messages.seq} limit 1)`;

  const getState = (conversationId: string): InboxState | null => {
    const row = db
      .select({ c: { id: conversations.id, siteId: conversations.siteId }, s: inboxStates })
      .from(conversations)
      .leftJoin(inboxStates, eq(inboxStates.conversationId, conversations.id))
      .where(and(eq(conversations.id, conversationId), inArray(conversations.status, [...INBOX_KINDS])))
      .get();
    return row ? inboxStateOf(row.c, row.s) : null;
  };

  return {
    list(q: InboxQuery): InboxRows {
      if (q.siteIds.length === 0 || q.statuses.length === 0)
        return { items: [], openCount: 0, nextBefore: null };
      const mine = and(
        inArray(conversations.siteId, q.siteIds),
        inArray(conversations.status, [...INBOX_KINDS]),
      );
      const rows = db
        .select({ conversation: conversationColumns, state: inboxStates, preview })
        .from(conversations)
        .leftJoin(inboxStates, eq(inboxStates.conversationId, conversations.id))
        .where(
          and(
            mine,
            statusIs(q.statuses),
            q.before === undefined ? undefined : lt(conversations.createdAt, q.before),
          ),
        )
        .orderBy(desc(conversations.createdAt), desc(conversations.id))
        .limit(q.limit + 1)
        .all();
      const open = db
        .select({ n: sql<number>`count(*)` })
        .from(conversations)
        .leftJoin(inboxStates, eq(inboxStates.conversationId, conversations.id))
        .where(and(mine, statusIs(['open'])))
        .get();
      const page = rows.slice(0, q.limit);
      return {
        items: page.map((r) => ({
          conversation: r.conversation,
          inbox: inboxStateOf(r.conversation, r.state),
          preview: r.preview ?? '',
        })),
        openCount: open?.n ?? 0,
        nextBefore: rows.length > q.limit ? (page.at(-1)?.conversation.createdAt ?? null) : null,
      };
    },
    get: getState,
    set(
      conversationId: string,
      change: { status: InboxStatus; at: number; operatorId: string | null },
    ): InboxState {
      const current = getState(conversationId);
      if (!current) throw notFound('Inbox conversation', conversationId);
      const row = {
        conversationId,
        siteId: current.siteId,
        status: change.status,
        changedAt: change.at,
        changedBy: change.operatorId,
      };
      try {
        db.insert(inboxStates)
          .values(row)
          .onConflictDoUpdate({
            target: inboxStates.conversationId,
            set: { status: row.status, changedAt: row.changedAt, changedBy: row.changedBy },
          })
          .run();
      } catch (err) {
        throw translateError(err);
      }
      return inboxStateOf({ id: conversationId, siteId: current.siteId }, row);
    },
  };
}
