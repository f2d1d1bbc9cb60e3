import type { MessageAuthor, Rating } from '@beseda/shared';
import type { ChatEventRecord } from '../store/types.js';
import type { OperatorInterval } from './coverage.js';
import {
  addTotals,
  applyEvent,
  type ChatFact,
  type ChatTotals,
  contributionOf,
  emptyTotals,
  FACT_EVENTS,
  type MetricName,
  NO_OPERATOR,
  newFact,
  responseTimes,
} from './facts.js';
import { statusChange, teamStatusChange } from './fold.js';
import type { DayRange } from './stats.js';
import type { TeamFactsReader } from './team-source.js';
import { calendarFor } from './tz.js';

/** The sorted values of one duration metric over a range, readable by rank without loading them all. */
export interface Distribution {
  count: number;
  /** `count` (1 or 2) consecutive values of the ascending order from 0-based `rank`. */
  valuesAt(rank: number, count: 1 | 2): Promise<number[]>;
  /** How many values are ≤ v. */
  countAtMost(v: number): Promise<number>;
  max(): Promise<number | null>;
}

export interface RatingComment {
  conversationId: string;
  createdAt: number;
  ratedAt: number | null;
  rating: Rating;
  comment: string;
  operatorId: string | null;
}

export interface SiteInterval extends OperatorInterval {
  siteId: string;
}

/**
 * What the dashboards read. Not part of `Store`: dashboards read derived facts and rollups, which a
 * store implementation keeps next to its own tables (SQLite: sqlite-metrics.ts). `range` is always an
 * inclusive range of local day numbers in the site's timezone; a chat belongs to the day it was created.
 * `operatorId` null = the whole team. `teamId` (issue #12.8) = only the chats whose team (ChatFact.teamId)
 * is that one; absent or null = every chat of the site.
 */
export interface MetricsSource {
  /** Brings the derived data up to date with every recorded event. */
  sync(): Promise<void>;
  /** Counters per attributed operator ('' = no operator). */
  totals(siteId: string, range: DayRange, teamId?: string | null): Promise<Map<string, ChatTotals>>;
  /** Counters per local day. */
  dailyTotals(
    siteId: string,
    range: DayRange,
    operatorId: string | null,
    teamId?: string | null,
  ): Promise<Map<number, ChatTotals>>;
  distribution(
    siteId: string,
    metric: MetricName,
    range: DayRange,
    operatorId: string | null,
    teamId?: string | null,
  ): Promise<Distribution>;
  /** Chats started per weekday (0 = Sunday) × local hour: 7 rows of 24. */
  volume(
    siteId: string,
    range: DayRange,
    operatorId: string | null,
    teamId?: string | null,
  ): Promise<number[][]>;
  /** Online intervals of the site's operators that overlap [from, to). */
  intervals(siteId: string, from: number, to: number, operatorId: string | null): Promise<OperatorInterval[]>;
  /** Rated chats with a comment, newest first. */
  comments(
    siteId: string,
    range: DayRange,
    limit: number,
    operatorId: string | null,
    teamId?: string | null,
  ): Promise<RatingComment[]>;
  /** Every chat of the range in creation order (for CSV export). */
  chats(siteId: string, range: DayRange): AsyncIterable<ChatFact>;
}

export function emptyVolume(): number[][] {
  return Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
}

/** A distribution over an in-memory sorted array. */
export function arrayDistribution(values: readonly number[]): Distribution {
  const sorted = Float64Array.from(values).sort();
  return {
    count: sorted.length,
    valuesAt: async (rank, count) => Array.from(sorted.subarray(rank, rank + count)),
    countAtMost: async (v) => {
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid]! <= v) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
    max: async () => (sorted.length === 0 ? null : sorted[sorted.length - 1]!),
  };
}

/**
 * The reference implementation: plain scans over facts held in memory. It states the definitions in the
 * most direct form; the SQLite rollups must give identical answers (sqlite-metrics.test.ts checks).
 */
