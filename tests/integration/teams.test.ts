import type { SiteAdmin, WidgetConfig } from '@beseda/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

type Frame = Record<string, unknown>;
type Conv = { id: string; status: string; teamId: string | null; operator: { id: string } | null };
const conv = (f: Frame) => f.conversation as Conv;

/**
 * Issue #12.8: teams (departments). A chat opened for a team is offered only to that team's operators and
 * waits in that team's queue (positions counted there); an operator's capacity is one budget across the site
 * and their teams; a chat can be transferred to a team (front of its queue); deleting a team sends whoever
 * waits for it to the whole site's queue. All over the real server, REST and sockets.
 */
describe('teams', () => {
  let server: TestServer;
  let owner: string;
  beforeEach(async () => {
    server = await startServer();
    owner = await server.login();
  });
  afterEach(async () => server.close());

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.origin}${path}`, {
      method,
      headers: { cookie: owner, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const setTeams = (teams: { id?: string; name: string }[]) =>
    api('PATCH', `/api/admin/sites/${server.site.id}`, { teams });

  it('edits a site’s teams and operators’ memberships with clear refusals', async () => {
    const created = await setTeams([{ name: 'Sales' }, { name: ' Support  team ' }]);
    expect(created.status).toBe(200);
    const teams = (created.body.site as SiteAdmin).teams;
    expect(teams.map((t) => t.name)).toEqual(['Sales', 'Support team']);
    const [sales, support] = teams as [SiteAdmin['teams'][number], SiteAdmin['teams'][number]];

    const dup = await setTeams([{ name: 'Sales' }, { name: 'sales' }]);
    expect(dup.status).toBe(400);
    expect(dup.body.message).toMatch(/two teams called/);
    expect((await setTeams([{ id: 'nope', name: 'X' }])).status).toBe(400);
    // Renaming keeps the id; the list is the whole new list.
    const renamed = await setTeams([
      { id: sales.id, name: 'Prodej' },
      { id: support.id, name: 'Support' },
    ]);
    expect((renamed.body.site as SiteAdmin).teams).toEqual([
      { id: sales.id, name: 'Prodej' },
      { id: support.id, name: 'Support' },
    ]);
    // Every operator of the site reads them.
    const sites = await api('GET', '/api/sites');
    expect((sites.body.sites as SiteAdmin[])[0]!.teams.map((t) => t.name)).toEqual(['Prodej', 'Support']);

    const ann = await server.createOperator('Ann');
    const ok = await api('PATCH', `/api/admin/operators/${ann.id}`, { teamIds: [support.id] });
    expect(ok.status).toBe(200);
    expect((ok.body.operator as { teamIds: string[] }).teamIds).toEqual([support.id]);
    const bad = await api('PATCH', `/api/admin/operators/${ann.id}`, { teamIds: ['not-a-team'] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/not a team/);
    const made = await api('POST', '/api/admin/operators', {
      email: 'new@test.local',
      name: 'New',
      role: 'operator',
      capacity: 2,
      siteIds: [server.site.id],
      teamIds: [sales.id],
    });
    expect(made.status).toBe(201);
    expect((made.body.operator as { teamIds: string[] }).teamIds).toEqual([sales.id]);
  });

  it('routes per team, shares capacity, transfers to a team and empties a deleted team’s queue', async () => {
    const teams = ((await setTeams([{ name: 'Sales' }, { name: 'Support' }])).body.site as SiteAdmin).teams;
    const [sales, support] = teams as [SiteAdmin['teams'][number], SiteAdmin['teams'][number]];
    const alice = await server.createOperator('Alice', 1); // the whole site only
    const bob = await server.createOperator('Bob', 1); // the site and Sales
    expect((await api('PATCH', `/api/admin/operators/${bob.id}`, { teamIds: [sales.id] })).status).toBe(200);
    const a = await connectOperator(
      server.wsUrl,
      server.origin,
      await server.login(alice.email, alice.password),
    );
    const b = await connectOperator(server.wsUrl, server.origin, await server.login(bob.email, bob.password));

    // The widget sees which teams can answer now.
    const config = (await (
      await fetch(`${server.origin}/api/widget/config?site=demo`)
    ).json()) as WidgetConfig;
    expect(config.teams).toEqual([
      { id: sales.id, name: 'Sales', online: true },
      { id: support.id, name: 'Support', online: false },
    ]);

    // A Sales chat goes to Bob, though Alice is free too.
    const v1 = await connectVisitor(server.wsUrl, server.origin);
    v1.client.send({ type: 'send', clientId: clientId(), text: 'price of the blue one?', teamId: sales.id });
    const c1 = conv(await b.next((f) => f.type === 'chat'));
    expect(c1.teamId).toBe(sales.id);
    expect(c1.operator?.id).toBe(bob.id);
    const enqueued = (await server.app.store.listEvents(c1.id)).find((e) => e.type === 'enqueued');
    expect(enqueued?.data).toEqual({ teamId: sales.id });

    // Bob is full (capacity is one budget): the next Sales chat waits in Sales' queue, Alice is not offered it.
    const v2 = await connectVisitor(server.wsUrl, server.origin);
    v2.client.send({ type: 'send', clientId: clientId(), text: 'bulk discount?', teamId: sales.id });
    const q2 = await v2.client.next<{ position: number }>((f) => f.type === 'queue');
    expect(q2.position).toBe(1);
    await b.next(
      (f) => f.type === 'queue_delta' && f.teamId === sales.id && (f.upserted as unknown[]).length === 1,
    );
    // A chat for no team (and one for a team that does not exist) goes to the free Alice.
    const v3 = await connectVisitor(server.wsUrl, server.origin);
    v3.client.send({ type: 'send', clientId: clientId(), text: 'where is my parcel?', teamId: 'gone-team' });
    const c3 = conv(await a.next((f) => f.type === 'chat' && conv(f).operator?.id === alice.id));
    expect(c3.teamId).toBeNull();
    expect(a.frames.some((f) => f.type === 'queue_delta' && f.teamId === sales.id)).toBe(false);

    // Bad transfers are refused with a reason.
    a.send({ type: 'transfer', conversationId: c3.id, toTeamId: 'nope' });
    expect(await a.nextNew('error')).toMatchObject({ code: 'not_found' });
    a.send({ type: 'transfer', conversationId: c3.id, toTeamId: sales.id, toOperatorId: bob.id });
    expect(await a.nextNew('error')).toMatchObject({ code: 'validation' });

    // Alice hands the parcel question to Sales: she is free, it waits in Sales behind v2 (who came first).
    a.send({ type: 'transfer', conversationId: c3.id, toTeamId: sales.id, note: 'asked about a return' });
    await a.next((f) => f.type === 'chat' && conv(f).id === c3.id && conv(f).status === 'queued');
    await v3.client.next(
      (f) =>
        f.type === 'message' &&
        (f.message as { text: string }).text === 'The chat was passed to the Sales team',
    );
    expect((await v3.client.next<{ position: number }>((f) => f.type === 'queue')).position).toBe(2);
    expect(JSON.stringify(v3.client.frames)).not.toContain('asked about a return');
    const stored = await server.app.store.getConversation(c3.id);
    expect(stored).toMatchObject({ teamId: sales.id, status: 'queued', operatorId: null });
    const changed = (await server.app.store.listEvents(c3.id)).find((e) => e.type === 'team_changed');
    expect(changed?.data).toEqual({ from: null, to: sales.id, by: alice.id });

    // Bob finishes v1: Sales' oldest (v2) is next, then v3 waits at position 1.
    b.send({ type: 'end', conversationId: c1.id });
    await v2.client.next((f) => f.type === 'assigned');
    expect(
      (await v3.client.next<{ position: number }>((f) => f.type === 'queue' && f.position === 1)).position,
    ).toBe(1);

    // Sales is deleted: v3 goes to the whole site's queue, where Alice (free) takes it at once.
    expect((await setTeams([{ id: support.id, name: 'Support' }])).status).toBe(200);
    const back = conv(
      await a.next((f) => f.type === 'chat' && conv(f).id === c3.id && conv(f).status === 'active'),
    );
    expect(back.operator?.id).toBe(alice.id);
    expect(back.teamId).toBeNull();
    await v3.client.next(
      (f) =>
        f.type === 'message' &&
        (f.message as { text: string }).text === 'The chat was passed back to all operators',
    );
    await Promise.all([a.close(), b.close(), v1.client.close(), v2.client.close(), v3.client.close()]);
  });
});
