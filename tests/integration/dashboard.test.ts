import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../server/src/core/clock.js';
import { FIXTURE_NOW, local } from '../../server/src/metrics/test-fixture.js';
import { seedDashboardFixture } from '../helpers/dashboard-fixture.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

/** A real server with a fake clock (so "today" is fixed), seeded with the hand-computed fixture. */
async function start() {
  const clock = new FakeClock(local(FIXTURE_NOW));
  const server = await startServer({}, { clock });
  // This fixture jumps hours between frames with nobody touching the console: auto-away (its own test in
  // auto-away.test.ts) would set the owner away after 10 minutes.
  await server.app.store.updateSite(server.site.id, { autoAwayMinutes: 0 });
  await server.app.relay.refreshSite(server.site.id);
  const { ann, bob } = await seedDashboardFixture(server);
  return { ...server, clock, ann, bob };
}

let s: Awaited<ReturnType<typeof start>>;
let owner: string;
const get = async (path: string, cookie = owner) => {
  const res = await fetch(`${s.origin}${path}`, { headers: { cookie } });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};
const json = async (path: string) => {
  const r = await get(path);
  expect(r.status, r.text).toBe(200);
  return JSON.parse(r.text);
};
const q = (extra = '') => `site=${s.site.id}&from=2026-03-10&to=2026-03-11${extra}`;

beforeAll(async () => {
  s = await start();
  owner = await s.login(OWNER_EMAIL, OWNER_PASSWORD);
}, 30_000);
afterAll(async () => {
  await s?.close();
});

