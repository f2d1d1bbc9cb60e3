import type { Message } from '@beseda/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { and, eq, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { notFound, translateError } from '../errors.js';
import { GroupCommit, type Outcome } from '../group-commit.js';
import type { ChatEventRecord, NewMessage, PageViewRecord } from '../types.js';
import { conversations, events, messages, pageViews } from './schema.js';

export type Write =
  | { kind: 'message'; m: NewMessage }
  | { kind: 'event'; e: ChatEventRecord }
  | { kind: 'page_view'; p: PageViewRecord };
export type Written = { message: Message; duplicate: boolean } | null;

export const messageColumns = {
  conversationId: messages.conversationId,
  seq: messages.seq,
  clientId: messages.clientId,
  author: messages.author,
  operatorId: messages.operatorId,
  authorName: messages.authorName,
  text: messages.text,
  at: messages.at,
};

/**
 * The group-commit writer for messages and events. A batch reads each conversation's last seq once,
 * numbers its messages in memory and writes the new last seqs at the end, so the common case costs one
 * INSERT per message. Every write is a single statement, which SQLite undoes on its own when it fails:
 * a bad write (unknown conversation or operator) is rejected alone and the rest of the batch commits.
 */
export function createSqliteWriter(
  client: BetterSqlite3.Database,
  db: BetterSQLite3Database,
): GroupCommit<Write, Written> {
  const p = sql.placeholder;
  const readSeq = db
    .select({ lastSeq: conversations.lastSeq })
    .from(conversations)
    .where(eq(conversations.id, p('id')))
    .prepare();
  const writeSeq = db
    .update(conversations)
    .set({ lastSeq: sql`${p('lastSeq')}` })
    .where(eq(conversations.id, p('id')))
    .prepare();
  const findByClientId = db
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.conversationId, p('conversationId')), eq(messages.clientId, p('clientId'))))
    .prepare();
  const insertMessage = db
    .insert(messages)
    .values({
      conversationId: p('conversationId'),
      seq: p('seq'),
      clientId: p('clientId'),
      author: p('author'),
      operatorId: p('operatorId'),
      authorName: p('authorName'),
      text: p('text'),
      at: p('at'),
    })
    .prepare();
  const insertEvent = db
    .insert(events)
    .values({
      siteId: p('siteId'),
      conversationId: p('conversationId'),
      operatorId: p('operatorId'),
      type: p('type'),
      at: p('at'),
      data: p('data'),
    })
    .prepare();

  const insertPageView = db
    .insert(pageViews)
    .values({
      visitorId: p('visitorId'),
      url: p('url'),
      title: p('title'),
      referrer: p('referrer'),
      at: p('at'),
    })
    .prepare();

  /** `seqs` holds the last seq written in this batch per conversation, ahead of conversations.last_seq. */
  const appendMessage = (m: NewMessage, seqs: Map<string, number>): Written => {
    const last = seqs.get(m.conversationId) ?? readSeq.get({ id: m.conversationId })?.lastSeq;
    if (last === undefined) throw notFound('Conversation', m.conversationId);
    const message: Message = {
      conversationId: m.conversationId,
      seq: last + 1,
      clientId: m.clientId,
      author: m.author,
      operatorId: m.operatorId,
      authorName: m.authorName,
      text: m.text,
      at: m.at,
    };
    try {
      insertMessage.run(message);
    } catch (err) {
      // A retry hits the (conversation_id, client_id) unique index, also when the original was written
      // earlier in this same batch: one connection, one transaction.
      const original =
        m.clientId === null
          ? undefined
          : findByClientId.get({ conversationId: m.conversationId, clientId: m.clientId });
      if (original) return { message: original, duplicate: true };
      throw err;
    }
    seqs.set(m.conversationId, message.seq);
    return { message, duplicate: false };
  };

  const appendEvent = (e: ChatEventRecord): Written => {
    insertEvent.run({ ...e });
    return null;
  };

  const applyBatch = client.transaction((batch: Write[]): Outcome<Written>[] => {
    const seqs = new Map<string, number>();
    const outcomes = batch.map((w): Outcome<Written> => {
      try {
        if (w.kind === 'message') return { ok: true, value: appendMessage(w.m, seqs) };
        if (w.kind === 'event') return { ok: true, value: appendEvent(w.e) };
        insertPageView.run({ ...w.p });
        return { ok: true, value: null };
      } catch (error) {
        // Errors like SQLITE_FULL roll back the whole transaction; carrying on would autocommit the rest.
        if (!client.inTransaction) throw error;
        return { ok: false, error: translateError(error) };
      }
    });
    for (const [id, lastSeq] of seqs) writeSeq.run({ id, lastSeq });
    return outcomes;
  });
  return new GroupCommit<Write, Written>((batch) => applyBatch.immediate(batch));
}
