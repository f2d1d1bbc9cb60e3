import type { Message } from '@beseda/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { and, eq, lt } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { notFound, translateError } from '../errors.js';
import { GroupCommit, type Outcome } from '../group-commit.js';
import { CONVERSATION_FIELDS, pickPatch } from '../patch.js';
import type {
  AppendResult,
  ChatEventRecord,
  Conversation,
  NewMessage,
  UnitOfWork,
  UnitResult,
} from '../types.js';
import type { Write, Written } from '../write-types.js';
import { conversationColumns, conversations, messages } from './schema.js';
import { replaceConversationTags } from './sqlite-canned-tags.js';

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

interface MessageRow {
  conversation_id: string;
  seq: number;
  prev_public: number;
  client_id: string | null;
  author: Message['author'];
  operator_id: string | null;
  author_name: string | null;
  text: string;
  at: number;
}

const toMessage = (r: MessageRow): Message => ({
  conversationId: r.conversation_id,
  seq: r.seq,
  clientId: r.client_id,
  author: r.author,
  operatorId: r.operator_id,
  authorName: r.author_name,
  text: r.text,
  at: r.at,
});

/** A conversation's counters as this batch left them, ahead of the stored row until the batch ends. */
interface Counters {
  lastSeq: number;
  lastPublicSeq: number;
}

/**
 * The group-commit writer for messages, events and units of work. A batch reads each conversation's
 * counters once, numbers its messages in memory and writes the new counters at the end, so the common
 * case costs one INSERT per message. The hot statements are plain prepared statements: drizzle's
 * wrappers cost a measurable share of a write. A single bad write (unknown conversation or operator) is
 * undone by SQLite on its own and rejected alone; a unit runs in a savepoint so it is stored whole or not
 * at all. `emit` hears the events of each batch after its transaction committed; `messagesStored` is
 * told when a batch stored messages (the search indexer runs then, off the write path).
 */
