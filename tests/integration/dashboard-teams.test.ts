import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/auth/passwords.js';
import { FakeClock } from '../../server/src/core/clock.js';
import { FIXTURE_NOW, FIXTURE_TZ, local, seedFixture } from '../../server/src/metrics/test-fixture.js';
import { connectPostgres } from '../../server/src/store/postgres/postgres-store.js';
import { sqliteClientOf } from '../../server/src/store/sqlite/sqlite-store.js';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

/**
 * Issue #12.8 "dashboards filter by team", over REST on SQLite and on PostgreSQL: a site gets two teams
 * through the admin API, the hand-computed fixture is recorded with those teams (test-fixture.ts
 * FixtureIds.teams: Sales has fx-c1 and fx-c2, Support has fx-c3; fx-c4 and fx-c5 have none), and every
 * dashboard endpoint and export given `teamId` counts that team's chats and that team's coverage only.
 *
 * The fixture's chats are recorded through the store (events as the relay writes them:
 * `enqueued.data.teamId`, `team_changed`, `operator_status.data.teamIds`), so the figures are the
 * hand-computed ones; a second test drives real visitors (`send` with `teamId`) and operators (a transfer
 * to a team) through the relay and checks each team's counts.
 */

const PG_URL =
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function pgDatabase(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  // The server's own driver (this package does not depend on it directly).
  const admin = connectPostgres(PG_URL, 'public', 1);
  const name = `beseda_teams_${randomBytes(5).toString('hex')}`;
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (err) {
    await admin.end({ timeout: 1 });
    if (process.env.CI && process.env.CI !== 'false') throw err;
    return null;
  }
  await admin.end({ timeout: 1 });
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const sql = connectPostgres(PG_URL, 'public', 1);
      try {
        await sql.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await sql.end({ timeout: 1 });
      }
    },
  };
}