describe('dashboards over REST on the hand-computed fixture', () => {
  it('overview returns exactly the fixture’s numbers, with the previous period', async () => {
    const o = await json(`/api/dashboard/overview?${q()}`);
    expect(o.range).toEqual({ from: '2026-03-10', to: '2026-03-11', days: 2 });
    expect(o.previousRange).toEqual({ from: '2026-03-08', to: '2026-03-09', days: 2 });
    expect(o.current).toMatchObject({
      conversations: 5,
      assigned: 3,
      missed: 1,
      offline: 1,
      abandonmentPct: 25,
      wait: {
        count: 3,
        medianMs: 20_000,
        p90Ms: 36_000,
        maxMs: 40_000,
        withinSla: 2,
        withinSlaPct: 66.67,
        slaSeconds: 30,
      },
      frt: { count: 3, medianMs: 50_000, p90Ms: 58_000 },
      responseTime: { count: 5, medianMs: 60_000, p90Ms: 96_000, averageMs: 64_000 },
      handling: { count: 3, averageMs: 700_000 },
      csat: { good: 1, bad: 1, csatPct: 50 },
      transfers: 1,
      coverage: { coveredMinutes: 900, elapsedMinutes: 2880, coveragePct: 31.25 },
    });
    expect(o.previous).toMatchObject({ conversations: 2, abandonmentPct: 50, csat: { csatPct: 100 } });
    expect(o.comparison.conversations).toEqual({ value: 5, previous: 2, delta: 3, deltaPct: 150 });
  });

  it('coverage, wait, ratings, volume and operators', async () => {
    const c = await json(`/api/dashboard/coverage?${q()}`);
    expect(c.current.days.map((d: { coveredMinutes: number }) => d.coveredMinutes)).toEqual([600, 300]);
    expect(
      c.current.days[0].gaps.map(
        (g: { fromLocal: string; toLocal: string }) => `${g.fromLocal}-${g.toLocal}`,
      ),
    ).toEqual(['00:00-09:00', '17:00-22:00']);
    expect(c.current.totals).toMatchObject({ coveredMinutes: 900, coveragePct: 31.25, gapCount: 4 });
    expect(c.previous.totals.coveredMinutes).toBe(240);

    const w = await json(`/api/dashboard/wait?${q()}`);
    expect(w.current.daily.map((d: { averageWaitMs: number }) => d.averageWaitMs)).toEqual([25_000, 20_000]);
    expect(w.comparison.withinSlaPct).toEqual({
      value: 66.67,
      previous: 100,
      delta: -33.33,
      deltaPct: -33.33,
    });

    const r = await json(`/api/dashboard/ratings?${q()}`);
    expect(r.current).toMatchObject({ good: 1, bad: 1, csatPct: 50, ratedPct: 66.67 });
    expect(
      r.current.comments.map((x: { comment: string; operatorName: string }) => [x.comment, x.operatorName]),
    ).toEqual([
      ['Slow', 'Ann'],
      ['Great help', 'Ann'],
    ]);

    const v = await json(`/api/dashboard/volume?${q()}`);
    expect(v.current.byWeekday).toEqual([0, 0, 3, 2, 0, 0, 0]);
    expect(v.current.heatmap[2][10]).toBe(2);

    const ops = await json(`/api/dashboard/operators?${q()}`);
    const byName = Object.fromEntries(ops.current.operators.map((x: { name: string }) => [x.name, x]));
    expect(byName.Ann).toMatchObject({
      chats: 3,
      medianFrtMs: 40_000,
      averageHandlingMs: 700_000,
      csatPct: 50,
      onlineMinutes: 690,
    });
    expect(byName.Bob).toMatchObject({
      chats: 0,
      medianFrtMs: 60_000,
      averageHandlingMs: null,
      onlineMinutes: 480,
    });
    expect(byName.Owner).toMatchObject({ chats: 0, onlineMinutes: 0 });
    expect(ops.current.team).toMatchObject({ chats: 3, medianFrtMs: 50_000, onlineMinutes: 1170 });

    const one = await json(`/api/dashboard/overview?${q(`&operator=${s.bob.id}`)}`);
    expect(one.current.wait).toMatchObject({ count: 1, medianMs: 40_000 });
  });

  it('CSV exports: one row per chat and one row per coverage day', async () => {
    const chats = await get(`/api/dashboard/export/chats.csv?${q()}`);
    expect(chats.status).toBe(200);
    expect(chats.type).toContain('text/csv');
    expect(chats.text.split('\r\n')).toEqual([
      'conversation_id,started,status,queue_wait_s,first_response_s,handled_by,transfers,ended,rating,rating_comment,tags',
      'fx-c1,2026-03-10T10:00:00+01:00,ended,10,30,Ann,0,2026-03-10T10:10:10+01:00,good,Great help,billing',
      'fx-c2,2026-03-10T10:30:00+01:00,ended,40,60,Ann,1,2026-03-10T10:50:40+01:00,bad,Slow,',
      'fx-c3,2026-03-10T14:00:00+01:00,missed,,,,0,2026-03-10T14:02:00+01:00,,,',
      'fx-c4,2026-03-11T09:00:00+01:00,ended,20,50,Ann,0,2026-03-11T09:05:20+01:00,,,',
      'fx-c5,2026-03-11T23:30:00+01:00,offline,,,,0,,,,',
      '',
    ]);
    const cov = await get(`/api/dashboard/export/coverage.csv?${q()}`);
    expect(cov.text.split('\r\n').slice(1, 3)).toEqual([
      '2026-03-10,Tue,1440,1440,600,,,41.67,2,840,00:00-09:00; 17:00-22:00,2,Ann; Bob',
      '2026-03-11,Wed,1440,1440,300,,,20.83,2,1140,01:00-08:00; 12:00-24:00,2,Ann; Bob',
    ]);
  });

  it('owners only: operators get 403, strangers 401; other sites 403; clear 400s for bad ranges', async () => {
    const ann = await s.login('ann@test.local', 'pw-Ann');
    for (const path of [
      'overview',
      'coverage',
      'wait',
      'ratings',
      'volume',
      'operators',
      'export/chats.csv',
      'export/coverage.csv',
    ]) {
      expect((await get(`/api/dashboard/${path}?${q()}`, ann)).status, path).toBe(403);
      expect((await get(`/api/dashboard/${path}?${q()}`, '')).status, path).toBe(401);
    }
    expect((await get(`/api/dashboard/overview?site=elsewhere`)).status).toBe(403);

    const bad = async (query: string, message: string) => {
      const r = await get(`/api/dashboard/overview?${query}`);
      expect(r.status, query).toBe(400);
      expect(JSON.parse(r.text).message).toContain(message);
    };
    await bad(`site=${s.site.id}&from=2026-03-12&to=2026-03-10`, 'after');
    await bad(`site=${s.site.id}&from=2026-02-30&to=2026-03-10`, 'not a valid date');
    await bad(`site=${s.site.id}&from=2016-01-01&to=2026-03-10`, 'longer than');
    await bad(`site=${s.site.id}&from=2026-3-1`, 'from');

    // The owner's only site is the default; the default range is the last 7 days up to today.
    const d = await json('/api/dashboard/overview');
    expect(d.range).toEqual({ from: '2026-03-06', to: '2026-03-12', days: 7 });
    expect(d.current.conversations).toBe(7);
  });

  it('follows the live relay: a real operator session and a real chat show up', async () => {
    const at = (t: string) => s.clock.set(local(`2026-03-12 ${t}`));
    at('09:00:00');
    const op = await connectOperator(s.origin.replace('http', 'ws'), s.origin, owner);
    at('09:10:00');
    const { client } = await connectVisitor(s.origin.replace('http', 'ws'), s.origin);
    client.send({ type: 'send', clientId: clientId(), text: 'Hello, anyone?' });
    const ack = await client.next<{ conversationId: string }>((f) => f.type === 'ack');
    await client.next((f) => f.type === 'assigned');
    at('09:10:30');
    const rid = clientId();
    op.send({ type: 'send', conversationId: ack.conversationId, clientId: rid, text: 'Hi! How can I help?' });
    await op.next((f) => f.type === 'ack' && f.clientId === rid);
    at('09:15:00');
    op.send({ type: 'end', conversationId: ack.conversationId });
    await client.next(
      (f) => f.type === 'conversation' && (f.conversation as { status: string }).status === 'ended',
    );
    await client.close();
    // The console closes at 10:30 and never comes back: when the grace period (a deadline on the injected
    // clock) runs out, the owner is offline since 10:30, the moment the console closed.
    at('10:30:00');
    await op.close();
    const me = (await s.app.store.getOperatorByEmail(OWNER_EMAIL))!;
    for (let i = 0; i < 100 && (await s.app.routingState.operator(me.id))?.connections !== 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    s.clock.advance(s.app.config.operatorGraceMs);
    for (let i = 0; i < 100 && s.app.relay.presenceOf(me.id)?.status === 'online'; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(s.app.relay.presenceOf(me.id)?.status).toBe('offline');
    const day = `site=${s.site.id}&from=2026-03-12&to=2026-03-12`;
    at('12:00:00');
    // The status event is written by the relay's group commit a moment after the presence changed;
    // dashboards fold whatever is committed when asked.
    let c = await json(`/api/dashboard/coverage?${day}`);
    for (let i = 0; i < 50 && c.current.days[0].coveredMinutes !== 90; i++) {
      await new Promise((r) => setTimeout(r, 20));
      c = await json(`/api/dashboard/coverage?${day}`);
    }
    expect(c.current.days[0]).toMatchObject({ coveredMinutes: 90, elapsedMinutes: 720, coveragePct: 12.5 });
    const o = await json(`/api/dashboard/overview?${day}`);
    expect(o.current).toMatchObject({
      conversations: 1,
      assigned: 1,
      wait: { count: 1, medianMs: 0 },
      frt: { medianMs: 30_000 },
      handling: { averageMs: 300_000 }, // assigned 09:10:00, ended 09:15:00
    });
  });
});
