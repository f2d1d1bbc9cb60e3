import type postgres from 'postgres';
import type { ChatEventRecord } from '../store/types.js';
import type { OperatorInterval } from './coverage.js';
import { rowToFact } from './fact-rows.js';
import type { ChatFact } from './facts.js';
import { teamStatusChange } from './fold.js';

// The team side of PostgresMetrics (issue #12.8), kept apart from postgres-metrics.ts: team online
// intervals from operator_status events, a team's facts and its intervals for team-source.ts.

type Sql = postgres.Sql<{ bigint: number }>;
type Tx = postgres.TransactionSql<{ bigint: number }>;

/** Opens and closes the operator's team intervals for one operator_status event (inside the fold). */
export async function applyTeamStatus(tx: Tx, e: ChatEventRecord): Promise<void> {
  if (!e.operatorId) return;
  const open = await tx<{ id: number; team_id: string }[]>`
    select id, team_id from team_intervals where operator_id = ${e.operatorId} and to_ms is null`;
  const change = teamStatusChange(
    e,
    open.map((o) => o.team_id),
  );
  for (const o of open)
    if (change.close.includes(o.team_id))
      await tx`update team_intervals set to_ms = greatest(from_ms, ${e.at}::bigint) where id = ${o.id}`;
  for (const teamId of change.open)
    await tx`insert into team_intervals (operator_id, team_id, from_ms, to_ms)
      values (${e.operatorId}, ${teamId}, ${e.at}::bigint, null)`;
}

/** Online intervals of the team's operators that overlap [from, to). */
export async function teamIntervalsOf(
  sql: Sql,
  teamId: string,
  from: number,
  to: number,
): Promise<OperatorInterval[]> {
  const rows = await sql<{ operator_id: string; from_ms: number; to_ms: number | null }[]>`
    select operator_id, from_ms, to_ms from team_intervals
    where team_id = ${teamId} and ((to_ms > ${from} and from_ms < ${to}) or (to_ms is null and from_ms < ${to}))
    order by (to_ms is null), id`;
  return rows.map((r) => ({
    operatorId: r.operator_id,
    from: Number(r.from_ms),
    to: r.to_ms === null ? null : Number(r.to_ms),
  }));
}

/** The team's chats created in [from, to) in creation order, with the conversation's own tags. */
export async function* teamChatsOf(
  sql: Sql,
  siteId: string,
  teamId: string,
  from: number,
  to: number,
): AsyncIterable<ChatFact> {
  let lastAt = Number.MIN_SAFE_INTEGER;
  let lastId = '';
  for (;;) {
    const rows = await sql`
      select f.*, c.tags as conversation_tags from chat_facts f left join conversations c on c.id = f.conversation_id
      where f.site_id = ${siteId} and f.team_id = ${teamId} and f.created_at >= ${from} and f.created_at < ${to}
        and (f.created_at, f.conversation_id) > (${lastAt}::bigint, ${lastId})
      order by f.created_at, f.conversation_id limit 2000`;
    if (rows.length === 0) return;
    for (const r of rows) {
      const f = rowToFact(r as never);
      const tags = r.conversation_tags;
      yield Array.isArray(tags) ? { ...f, tags: tags.filter((t): t is string => typeof t === 'string') } : f;
    }
    const last = rows[rows.length - 1]!;
    lastAt = Number(last.created_at);
    lastId = last.conversation_id as string;
  }
}
