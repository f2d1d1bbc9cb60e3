import type { Rating } from '@beseda/shared';
import { type ChatFact, newFact } from './facts.js';
import { calendarFor } from './tz.js';

/**
 * A chat fact as a table row (the `chat_facts` columns), the same on SQLite and PostgreSQL: both stores keep
 * facts in one shape and map them here.
 */
export interface FactRow {
  conversation_id: string;
  site_id: string;
  team_id: string | null;
  created_at: number;
  day: number;
  hour: number;
  weekday: number;
  status: string;
  enqueued_at: number | null;
  assigned_at: number | null;
  first_operator_id: string | null;
  operator_id: string | null;
  wait_ms: number | null;
  first_reply_at: number | null;
  first_reply_operator_id: string | null;
  frt_ms: number | null;
  ended_at: number | null;
  ended_by: string | null;
  handling_ms: number | null;
  missed: number;
  rating: string | null;
  rating_comment: string | null;
  rated_at: number | null;
  transfers: number;
  tags: string;
  responses: string;
}

export function factToRow(f: ChatFact): FactRow {
  return {
    conversation_id: f.conversationId,
    site_id: f.siteId,
    team_id: f.teamId,
    created_at: f.createdAt,
    day: f.day,
    hour: f.hour,
    weekday: f.weekday,
    status: f.status,
    enqueued_at: f.enqueuedAt,
    assigned_at: f.assignedAt,
    first_operator_id: f.firstOperatorId,
    operator_id: f.operatorId,
    wait_ms: f.waitMs,
    first_reply_at: f.firstReplyAt,
    first_reply_operator_id: f.firstReplyOperatorId,
    frt_ms: f.frtMs,
    ended_at: f.endedAt,
    ended_by: f.endedBy,
    handling_ms: f.handlingMs,
    missed: f.missed ? 1 : 0,
    rating: f.rating,
    rating_comment: f.ratingComment,
    rated_at: f.ratedAt,
    transfers: f.transfers,
    tags: JSON.stringify(f.tags),
    responses: JSON.stringify(f.responseTimes.map((r) => [r.operatorId, r.ms])),
  };
}

export function rowToFact(r: FactRow): ChatFact {
  return {
    conversationId: r.conversation_id,
    siteId: r.site_id,
    // Absent in rows written before teams (bulk loaders): no team.
    teamId: r.team_id ?? null,
    createdAt: r.created_at,
    day: r.day,
    hour: r.hour,
    weekday: r.weekday,
    status: r.status as ChatFact['status'],
    enqueuedAt: r.enqueued_at,
    assignedAt: r.assigned_at,
    firstOperatorId: r.first_operator_id,
    operatorId: r.operator_id,
    waitMs: r.wait_ms,
    firstReplyAt: r.first_reply_at,
    firstReplyOperatorId: r.first_reply_operator_id,
    frtMs: r.frt_ms,
    endedAt: r.ended_at,
    endedBy: r.ended_by,
    handlingMs: r.handling_ms,
    missed: r.missed === 1,
    rating: r.rating as Rating | null,
    ratingComment: r.rating_comment,
    ratedAt: r.rated_at,
    transfers: r.transfers,
    tags: JSON.parse(r.tags) as string[],
    responseTimes: (JSON.parse(r.responses) as [string | null, number][]).map(([operatorId, ms]) => ({
      operatorId,
      ms,
    })),
  };
}

// Column order taken from one empty fact, so the row shape is declared once (in facts.ts).
export const FACT_COLUMNS = Object.keys(
  factToRow(newFact({ id: '', siteId: '', createdAt: 0 }, calendarFor('UTC'))),
) as (keyof FactRow)[];
