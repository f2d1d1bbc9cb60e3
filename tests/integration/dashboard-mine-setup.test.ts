import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../server/src/core/clock.js';
import { FIXTURE_NOW, local } from '../../server/src/metrics/test-fixture.js';
import { seedDashboardFixture } from '../helpers/dashboard-fixture.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer } from '../helpers/start-server.js';
import { clientId, connectVisitor } from '../helpers/ws-client.js';

/**
 * Issue #12.9 and #12.10 over REST: an operator reads their own figures and nobody else's; the staffing
 * planner takes the service target, SLA and capacity; the owner's setup checklist follows real state.
 */
async function start() {
  const clock = new FakeClock(local(FIXTURE_NOW));
  const server = await startServer({}, { clock });
  const { ann, bob } = await seedDashboardFixture(server);
  return { ...server, clock, ann, bob };
}

let s: Awaited<ReturnType<typeof start>>;
let owner: string;
let ann: string;
const get = async (path: string, cookie: string) => {
  const res = await fetch(`${s.origin}${path}`, { headers: { cookie } });
  const text = await res.text();
  return {
    status: res.status,
    text,
    body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null,
  };
};
const range = () => `site=${s.site.id}&from=2026-03-10&to=2026-03-11`;

beforeAll(async () => {
  s = await start();
  owner = await s.login(OWNER_EMAIL, OWNER_PASSWORD);
  ann = await s.login('ann@test.local', 'pw-Ann');
}, 30_000);
afterAll(async () => {
  await s?.close();
});

describe("an operator's own figures", () => {
  it('are exactly their row of the owner’s operators table, previous period included', async () => {
    const mine = await get(`/api/dashboard/mine?${range()}`, ann);
    expect(mine.status, mine.text).toBe(200);
    const all = (await get(`/api/dashboard/operators?${range()}`, owner)).body;
    const row = all.current.operators.find((r: { operatorId: string }) => r.operatorId === s.ann.id);
    const before = all.previous.operators.find((r: { operatorId: string }) => r.operatorId === s.ann.id);
    expect(row.chats).toBeGreaterThan(0);
    expect(mine.body.current).toEqual(row);
    expect(mine.body.previous).toEqual(before);
    expect(mine.body.operatorId).toBe(s.ann.id);
    expect(mine.body.comparison.chats).toEqual(all.comparison[`${s.ann.id}.chats`]);
    // Nothing about Bob leaks into Ann's answer.
    expect(mine.text).not.toContain(s.bob.id);
    expect(mine.text).not.toContain('Bob');
  });

  it("cannot be pointed at another operator, and the team's figures stay with owners", async () => {
    // An operator id in the query is dropped by the schema: the answer is still the caller's own row.
    const other = await get(`/api/dashboard/mine?${range()}&operator=${s.bob.id}`, ann);
    expect(other.status).toBe(200);
    expect(other.body.operatorId).toBe(s.ann.id);
    expect(other.text).not.toContain(s.bob.id);
    expect((await get(`/api/dashboard/operators?${range()}&operator=${s.bob.id}`, ann)).status).toBe(403);
    expect((await get(`/api/dashboard/staffing?${range()}`, ann)).status).toBe(403);
    expect((await get('/api/dashboard/mine?site=elsewhere', ann)).status).toBe(403);
    expect((await get(`/api/dashboard/mine?${range()}`, '')).status).toBe(401);
    // Bob's own call answers Bob's row, not Ann's.
    const bob = await s.login('bob@test.local', 'pw-Bob');
    const his = (await get(`/api/dashboard/mine?${range()}`, bob)).body;
    expect(his.operatorId).toBe(s.bob.id);
    expect(his.current.name).toBe('Bob');
  });
});

