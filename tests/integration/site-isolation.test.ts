import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/auth/passwords.js';
import { DEFAULT_SITE } from '../../server/src/http/site-defaults.js';
import type { Site } from '../../server/src/store/types.js';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

const call = (origin: string, cookie: string, method: string, path: string, body?: unknown) =>
  fetch(`${origin}${path}`, {
    method,
    headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe('an operator sees only the sites they belong to; a visitor only their own conversation', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server.close());

  it('keeps sites and visitors apart', async () => {
    const other = await server.app.store.createSite({
      ...DEFAULT_SITE,
      key: 'other-shop',
      name: 'Other',
      identitySecret: 's',
    });
    await server.app.relay.refreshSite(other.id);
    const stranger = await server.app.store.createOperator({
      email: 'stranger@other.shop',
      name: 'Stranger',
      role: 'operator',
      capacity: 5,
      siteIds: [other.id],
      passwordHash: await hashPassword('stranger-pass'),
    });
    await server.app.store.updateOperator(stranger.id, { status: 'online' });
    await server.app.relay.refreshOperator(stranger.id);
    const cookie = await server.login('stranger@other.shop', 'stranger-pass');
    const op = await connectOperator(server.wsUrl, server.origin, cookie);

    // A demo-site visitor is never routed to the other site's operator.
    const { client, identity } = await connectVisitor(server.wsUrl, server.origin);
    client.send({ type: 'send', clientId: clientId(), text: 'private question' });
    const ack = await client.next<{ conversationId: string }>((f) => f.type === 'ack');
    await client.next((f) => f.type === 'queue');
    op.send({ type: 'sync', conversationId: ack.conversationId, afterSeq: 0 });
    expect(await op.next((f) => f.type === 'error')).toMatchObject({ code: 'not_found' });
    op.send({ type: 'pick', conversationId: ack.conversationId });
    expect(await op.nextNew('error')).toMatchObject({ code: 'not_found' });
    expect(op.frames.some((f) => JSON.stringify(f).includes('private question'))).toBe(false);

    const card = await fetch(`${server.origin}/api/visitors/${identity.visitorId}`, { headers: { cookie } });
    expect(card.status).toBe(404);
    const t = await fetch(`${server.origin}/api/transcripts/${ack.conversationId}`, { headers: { cookie } });
    expect(t.status).toBe(404);

    // Another visitor cannot resume or rate someone else's conversation.
    const thief = await connectVisitor(server.wsUrl, server.origin, {
      conversationId: ack.conversationId,
      lastSeq: 0,
    });
    expect(thief.client.frames.find((f) => f.type === 'welcome')).toMatchObject({ conversation: null });
    thief.client.send({ type: 'rate', conversationId: ack.conversationId, rating: 'bad' });
    expect(await thief.client.next((f) => f.type === 'error')).toMatchObject({ code: 'not_found' });
    expect(thief.client.frames.some((f) => JSON.stringify(f).includes('private question'))).toBe(false);
    await Promise.all([op.close(), client.close(), thief.client.close()]);
  });
});

/**
 * Issue #9 point 1: the admin REST, tried by every role against its own site and another tenant's. Site A is
 * the demo site, B a second tenant. The installation admin reaches both; an owner only theirs; an operator
 * reads only theirs and administers nothing. "Not yours" answers exactly like "does not exist" (404).
 */
