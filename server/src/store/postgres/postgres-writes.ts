import type { Message } from '@beseda/shared';
import type postgres from 'postgres';
import { notFound, translateError } from '../errors.js';
import { GroupCommit, type Outcome } from '../group-commit.js';
import { CONVERSATION_FIELDS, pickPatch } from '../patch.js';
import type { AppendResult, ChatEventRecord, Conversation, NewMessage, UnitOfWork } from '../types.js';
import type { Write, Written } from '../write-types.js';
import { appendBatch } from './postgres-append-batch.js';
import {
  CONVERSATION_COLUMN,
  isSingleStatementUnit,
  writeSingleStatementUnit,
} from './postgres-fenced-unit.js';

// The hot path talks to postgres.js directly: its tagged templates become named prepared statements that
// pipeline, while drizzle sends every statement unprepared, which costs an extra round trip each.

type Tx = postgres.TransactionSql;
type MessageRow = Omit<Message, 'at'> & { at: string; duplicate: boolean; prevPublic: number };

/** What a write came to, with the events it stored (ids filled in) for the committed-events listeners. */
type Executed = Outcome<Written> & { events?: ChatEventRecord[] };

const toResult = ({ duplicate, prevPublic, ...row }: MessageRow): AppendResult => ({
  // int8 arrives as text; ms timestamps are far inside the safe integer range.
  message: { ...row, at: Number(row.at) },
  duplicate,
  prevPublic,
});

/**
 * One statement dedupes, checks `requireActive`, takes the next seq, moves the visitor's chain (last_public_seq skips notes) and
 * stores the message. The row lock taken by `locked` makes numbering atomic across nodes, and being one
 * statement, a failed INSERT undoes the bump: seqs have no gaps. A retry finds its original (also one
 * written earlier in this transaction) and bumps nothing; an unknown conversation yields no row.
 */
const appendMessageSql = (tx: Tx, m: NewMessage) => tx<MessageRow[]>`
  with existing as (
    select conversation_id, seq, client_id, author, operator_id, author_name, text, at, prev_public
    from messages where conversation_id = ${m.conversationId}::text and client_id = ${m.clientId}::text
  ), locked as (
    select id, last_seq, last_public_seq from conversations
    where id = ${m.conversationId}::text and not exists (select 1 from existing)
      and (${m.requireActive !== undefined}::bool is false
        or (status = 'active' and (${m.requireActive?.operatorId ?? null}::text is null
          or operator_id = ${m.requireActive?.operatorId ?? null}::text)))
    for no key update
  ), bumped as (
    update conversations c set last_seq = l.last_seq + 1,
      last_public_seq = case when ${m.author}::text = 'note' then l.last_public_seq else l.last_seq + 1 end
    from locked l where c.id = l.id
    returning c.last_seq, l.last_public_seq as prev_public
  ), inserted as (
    insert into messages (conversation_id, seq, prev_public, client_id, author, operator_id, author_name, text, at)
    select ${m.conversationId}::text, last_seq, prev_public, ${m.clientId}::text, ${m.author}::text,
      ${m.operatorId}::text, ${m.authorName}::text, ${m.text}::text, ${m.at}::bigint
    from bumped
    returning conversation_id, seq, client_id, author, operator_id, author_name, text, at, prev_public
  )
  select conversation_id as "conversationId", seq, client_id as "clientId", author, operator_id as "operatorId",
    author_name as "authorName", text, at, prev_public as "prevPublic", false as duplicate from inserted
  union all
  select conversation_id, seq, client_id, author, operator_id, author_name, text, at, prev_public, true
  from existing`;

async function appendMessage(tx: Tx, m: NewMessage): Promise<AppendResult | null> {
  const [row] = await appendMessageSql(tx, m);
  return row ? toResult(row) : null;
}

async function appendEvent(tx: Tx, e: ChatEventRecord): Promise<ChatEventRecord> {
  const [row] = await tx<{ id: string }[]>`
    insert into events (site_id, conversation_id, operator_id, type, at, data)
    values (${e.siteId}::text, ${e.conversationId}::text, ${e.operatorId}::text, ${e.type}::text, ${e.at}::bigint,
      ${e.data === null ? null : JSON.stringify(e.data)}::jsonb)
    returning id`;
  return { ...e, id: Number(row?.id) };
}

/** A unit that cannot be stored whole: thrown so its transaction or savepoint is rolled back. */
class UnitRefused extends Error {}