const pg = await pgDatabase();
const pgLive = pg ? await pgDatabase() : null;

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`dashboards filtered by team on ${dialect}`, () => {
    if (dialect === 'postgres' && !pg) {
      it.skip('PostgreSQL unreachable', () => {});
      return;
    }
    let s: Awaited<ReturnType<typeof startServer>>;
    let owner: string;
    let ann: string;
    let sales: string;
    let support: string;
    let annId: string;

    const get = async (path: string, cookie = owner) => {
      const res = await fetch(`${s.origin}${path}`, { headers: { cookie } });
      return { status: res.status, text: await res.text() };
    };
    const json = async (path: string, cookie = owner) => {
      const r = await get(path, cookie);
      expect(r.status, r.text).toBe(200);
      return JSON.parse(r.text);
    };
    const q = (extra = '') => `site=${s.site.id}&from=2026-03-10&to=2026-03-11${extra}`;

    beforeAll(async () => {
      s = await startServer(dialect === 'postgres' ? { databaseUrl: pg!.url } : {}, {
        clock: new FakeClock(local(FIXTURE_NOW)),
      });
      owner = await s.login(OWNER_EMAIL, OWNER_PASSWORD);
      const { app, site } = s;
      const res = await fetch(`${s.origin}/api/admin/sites/${site.id}`, {
        method: 'PATCH',
        headers: { cookie: owner, 'content-type': 'application/json' },
        body: JSON.stringify({ teams: [{ name: 'Sales' }, { name: 'Support' }] }),
      });
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(200);
      const byName = Object.fromEntries(
        (body.site.teams as { id: string; name: string }[]).map((t) => [t.name, t.id]),
      );
      sales = byName.Sales!;
      support = byName.Support!;
      expect(sales && support).toBeTruthy();

      await app.store.updateSite(site.id, {
        timezone: FIXTURE_TZ,
        slaSeconds: 30,
        businessHours: null,
        autoAwayMinutes: 0,
      });
      // Coverage is measured from the site's creation; the fixture's site existed before its first day.
      const created = local('2026-03-01 00:00:00');
      const db = sqliteClientOf(app.store);
      if (db) db.prepare('UPDATE sites SET created_at = ? WHERE id = ?').run(created, site.id);
      else {
        const sql = connectPostgres(pg!.url, 'public', 1);
        await sql`update sites set created_at = ${created} where id = ${site.id}`;
        await sql.end({ timeout: 1 });
      }
      await app.relay.refreshSite(site.id);
      const operator = async (name: string, teamIds: string[]) => {
        const op = await app.store.createOperator({
          email: `${name.toLowerCase()}@test.local`,
          name,
          role: 'operator',
          passwordHash: await hashPassword(`pw-${name}`),
          capacity: 2,
          siteIds: [site.id],
          teamIds,
        });
        await app.relay.refreshOperator(op.id);
        return op.id;
      };
      annId = await operator('Ann', [sales, support]);
      const bobId = await operator('Bob', [support]);
      await seedFixture(app.store, { siteId: site.id, ann: annId, bob: bobId, teams: { sales, support } });
      ann = await s.login('ann@test.local', 'pw-Ann');
    }, 60_000);
    afterAll(async () => {
      await s?.close();
      if (dialect === 'postgres') await pg?.drop();
    });

    it('overview: each team counts its own chats and its own coverage; without a team, the whole site', async () => {
      const whole = await json(`/api/dashboard/overview?${q()}`);
      expect(whole.current).toMatchObject({ conversations: 5, coverage: { coveredMinutes: 900 } });

      const s1 = await json(`/api/dashboard/overview?${q(`&teamId=${sales}`)}`);
      expect(s1.current).toMatchObject({
        conversations: 2,
        assigned: 2,
        missed: 0,
        wait: { count: 2, medianMs: 25_000, withinSla: 1 },
        csat: { good: 1, bad: 1 },
        transfers: 2,
        coverage: { coveredMinutes: 690, coveragePct: 23.96 },
      });
      expect(s1.previous.conversations).toBe(1);

      const s2 = await json(`/api/dashboard/overview?${q(`&teamId=${support}`)}`);
      expect(s2.current).toMatchObject({
        conversations: 1,
        missed: 1,
        abandonmentPct: 100,
        coverage: { coveredMinutes: 840, coveragePct: 29.17 },
      });
      expect(s2.previous.conversations).toBe(0);
    });

    it('coverage, wait, ratings, volume, operators and staffing take the team', async () => {
      const c = await json(`/api/dashboard/coverage?${q(`&teamId=${support}`)}`);
      expect(c.current.days.map((d: { coveredMinutes: number }) => d.coveredMinutes)).toEqual([540, 300]);
      const w = await json(`/api/dashboard/wait?${q(`&teamId=${sales}`)}`);
      expect(w.current.daily.map((d: { averageWaitMs: number }) => d.averageWaitMs)).toEqual([25_000, null]);
      const r = await json(`/api/dashboard/ratings?${q(`&teamId=${support}`)}`);
      expect(r.current).toMatchObject({ good: 0, bad: 0, comments: [] });
      const v = await json(`/api/dashboard/volume?${q(`&teamId=${sales}`)}`);
      expect(v.current.byWeekday).toEqual([0, 0, 2, 0, 0, 0, 0]);
      const ops = await json(`/api/dashboard/operators?${q(`&teamId=${support}`)}`);
      const online = Object.fromEntries(
        ops.current.operators.map((o: { name: string; onlineMinutes: number }) => [o.name, o.onlineMinutes]),
      );
      expect(online).toMatchObject({ Ann: 480, Bob: 480 });
      const staffing = await get(`/api/dashboard/staffing?${q(`&teamId=${sales}`)}`);
      expect(staffing.status, staffing.text).toBe(200);
      // An operator's own figures within a team.
      const mine = await json(`/api/dashboard/mine?${q(`&teamId=${sales}`)}`, ann);
      expect(mine.current).toMatchObject({ operatorId: annId, chats: 2, onlineMinutes: 690 });
    });

    it('the CSV exports list the team’s chats and the team’s coverage', async () => {
      const chats = await get(`/api/dashboard/export/chats.csv?${q(`&teamId=${sales}`)}`);
      expect(chats.status).toBe(200);
      expect(chats.text.split('\r\n').map((l) => l.split(',')[0])).toEqual([
        'conversation_id',
        'fx-c1',
        'fx-c2',
        '',
      ]);
      const other = await get(`/api/dashboard/export/chats.csv?${q(`&teamId=${support}`)}`);
      expect(other.text.split('\r\n').map((l) => l.split(',')[0])).toEqual(['conversation_id', 'fx-c3', '']);
      const cov = await get(`/api/dashboard/export/coverage.csv?${q(`&teamId=${sales}`)}`);
      expect(
        cov.text
          .split('\r\n')
          .slice(1, 3)
          .map((l) => l.split(',').slice(0, 5).join(',')),
      ).toEqual(['2026-03-10,Tue,1440,1440,450', '2026-03-11,Wed,1440,1440,240']);
    });

    it('400 with a message for a team that is not one of the site’s', async () => {
      const created = await fetch(`${s.origin}/api/admin/sites`, {
        method: 'POST',
        headers: { cookie: owner, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Other shop' }),
      });
      expect(created.status).toBe(201);
      const other = (await created.json()).site as { id: string };
      const patched = await fetch(`${s.origin}/api/admin/sites/${other.id}`, {
        method: 'PATCH',
        headers: { cookie: owner, 'content-type': 'application/json' },
        body: JSON.stringify({ teams: [{ name: 'Sales' }] }),
      });
      const otherSales = ((await patched.json()).site.teams as { id: string }[])[0]!.id;
      for (const teamId of [otherSales, 'no-such-team']) {
        for (const path of ['overview', 'export/chats.csv', 'coverage']) {
          const r = await get(`/api/dashboard/${path}?${q(`&teamId=${teamId}`)}`);
          expect(r.status, `${path} ${teamId}`).toBe(400);
          expect(r.text).toContain('not a team of this site');
        }
      }
      // The other site's own team is fine on that site.
      const ok = await get(`/api/dashboard/overview?site=${other.id}&teamId=${otherSales}`);
      expect(ok.status, ok.text).toBe(200);
    });
  });

  describe(`real visitors and operators, by team, on ${dialect}`, () => {
    if (dialect === 'postgres' && !pgLive) {
      it.skip('PostgreSQL unreachable', () => {});
      return;
    }
    let s: Awaited<ReturnType<typeof startServer>>;
    afterAll(async () => {
      await s?.close();
      if (dialect === 'postgres') await pgLive?.drop();
    });

    it('chats opened for a team and transferred to another count for the team they end up in', async () => {
      s = await startServer(dialect === 'postgres' ? { databaseUrl: pgLive!.url } : {});
      const owner = await s.login(OWNER_EMAIL, OWNER_PASSWORD);
      const api = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${s.origin}${path}`, {
          method,
          headers: { cookie: owner, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        const text = await res.text();
        expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300);
        return res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
      };
      const teams = (await api('PATCH', `/api/admin/sites/${s.site.id}`, {
        teams: [{ name: 'Sales' }, { name: 'Support' }],
      })) as { site: { teams: { id: string; name: string }[] } };
      const [sales, support] = teams.site.teams.map((t) => t.id) as [string, string];
      const sam = await s.createOperator('Sam', 2);
      const sue = await s.createOperator('Sue', 2);
      await api('PATCH', `/api/admin/operators/${sam.id}`, { teamIds: [sales] });
      await api('PATCH', `/api/admin/operators/${sue.id}`, { teamIds: [support] });
      const a = await connectOperator(s.wsUrl, s.origin, await s.login(sam.email, sam.password));
      const b = await connectOperator(s.wsUrl, s.origin, await s.login(sue.email, sue.password));
      type Conv = { id: string; operator: { id: string } | null; status: string };
      const chatFor = async (
        op: typeof a,
        operatorId: string,
        text: string,
        teamId: string,
      ): Promise<{ id: string; v: Awaited<ReturnType<typeof connectVisitor>> }> => {
        const v = await connectVisitor(s.wsUrl, s.origin);
        v.client.send({ type: 'send', clientId: clientId(), text, teamId });
        const c = (
          await op.next<{ conversation: Conv }>(
            (f) => f.type === 'chat' && (f.conversation as Conv).operator?.id === operatorId,
          )
        ).conversation;
        await v.client.next((f) => f.type === 'assigned');
        return { id: c.id, v };
      };
      const c1 = await chatFor(a, sam.id, 'price?', sales);
      const c2 = await chatFor(b, sue.id, 'broken', support);
      const v3 = await connectVisitor(s.wsUrl, s.origin);
      v3.client.send({ type: 'send', clientId: clientId(), text: 'actually I want to buy', teamId: support });
      const c3 = (
        await b.next<{ conversation: Conv }>(
          (f) =>
            f.type === 'chat' &&
            (f.conversation as Conv).id !== c2.id &&
            (f.conversation as Conv).operator?.id === sue.id,
        )
      ).conversation;
      // Sue hands it to Sales; Sam (one chat of two) takes it.
      b.send({ type: 'transfer', conversationId: c3.id, toTeamId: sales });
      await a.next(
        (f) =>
          f.type === 'chat' &&
          (f.conversation as Conv).id === c3.id &&
          (f.conversation as Conv).operator?.id === sam.id,
      );
      a.send({ type: 'end', conversationId: c1.id });
      await c1.v.client.next((f) => f.type === 'conversation' && (f.conversation as Conv).status === 'ended');

      const figures = async (teamId?: string) => {
        const r = await api(
          'GET',
          `/api/dashboard/overview?site=${s.site.id}${teamId ? `&teamId=${teamId}` : ''}`,
        );
        const { conversations, assigned, transfers } = r.current;
        return { conversations, assigned, transfers };
      };
      // PostgreSQL folds events once older transactions ended (postgres-metrics.ts): poll, never sleep.
      await expect
        .poll(() => figures(), { timeout: 10_000 })
        .toEqual({ conversations: 3, assigned: 3, transfers: 1 });
      expect(await figures(sales)).toEqual({ conversations: 2, assigned: 2, transfers: 1 });
      expect(await figures(support)).toEqual({ conversations: 1, assigned: 1, transfers: 0 });

      const ids = async (teamId: string) =>
        ((await api('GET', `/api/dashboard/export/chats.csv?site=${s.site.id}&teamId=${teamId}`)) as string)
          .split('\r\n')
          .slice(1)
          .filter((l) => l !== '')
          .map((l) => l.split(',')[0])
          .sort();
      expect(await ids(sales)).toEqual([c1.id, c3.id].sort());
      expect(await ids(support)).toEqual([c2.id]);

      // Team coverage: Sam's online time counts for Sales only, Sue's for Support only.
      const online = async (teamId: string) => {
        const r = await api('GET', `/api/dashboard/operators?site=${s.site.id}&teamId=${teamId}`);
        return Object.fromEntries(
          r.current.operators.map((o: { name: string; onlineMinutes: number }) => [
            o.name,
            o.onlineMinutes > 0,
          ]),
        );
      };
      expect(await online(sales)).toMatchObject({ Sam: true, Sue: false });
      expect(await online(support)).toMatchObject({ Sam: false, Sue: true });
      await Promise.all([a.close(), b.close(), c1.v.client.close(), c2.v.client.close(), v3.client.close()]);
    }, 60_000);
  });
}
