import type { Message } from '@beseda/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { and, eq, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { notFound, translateError } from '../errors.js';
import { GroupCommit, type Outcome } from '../group-commit.js';
import type { ChatEventRecord, NewMessage } from '../types.js';
import { conversations, events, messages } from './schema.js';

export type Write = { kind: 'message'; m: NewMessage } | { kind: 'event'; e: ChatEventRecord };
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
 * The group-commit writer for messages and events. Each write runs in its own savepoint inside the
 * batch transaction, so one bad write (unknown conversation, unknown operator) is undone and rejected
 * alone while the rest of the batch commits.
 */
export function createSqliteWriter(client: BetterSqlite3.Database, db: BetterSQLite3Database): GroupCommit<Write, Written> {
  const p = sql.placeholder;
  const findByClientId = db
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.conversationId, p('conversationId')), eq(messages.clientId, p('clientId'))))
    .prepare();
  // Reading and bumping last_seq in one statement: the row update is the existence check and the seq.
  const nextSeq = db
    .update(conversations)
    .set({ lastSeq: sql`${conversations.lastSeq} + 1` })
    .where(eq(conversations.id, p('id')))
    .returning({ seq: conversations.lastSeq })
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

  const appendMessage = (m: NewMessage): Written => {
    if (m.clientId !== null) {
      // Sees rows written earlier in the same batch too: one connection, one transaction.
      const original = findByClientId.get({ conversationId: m.conversationId, clientId: m.clientId });
      if (original) return { message: original, duplicate: true };
    }
    const bumped = nextSeq.get({ id: m.conversationId });
    if (!bumped) throw notFound('Conversation', m.conversationId);
    const message: Message = {
      conversationId: m.conversationId,
      seq: bumped.seq,
      clientId: m.clientId,
      author: m.author,
      operatorId: m.operatorId,
      authorName: m.authorName,
      text: m.text,
      at: m.at,
    };
    insertMessage.run(message);
    return { message, duplicate: false };
  };

  const appendEvent = (e: ChatEventRecord): Written => {
    db.insert(events)
      .values({
        siteId: e.siteId,
        conversationId: e.conversationId,
        operatorId: e.operatorId,
        type: e.type,
        at: e.at,
        data: e.data,
      })
      .run();
    return null;
  };

  // Nested better-sqlite3 transaction functions become savepoints.
  const applyOne = client.transaction((w: Write): Written =>
    w.kind === 'message' ? appendMessage(w.m) : appendEvent(w.e),
  );
  const applyBatch = client.transaction((batch: Write[]): Outcome<Written>[] =>
    batch.map((w) => {
      try {
        return { ok: true, value: applyOne(w) };
      } catch (error) {
        return { ok: false, error: translateError(error) };
      }
    }),
  );
  return new GroupCommit<Write, Written>((batch) => applyBatch.immediate(batch));
}