export class MemoryMetricsSource implements MetricsSource, TeamFactsReader {
  constructor(
    private readonly facts: readonly ChatFact[],
    private readonly siteIntervals: readonly SiteInterval[],
    private readonly teamOnline: readonly TeamInterval[] = [],
  ) {}

  async sync(): Promise<void> {}

  private inRange(siteId: string, range: DayRange, teamId: string | null = null): ChatFact[] {
    return this.facts.filter(
      (f) =>
        f.siteId === siteId &&
        f.day >= range.from &&
        f.day <= range.to &&
        (teamId === null || f.teamId === teamId),
    );
  }

  async totals(
    siteId: string,
    range: DayRange,
    teamId: string | null = null,
  ): Promise<Map<string, ChatTotals>> {
    const out = new Map<string, ChatTotals>();
    for (const f of this.inRange(siteId, range, teamId)) {
      for (const [op, part] of contributionOf(f).totals) addTotals(getOr(out, op), part);
    }
    return out;
  }

  async dailyTotals(
    siteId: string,
    range: DayRange,
    operatorId: string | null,
    teamId: string | null = null,
  ): Promise<Map<number, ChatTotals>> {
    const out = new Map<number, ChatTotals>();
    for (const f of this.inRange(siteId, range, teamId)) {
      for (const [op, part] of contributionOf(f).totals) {
        if (operatorId === null || op === operatorId) addTotals(getOr(out, f.day), part);
      }
    }
    return out;
  }

  async distribution(
    siteId: string,
    metric: MetricName,
    range: DayRange,
    operatorId: string | null,
    teamId: string | null = null,
  ) {
    const values: number[] = [];
    for (const f of this.inRange(siteId, range, teamId)) {
      for (const v of contributionOf(f).values) {
        if (v.metric === metric && (operatorId === null || v.operatorId === operatorId)) values.push(v.value);
      }
    }
    return arrayDistribution(values);
  }

  async volume(
    siteId: string,
    range: DayRange,
    operatorId: string | null,
    teamId: string | null = null,
  ): Promise<number[][]> {
    const out = emptyVolume();
    for (const f of this.inRange(siteId, range, teamId)) {
      if (operatorId === null || contributionOf(f).volumeOperator === operatorId)
        out[f.weekday]![f.hour]! += 1;
    }
    return out;
  }

  async intervals(
    siteId: string,
    from: number,
    to: number,
    operatorId: string | null,
  ): Promise<OperatorInterval[]> {
    return this.siteIntervals
      .filter(
        (i) =>
          i.siteId === siteId &&
          (operatorId === null || i.operatorId === operatorId) &&
          i.from < to &&
          (i.to === null || i.to > from),
      )
      .map(({ operatorId: op, from: a, to: b }) => ({ operatorId: op, from: a, to: b }));
  }

  async comments(
    siteId: string,
    range: DayRange,
    limit: number,
    operatorId: string | null,
    teamId: string | null = null,
  ): Promise<RatingComment[]> {
    return this.inRange(siteId, range, teamId)
      .filter(
        (f) =>
          f.rating !== null &&
          f.ratingComment !== null &&
          (operatorId === null || (f.operatorId ?? NO_OPERATOR) === operatorId),
      )
      .sort((a, b) => b.createdAt - a.createdAt || (a.conversationId < b.conversationId ? 1 : -1))
      .slice(0, limit)
      .map((f) => ({
        conversationId: f.conversationId,
        createdAt: f.createdAt,
        ratedAt: f.ratedAt,
        rating: f.rating!,
        comment: f.ratingComment!,
        operatorId: f.operatorId,
      }));
  }

  async *chats(siteId: string, range: DayRange): AsyncIterable<ChatFact> {
    const rows = this.inRange(siteId, range).sort(
      (a, b) => a.createdAt - b.createdAt || (a.conversationId < b.conversationId ? -1 : 1),
    );
    yield* rows;
  }

