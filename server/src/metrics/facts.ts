import type { ConversationStatus, MessageAuthor, Rating } from '@beseda/shared';
import type { ChatEventRecord } from '../store/types.js';
import type { TzCalendar } from './tz.js';
import { weekdayOf } from './tz.js';

/** One operator reply that answered a waiting visitor, and how long the visitor had waited. */
export interface ResponseTime {
  operatorId: string | null;
  ms: number;
}

/**
 * Everything the dashboards need about one conversation, folded from its events (and, for response times,
 * its messages). A conversation belongs to the local date (site timezone) on which it was created.
 */
export interface ChatFact {
  conversationId: string;
  siteId: string;
  /**
   * The team the chat was last routed to (issue #12.8): `enqueued.data.teamId`, then each
   * `team_changed.data.to`; null = the whole site's queue.
   */
  teamId: string | null;
  createdAt: number;
  /** Local day number, hour 0–23 and weekday 0 (Sunday)–6 of createdAt in the site's timezone. */
  day: number;
  hour: number;
  weekday: number;
  status: ConversationStatus;
  enqueuedAt: number | null;
  /** First assignment. */
  assignedAt: number | null;
  firstOperatorId: string | null;
  /** "Handled by": the operator the chat was last assigned or transferred to. */
  operatorId: string | null;
  /** Queue wait: enqueue → first assignment. */
  waitMs: number | null;
  firstReplyAt: number | null;
  firstReplyOperatorId: string | null;
  /** First visitor message → first operator message. */
  frtMs: number | null;
  endedAt: number | null;
  endedBy: string | null;
  /** First assignment → end, for chats that were assigned and ended. */
  handlingMs: number | null;
  /** Left the queue without an operator (gave up, or switched to leaving a message). */
  missed: boolean;
  rating: Rating | null;
  ratingComment: string | null;
  ratedAt: number | null;
  transfers: number;
  tags: string[];
  responseTimes: ResponseTime[];
}

export function newFact(conv: { id: string; siteId: string; createdAt: number }, cal: TzCalendar): ChatFact {
  const day = cal.dayOf(conv.createdAt);
  return {
    conversationId: conv.id,
    siteId: conv.siteId,
    teamId: null,
    createdAt: conv.createdAt,
    day,
    hour: cal.hourOf(conv.createdAt),
    weekday: weekdayOf(day),
    status: 'queued',
    enqueuedAt: null,
    assignedAt: null,
    firstOperatorId: null,
    operatorId: null,
    waitMs: null,
    firstReplyAt: null,
    firstReplyOperatorId: null,
    frtMs: null,
    endedAt: null,
    endedBy: null,
    handlingMs: null,
    missed: false,
    rating: null,
    ratingComment: null,
    ratedAt: null,
    transfers: 0,
    tags: [],
    responseTimes: [],
  };
}

/** Re-derives the local placement of a fact (after the site's timezone changed). */
export function relocate(fact: ChatFact, cal: TzCalendar): ChatFact {
  const day = cal.dayOf(fact.createdAt);
  return { ...fact, day, hour: cal.hourOf(fact.createdAt), weekday: weekdayOf(day) };
}

/** Event types that change a conversation's fact. */
export const FACT_EVENTS = new Set([
  'enqueued',
  'assigned',
  'first_reply',
  'transferred',
  'ring_timeout',
  'ended',
  'missed',
  'rated',
  'offline_message',
  'team_changed',
]);

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const nonNegative = (v: number) => Math.max(0, v);

function tagsOf(data: Record<string, unknown> | null): string[] | null {
  const t = data?.tags;
  if (!Array.isArray(t)) return null;
  return [...new Set(t.filter((x): x is string => typeof x === 'string' && x !== ''))].sort();
}

/**
 * Applies one recorded event (relay.ts: enqueued {teamId}, assigned {waitMs}, first_reply {frtMs},
 * transferred {from, to}, team_changed {from, to, by}, ended {by}, missed {by}, rated {rating, comment},
 * offline_message) to a fact.
 * Pure; events must come in the order they were recorded. Durations are clamped at 0 (clock skew).
 */
