import type { Message } from '@beseda/shared';
import type postgres from 'postgres';
import { notFound, translateError } from '../errors.js';
import { GroupCommit, type Outcome } from '../group-commit.js';
import type { ChatEventRecord, NewMessage, PageViewRecord } from '../types.js';

// The hot path talks to postgres.js directly: its tagged templates become named prepared statements that
// pipeline, while drizzle sends every statement unprepared, which costs an extra round trip each.

export type Write =
  | { kind: 'message'; m: NewMessage }
  | { kind: 'event'; e: ChatEventRecord }
  | { kind: 'page_view'; p: PageViewRecord };
export type Written = { message: Message; duplicate: boolean } | null;
type Tx = postgres.TransactionSql;
type MessageRow = Omit<Message, 'at'> & { at: string; duplicate: boolean };

const toMessage = ({ duplicate: _, ...row }: MessageRow): Message => ({
  ...row,
  // int8 arrives as text; ms timestamps are far inside the safe integer range.
  at: Number(row.at),
});

/**
 * One statement dedupes, takes the next seq and stores the message. The UPDATE's row lock makes seq
 * assignment atomic across nodes, and being one statement, a failed INSERT undoes the bump: seqs have no
 * gaps. A retry finds its original (also one written earlier in this transaction) and bumps nothing; an
 * unknown conversation yields no row.
 */
const appendMessageSql = (tx: Tx, m: NewMessage) => tx<MessageRow[]>`
  with existing as (
    select conversation_id, seq, client_id, author, operator_id, author_name, text, at
    from messages where conversation_id = ${m.conversationId}::text and client_id = ${m.clientId}::text
  ), bumped as (
    update conversations set last_seq = last_seq + 1
    where id = ${m.conversationId}::text and not exists (select 1 from existing)
    returning last_seq
  ), inserted as (
    insert into messages (conversation_id, seq, client_id, author, operator_id, author_name, text, at)
    select ${m.conversationId}::text, last_seq, ${m.clientId}::text, ${m.author}::text, ${m.operatorId}::text,
      ${m.authorName}::text, ${m.text}::text, ${m.at}::bigint
    from bumped
    returning conversation_id, seq, client_id, author, operator_id, author_name, text, at
  )
  select conversation_id as "conversationId", seq, client_id as "clientId", author, operator_id as "operatorId",
    author_name as "authorName", text, at, false as duplicate from inserted
  union all
  select conversation_id, seq, client_id, author, operator_id, author_name, text, at, true from existing`;

/** Resolves to the write's answer, a missing conversation included; rejects only on an SQL error. */
async function execute(tx: Tx, w: Write): Promise<Outcome<Written>> {
  if (w.kind === 'page_view') {
    const p = w.p;
    await tx`
      insert into page_views (visitor_id, url, title, referrer, at)
      values (${p.visitorId}::text, ${p.url}::text, ${p.title}::text, ${p.referrer}::text, ${p.at}::bigint)`;
    return { ok: true, value: null };
  }
  if (w.kind === 'event') {
    const e = w.e;
    await tx`
      insert into events (site_id, conversation_id, operator_id, type, at, data)
      values (${e.siteId}::text, ${e.conversationId}::text, ${e.operatorId}::text, ${e.type}::text, ${e.at}::bigint,
        ${e.data === null ? null : JSON.stringify(e.data)}::jsonb)`;
    return { ok: true, value: null };
  }
  const [row] = await appendMessageSql(tx, w.m);
  if (!row) return { ok: false, error: notFound('Conversation', w.m.conversationId) };
  return { ok: true, value: { message: toMessage(row), duplicate: row.duplicate } };
}

/** A statement failed and aborted the transaction; nothing of the batch was committed. */
class StatementFailed extends Error {}

/** Every statement of the batch is sent at once, pipelined on the transaction's connection. */
function commitPipelined(client: postgres.Sql, batch: Write[]): Promise<Outcome<Written>[]> {
  return client.begin(async (tx) => {
    const settled = await Promise.allSettled(batch.map((w) => execute(tx, w)));
    return settled.map((s) => {
      if (s.status === 'rejected')
        throw new StatementFailed('A write of the batch failed', { cause: s.reason });
      return s.value;
    });
  }) as Promise<Outcome<Written>[]>;
}

/** After a failed statement: a savepoint per write, so each bad write is rolled back and rejected alone. */
function commitIsolated(client: postgres.Sql, batch: Write[]): Promise<Outcome<Written>[]> {
  return client.begin(async (tx) => {
    const outcomes: Outcome<Written>[] = [];
    for (const w of batch) {
      try {
        outcomes.push((await tx.savepoint((sp) => execute(sp, w))) as Outcome<Written>);
      } catch (error) {
        outcomes.push((await raceLostTo(tx, w, error)) ?? { ok: false, error: translateError(error) });
      }
    }
    return outcomes;
  }) as Promise<Outcome<Written>[]>;
}

/** Another node committed the same clientId between our dedupe check and our insert: answer with its row. */
async function raceLostTo(tx: Tx, w: Write, err: unknown): Promise<Outcome<Written> | undefined> {
  const pg = err as { code?: unknown; constraint_name?: unknown };
  if (w.kind !== 'message' || w.m.clientId === null) return undefined;
  if (pg.code !== '23505' || pg.constraint_name !== 'messages_conversation_client_uq') return undefined;
  const [row] = await tx<MessageRow[]>`
    select conversation_id as "conversationId", seq, client_id as "clientId", author, operator_id as "operatorId",
      author_name as "authorName", text, at, true as duplicate
    from messages where conversation_id = ${w.m.conversationId}::text and client_id = ${w.m.clientId}::text`;
  return row ? { ok: true, value: { message: toMessage(row), duplicate: true } } : undefined;
}

/**
 * The group-commit writer. Messages are written in conversation order, so two nodes' batches lock
 * conversation rows in the same order and cannot deadlock; within one conversation the request order is
 * kept (stable sort).
 */
export function createPostgresWriter(client: postgres.Sql): GroupCommit<Write, Written> {
  return new GroupCommit<Write, Written>(async (batch) => {
    const order = batch
      .map((w, i) => ({ w, i, key: w.kind === 'message' ? w.m.conversationId : '' }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const sorted = order.map((o) => o.w);
    let outcomes: Outcome<Written>[];
    try {
      outcomes = await commitPipelined(client, sorted);
    } catch (err) {
      // Only a failed statement is retried: after a failed COMMIT the batch may have been stored.
      if (!(err instanceof StatementFailed)) throw err;
      outcomes = await commitIsolated(client, sorted);
    }
    const byRequest: Outcome<Written>[] = [];
    order.forEach((o, k) => {
      const outcome = outcomes[k];
      if (outcome) byRequest[o.i] = outcome;
    });
    return byRequest;
  });
}