type ConversationRow = Omit<Conversation, 'createdAt' | 'enqueuedAt' | 'assignedAt' | 'endedAt'> & {
  createdAt: string;
  enqueuedAt: string | null;
  assignedAt: string | null;
  endedAt: string | null;
};

const millisOrNull = (v: string | null): number | null => (v === null ? null : Number(v));
const toConversation = (r: ConversationRow): Conversation => ({
  ...r,
  createdAt: Number(r.createdAt),
  enqueuedAt: millisOrNull(r.enqueuedAt),
  assignedAt: millisOrNull(r.assignedAt),
  endedAt: millisOrNull(r.endedAt),
});

const conversationReturning = (tx: Tx) => tx`id, site_id as "siteId", visitor_id as "visitorId", status,
  operator_id as "operatorId", created_at as "createdAt", enqueued_at as "enqueuedAt", assigned_at as "assignedAt",
  ended_at as "endedAt", last_seq as "lastSeq", rating, rating_comment as "ratingComment",
  visitor_name as "visitorName", visitor_email as "visitorEmail", team_id as "teamId", tags, routing_rev as "routingRev"`;

/** The unit's conversation change; undefined when the conversation is unknown or a fence refused it. */
async function applyConversation(tx: Tx, change: NonNullable<UnitOfWork['conversation']>) {
  const patch: Record<string, unknown> = pickPatch(change.patch, CONVERSATION_FIELDS);
  const tags = Array.isArray(patch.tags) ? [...new Set(patch.tags as string[])] : undefined;
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch))
    set[CONVERSATION_COLUMN[key as keyof typeof CONVERSATION_COLUMN]] = value;
  // Sent as text; the server parses it into the jsonb column.
  if (tags) set.tags = JSON.stringify(tags);
  if (change.fence !== undefined) set.routing_rev = change.fence;
  const fenced = change.fence === undefined ? tx`` : tx`and routing_rev < ${change.fence}::int`;
  const rows =
    Object.keys(set).length === 0
      ? await tx<
          ConversationRow[]
        >`select ${conversationReturning(tx)} from conversations where id = ${change.id}::text`
      : await tx<
          ConversationRow[]
        >`update conversations set ${tx(set)} where id = ${change.id}::text ${fenced}
          returning ${conversationReturning(tx)}`;
  const row = rows[0];
  if (!row) return undefined;
  if (tags) {
    await tx`delete from conversation_tags where conversation_id = ${change.id}::text`;
    if (tags.length > 0)
      await tx`insert into conversation_tags (conversation_id, site_id, tag)
        select ${change.id}::text, ${row.siteId}::text, unnest(${tags}::text[]) on conflict do nothing`;
  }
  return toConversation(row);
}

/**
 * The conversation change first: if a fence refuses it, nothing else of the unit is written, so nothing
 * needs undoing. A later failure throws, and the caller's transaction or savepoint undoes the whole unit.
 */
async function applyUnit(tx: Tx, unit: UnitOfWork): Promise<Executed> {
  if (isSingleStatementUnit(unit)) {
    const out = await writeSingleStatementUnit(tx, unit);
    if (out.kind === 'unknown') return { ok: false, error: notFound('Conversation', unit.conversation!.id) };
    if (out.kind === 'fenced')
      return { ok: true, value: { applied: false, conversation: out.conversation, messages: [] } };
    const { conversation, messages, events } = out;
    return { ok: true, value: { applied: true, conversation, messages }, events };
  }
  if (!unit.conversation && (unit.messages?.length ?? 0) === 1 && (unit.events?.length ?? 0) === 0) {
    // One statement: a refusal (unknown conversation, requireActive) wrote nothing, so answer it directly.
    const m = unit.messages![0]!;
    const appended = await appendMessage(tx, m);
    if (!appended) return { ok: false, error: notFound('Conversation', m.conversationId) };
    return { ok: true, value: { applied: true, conversation: null, messages: [appended] } };
  }
  let conversation: Conversation | null = null;
  if (unit.conversation) {
    const change = unit.conversation;
    const updated = await applyConversation(tx, change);
    if (!updated) {
      const [current] = await tx<ConversationRow[]>`
        select ${conversationReturning(tx)} from conversations where id = ${change.id}::text`;
      if (!current)
        throw new UnitRefused('Unknown conversation', { cause: notFound('Conversation', change.id) });
      return { ok: true, value: { applied: false, conversation: toConversation(current), messages: [] } };
    }
    conversation = updated;
  }
  const [appended, stored] = await Promise.all([
    Promise.all((unit.messages ?? []).map((m) => appendMessage(tx, m))),
    Promise.all((unit.events ?? []).map((e) => appendEvent(tx, e))),
  ]);
  const results: AppendResult[] = [];
  appended.forEach((r, i) => {
    const id = unit.messages?.[i]?.conversationId ?? '';
    if (!r) throw new UnitRefused('Unknown conversation', { cause: notFound('Conversation', id) });
    results.push(r);
  });
  if (conversation) {
    const last = results.filter((r) => r.message.conversationId === conversation?.id).at(-1);
    if (last && !last.duplicate)
      conversation = { ...conversation, lastSeq: Math.max(conversation.lastSeq, last.message.seq) };
  }
  return { ok: true, value: { applied: true, conversation, messages: results }, events: stored };
}

