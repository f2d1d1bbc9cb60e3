import type { OperatorInterval } from './coverage.js';
import type { ChatFact, ChatTotals, MetricName } from './facts.js';
import type { Distribution, MetricsSource, RatingComment } from './source.js';
import type { DayRange } from './stats.js';

/**
 * What a dialect gives for one team's dashboards (issue #12.8) besides its MetricsSource answers with a
 * `teamId` (the rollups keep a row set per team next to the site's, so those are as fast as the site's).
 */
export interface TeamFactsReader extends MetricsSource {
  /** The site's chats of the range whose team (ChatFact.teamId) is `teamId`, in creation order. */
  teamChats(siteId: string, teamId: string, range: DayRange): AsyncIterable<ChatFact>;
  /** Online intervals of the team's operators (while they belonged to it) that overlap [from, to). */
  teamIntervals(teamId: string, from: number, to: number): Promise<OperatorInterval[]>;
}

/**
 * The dashboards of one team: every figure counts only the chats of the team, and coverage is the team's
 * (minutes with at least one of its operators online). `operatorId` still narrows to one operator within
 * the team.
 */
export class TeamMetricsSource implements MetricsSource {
  constructor(
    private readonly base: TeamFactsReader,
    readonly teamId: string,
  ) {}

  sync(): Promise<void> {
    return this.base.sync();
  }

  totals(siteId: string, range: DayRange): Promise<Map<string, ChatTotals>> {
    return this.base.totals(siteId, range, this.teamId);
  }

  dailyTotals(siteId: string, range: DayRange, operatorId: string | null): Promise<Map<number, ChatTotals>> {
    return this.base.dailyTotals(siteId, range, operatorId, this.teamId);
  }

  distribution(
    siteId: string,
    metric: MetricName,
    range: DayRange,
    operatorId: string | null,
  ): Promise<Distribution> {
    return this.base.distribution(siteId, metric, range, operatorId, this.teamId);
  }

  volume(siteId: string, range: DayRange, operatorId: string | null): Promise<number[][]> {
    return this.base.volume(siteId, range, operatorId, this.teamId);
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

  comments(
    siteId: string,
    range: DayRange,
    limit: number,
    operatorId: string | null,
  ): Promise<RatingComment[]> {
    return this.base.comments(siteId, range, limit, operatorId, this.teamId);
  }

  chats(siteId: string, range: DayRange): AsyncIterable<ChatFact> {
    return this.base.teamChats(siteId, this.teamId, range);
  }
}
