import type postgres from 'postgres';
import { CONVERSATION_FIELDS, pickPatch } from '../patch.js';
import type { AppendResult, ChatEventRecord, Conversation, UnitOfWork } from '../types.js';

type Tx = postgres.Sql | postgres.TransactionSql;

/** Conversation fields as PostgreSQL columns (shared with postgres-writes.ts). */
export const CONVERSATION_COLUMN: Record<(typeof CONVERSATION_FIELDS)[number] | 'routingRev', string> = {
  status: 'status',
  operatorId: 'operator_id',
  enqueuedAt: 'enqueued_at',
  assignedAt: 'assigned_at',
  endedAt: 'ended_at',
  rating: 'rating',
  ratingComment: 'rating_comment',
  visitorName: 'visitor_name',
  visitorEmail: 'visitor_email',
  teamId: 'team_id',
  tags: 'tags',
  routingRev: 'routing_rev',
};

/**
 * Whether a unit of work can be written as ONE statement: a conversation change (no tags: those need
 * their own table) with the conversation's own system messages and notes (no clientId, so nothing to
 * dedupe) and any events. That covers what routing writes — assignments, requeues, ends — so the fence
 * check and the writes it guards cost one round trip instead of one for the check and one for the rest.
 */
export function isSingleStatementUnit(unit: UnitOfWork): boolean {
  const change = unit.conversation;
  if (!change || change.patch.tags !== undefined) return false;
  if (Object.keys(pickPatch(change.patch, CONVERSATION_FIELDS)).length === 0 && change.fence === undefined)
    return false;
  return (unit.messages ?? []).every(
    (m) => m.conversationId === change.id && m.clientId === null && m.requireActive === undefined,
  );
}

interface UnitRow {
  conversation: Record<string, unknown> | null;
  current: Record<string, unknown> | null;
  seqs: { seq: number; prev: number }[] | null;
  eventIds: string[] | null;
}

const toConversation = (r: Record<string, unknown>): Conversation => {
  const millis = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    ...(r as unknown as Conversation),
    createdAt: Number(r.createdAt),
    enqueuedAt: millis(r.enqueuedAt),
    assignedAt: millis(r.assignedAt),
    endedAt: millis(r.endedAt),
  };
};

export type SingleStatementOutcome =
  | { kind: 'applied'; conversation: Conversation; messages: AppendResult[]; events: ChatEventRecord[] }
  | { kind: 'fenced'; conversation: Conversation }
  | { kind: 'unknown' };

/**
 * The unit as one statement: lock the row, apply the change if the fence allows, number the messages
 * after the row's counters (prev_public skips notes) and insert them and the events only if the change
 * was applied. A refused or unknown unit writes nothing, so the batch around it needs no savepoint.
 */