/** Resolves to the write's answer, a missing conversation included; rejects on an SQL error. */
async function execute(tx: Tx, w: Write): Promise<Executed> {
  if (w.kind === 'page_view') {
    const p = w.p;
    await tx`
      insert into page_views (visitor_id, url, title, referrer, at)
      values (${p.visitorId}::text, ${p.url}::text, ${p.title}::text, ${p.referrer}::text, ${p.at}::bigint)`;
    return { ok: true, value: null };
  }
  if (w.kind === 'event') {
    const stored = await appendEvent(tx, w.e);
    return { ok: true, value: null, events: [stored] };
  }
  if (w.kind === 'unit') return applyUnit(tx, w.unit);
  const result = await appendMessage(tx, w.m);
  if (!result) return { ok: false, error: notFound('Conversation', w.m.conversationId) };
  return { ok: true, value: result };
}

/** A statement failed and aborted the transaction; nothing of the batch was committed. */
class StatementFailed extends Error {}

/** A write that is one statement, or whose refusal writes nothing: the batch may COMMIT unseen. */
function selfContained(w: Write): boolean {
  if (w.kind !== 'unit') return true;
  const { unit } = w;
  if (isSingleStatementUnit(unit)) return true;
  return !unit.conversation && (unit.messages?.length ?? 0) + (unit.events?.length ?? 0) <= 1;
}

/**
 * Every statement of the batch is sent at once, pipelined on one reserved connection together with its
 * BEGIN, except that a write waits for a unit of the same conversation before it (a unit decides, by its
 * fence, before it writes). When every write is self-contained the COMMIT is pipelined too, so the whole
 * batch is one round trip; PostgreSQL answers a COMMIT after a failed statement with ROLLBACK, and then
 * nothing was stored. Otherwise the answers are looked at first (a unit refused half-way rolls it back).
 */
async function commitPipelined(client: postgres.Sql, batch: Keyed[]): Promise<Executed[]> {
  const conn = await client.reserve();
  const tx = conn as unknown as Tx;
  let inTransaction = false;
  try {
    const begun = conn`begin`.then(() => {
      inTransaction = true;
    });
    const plain = batch.filter((k) => k.w.kind === 'message');
    // Plain appends go first, all in one statement; units and events follow on the same connection.
    const appended =
      plain.length > 0
        ? appendBatch(
            tx,
            plain.map((k) => (k.w as { m: NewMessage }).m),
          )
        : null;
    // One connection runs its statements in the order they were sent, so single statements need no
    // waiting; a unit of several statements awaits between them, and later writes of its conversation
    // must not slip in there.
    const oneTrip = batch.every((k) => selfContained(k.w));
    const tails = new Map<string, Promise<unknown>>();
    const running = batch.map(({ w, key }) => {
      if (w.kind === 'message') return Promise.resolve<Executed | null>(null);
      if (oneTrip) return execute(tx, w);
      // Writes queued behind the same tail start in the order they were queued, so still pipeline.
      const tail = tails.get(key);
      const run = tail ? tail.then(() => execute(tx, w)) : execute(tx, w);
      if (w.kind === 'unit')
        tails.set(
          key,
          run.catch(() => {}),
        );
      return run;
    });
    // A query goes out a few microtasks after it is made; the COMMIT must follow every statement above,
    // so it is made on the next turn of the event loop, when all of them have been handed to the socket.
    const committed = oneTrip
      ? new Promise<void>((resolve) => setImmediate(resolve))
          .then(() => conn`commit`)
          .then((r) => {
            inTransaction = false;
            return r.command;
          })
      : null;
    const [started, batchResult, ...settled] = await Promise.allSettled([begun, appended, ...running]);
    if (started?.status === 'rejected') throw started.reason;
    const failed =
      batchResult?.status === 'rejected' ? batchResult.reason : settled.find((x) => x.status === 'rejected');
    if (committed) {
      if ((await committed) !== 'COMMIT')
        throw new StatementFailed('A statement of the batch failed', { cause: failed });
    } else {
      if (failed) throw new StatementFailed('A write of the batch failed', { cause: failed });
      await conn`commit`;
    }
    inTransaction = false;
    const answers = batchResult?.status === 'fulfilled' ? (batchResult.value ?? []) : [];
    let k = 0;
    return settled.map((s, i): Executed => {
      if (batch[i]?.w.kind !== 'message') {
        // Only reachable after a pipelined COMMIT: the statement succeeded, reading its answer did not.
        if (s.status === 'rejected') return { ok: false, error: translateError(s.reason) };
        return s.value as Executed;
      }
      const w = batch[i]!.w as { m: NewMessage };
      const answer = answers[k++];
      return answer
        ? { ok: true, value: answer }
        : { ok: false, error: notFound('Conversation', w.m.conversationId) };
    });
  } finally {
    // Never hand a connection back inside a transaction (a failed statement leaves it aborted).
    if (inTransaction) await conn`rollback`.catch(() => {});
    conn.release();
  }
}

