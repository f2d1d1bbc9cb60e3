import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE } from '../http/site-defaults.js';
import type { Site } from '../store/types.js';
import {
  chatsCsv,
  coverage,
  coverageCsv,
  type DashboardContext,
  operators,
  overview,
  ratings,
  resolveRange,
  volume,
  wait,
} from './dashboard.js';
import { factsFromEvents, intervalsFromStatusEvents, MemoryMetricsSource } from './source.js';
import { FIXTURE_NOW, FIXTURE_TZ, fixtureRecords, local } from './test-fixture.js';
import { calendarFor, parseDate } from './tz.js';

const ids = { siteId: 'site-1', ann: 'op-ann', bob: 'op-bob' };

const site: Site = {
  ...DEFAULT_SITE,
  id: ids.siteId,
  key: 'demo',
  name: 'Demo',
  timezone: FIXTURE_TZ,
  businessHours: null,
  slaSeconds: 30,
  identitySecret: 'x',
  texts: {},
  teams: [],
  createdAt: 0,
};

function context(over: Partial<Site> = {}): DashboardContext {
  const rec = fixtureRecords(ids);
  const facts = factsFromEvents({ ...rec, timezoneOf: () => FIXTURE_TZ });
  return {
    source: new MemoryMetricsSource(facts, intervalsFromStatusEvents(rec.events)),
    now: local(FIXTURE_NOW),
    site: { ...site, ...over },
    operators: [
      { id: ids.ann, name: 'Ann' },
      { id: ids.bob, name: 'Bob' },
    ],
  };
}

const range = { from: parseDate('2026-03-10')!, to: parseDate('2026-03-11')! };
const team = { range, operatorId: null };