  // ---------- TeamFactsReader (team-source.ts) ----------

  async *teamChats(siteId: string, teamId: string, range: DayRange): AsyncIterable<ChatFact> {
    for await (const f of this.chats(siteId, range)) if (f.teamId === teamId) yield f;
  }

  async teamIntervals(teamId: string, from: number, to: number): Promise<OperatorInterval[]> {
    return this.teamOnline
      .filter((i) => i.teamId === teamId && i.from < to && (i.to === null || i.to > from))
      .map(({ operatorId, from: a, to: b }) => ({ operatorId, from: a, to: b }));
  }
}

function getOr<K>(m: Map<K, ChatTotals>, k: K): ChatTotals {
  let t = m.get(k);
  if (!t) {
    t = emptyTotals();
    m.set(k, t);
  }
  return t;
}

/**
 * Online intervals from operator_status events in recorded order: `online` opens an interval for each
 * site in `data.siteIds` (an `online` while already online for that site continues it; a site missing
 * from a later `online` closes its interval); any other status closes all the operator's open intervals.
 */
export function intervalsFromStatusEvents(events: readonly ChatEventRecord[]): SiteInterval[] {
  return keyedIntervals(events, statusChange).map(({ key, ...i }) => ({ ...i, siteId: key }));
}

/** One stretch in which one operator of a team was online (issue #12.8). */
export interface TeamInterval extends OperatorInterval {
  teamId: string;
}

/** Team online intervals from operator_status events, the same way from `data.teamIds`. */
export function teamIntervalsFromStatusEvents(events: readonly ChatEventRecord[]): TeamInterval[] {
  return keyedIntervals(events, teamStatusChange).map(({ key, ...i }) => ({ ...i, teamId: key }));
}

function keyedIntervals(
  events: readonly ChatEventRecord[],
  change: (e: ChatEventRecord, open: readonly string[]) => { close: string[]; open: string[] },
): (OperatorInterval & { key: string })[] {
  const out: (OperatorInterval & { key: string })[] = [];
  const open = new Map<string, Map<string, OperatorInterval & { key: string }>>();
  for (const e of events) {
    if (e.type !== 'operator_status' || !e.operatorId) continue;
    const mine = open.get(e.operatorId) ?? new Map<string, OperatorInterval & { key: string }>();
    open.set(e.operatorId, mine);
    const c = change(e, [...mine.keys()]);
    for (const key of c.close) {
      const i = mine.get(key)!;
      i.to = Math.max(i.from, e.at);
      mine.delete(key);
    }
    for (const key of c.open) {
      const i = { operatorId: e.operatorId, key, from: e.at, to: null };
      mine.set(key, i);
      out.push(i);
    }
  }
  return out;
}

/**
 * Facts folded in memory from recorded events and messages, exactly as SqliteMetrics.sync() folds the
 * stored ones: the reference for tests.
 */
export function factsFromEvents(input: {
  conversations: readonly { id: string; siteId: string; createdAt: number }[];
  events: readonly ChatEventRecord[];
  messages: ReadonlyMap<string, readonly { author: MessageAuthor; operatorId: string | null; at: number }[]>;
  timezoneOf: (siteId: string) => string;
}): ChatFact[] {
  const facts = new Map<string, ChatFact>();
  const convs = new Map(input.conversations.map((c) => [c.id, c]));
  for (const e of input.events) {
    if (!e.conversationId || !FACT_EVENTS.has(e.type)) continue;
    const conv = convs.get(e.conversationId);
    if (!conv) continue;
    let f = facts.get(conv.id) ?? newFact(conv, calendarFor(input.timezoneOf(conv.siteId)));
    f = applyEvent(f, e);
    if (e.type === 'ended') f = { ...f, responseTimes: responseTimes(input.messages.get(conv.id) ?? []) };
    facts.set(conv.id, f);
  }
  return [...facts.values()];
}
