import type { OperatorInterval } from './coverage.js';
import {
  addTotals,
  type ChatFact,
  type ChatTotals,
  contributionOf,
  emptyTotals,
  type MetricName,
  NO_OPERATOR,
} from './facts.js';
import {
  arrayDistribution,
  type Distribution,
  emptyVolume,
  type MetricsSource,
  type RatingComment,
} from './source.js';
import type { DayRange } from './stats.js';

/**
 * What a dialect gives for one team's dashboards (issue #12.8). The rollups stay per site; a team's figures
 * are computed from the team's own chat facts, which is exact by construction (the same definitions as the
 * in-memory reference, over exactly the chats whose last team is this one) and identical on every dialect.
 */
export interface TeamFactsReader {
  sync(): Promise<void>;
  /** The site's chats of the range whose team (ChatFact.teamId) is `teamId`, in creation order. */
  teamChats(siteId: string, teamId: string, range: DayRange): AsyncIterable<ChatFact>;
  /** Online intervals of the team's operators (while they belonged to it) that overlap [from, to). */
  teamIntervals(teamId: string, from: number, to: number): Promise<OperatorInterval[]>;
}

/** Answers for one range, folded in one pass over the team's facts (the facts themselves are not kept). */
class RangeFigures {
  private readonly totalsByOp = new Map<string, ChatTotals>();
  private readonly daily = new Map<number, ChatTotals>();
  private readonly dailyByOp = new Map<string, Map<number, ChatTotals>>();
  private readonly values = new Map<string, number[]>();
  private readonly sorted = new Map<string, Distribution>();
  private readonly heat = new Map<string, number[][]>();
  private readonly rated: ChatFact[] = [];

  add(f: ChatFact): void {
    const c = contributionOf(f);
    for (const [op, part] of c.totals) {
      addTotals(getOr(this.totalsByOp, op, emptyTotals), part);
      addTotals(getOr(this.daily, f.day, emptyTotals), part);
      addTotals(
        getOr(
          getOr(this.dailyByOp, op, () => new Map()),
          f.day,
          emptyTotals,
        ),
        part,
      );
    }
    for (const v of c.values) {
      getOr(this.values, `${v.metric}\0${v.operatorId}`, () => []).push(v.value);
      getOr(this.values, `${v.metric}\0*`, () => []).push(v.value);
    }
    for (const op of [c.volumeOperator, '*']) getOr(this.heat, op, emptyVolume)[f.weekday]![f.hour]! += 1;
    if (f.rating !== null && f.ratingComment !== null) this.rated.push(f);
  }

  totals(): Map<string, ChatTotals> {
    return new Map([...this.totalsByOp].map(([op, t]) => [op, addTotals(emptyTotals(), t)]));
  }

  dailyTotals(operatorId: string | null): Map<number, ChatTotals> {
    const days = operatorId === null ? this.daily : (this.dailyByOp.get(operatorId) ?? new Map());
    return new Map([...days].map(([d, t]) => [d, addTotals(emptyTotals(), t)]));
  }

  distribution(metric: MetricName, operatorId: string | null): Distribution {
    const key = `${metric}\0${operatorId ?? '*'}`;
    let d = this.sorted.get(key);
    if (!d) {
      d = arrayDistribution(this.values.get(key) ?? []);
      this.sorted.set(key, d);
    }
    return d;
  }

  volume(operatorId: string | null): number[][] {
    return (this.heat.get(operatorId ?? '*') ?? emptyVolume()).map((row) => [...row]);
  }

  comments(limit: number, operatorId: string | null): RatingComment[] {
    return this.rated
      .filter((f) => operatorId === null || (f.operatorId ?? NO_OPERATOR) === operatorId)
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
}

function getOr<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) {
    v = make();
    m.set(k, v);
  }
  return v;
}

/**
 * The dashboards of one team: every figure counts only the chats of the team, and coverage is the team's
 * (minutes with at least one of its operators online). `operatorId` still narrows to one operator within
 * the team. Meant to live for one request: each range's facts are read once, in one pass, and every
 * figure of that range is answered from what the pass summed (the definitions of MemoryMetricsSource,
 * which team-source.test.ts checks it against).
 */
export class TeamMetricsSource implements MetricsSource {
  private readonly loaded = new Map<string, Promise<RangeFigures>>();

  constructor(
    private readonly base: TeamFactsReader,
    readonly teamId: string,
  ) {}

  sync(): Promise<void> {
    return this.base.sync();
  }

  private of(siteId: string, range: DayRange): Promise<RangeFigures> {
    const key = `${siteId}\0${range.from}\0${range.to}`;
    let m = this.loaded.get(key);
    if (!m) {
      m = (async () => {
        const figures = new RangeFigures();
        for await (const f of this.base.teamChats(siteId, this.teamId, range)) figures.add(f);
        return figures;
      })();
      this.loaded.set(key, m);
    }
    return m;
  }

  async totals(siteId: string, range: DayRange): Promise<Map<string, ChatTotals>> {
    return (await this.of(siteId, range)).totals();
  }

  async dailyTotals(
    siteId: string,
    range: DayRange,
    operatorId: string | null,
  ): Promise<Map<number, ChatTotals>> {
    return (await this.of(siteId, range)).dailyTotals(operatorId);
  }

  async distribution(
    siteId: string,
    metric: MetricName,
    range: DayRange,
    operatorId: string | null,
  ): Promise<Distribution> {
    return (await this.of(siteId, range)).distribution(metric, operatorId);
  }

  async volume(siteId: string, range: DayRange, operatorId: string | null): Promise<number[][]> {
    return (await this.of(siteId, range)).volume(operatorId);
  }

  async intervals(
    _siteId: string,
    from: number,
    to: number,
    operatorId: string | null,
  ): Promise<OperatorInterval[]> {
    const all = await this.base.teamIntervals(this.teamId, from, to);
    return operatorId === null ? all : all.filter((i) => i.operatorId === operatorId);
  }

  async comments(
    siteId: string,
    range: DayRange,
    limit: number,
    operatorId: string | null,
  ): Promise<RatingComment[]> {
    return (await this.of(siteId, range)).comments(limit, operatorId);
  }

  chats(siteId: string, range: DayRange): AsyncIterable<ChatFact> {
    return this.base.teamChats(siteId, this.teamId, range);
  }
}
