import { blocksOf, bucketOf } from './buckets.js';
import {
  addTotals,
  type ChatFact,
  type ChatTotals,
  type Contribution,
  contributionOf,
  emptyTotals,
  type MetricName,
} from './facts.js';

/** '*' = the whole team in histogram and volume rollups. */
export const TEAM = '*';
/** `team_id` of the rollup rows that count every chat of the site (a team's chats count again under it). */
export const ALL_TEAMS = '';

/**
 * Deltas for the rollup tables, summed in memory and written in one go. A fact adds its contribution
 * (facts.ts contributionOf) for its day; a changed fact first takes its old contribution back. Only
 * day-level deltas are collected per fact: `rows()` expands them to every block level and adds the team
 * ('*') rows, so the work per fact stays small.
 */
export class RollupAccumulator {
  /** key: site \0 team \0 day \0 operator */
  private readonly totals = new Map<
    string,
    { siteId: string; team: string; day: number; op: string; t: ChatTotals }
  >();
  /** key: site \0 team \0 metric \0 operator \0 day \0 bucket */
  private readonly hist = new Map<
    string,
    { siteId: string; team: string; metric: MetricName; op: string; day: number; bucket: number; n: number }
  >();
  /** key: site \0 team \0 operator \0 day \0 weekday \0 hour */
  private readonly volume = new Map<
    string,
    { siteId: string; team: string; op: string; day: number; weekday: number; hour: number; n: number }
  >();

  get size(): number {
    return this.totals.size + this.hist.size + this.volume.size;
  }

  /** The fact counts for its site (team '') and again for its team, if any. */
  add(f: ChatFact, sign: 1 | -1, c: Contribution = contributionOf(f)): void {
    this.addFor(f, ALL_TEAMS, sign, c);
    if (f.teamId) this.addFor(f, f.teamId, sign, c);
  }

  private addFor(f: ChatFact, team: string, sign: 1 | -1, c: Contribution): void {
    for (const [op, part] of c.totals) {
      const k = `${f.siteId}\0${team}\0${f.day}\0${op}`;
      let e = this.totals.get(k);
      if (!e) {
        e = { siteId: f.siteId, team, day: f.day, op, t: emptyTotals() };
        this.totals.set(k, e);
      }
      addTotals(e.t, part, sign);
    }
    for (const v of c.values) {
      const bucket = bucketOf(v.value);
      const k = `${f.siteId}\0${team}\0${v.metric}\0${v.operatorId}\0${f.day}\0${bucket}`;
      const e = this.hist.get(k);
      if (e) e.n += sign;
      else
        this.hist.set(k, {
          siteId: f.siteId,
          team,
          metric: v.metric,
          op: v.operatorId,
          day: f.day,
          bucket,
          n: sign,
        });
    }
    const k = `${f.siteId}\0${team}\0${c.volumeOperator}\0${f.day}\0${f.weekday}\0${f.hour}`;
    const e = this.volume.get(k);
    if (e) e.n += sign;
    else
      this.volume.set(k, {
        siteId: f.siteId,
        team,
        op: c.volumeOperator,
        day: f.day,
        weekday: f.weekday,
        hour: f.hour,
        n: sign,
      });
  }

  /** The deltas as rollup rows of every level (and team rows for histograms and volume). */
  rows() {
    const rollup = new Map<string, { key: [string, string, number, number, string]; t: ChatTotals }>();
    for (const e of this.totals.values()) {
      blocksOf(e.day).forEach((block, level) => {
        const k = `${e.siteId}\0${e.team}\0${level}\0${block}\0${e.op}`;
        let r = rollup.get(k);
        if (!r) {
          r = { key: [e.siteId, e.team, level, block, e.op], t: emptyTotals() };
          rollup.set(k, r);
        }
        addTotals(r.t, e.t);
      });
    }
    const hist = new Map<
      string,
      { key: [string, string, string, string, number, number, number]; n: number }
    >();
    for (const e of this.hist.values()) {
      if (e.n === 0) continue;
      blocksOf(e.day).forEach((block, level) => {
        for (const op of [e.op, TEAM]) {
          const k = `${e.siteId}\0${e.team}\0${e.metric}\0${op}\0${level}\0${block}\0${e.bucket}`;
          const r = hist.get(k);
          if (r) r.n += e.n;
          else hist.set(k, { key: [e.siteId, e.team, e.metric, op, level, block, e.bucket], n: e.n });
        }
      });
    }
    const volume = new Map<
      string,
      { key: [string, string, string, number, number, number, number]; n: number }
    >();
    for (const e of this.volume.values()) {
      if (e.n === 0) continue;
      blocksOf(e.day).forEach((block, level) => {
        for (const op of [e.op, TEAM]) {
          const k = `${e.siteId}\0${e.team}\0${op}\0${level}\0${block}\0${e.weekday}\0${e.hour}`;
          const r = volume.get(k);
          if (r) r.n += e.n;
          else volume.set(k, { key: [e.siteId, e.team, op, level, block, e.weekday, e.hour], n: e.n });
        }
      });
    }
    return { rollup: rollup.values(), hist: hist.values(), volume: volume.values() };
  }

  clear(): void {
    this.totals.clear();
    this.hist.clear();
    this.volume.clear();
  }
}