export function applyEvent(fact: ChatFact, e: ChatEventRecord): ChatFact {
  const f: ChatFact = { ...fact };
  const data = e.data;
  const tags = tagsOf(data);
  if (tags) f.tags = tags;
  switch (e.type as string) {
    case 'enqueued':
      f.enqueuedAt ??= e.at;
      // `data: {teamId}` when the chat opened for a team; null data (no team, or recorded before teams).
      if (data && 'teamId' in data) f.teamId = str(data.teamId);
      if (f.status === 'queued' || f.status === 'offline') f.status = 'queued';
      break;
    case 'assigned': {
      if (f.assignedAt === null) {
        f.assignedAt = e.at;
        f.firstOperatorId = e.operatorId;
        const queuedAt = f.enqueuedAt ?? f.createdAt;
        f.waitMs = nonNegative(num(data?.waitMs) ?? e.at - queuedAt);
      }
      f.operatorId = e.operatorId ?? f.operatorId;
      if (f.status === 'queued') f.status = 'active';
      break;
    }
    case 'first_reply':
      if (f.firstReplyAt === null) {
        f.firstReplyAt = e.at;
        f.firstReplyOperatorId = e.operatorId;
        const frt = num(data?.frtMs);
        f.frtMs = frt === null ? null : nonNegative(frt);
      }
      break;
    case 'transferred':
      f.transfers += 1;
      f.operatorId = str(data?.to) ?? e.operatorId ?? f.operatorId;
      break;
    case 'team_changed':
      // Moved to a team's queue (or, with `to` null, to the whole site's): the chat now counts there. It is
      // back in a queue without an operator (router.ts move), like after a ring timeout; the first wait
      // stays. A transfer when an operator did it (`by`), not when its deleted team's queue was emptied.
      f.teamId = str(data?.to);
      if (str(data?.by) !== null) f.transfers += 1;
      f.operatorId = null;
      if (f.status === 'active') f.status = 'queued';
      break;
    case 'ring_timeout':
      // The operator did not answer in time: the chat went back to the queue (its first wait stays).
      f.operatorId = null;
      if (f.status === 'active') f.status = 'queued';
      break;
    case 'ended':
      f.status = 'ended';
      f.endedAt = e.at;
      f.endedBy = str(data?.by);
      f.handlingMs = f.assignedAt === null ? null : nonNegative(e.at - f.assignedAt);
      break;
    case 'missed':
      f.status = 'missed';
      f.missed = true;
      f.endedAt = e.at;
      f.endedBy = str(data?.by);
      break;
    case 'offline_message':
      // Waiting in the queue and then leaving a message instead is a missed chat; a message left while
      // nobody was online (never queued) is not.
      if (f.enqueuedAt !== null && f.assignedAt === null && !f.missed) {
        f.missed = true;
        f.endedAt ??= e.at;
        f.endedBy ??= 'message';
      }
      f.status = 'offline';
      break;
    case 'rated': {
      const rating = data?.rating;
      if (rating === 'good' || rating === 'bad') {
        f.rating = rating;
        const comment = typeof data?.comment === 'string' ? data.comment.trim() : '';
        f.ratingComment = comment === '' ? null : comment;
        f.ratedAt = e.at;
      }
      break;
    }
    default:
      return fact;
  }
  return f;
}

/**
 * Response times (DESIGN §5): each operator message that follows a visitor message still waiting for an
 * answer; the wait runs from the first unanswered visitor message. Internal notes and system messages
 * neither answer nor wait. Messages in seq order.
 */
export function responseTimes(
  messages: readonly { author: MessageAuthor; operatorId: string | null; at: number }[],
): ResponseTime[] {
  const out: ResponseTime[] = [];
  let waitingSince: number | null = null;
  for (const m of messages) {
    if (m.author === 'visitor') waitingSince ??= m.at;
    else if (m.author === 'operator') {
      if (waitingSince !== null) out.push({ operatorId: m.operatorId, ms: nonNegative(m.at - waitingSince) });
      waitingSince = null;
    }
  }
  return out;
}

// ---------- what one fact adds to the rollups ----------