describe('staffing planner inputs', () => {
  it('a stricter target or a shorter SLA needs at least as many operators; capacity divides chat slots', async () => {
    const plan = async (extra: string) => {
      const r = await get(
        `/api/dashboard/staffing?site=${s.site.id}&from=2026-03-06&to=2026-03-12${extra}`,
        owner,
      );
      expect(r.status, r.text).toBe(200);
      return r.body;
    };
    const base = await plan('&target=0.8&sla=30&capacity=1');
    expect(base).toMatchObject({ target: 0.8, slaSeconds: 30, capacity: 1, chats: 7 });
    const busiest = base.hours.reduce((a: { need: { servers: number } }, b: { need: { servers: number } }) =>
      b.need.servers > a.need.servers ? b : a,
    );
    expect(busiest.need.operators).toBe(busiest.need.servers);
    const strict = await plan('&target=0.99&sla=5&capacity=1');
    for (let i = 0; i < base.hours.length; i++)
      expect(strict.hours[i].need.servers).toBeGreaterThanOrEqual(base.hours[i].need.servers);
    expect(
      strict.hours.some(
        (h: { need: { servers: number } }, i: number) => h.need.servers > base.hours[i].need.servers,
      ),
    ).toBe(true);
    const wide = await plan('&target=0.99&sla=5&capacity=3');
    for (let i = 0; i < wide.hours.length; i++)
      expect(wide.hours[i].need.operators).toBe(Math.ceil(strict.hours[i].need.servers / 3));
    expect((await get(`/api/dashboard/staffing?site=${s.site.id}&capacity=0`, owner)).status).toBe(400);
    expect((await get(`/api/dashboard/staffing?site=${s.site.id}&sla=0`, owner)).status).toBe(400);
    const csv = await get(
      `/api/dashboard/export/staffing.csv?site=${s.site.id}&from=2026-03-06&to=2026-03-12&capacity=3&sla=5&target=0.99`,
      owner,
    );
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n')).toHaveLength(7 * 24 + 2);
  });
});

describe('setup checklist', () => {
  it('ticks items only when the real state changes', async () => {
    const created = await fetch(`${s.origin}/api/admin/sites`, {
      method: 'POST',
      headers: { cookie: owner, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Second shop' }),
    });
    expect(created.status).toBe(201);
    const site = (await created.json()).site as { id: string; key: string };
    owner = await s.login(OWNER_EMAIL, OWNER_PASSWORD);
    const check = async () => {
      const r = await get(`/api/setup/checklist?site=${site.id}`, owner);
      expect(r.status, r.text).toBe(200);
      return Object.fromEntries(
        (r.body.items as { id: string; done: boolean }[]).map((i) => [i.id, i.done]),
      ) as Record<string, boolean>;
    };
    expect(await check()).toEqual({
      hours: false,
      texts: false,
      operators: false,
      embed: false,
      testChat: false,
    });
    expect((await get(`/api/setup/checklist?site=${site.id}`, ann)).status).toBe(403);
    expect((await get(`/api/setup/checklist?site=elsewhere`, owner)).status).toBe(403);

    await s.app.store.updateSite(site.id, {
      businessHours: { days: [{ day: 1, from: 540, to: 1020 }] },
      greeting: 'Dobrý den!',
    });
    await s.app.store.updateOperator(s.ann.id, { siteIds: [s.site.id, site.id] });
    expect(await check()).toMatchObject({ hours: true, texts: true, operators: true, embed: false });

    // A visit from the owner's own machine is not an installation; one from a real website is.
    const { client } = await connectVisitor(s.wsUrl, s.origin, { site: site.key });
    client.send({ type: 'page', page: { url: 'http://localhost:3000/test.html' } });
    const cid = clientId();
    client.send({ type: 'send', clientId: cid, text: 'Testing the widget' });
    await client.next((f) => f.type === 'ack' && f.clientId === cid);
    await expect.poll(async () => (await check()).testChat).toBe(true);
    expect((await check()).embed).toBe(false);
    client.send({ type: 'page', page: { url: 'https://shop.example/products' } });
    await expect.poll(async () => (await check()).embed).toBe(true);
    const body = (await get(`/api/setup/checklist?site=${site.id}`, owner)).body;
    expect(body.items.find((i: { id: string }) => i.id === 'embed').url).toBe(
      'https://shop.example/products',
    );
    expect(body).toMatchObject({ done: 5, total: 5 });
    await client.close();
  });
});
