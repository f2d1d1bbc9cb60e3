import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE } from '../http/site-defaults.js';
import type { Site } from '../store/types.js';
import * as dash from './dashboard.js';
import { chatsCsv, type DashboardContext, operators, overview, volume } from './dashboard.js';
import {
  factsFromEvents,
  intervalsFromStatusEvents,
  MemoryMetricsSource,
  teamIntervalsFromStatusEvents,
} from './source.js';
import { TeamMetricsSource } from './team-source.js';
import { FIXTURE_NOW, FIXTURE_TZ, fixtureRecords, local } from './test-fixture.js';
import { parseDate } from './tz.js';

// Dashboards filtered by team (issue #12.8) on the hand-computed fixture with teams (test-fixture.ts
// FixtureIds.teams): Sales has fx-c1 and fx-c2 (moved there from Support), Support has fx-c3; Ann is in
// Sales, and in Support from 2026-03-10 13:00; Bob is in Support.

const ids = {
  siteId: 'site-1',
  ann: 'op-ann',
  bob: 'op-bob',
  teams: { sales: 'team-sales', support: 'team-support' },
};

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
  teams: [
    { id: ids.teams.sales, name: 'Sales' },
    { id: ids.teams.support, name: 'Support' },
  ],
  createdAt: 0,
};

const rec = fixtureRecords(ids);
const memory = new MemoryMetricsSource(
  factsFromEvents({ ...rec, timezoneOf: () => FIXTURE_TZ }),
  intervalsFromStatusEvents(rec.events),
  teamIntervalsFromStatusEvents(rec.events),
);

function context(teamId: string | null): DashboardContext {
  return {
    source: teamId === null ? memory : new TeamMetricsSource(memory, teamId),
    now: local(FIXTURE_NOW),
    site,
    operators: [
      { id: ids.ann, name: 'Ann' },
      { id: ids.bob, name: 'Bob' },
    ],
  };
}

const range = { from: parseDate('2026-03-10')!, to: parseDate('2026-03-11')! };
const all = { range, operatorId: null };

describe('team online intervals from operator_status teamIds', () => {
  it('opens per team, follows a membership change while online, closes on offline', () => {
    const support = teamIntervalsFromStatusEvents(rec.events)
      .filter((i) => i.teamId === ids.teams.support)
      .map((i) => [i.operatorId, i.from, i.to]);
    expect(support).toEqual([
      [ids.bob, local('2026-03-10 10:00:00'), local('2026-03-10 15:00:00')],
      [ids.ann, local('2026-03-10 13:00:00'), local('2026-03-10 17:00:00')],
      [ids.bob, local('2026-03-10 22:00:00'), local('2026-03-11 01:00:00')],
      [ids.ann, local('2026-03-11 08:00:00'), local('2026-03-11 12:00:00')],
    ]);
    // Events recorded before teams carry no teamIds: no team intervals at all.
    expect(teamIntervalsFromStatusEvents(fixtureRecords({ ...ids, teams: undefined }).events)).toEqual([]);
  });
});