/** Additive counters; every dashboard figure that is not a percentile is a ratio of these. */
export interface ChatTotals {
  /** Conversations created (every status). */
  started: number;
  /** Left as a message while nobody was online (never queued); not counted as missed. */
  offline: number;
  /** Assigned to an operator at least once. */
  assigned: number;
  missed: number;
  ended: number;
  /** Assigned and ended: the ones with a handling time. */
  handled: number;
  handlingMs: number;
  waitCount: number;
  waitMs: number;
  frtCount: number;
  frtMs: number;
  respCount: number;
  respMs: number;
  good: number;
  bad: number;
  transfers: number;
}

export const TOTAL_KEYS = [
  'started',
  'offline',
  'assigned',
  'missed',
  'ended',
  'handled',
  'handlingMs',
  'waitCount',
  'waitMs',
  'frtCount',
  'frtMs',
  'respCount',
  'respMs',
  'good',
  'bad',
  'transfers',
] as const satisfies readonly (keyof ChatTotals)[];

export function emptyTotals(): ChatTotals {
  return Object.fromEntries(TOTAL_KEYS.map((k) => [k, 0])) as unknown as ChatTotals;
}

/** a += sign · b, in place. */
export function addTotals(a: ChatTotals, b: Partial<ChatTotals>, sign = 1): ChatTotals {
  for (const k of TOTAL_KEYS) {
    const v = b[k];
    if (v) a[k] += sign * v;
  }
  return a;
}

export type MetricName = 'wait' | 'frt' | 'resp';
export const METRICS: readonly MetricName[] = ['wait', 'frt', 'resp'];

/** '' stands for "no operator" in rollup keys. */
export const NO_OPERATOR = '';

export interface Contribution {
  /** Counters per operator they are attributed to. */
  totals: Map<string, Partial<ChatTotals>>;
  /** Duration values for percentiles, each with the operator it is attributed to. */
  values: { metric: MetricName; operatorId: string; value: number }[];
  /** Volume is attributed to the handling operator. */
  volumeOperator: string;
}

/**
 * Attribution (one rule per figure, so team figures are plain sums over operators):
 * started/offline/assigned/missed/ended/handled/ratings/transfers → the handling operator ("handled by");
 * queue wait → the operator of the first assignment; FRT → the operator who sent the first reply;
 * each response time → the operator who replied.
 */
export function contributionOf(f: ChatFact): Contribution {
  const handler = f.operatorId ?? NO_OPERATOR;
  const totals = new Map<string, Partial<ChatTotals>>();
  const add = (op: string, part: Partial<ChatTotals>) => {
    const t = totals.get(op) ?? {};
    for (const [k, v] of Object.entries(part) as [keyof ChatTotals, number][]) t[k] = (t[k] ?? 0) + v;
    totals.set(op, t);
  };
  add(handler, {
    started: 1,
    offline: f.status === 'offline' && !f.missed ? 1 : 0,
    // Missed and assigned never overlap (a chat that rang out and then left the queue is missed), so
    // abandonment = missed ÷ (assigned + missed) splits the chats that reached the queue.
    assigned: f.assignedAt !== null && !f.missed ? 1 : 0,
    missed: f.missed ? 1 : 0,
    ended: f.status === 'ended' ? 1 : 0,
    handled: f.handlingMs !== null ? 1 : 0,
    handlingMs: f.handlingMs ?? 0,
    good: f.rating === 'good' ? 1 : 0,
    bad: f.rating === 'bad' ? 1 : 0,
    transfers: f.transfers,
  });
  const values: Contribution['values'] = [];
  if (f.waitMs !== null) {
    const op = f.firstOperatorId ?? NO_OPERATOR;
    add(op, { waitCount: 1, waitMs: f.waitMs });
    values.push({ metric: 'wait', operatorId: op, value: f.waitMs });
  }
  if (f.frtMs !== null) {
    const op = f.firstReplyOperatorId ?? handler;
    add(op, { frtCount: 1, frtMs: f.frtMs });
    values.push({ metric: 'frt', operatorId: op, value: f.frtMs });
  }
  for (const r of f.responseTimes) {
    const op = r.operatorId ?? NO_OPERATOR;
    add(op, { respCount: 1, respMs: r.ms });
    values.push({ metric: 'resp', operatorId: op, value: r.ms });
  }
  return { totals, values, volumeOperator: handler };
}