describe('dashboards on the hand-computed fixture', () => {
  it('overview: every DESIGN §5 figure, with the previous period', async () => {
    const o = await overview(context(), team);
    expect(o.range).toEqual({ from: '2026-03-10', to: '2026-03-11', days: 2 });
    expect(o.previousRange).toEqual({ from: '2026-03-08', to: '2026-03-09', days: 2 });
    const c = o.current;
    expect(c.conversations).toBe(5);
    expect(c.assigned).toBe(3);
    expect(c.missed).toBe(1);
    expect(c.offline).toBe(1);
    expect(c.ended).toBe(3);
    expect(c.abandonmentPct).toBe(25); // 1 ÷ (3 + 1)
    // waits 10 s, 40 s, 20 s
    expect(c.wait).toEqual({
      count: 3,
      medianMs: 20_000,
      p90Ms: 36_000, // 20 s + 0.8 · (40 s − 20 s)
      maxMs: 40_000,
      averageMs: 70_000 / 3,
      slaSeconds: 30,
      withinSla: 2,
      withinSlaPct: 66.67,
    });
    // FRT 30 s, 60 s, 50 s
    expect(c.frt).toEqual({
      count: 3,
      medianMs: 50_000,
      p90Ms: 58_000,
      maxMs: 60_000,
      averageMs: 140_000 / 3,
    });
    // responses 30, 60 (c1), 60, 120 (c2; the internal note does not answer), 50 (c4)
    expect(c.responseTime).toEqual({
      count: 5,
      medianMs: 60_000,
      p90Ms: 96_000,
      maxMs: 120_000,
      averageMs: 64_000,
    });
    expect(c.handling).toEqual({ count: 3, averageMs: 700_000 }); // 10, 20, 5 min
    expect(c.csat).toEqual({ good: 1, bad: 1, rated: 2, csatPct: 50 });
    expect(c.transfers).toBe(1);
    expect(c.coverage).toMatchObject({
      basis: 'elapsed',
      coveredMinutes: 900,
      elapsedMinutes: 2880,
      coveragePct: 31.25,
    });

    const p = o.previous;
    expect(p.conversations).toBe(2);
    expect(p.abandonmentPct).toBe(50);
    expect(p.wait).toMatchObject({
      medianMs: 5000,
      p90Ms: 5000,
      maxMs: 5000,
      withinSla: 1,
      withinSlaPct: 100,
    });
    expect(p.csat.csatPct).toBe(100);
    expect(p.coverage.coveredMinutes).toBe(240);

    expect(o.comparison.conversations).toEqual({ value: 5, previous: 2, delta: 3, deltaPct: 150 });
    expect(o.comparison.abandonmentPct).toEqual({ value: 25, previous: 50, delta: -25, deltaPct: -50 });
    expect(o.comparison.waitMedianMs).toEqual({
      value: 20_000,
      previous: 5000,
      delta: 15_000,
      deltaPct: 300,
    });
    expect(o.comparison.csatPct).toEqual({ value: 50, previous: 100, delta: -50, deltaPct: -50 });
    expect(o.comparison.coveragePct).toEqual({
      value: 31.25,
      previous: 8.33,
      delta: 22.92,
      deltaPct: 275.15,
    });
  });

  it('coverage: per day, gaps, operators, per hour; a reconnect while online changes nothing', async () => {
    const r = (await coverage(context(), team)).current;
    const [tue, wed] = r.days;
    expect(tue).toMatchObject({
      date: '2026-03-10',
      dayMinutes: 1440,
      elapsedMinutes: 1440,
      coveredMinutes: 600, // 09:00–17:00 (ann's break is covered by bob) + bob 22:00–24:00
      coveragePct: 41.67,
      operatorsOnline: 2,
      operatorIds: [ids.ann, ids.bob],
    });
    expect(tue!.gaps.map((g) => [g.fromLocal, g.toLocal, g.minutes])).toEqual([
      ['00:00', '09:00', 540],
      ['17:00', '22:00', 300],
    ]);
    expect(tue!.hours).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0, 60, 60, 60, 60, 60, 60, 60, 60, 0, 0, 0, 0, 0, 60, 60,
    ]);
    expect(wed).toMatchObject({ coveredMinutes: 300, coveragePct: 20.83, operatorsOnline: 2 }); // bob to 01:00, ann 08–12
    expect(wed!.gaps.map((g) => [g.fromLocal, g.toLocal])).toEqual([
      ['01:00', '08:00'],
      ['12:00', '24:00'],
    ]);
    expect(r.byHour[0]).toEqual({
      hour: 0,
      coveredMinutes: 60,
      elapsedMinutes: 120,
      businessMinutes: null,
      coveredBusinessMinutes: null,
      coveragePct: 50,
    });
    expect(r.byHour[9]!.coveragePct).toBe(100);
    expect(r.totals).toEqual({
      coveredMinutes: 900,
      elapsedMinutes: 2880,
      businessMinutes: null,
      coveredBusinessMinutes: null,
      coveragePct: 31.25,
      gapCount: 4,
      gapMinutes: 1980,
    });
  });

  it('coverage against business hours (Mon–Fri 09:00–17:00)', async () => {
    const days = [1, 2, 3, 4, 5].map((day) => ({ day, from: 9 * 60, to: 17 * 60 }));
    const r = (await coverage(context({ businessHours: { days } }), team)).current;
    expect(r.basis).toBe('business');
    expect(r.days[0]).toMatchObject({
      businessMinutes: 480,
      coveredBusinessMinutes: 480,
      coveragePct: 100,
      gaps: [],
    });
    // Wednesday: ann 08–12 covers 09–12 of 09–17.
    expect(r.days[1]).toMatchObject({ businessMinutes: 480, coveredBusinessMinutes: 180, coveragePct: 37.5 });
    expect(r.days[1]!.gaps.map((g) => [g.fromLocal, g.toLocal])).toEqual([['12:00', '17:00']]);
    expect(r.totals.coveragePct).toBe(68.75); // 660 ÷ 960
  });

  it('wait, ratings and volume', async () => {
    const w = (await wait(context(), team)).current;
    expect(w.daily).toEqual([
      { date: '2026-03-10', conversations: 3, assigned: 2, missed: 1, offline: 0, averageWaitMs: 25_000 },
      { date: '2026-03-11', conversations: 2, assigned: 1, missed: 0, offline: 1, averageWaitMs: 20_000 },
    ]);

    const r = await ratings(context(), team);
    expect(r.current).toMatchObject({ good: 1, bad: 1, rated: 2, ended: 3, csatPct: 50, ratedPct: 66.67 });
    expect(r.current.comments.map((c) => [c.conversationId, c.rating, c.comment, c.operatorName])).toEqual([
      ['fx-c2', 'bad', 'Slow', 'Ann'],
      ['fx-c1', 'good', 'Great help', 'Ann'],
    ]);
    expect(r.previous).toMatchObject({ good: 1, bad: 0, csatPct: 100, comments: [] });

    const v = (await volume(context(), team)).current;
    expect(v.conversations).toBe(5);
    expect(v.heatmap[2]![10]).toBe(2); // Tuesday 10:00–11:00
    expect(v.heatmap[2]![14]).toBe(1);
    expect(v.heatmap[3]![9]).toBe(1);
    expect(v.heatmap[3]![23]).toBe(1);
    expect(v.byWeekday).toEqual([0, 0, 3, 2, 0, 0, 0]);
  });

  it('operators: per operator and team, with the previous period', async () => {
    const o = await operators(context(), team);
    const [ann, bob] = o.current.operators;
    expect(ann).toEqual({
      operatorId: ids.ann,
      name: 'Ann',
      chats: 3, // c1, c4 and c2 (transferred to her)
      frtCount: 2,
      medianFrtMs: 40_000, // her first replies: 30 s, 50 s
      averageResponseMs: 65_000,
      handled: 3,
      averageHandlingMs: 700_000,
      good: 1,
      bad: 1,
      csatPct: 50,
      transfers: 1,
      onlineMinutes: 690, // 09–12, 12:30–17, 08–12
    });
    expect(bob).toEqual({
      operatorId: ids.bob,
      name: 'Bob',
      chats: 0,
      frtCount: 1,
      medianFrtMs: 60_000,
      averageResponseMs: 60_000,
      handled: 0,
      averageHandlingMs: null,
      good: 0,
      bad: 0,
      csatPct: null,
      transfers: 0,
      onlineMinutes: 480, // 10–15, 22–01
    });
    expect(o.current.team).toMatchObject({
      operatorId: null,
      chats: 3,
      medianFrtMs: 50_000,
      onlineMinutes: 1170,
    });
    expect(o.comparison[`${ids.ann}.chats`]).toEqual({ value: 3, previous: 1, delta: 2, deltaPct: 200 });
    expect(o.comparison[`${ids.ann}.onlineMinutes`]).toEqual({
      value: 690,
      previous: 240,
      delta: 450,
      deltaPct: 187.5,
    });

    const one = await operators(context(), { range, operatorId: ids.bob });
    expect(one.current.operators.map((r) => r.name)).toEqual(['Bob']);
    expect(one.current.team.onlineMinutes).toBe(480);
  });

  it('an operator filter narrows every figure to that operator', async () => {
    const o = (await overview(context(), { range, operatorId: ids.bob })).current;
    expect(o.conversations).toBe(0); // bob handled nothing to the end
    expect(o.wait).toMatchObject({ count: 1, medianMs: 40_000, withinSla: 0 }); // his first assignment
    expect(o.frt.medianMs).toBe(60_000);
    expect(o.coverage.coveredMinutes).toBe(480);
  });

  it('CSV exports', async () => {
    let csv = '';
    for await (const chunk of chatsCsv(context(), team)) csv += chunk;
    expect(csv.split('\r\n')).toEqual([
      'conversation_id,started,status,queue_wait_s,first_response_s,handled_by,transfers,ended,rating,rating_comment,tags',
      'fx-c1,2026-03-10T10:00:00+01:00,ended,10,30,Ann,0,2026-03-10T10:10:10+01:00,good,Great help,billing',
      'fx-c2,2026-03-10T10:30:00+01:00,ended,40,60,Ann,1,2026-03-10T10:50:40+01:00,bad,Slow,',
      'fx-c3,2026-03-10T14:00:00+01:00,missed,,,,0,2026-03-10T14:02:00+01:00,,,',
      'fx-c4,2026-03-11T09:00:00+01:00,ended,20,50,Ann,0,2026-03-11T09:05:20+01:00,,,',
      'fx-c5,2026-03-11T23:30:00+01:00,offline,,,,0,,,,',
      '',
    ]);
    expect((await coverageCsv(context(), team)).split('\r\n')).toEqual([
      'date,weekday,day_minutes,elapsed_minutes,covered_minutes,business_minutes,covered_business_minutes,coverage_pct,gaps,gap_minutes,gap_list,operators_online,operators',
      '2026-03-10,Tue,1440,1440,600,,,41.67,2,840,00:00-09:00; 17:00-22:00,2,Ann; Bob',
      '2026-03-11,Wed,1440,1440,300,,,20.83,2,1140,01:00-08:00; 12:00-24:00,2,Ann; Bob',
      '',
    ]);
  });
});

describe('resolveRange', () => {
  const cal = calendarFor(FIXTURE_TZ);
  const now = local(FIXTURE_NOW);
  it('defaults to the last 7 days including today', () => {
    expect(resolveRange(cal, now, undefined, undefined)).toEqual({
      from: parseDate('2026-03-06'),
      to: parseDate('2026-03-12'),
    });
  });
  it('refuses bad dates and inverted or huge ranges', () => {
    expect(resolveRange(cal, now, '2026-02-30', '2026-03-01')).toEqual({
      error: expect.stringContaining('"from"'),
    });
    expect(resolveRange(cal, now, '2026-03-02', '2026-03-01')).toEqual({
      error: expect.stringContaining('after'),
    });
    expect(resolveRange(cal, now, '2000-01-01', '2026-03-01')).toEqual({
      error: expect.stringContaining('longer'),
    });
    expect(resolveRange(cal, now, '2026-03-01', '2026-3-1')).toEqual({
      error: expect.stringContaining('"to"'),
    });
  });
});