export async function writeSingleStatementUnit(tx: Tx, unit: UnitOfWork): Promise<SingleStatementOutcome> {
  const change = unit.conversation!;
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pickPatch(change.patch, CONVERSATION_FIELDS)))
    set[CONVERSATION_COLUMN[key as keyof typeof CONVERSATION_COLUMN]] = value;
  if (change.fence !== undefined) set.routing_rev = change.fence;
  const messages = unit.messages ?? [];
  const events = unit.events ?? [];
  let lastPublic = 0;
  messages.forEach((m, i) => {
    if (m.author !== 'note') lastPublic = i + 1;
  });
  // Built by hand: postgres.js picks its object helper's form from the last SQL keyword before it, and
  // the FOR UPDATE above makes it choose a select list.
  const assignments = Object.entries(set)
    .map(([column, value]) => tx`${tx(column)} = ${value as never}`)
    .reduce((list, one) => tx`${list}, ${one}`);
  const fenced = change.fence === undefined ? tx`` : tx`and l.l_rev < ${change.fence}::int`;
  const [row] = await tx<UnitRow[]>`
    with locked as (
      select id as l_id, last_seq as l_seq, last_public_seq as l_pub, routing_rev as l_rev
      from conversations where id = ${change.id}::text for no key update
    ), upd as (
      update conversations c set ${assignments},
        last_seq = l.l_seq + ${messages.length}::int,
        last_public_seq = case when ${lastPublic}::int > 0 then l.l_seq + ${lastPublic}::int else l.l_pub end
      from locked l where c.id = l.l_id ${fenced}
      returning c.id, c.site_id as "siteId", c.visitor_id as "visitorId", c.status, c.operator_id as "operatorId",
        c.created_at as "createdAt", c.enqueued_at as "enqueuedAt", c.assigned_at as "assignedAt",
        c.ended_at as "endedAt", c.last_seq as "lastSeq", c.rating, c.rating_comment as "ratingComment",
        c.visitor_name as "visitorName", c.visitor_email as "visitorEmail", c.team_id as "teamId", c.tags, c.routing_rev as "routingRev"
    ), input as (
      select * from unnest(
        ${messages.map((m) => m.author)}::text[], ${messages.map((m) => m.operatorId)}::text[],
        ${messages.map((m) => m.authorName)}::text[], ${messages.map((m) => m.text)}::text[],
        ${messages.map((m) => m.at)}::bigint[]
      ) with ordinality as i(author, operator_id, author_name, text, at, ord)
    ), numbered as (
      select i.*, (l.l_seq + i.ord)::int as seq,
        coalesce(max(case when i.author <> 'note' then l.l_seq + i.ord end) over (order by i.ord
          rows between unbounded preceding and 1 preceding), l.l_pub)::int as prev
      from input i cross join locked l where exists (select 1 from upd)
    ), inserted as (
      insert into messages (conversation_id, seq, prev_public, client_id, author, operator_id, author_name, text, at)
      select ${change.id}::text, seq, prev, null, author, operator_id, author_name, text, at from numbered order by ord
      returning seq
    ), ev_input as (
      select * from unnest(
        ${events.map((e) => e.siteId)}::text[], ${events.map((e) => e.conversationId)}::text[],
        ${events.map((e) => e.operatorId)}::text[], ${events.map((e) => e.type)}::text[],
        ${events.map((e) => e.at)}::bigint[],
        ${events.map((e) => (e.data === null ? null : JSON.stringify(e.data)))}::text[]
      ) with ordinality as e(site_id, conversation_id, operator_id, type, at, data, ord)
    ), ev as (
      insert into events (site_id, conversation_id, operator_id, type, at, data)
      select site_id, conversation_id, operator_id, type, at, data::jsonb from ev_input
      where exists (select 1 from upd) order by ord
      returning id
    )
    select (select row_to_json(upd) from upd) as conversation,
      (select row_to_json(c) from (select id, site_id as "siteId", visitor_id as "visitorId", status,
        operator_id as "operatorId", created_at as "createdAt", enqueued_at as "enqueuedAt",
        assigned_at as "assignedAt", ended_at as "endedAt", last_seq as "lastSeq", rating,
        rating_comment as "ratingComment", visitor_name as "visitorName", visitor_email as "visitorEmail", team_id as "teamId", tags,
        routing_rev as "routingRev" from conversations where id = ${change.id}::text) c) as current,
      (select json_agg(json_build_object('seq', seq, 'prev', prev) order by ord) from numbered) as seqs,
      (select array_agg(id order by id) from ev) as "eventIds"`;
  if (!row?.conversation) {
    if (!row?.current) return { kind: 'unknown' };
    // Read in the statement's snapshot, before the (refused) change: the stored conversation as it is.
    return { kind: 'fenced', conversation: toConversation(row.current) };
  }
  const conversation = toConversation(row.conversation);
  const seqs = row.seqs ?? [];
  const ids = row.eventIds ?? [];
  return {
    kind: 'applied',
    conversation,
    messages: messages.map((m, i) => ({
      message: {
        conversationId: m.conversationId,
        seq: seqs[i]!.seq,
        clientId: null,
        author: m.author,
        operatorId: m.operatorId,
        authorName: m.authorName,
        text: m.text,
        at: m.at,
      },
      duplicate: false,
      prevPublic: seqs[i]!.prev,
    })),
    events: events.map((e, i) => ({ ...e, id: Number(ids[i]) })),
  };
}