export function createSqliteWriter(
  client: BetterSqlite3.Database,
  db: BetterSQLite3Database,
  emit: (events: ChatEventRecord[]) => void,
  messagesStored: () => void = () => {},
): GroupCommit<Write, Written> {
  const readCounters = client.prepare<[string], Counters>(
    'select last_seq as lastSeq, last_public_seq as lastPublicSeq from conversations where id = ?',
  );
  const writeCounters = client.prepare<[number, number, string]>(
    'update conversations set last_seq = ?, last_public_seq = ? where id = ?',
  );
  const findByClientId = client.prepare<[string, string], MessageRow>(
    `select conversation_id, seq, prev_public, client_id, author, operator_id, author_name, text, at
     from messages where conversation_id = ? and client_id = ?`,
  );
  const insertMessage = client.prepare(
    `insert into messages (conversation_id, seq, prev_public, client_id, author, operator_id, author_name, text, at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEvent = client.prepare(
    'insert into events (site_id, conversation_id, operator_id, type, at, data) values (?, ?, ?, ?, ?, ?)',
  );
  const readAssignment = client.prepare<[string], { status: string; operator_id: string | null }>(
    'select status, operator_id from conversations where id = ?',
  );
  const insertPageView = client.prepare(
    'insert into page_views (visitor_id, url, title, referrer, at) values (?, ?, ?, ?, ?)',
  );

  // Read from the table, not from the batch's counters: a unit earlier in this batch may have ended or
  // reassigned the conversation.
  const stillActive = (m: NewMessage, operatorId: string | undefined): boolean => {
    const row = readAssignment.get(m.conversationId);
    return row?.status === 'active' && (operatorId === undefined || row.operator_id === operatorId);
  };

  const appendMessage = (m: NewMessage, counters: Map<string, Counters>): AppendResult => {
    const last = counters.get(m.conversationId) ?? readCounters.get(m.conversationId);
    if (last === undefined) throw notFound('Conversation', m.conversationId);
    if (m.requireActive && !stillActive(m, m.requireActive.operatorId)) {
      // A retry of a message stored before the chat moved on is still answered with the original.
      const original = m.clientId === null ? undefined : findByClientId.get(m.conversationId, m.clientId);
      if (original)
        return { message: toMessage(original), duplicate: true, prevPublic: original.prev_public };
      throw notFound('Conversation', m.conversationId);
    }
    const seq = last.lastSeq + 1;
    const prevPublic = last.lastPublicSeq;
    try {
      insertMessage.run(
        m.conversationId,
        seq,
        prevPublic,
        m.clientId,
        m.author,
        m.operatorId,
        m.authorName,
        m.text,
        m.at,
      );
    } catch (err) {
      // A retry hits the (conversation_id, client_id) unique index, also when the original was written
      // earlier in this same batch: one connection, one transaction.
      const original = m.clientId === null ? undefined : findByClientId.get(m.conversationId, m.clientId);
      if (original)
        return { message: toMessage(original), duplicate: true, prevPublic: original.prev_public };
      throw err;
    }
    counters.set(m.conversationId, {
      lastSeq: seq,
      lastPublicSeq: m.author === 'note' ? prevPublic : seq,
    });
    const message: Message = {
      conversationId: m.conversationId,
      seq,
      clientId: m.clientId,
      author: m.author,
      operatorId: m.operatorId,
      authorName: m.authorName,
      text: m.text,
      at: m.at,
    };
    return { message, duplicate: false, prevPublic };
  };

  /** Stores the event and gives it its id, so listeners can tell events apart (and resume from one). */
  const appendEvent = (e: ChatEventRecord): ChatEventRecord => {
    const info = insertEvent.run(
      e.siteId,
      e.conversationId,
      e.operatorId,
      e.type,
      e.at,
      e.data === null ? null : JSON.stringify(e.data),
    );
    return { ...e, id: Number(info.lastInsertRowid) };
  };

  const withCounters = (c: Conversation, counters: Map<string, Counters>): Conversation => {
    const current = counters.get(c.id);
    return current ? { ...c, lastSeq: current.lastSeq } : c;
  };

  /** The unit's conversation change; undefined when a fence refused it. */
  const applyConversation = (change: NonNullable<UnitOfWork['conversation']>): Conversation | undefined => {
    const set: Record<string, unknown> = pickPatch(change.patch, CONVERSATION_FIELDS);
    if (Array.isArray(set.tags)) set.tags = [...new Set(set.tags as string[])];
    if (change.fence !== undefined) set.routingRev = change.fence;
    const where =
      change.fence === undefined
        ? eq(conversations.id, change.id)
        : and(eq(conversations.id, change.id), lt(conversations.routingRev, change.fence));
    const row =
      Object.keys(set).length === 0
        ? db.select(conversationColumns).from(conversations).where(where).get()
        : db.update(conversations).set(set).where(where).returning(conversationColumns).get();
    if (row && Array.isArray(set.tags)) replaceConversationTags(db, row);
    return row;
  };

  const readConversation = (id: string): Conversation | undefined =>
    db.select(conversationColumns).from(conversations).where(eq(conversations.id, id)).get();

  const unitEvents = new WeakMap<UnitResult, ChatEventRecord[]>();

  const applyUnit = client.transaction((unit: UnitOfWork, counters: Map<string, Counters>): UnitResult => {
    let conversation: Conversation | null = null;
    if (unit.conversation) {
      const updated = applyConversation(unit.conversation);
      if (!updated) {
        const current = readConversation(unit.conversation.id);
        if (!current) throw notFound('Conversation', unit.conversation.id);
        return { applied: false, conversation: withCounters(current, counters), messages: [] };
      }
      conversation = updated;
    }
    const appended = (unit.messages ?? []).map((m) => appendMessage(m, counters));
    const stored = (unit.events ?? []).map(appendEvent);
    const result: UnitResult = {
      applied: true,
      conversation: conversation && withCounters(conversation, counters),
      messages: appended,
    };
    unitEvents.set(result, stored);
    return result;
  });

  const runUnit = (unit: UnitOfWork, counters: Map<string, Counters>): UnitResult => {
    if (!unit.conversation && unit.messages?.length === 1 && !unit.events?.length) {
      // The common unit, one message (every chat message): a single INSERT is atomic on its own, and
      // appendMessage moves the counters only after it succeeded, so no savepoint is needed.
      return { applied: true, conversation: null, messages: [appendMessage(unit.messages[0]!, counters)] };
    }
    // The unit's savepoint undoes its rows, but not the batch's in-memory counters: restore those too.
    const saved = new Map(counters);
    try {
      return applyUnit(unit, counters);
    } catch (err) {
      counters.clear();
      for (const [id, c] of saved) counters.set(id, c);
      throw err;
    }
  };

  const applyBatch = client.transaction((batch: Write[]) => {
    const counters = new Map<string, Counters>();
    const committed: ChatEventRecord[] = [];
    const outcomes = batch.map((w): Outcome<Written> => {
      try {
        if (w.kind === 'message') return { ok: true, value: appendMessage(w.m, counters) };
        if (w.kind === 'event') {
          committed.push(appendEvent(w.e));
          return { ok: true, value: null };
        }
        if (w.kind === 'unit') {
          const result = runUnit(w.unit, counters);
          committed.push(...(unitEvents.get(result) ?? []));
          return { ok: true, value: result };
        }
        const p = w.p;
        insertPageView.run(p.visitorId, p.url, p.title, p.referrer, p.at);
        return { ok: true, value: null };
      } catch (error) {
        // Errors like SQLITE_FULL roll back the whole transaction; carrying on would autocommit the rest.
        if (!client.inTransaction) throw error;
        return { ok: false, error: translateError(error) };
      }
    });
    for (const [id, c] of counters) writeCounters.run(c.lastSeq, c.lastPublicSeq, id);
    return { outcomes, committed };
  });

  return new GroupCommit<Write, Written>((batch) => {
    let applied: ReturnType<typeof applyBatch.immediate>;
    try {
      applied = applyBatch.immediate(batch);
    } catch (err) {
      // Nothing of the batch was stored: every sender gets the (possibly retryable) error, never an ack.
      throw translateError(err);
    }
    const { outcomes, committed } = applied;
    if (batch.some((w) => w.kind === 'message' || (w.kind === 'unit' && w.unit.messages?.length)))
      messagesStored();
    if (committed.length > 0) emit(committed);
    return outcomes;
  });
}
