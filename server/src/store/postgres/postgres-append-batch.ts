import type { MessageAuthor } from '@beseda/shared';
import type postgres from 'postgres';
import type { AppendResult, NewMessage } from '../types.js';

type Tx = postgres.TransactionSql;

interface Row {
  ord: number;
  conversationId: string;
  seq: number;
  clientId: string | null;
  author: MessageAuthor;
  operatorId: string | null;
  authorName: string | null;
  text: string;
  at: string;
  prevPublic: number;
  duplicate: boolean;
}

/**
 * All plain appends of a group commit in ONE statement: a round trip per batch instead of per message.
 * It locks the batch's conversations in id order (two nodes cannot deadlock) FOR NO KEY UPDATE: the
 * counters are not key columns, and FOR UPDATE would also conflict with the KEY SHARE locks that rows
 * referencing a conversation take (the visitor-search indexer's upserts), in their own order — a deadlock.
 * It skips retries of stored clientIds and repeats within the batch, numbers the rest per conversation in
 * request order, links each to the previous non-note message (prev_public), inserts them and moves both
 * counters. Returns one answer per input, in input order; null = unknown conversation (or one that
 * `requireActive` refused). A clientId that another node commits concurrently makes the INSERT fail; the
 * caller then retries write by write. (`inserted` and `bumped` run although nothing reads them: PostgreSQL
 * always executes data-modifying CTEs.)
 */
export async function appendBatch(tx: Tx, batch: NewMessage[]): Promise<(AppendResult | null)[]> {
  const rows = await tx<Row[]>`
    with input as (
      select * from unnest(
        ${batch.map((m) => m.conversationId)}::text[], ${batch.map((m) => m.clientId)}::text[],
        ${batch.map((m) => m.author)}::text[], ${batch.map((m) => m.operatorId)}::text[],
        ${batch.map((m) => m.authorName)}::text[], ${batch.map((m) => m.text)}::text[],
        ${batch.map((m) => m.at)}::bigint[], ${batch.map((m) => (m.requireActive !== undefined ? 1 : 0))}::int[],
        ${batch.map((m) => m.requireActive?.operatorId ?? null)}::text[]
      ) with ordinality as i(conversation_id, client_id, author, operator_id, author_name, text, at, guarded,
        guard_operator, ord)
    ), locked as (
      select id, last_seq, last_public_seq, status, operator_id from conversations
      where id in (select conversation_id from input) order by id for no key update
    ), stored as (
      select i.ord, m.conversation_id, m.seq, m.client_id, m.author, m.operator_id, m.author_name, m.text, m.at,
        m.prev_public
      from input i join messages m on m.conversation_id = i.conversation_id and m.client_id = i.client_id
    ), first_of as (
      -- The first request of each clientId in the batch is the one stored; later ones are its retries.
      select i.*, min(i.ord) over (partition by i.conversation_id, i.client_id) as first_ord
      from input i join locked l on l.id = i.conversation_id
      where not exists (select 1 from stored s where s.ord = i.ord)
        and (i.guarded = 0 or (l.status = 'active'
          and (i.guard_operator is null or l.operator_id = i.guard_operator)))
    ), fresh as (
      select f.*, (l.last_seq + row_number() over (partition by f.conversation_id order by f.ord))::int as seq,
        l.last_public_seq
      from first_of f join locked l on l.id = f.conversation_id
      where f.client_id is null or f.ord = f.first_ord
    ), linked as (
      select f.*, coalesce(max(case when f.author <> 'note' then f.seq end) over (partition by f.conversation_id
          order by f.ord rows between unbounded preceding and 1 preceding), f.last_public_seq)::int as prev_public
      from fresh f
    ), inserted as (
      insert into messages (conversation_id, seq, prev_public, client_id, author, operator_id, author_name, text, at)
      select conversation_id, seq, prev_public, client_id, author, operator_id, author_name, text, at from linked
      returning conversation_id
    ), bumped as (
      update conversations c set last_seq = n.last_seq,
        last_public_seq = greatest(c.last_public_seq, coalesce(n.last_public, 0))
      from (select conversation_id, max(seq) as last_seq, max(case when author <> 'note' then seq end) as last_public
            from linked group by conversation_id) n
      where c.id = n.conversation_id
      returning c.id
    )
    select ord, conversation_id as "conversationId", seq, client_id as "clientId", author, operator_id as "operatorId",
      author_name as "authorName", text, at, prev_public as "prevPublic", false as duplicate
    from linked
    union all
    select ord, conversation_id, seq, client_id, author, operator_id, author_name, text, at, prev_public, true
    from stored
    union all
    -- Retries within the batch answer with the row their first request stores.
    select f.ord, l.conversation_id, l.seq, l.client_id, l.author, l.operator_id, l.author_name, l.text, l.at,
      l.prev_public, true
    from first_of f join linked l on l.ord = f.first_ord
    where f.client_id is not null and f.ord <> f.first_ord`;
  const out: (AppendResult | null)[] = batch.map(() => null);
  for (const r of rows) {
    out[Number(r.ord) - 1] = {
      message: {
        conversationId: r.conversationId,
        seq: r.seq,
        clientId: r.clientId,
        author: r.author,
        operatorId: r.operatorId,
        authorName: r.authorName,
        text: r.text,
        at: Number(r.at),
      },
      duplicate: r.duplicate,
      prevPublic: r.prevPublic,
    };
  }
  return out;
}
