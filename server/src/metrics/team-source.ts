import type { OperatorInterval } from './coverage.js';
import type { ChatFact, ChatTotals, MetricName } from './facts.js';
import { type Distribution, MemoryMetricsSource, type MetricsSource, type RatingComment } from './source.js';
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

/**
 * The dashboards of one team: every figure counts only the chats of the team, and coverage is the team's
 * (minutes with at least one of its operators online). `operatorId` still narrows to one operator within
 * the team. Meant to live for one request: the facts of each range are loaded once and kept.
 */
export class TeamMetricsSource implements MetricsSource {
  private readonly loaded = new Map<string, Promise<MemoryMetricsSource>>();

  constructor(
    private readonly base: TeamFactsReader,
    readonly teamId: string,
  ) {}

  sync(): Promise<void> {
    return this.base.sync();
  }

  private of(siteId: string, range: DayRange): Promise<MemoryMetricsSource> {
    const key = `${siteId}\0${range.from}\0${range.to}`;
    let m = this.loaded.get(key);
    if (!m) {
      m = (async () => {
        const facts: ChatFact[] = [];
        for await (const f of this.base.teamChats(siteId, this.teamId, range)) facts.push(f);
        return new MemoryMetricsSource(facts, []);
      })();
      this.loaded.set(key, m);
    }
    return m;
  }

  async totals(siteId: string, range: DayRange): Promise<Map<string, ChatTotals>> {
    return (await this.of(siteId, range)).totals(siteId, range);
  }

  async dailyTotals(
    siteId: string,
    range: DayRange,
    operatorId: string | null,
  ): Promise<Map<number, ChatTotals>> {
    return (await this.of(siteId, range)).dailyTotals(siteId, range, operatorId);
  }

  async distribution(
    siteId: string,
    metric: MetricName,
    range: DayRange,
    operatorId: string | null,
  ): Promise<Distribution> {
    return (await this.of(siteId, range)).distribution(siteId, metric, range, operatorId);
  }

  async volume(siteId: string, range: DayRange, operatorId: string | null): Promise<number[][]> {
    return (await this.of(siteId, range)).volume(siteId, range, operatorId);
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
    return (await this.of(siteId, range)).comments(siteId, range, limit, operatorId);
  }

  chats(siteId: string, range: DayRange): AsyncIterable<ChatFact> {
    return this.base.teamChats(siteId, this.teamId, range);
  }
}