describe('dashboards of one team', () => {
  it('Sales: only fx-c1 and fx-c2, and the minutes with Ann online', async () => {
    const o = await overview(context(ids.teams.sales), all);
    expect(o.current).toMatchObject({
      conversations: 2,
      assigned: 2,
      missed: 0,
      offline: 0,
      abandonmentPct: 0,
      wait: { count: 2, medianMs: 25_000, p90Ms: 37_000, maxMs: 40_000, withinSla: 1, withinSlaPct: 50 },
      frt: { count: 2, medianMs: 45_000 },
      responseTime: { count: 4, medianMs: 60_000, p90Ms: 102_000, averageMs: 67_500 },
      handling: { count: 2, averageMs: 900_000 },
      csat: { good: 1, bad: 1, csatPct: 50 },
      // fx-c2: moved from Support to Sales, then from Bob to Ann.
      transfers: 2,
      // 2026-03-10 09:00–12:00 and 12:30–17:00 (450) + 2026-03-11 08:00–12:00 (240).
      coverage: { coveredMinutes: 690, elapsedMinutes: 2880, coveragePct: 23.96 },
    });
    expect(o.previous).toMatchObject({ conversations: 1, coverage: { coveredMinutes: 240 } });
    expect((await volume(context(ids.teams.sales), all)).current.byWeekday).toEqual([0, 0, 2, 0, 0, 0, 0]);
  });

  it('Support: fx-c3 (missed), and Bob’s minutes with Ann’s from 13:00 on', async () => {
    const o = await overview(context(ids.teams.support), all);
    expect(o.current).toMatchObject({
      conversations: 1,
      assigned: 0,
      missed: 1,
      abandonmentPct: 100,
      wait: { count: 0 },
      transfers: 0,
      // 10th: Bob 10–15 ∪ Ann 13–17 = 10–17 (420) + Bob 22–24 (120); 11th: Bob 00–01 (60) + Ann 08–12 (240).
      coverage: { coveredMinutes: 840, coveragePct: 29.17 },
    });
    expect(o.current.coverage).toMatchObject({ coveredMinutes: 840 });
    expect(o.previous).toMatchObject({ conversations: 0, coverage: { coveredMinutes: 0 } });
    const ops = (await operators(context(ids.teams.support), all)).current;
    const byId = Object.fromEntries(ops.operators.map((r) => [r.operatorId, r]));
    expect(byId[ids.ann]).toMatchObject({ chats: 0, onlineMinutes: 480 });
    expect(byId[ids.bob]).toMatchObject({ chats: 0, onlineMinutes: 480 });
  });

  it('the teams and the chats of no team add up to the site; an operator filter narrows within the team', async () => {
    const site5 = (await overview(context(null), all)).current;
    expect(site5.conversations).toBe(5);
    // fx-c4 (no team) and fx-c5 (left a message, never queued) belong to no team.
    const sales = (await overview(context(ids.teams.sales), all)).current;
    const support = (await overview(context(ids.teams.support), all)).current;
    expect(sales.conversations + support.conversations).toBe(3);
    const bobInSales = (await overview(context(ids.teams.sales), { range, operatorId: ids.bob })).current;
    expect(bobInSales.wait).toMatchObject({ count: 1, medianMs: 40_000 });
    expect(bobInSales.coverage.coveredMinutes).toBe(0); // Bob is not in Sales
  });

  it('the chats CSV lists the team’s chats only', async () => {
    let csv = '';
    for await (const chunk of chatsCsv(context(ids.teams.sales), all)) csv += chunk;
    expect(csv.split('\r\n').map((l) => l.split(',')[0])).toEqual(['conversation_id', 'fx-c1', 'fx-c2', '']);
    expect(csv).toContain('fx-c2,2026-03-10T10:30:00+01:00,ended,40,60,Ann,2,');
  });
});

describe('the team filter of the reference is the reference over the team’s chats', () => {
  it('every endpoint equals MemoryMetricsSource over the team’s chats and the team’s intervals', async () => {
    const facts = factsFromEvents({ ...rec, timezoneOf: () => FIXTURE_TZ });
    const teamOnline = teamIntervalsFromStatusEvents(rec.events);
    for (const teamId of [ids.teams.sales, ids.teams.support, 'team-none']) {
      const reference = new MemoryMetricsSource(
        facts.filter((f) => f.teamId === teamId),
        teamOnline.filter((i) => i.teamId === teamId).map((i) => ({ ...i, siteId: ids.siteId })),
      );
      for (const [from, to] of [
        ['2026-03-10', '2026-03-11'],
        ['2026-03-01', '2026-03-31'],
        ['2026-03-09', '2026-03-09'],
      ] as const) {
        const q = {
          range: { from: parseDate(from)!, to: parseDate(to)! },
          operatorId: null as string | null,
        };
        for (const operatorId of [null, ids.ann, ids.bob, '']) {
          q.operatorId = operatorId;
          for (const fn of [
            dash.overview,
            dash.coverage,
            dash.wait,
            dash.ratings,
            dash.volume,
            dash.operators,
          ]) {
            const label = `${teamId} ${from}..${to} ${operatorId} ${fn.name}`;
            expect(await fn(context(teamId), q), label).toEqual(
              await fn({ ...context(null), source: reference }, q),
            );
          }
          let a = '';
          for await (const c of dash.chatsCsv(context(teamId), q)) a += c;
          let b = '';
          for await (const c of dash.chatsCsv({ ...context(null), source: reference }, q)) b += c;
          expect(a).toBe(b);
        }
      }
    }
  });
});