/** After a failed statement: a savepoint per write, so each bad write is rolled back and rejected alone. */
function commitIsolated(client: postgres.Sql, batch: Keyed[]): Promise<Executed[]> {
  return client.begin(async (tx) => {
    const outcomes: Executed[] = [];
    for (const { w } of batch) {
      try {
        outcomes.push((await tx.savepoint((sp) => execute(sp, w))) as Executed);
      } catch (error) {
        const reason = error instanceof UnitRefused ? error.cause : error;
        outcomes.push((await raceLostTo(tx, w, error)) ?? { ok: false, error: translateError(reason) });
      }
    }
    return outcomes;
  }) as Promise<Executed[]>;
}

/** Another node committed the same clientId between our dedupe check and our insert: answer with its row. */
async function raceLostTo(tx: Tx, w: Write, err: unknown): Promise<Executed | undefined> {
  const pg = err as { code?: unknown; constraint_name?: unknown };
  if (w.kind !== 'message' || w.m.clientId === null) return undefined;
  if (pg.code !== '23505' || pg.constraint_name !== 'messages_conversation_client_uq') return undefined;
  const [row] = await tx<MessageRow[]>`
    select conversation_id as "conversationId", seq, client_id as "clientId", author, operator_id as "operatorId",
      author_name as "authorName", text, at, prev_public as "prevPublic", true as duplicate
    from messages where conversation_id = ${w.m.conversationId}::text and client_id = ${w.m.clientId}::text`;
  return row ? { ok: true, value: toResult(row) } : undefined;
}

type Keyed = { w: Write; i: number; key: string };

/** The conversation whose row a write locks first ('' for writes that lock none). */
function lockKey(w: Write): string {
  if (w.kind === 'message') return w.m.conversationId;
  if (w.kind === 'unit') return w.unit.conversation?.id ?? w.unit.messages?.[0]?.conversationId ?? '';
  return '';
}

/**
 * The group-commit writer. Writes go in conversation order, so two nodes' batches lock conversation rows
 * in the same order and cannot deadlock; within one conversation the request order is kept (stable sort).
 * `emit` hears each batch's events after its transaction committed.
 */
export function createPostgresWriter(
  client: postgres.Sql,
  emit: (events: ChatEventRecord[]) => void,
): GroupCommit<Write, Written> {
  return new GroupCommit<Write, Written>(async (batch) => {
    const order: Keyed[] = batch
      .map((w, i) => ({ w, i, key: lockKey(w) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    let outcomes: Executed[];
    try {
      outcomes = await commitPipelined(client, order);
    } catch (err) {
      // Only a failed statement is retried: after a failed COMMIT the batch may have been stored.
      if (!(err instanceof StatementFailed)) throw err;
      outcomes = await commitIsolated(client, order);
    }
    const byRequest: Executed[] = [];
    order.forEach((o, k) => {
      const outcome = outcomes[k];
      if (outcome) byRequest[o.i] = outcome;
    });
    // Listeners hear events in request order, like the callers' promises.
    const committed = byRequest.flatMap((o) => (o.ok && o.events ? o.events : []));
    if (committed.length > 0) emit(committed);
    return byRequest.map((o) => (o.ok ? { ok: true, value: o.value } : o));
  });
}