describe('role × route × own/other site', () => {
  type Actor = 'admin' | 'ownerA' | 'ownerB' | 'opA';
  type Target = 'A' | 'B';
  let server: TestServer;
  const sites = {} as Record<Target, Site>;
  const fx = {} as Record<
    Target,
    { operatorId: string; conversationId: string; visitorId: string; sharedCannedId: string }
  >;
  const cookies = {} as Record<Actor, string>;
  let sharedOperatorId = '';
  let strangerCannedId = '';
  /** Every body an actor received, to prove no secret of another site ever reached them. */
  const seen: Record<Actor, string[]> = { admin: [], ownerA: [], ownerB: [], opA: [] };

  const as = async (actor: Actor, method: string, path: string, body?: unknown) => {
    const res = await call(server.origin, cookies[actor], method, path, body);
    const text = await res.text();
    seen[actor].push(text);
    const json = res.headers.get('content-type')?.startsWith('application/json');
    return { status: res.status, body: json && text ? JSON.parse(text) : text };
  };

  beforeAll(async () => {
    server = await startServer();
    const { store } = server.app;
    sites.A = server.site;
    sites.B = await store.createSite({
      ...DEFAULT_SITE,
      key: 'tenant-b',
      name: 'B',
      identitySecret: 'secret-of-b',
    });
    await server.app.relay.refreshSite(sites.B.id);
    const account = async (email: string, role: 'owner' | 'operator', siteIds: string[]) =>
      store.createOperator({
        email,
        name: email,
        role,
        capacity: 1,
        siteIds,
        passwordHash: await hashPassword('pw-12345'),
      });
    await account('owner-a@t.l', 'owner', [sites.A.id]);
    await account('owner-b@t.l', 'owner', [sites.B.id]);
    await account('op-a@t.l', 'operator', [sites.A.id]);
    sharedOperatorId = (await account('both@t.l', 'operator', [sites.A.id, sites.B.id])).id;
    strangerCannedId = (
      await store.createCanned({
        shortcut: 'mine',
        text: 'private',
        operatorId: sharedOperatorId,
        siteId: null,
        createdAt: 1,
      })
    ).id;
    for (const t of ['A', 'B'] as const) {
      const site = sites[t];
      const operatorId = (await account(`only-${t.toLowerCase()}@t.l`, 'operator', [site.id])).id;
      const visitor = await store.createVisitor({
        siteId: site.id,
        tokenHash: 'x',
        name: `Visitor ${t}`,
        email: null,
        lang: null,
        userAgent: null,
        createdAt: 1_000,
        lastSeenAt: 1_000,
      });
      const conv = await store.createConversation({
        siteId: site.id,
        visitorId: visitor.id,
        status: 'ended',
        createdAt: 1_000,
        enqueuedAt: null,
      });
      await store.appendMessage({
        conversationId: conv.id,
        clientId: null,
        author: 'note',
        operatorId,
        authorName: 'X',
        text: `internal note of ${t}`,
        at: 1_001,
      });
      const canned = await store.createCanned({
        shortcut: `team${t}`,
        text: 't',
        operatorId: null,
        siteId: site.id,
        createdAt: 1,
      });
      fx[t] = { operatorId, conversationId: conv.id, visitorId: visitor.id, sharedCannedId: canned.id };
    }
    cookies.admin = await server.login();
    cookies.ownerA = await server.login('owner-a@t.l', 'pw-12345');
    cookies.ownerB = await server.login('owner-b@t.l', 'pw-12345');
    cookies.opA = await server.login('op-a@t.l', 'pw-12345');
  });
  afterAll(async () => server.close());

  const actors: Actor[] = ['admin', 'ownerA', 'ownerB', 'opA'];
  const owns = (actor: Actor, t: Target) => actor === 'admin' || actor.endsWith(t);
  /** Expected status for an admin route: operators 403, not-mine 404, else ok. */
  const adminStatus = (actor: Actor, t: Target, ok: number) =>
    actor === 'opA' ? 403 : owns(actor, t) ? ok : 404;
  /** Expected status for a read route every operator of the site may use. */
  const readStatus = (actor: Actor, t: Target) => (owns(actor, t) ? 200 : 404);

  const cases: {
    name: string;
    run: (a: Actor, t: Target) => Promise<{ status: number; body: unknown }>;
    expected: (a: Actor, t: Target) => number | boolean;
  }[] = [
    {
      name: 'GET /api/admin/sites lists the site (with its secret)',
      run: (a, t) =>
        as(a, 'GET', '/api/admin/sites').then((r) => ({
          ...r,
          status: r.status === 200 ? Number(JSON.stringify(r.body).includes(sites[t].id)) : r.status,
        })),
      expected: (a, t) => (a === 'opA' ? 403 : owns(a, t) ? 1 : 0),
    },
    {
      name: 'PATCH /api/admin/sites/:id',
      run: (a, t) => as(a, 'PATCH', `/api/admin/sites/${sites[t].id}`, { greeting: `hello from ${a}` }),
      expected: (a, t) => adminStatus(a, t, 200),
    },
    {
      name: 'GET /api/admin/operators lists the site’s operator',
      run: (a, t) =>
        as(a, 'GET', '/api/admin/operators').then((r) => ({
          ...r,
          status: r.status === 200 ? Number(JSON.stringify(r.body).includes(fx[t].operatorId)) : r.status,
        })),
      expected: (a, t) => (a === 'opA' ? 403 : owns(a, t) ? 1 : 0),
    },
    {
      name: 'PATCH /api/admin/operators/:id (capacity)',
      run: (a, t) => as(a, 'PATCH', `/api/admin/operators/${fx[t].operatorId}`, { capacity: 2 }),
      expected: (a, t) => adminStatus(a, t, 200),
    },
    {
      name: 'POST /api/admin/operators/:id/reset-password',
      run: (a, t) => as(a, 'POST', `/api/admin/operators/${fx[t].operatorId}/reset-password`),
      expected: (a, t) => adminStatus(a, t, 200),
    },
    {
      name: 'POST /api/admin/operators into the site',
      run: (a, t) =>
        as(a, 'POST', '/api/admin/operators', {
          email: `${a}-${t}@new.l`,
          name: 'N',
          role: 'operator',
          capacity: 1,
          siteIds: [sites[t].id],
        }),
      // Naming a site outside your scope is refused like an unknown site id.
      expected: (a, t) => (a === 'opA' ? 403 : owns(a, t) ? 201 : 400),
    },
    {
      name: 'PATCH /api/admin/operators/:self grants oneself the site',
      run: async (a, t) => {
        const me = (await as(a, 'GET', '/api/auth/me')).body as { me: { id: string } };
        const own = (await server.app.store.getOperator(me.me.id))!.siteIds;
        return as(a, 'PATCH', `/api/admin/operators/${me.me.id}`, {
          siteIds: [...new Set([...own, sites[t].id])],
        });
      },
      expected: (a, t) => (a === 'opA' ? 403 : owns(a, t) ? 200 : 400),
    },
    {
      name: 'GET /api/sites lists the site',
      run: (a, t) =>
        as(a, 'GET', '/api/sites').then((r) => ({
          ...r,
          status: Number(JSON.stringify(r.body).includes(sites[t].id)),
        })),
      expected: (a, t) => (owns(a, t) ? 1 : 0),
    },
    {
      name: 'GET /api/transcripts/:id (with internal notes)',
      run: (a, t) => as(a, 'GET', `/api/transcripts/${fx[t].conversationId}`),
      expected: readStatus,
    },
    {
      name: 'GET /api/transcripts/:id/export',
      run: (a, t) => as(a, 'GET', `/api/transcripts/${fx[t].conversationId}/export`),
      expected: readStatus,
    },
    {
      name: 'GET /api/transcripts lists the conversation',
      run: (a, t) =>
        as(a, 'GET', '/api/transcripts').then((r) => ({
          ...r,
          status: Number(JSON.stringify(r.body).includes(fx[t].conversationId)),
        })),
      expected: (a, t) => (owns(a, t) ? 1 : 0),
    },
    {
      name: 'GET /api/visitors/:id',
      run: (a, t) => as(a, 'GET', `/api/visitors/${fx[t].visitorId}`),
      expected: readStatus,
    },
    {
      name: 'PATCH /api/canned/:id (the site’s shared response)',
      run: (a, t) =>
        as(a, 'PATCH', `/api/canned/${fx[t].sharedCannedId}`, {
          shortcut: `team${t}`,
          text: `by ${a}`,
          shared: true,
        }),
      // An operator sees their site's shared responses but may not edit them.
      expected: (a, t) => (!owns(a, t) ? 404 : a === 'opA' ? 403 : 200),
    },
    {
      name: 'GET /api/canned lists the site’s shared response',
      run: (a, t) =>
        as(a, 'GET', '/api/canned').then((r) => ({
          ...r,
          status: Number(JSON.stringify(r.body).includes(fx[t].sharedCannedId)),
        })),
      expected: (a, t) => (owns(a, t) ? 1 : 0),
    },
    {
      name: 'POST /api/canned for the site',
      run: (a, t) =>
        as(a, 'POST', '/api/canned', { shortcut: `p-${a}`, text: 'x', shared: false, siteId: sites[t].id }),
      expected: (a, t) => (owns(a, t) ? 201 : 400),
    },
  ];

  for (const c of cases) {
    for (const a of actors) {
      for (const t of ['A', 'B'] as const) {
        it(`${a} → site ${t}: ${c.name}`, async () => {
          const r = await c.run(a, t);
          expect(r.status, JSON.stringify(r.body)).toBe(c.expected(a, t));
          if (typeof c.expected(a, t) === 'number' && r.status === 404)
            expect(r.body).toMatchObject({ error: 'not_found' });
        });
      }
    }
  }

  it('another operator’s personal canned response is not found, for everybody, admin included', async () => {
    for (const a of actors) {
      for (const [method, body] of [
        ['PATCH', { shortcut: 'mine', text: 'stolen', shared: false }],
        ['DELETE', undefined],
      ] as const) {
        const r = await as(a, method, `/api/canned/${strangerCannedId}`, body);
        expect(r.status, `${a} ${method}`).toBe(404);
        expect(r.body).toMatchObject({ error: 'not_found' });
      }
    }
    expect(await server.app.store.getCanned(strangerCannedId)).toMatchObject({ text: 'private' });
  });

  it('an account that also works for another tenant: its owner may only change their own site’s membership', async () => {
    for (const [method, path, body] of [
      ['PATCH', `/api/admin/operators/${sharedOperatorId}`, { capacity: 9 }],
      ['PATCH', `/api/admin/operators/${sharedOperatorId}`, { active: false }],
      ['POST', `/api/admin/operators/${sharedOperatorId}/reset-password`, undefined],
    ] as const) {
      const r = await as('ownerA', method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(403);
    }
    const list = (await as('ownerA', 'GET', '/api/admin/operators')).body as {
      operators: { id: string; siteIds: string[] }[];
    };
    // Visible, but B's membership is not shown to A's owner.
    expect(list.operators.find((o) => o.id === sharedOperatorId)?.siteIds).toEqual([sites.A.id]);
    // The console's form sends every field; unchanged ones do not count as changes.
    const current = (await server.app.store.getOperator(sharedOperatorId))!;
    const removed = await as('ownerA', 'PATCH', `/api/admin/operators/${sharedOperatorId}`, {
      name: current.name,
      role: current.role,
      capacity: current.capacity,
      siteIds: [],
    });
    expect(removed.status).toBe(200);
    expect((await server.app.store.getOperator(sharedOperatorId))?.siteIds).toEqual([sites.B.id]);
    // Now it works for B only: A's owner no longer sees it at all.
    expect(
      (await as('ownerA', 'PATCH', `/api/admin/operators/${sharedOperatorId}`, { siteIds: [sites.A.id] }))
        .status,
    ).toBe(404);
  });

  it('no response to a non-admin ever carried another site’s identity secret or internal notes', () => {
    const secretA = sites.A.identitySecret;
    const secretB = 'secret-of-b';
    for (const text of [...seen.ownerA, ...seen.opA]) {
      expect(text).not.toContain(secretB);
      expect(text).not.toContain('internal note of B');
    }
    for (const text of seen.ownerB) {
      expect(text).not.toContain(secretA);
      expect(text).not.toContain('internal note of A');
    }
    // …while the matrix did show them their own (the check above is not vacuous).
    expect(seen.ownerA.some((t) => t.includes(secretA))).toBe(true);
    expect(seen.ownerB.some((t) => t.includes('internal note of B'))).toBe(true);
  });
});
