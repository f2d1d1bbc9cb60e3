import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { connectOperator } from '../helpers/ws-client.js';

const json = (cookie: string, method: string, body?: unknown): RequestInit => ({
  method,
  headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
  ...(body ? { body: JSON.stringify(body) } : {}),
});

describe('admin endpoints and roles', () => {
  let server: TestServer;
  let owner: string;
  beforeAll(async () => {
    server = await startServer();
    owner = await server.login();
  });
  afterAll(async () => server.close());

  it('an owner creates an operator (password shown once) who can log in; operators cannot reach admin', async () => {
    const res = await fetch(
      `${server.origin}/api/admin/operators`,
      json(owner, 'POST', { email: 'Petra@Shop.cz', name: 'Petra', role: 'operator', capacity: 2 }),
    );
    expect(res.status).toBe(201);
    const { operator, password } = await res.json();
    expect(operator).toMatchObject({
      email: 'petra@shop.cz',
      role: 'operator',
      capacity: 2,
      active: true,
      siteIds: [server.site.id],
    });
    expect(password).toEqual(expect.any(String));

    const petra = await server.login('petra@shop.cz', password);
    for (const [method, path, body] of [
      ['GET', '/api/admin/operators'],
      ['POST', '/api/admin/operators', { email: 'x@y.z', name: 'X', role: 'owner', capacity: 1 }],
      ['PATCH', `/api/admin/operators/${operator.id}`, { role: 'owner' }],
      ['POST', `/api/admin/operators/${operator.id}/reset-password`],
      ['GET', '/api/admin/sites'],
      ['PATCH', `/api/admin/sites/${server.site.id}`, { name: 'mine now' }],
    ] as const) {
      const r = await fetch(`${server.origin}${path}`, json(petra, method, body));
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(await r.json()).toMatchObject({ error: 'forbidden' });
    }
    const sites = await (await fetch(`${server.origin}/api/sites`, json(petra, 'GET'))).json();
    expect(sites.sites[0]).toMatchObject({ key: 'demo', alertAfterSeconds: 240 });
    expect(sites.sites[0].identitySecret).toBeUndefined();
  });

  it('deactivating an operator ends their access; a duplicate email is a conflict; bad input is a 400', async () => {
    const created = await (
      await fetch(
        `${server.origin}/api/admin/operators`,
        json(owner, 'POST', {
          email: 'karel@shop.cz',
          name: 'Karel',
          role: 'operator',
          capacity: 1,
          password: 'karel-pass-1',
        }),
      )
    ).json();
    const karel = await server.login('karel@shop.cz', 'karel-pass-1');
    expect((await fetch(`${server.origin}/api/auth/me`, json(karel, 'GET'))).status).toBe(200);
    const off = await fetch(
      `${server.origin}/api/admin/operators/${created.operator.id}`,
      json(owner, 'PATCH', { active: false }),
    );
    expect((await off.json()).operator.active).toBe(false);
    expect((await fetch(`${server.origin}/api/auth/me`, json(karel, 'GET'))).status).toBe(401);

    const dup = await fetch(
      `${server.origin}/api/admin/operators`,
      json(owner, 'POST', { email: 'KAREL@shop.cz', name: 'K2', role: 'operator', capacity: 1 }),
    );
    expect(dup.status).toBe(409);
    const bad = await fetch(
      `${server.origin}/api/admin/operators`,
      json(owner, 'POST', { email: 'nope', name: '', role: 'god', capacity: -1 }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'validation' });
  });

  it('a site change reaches connected consoles at once', async () => {
    const op = await connectOperator(server.wsUrl, server.origin, owner);
    await fetch(
      `${server.origin}/api/admin/sites/${server.site.id}`,
      json(owner, 'PATCH', { alertAfterSeconds: 300 }),
    );
    expect(await op.next((f) => f.type === 'sites_changed')).toMatchObject({ siteId: server.site.id });
    await op.close();
  });

  it('site settings: validated, applied at once (widget config), identity secret rotates', async () => {
    const before = (await (await fetch(`${server.origin}/api/admin/sites`, json(owner, 'GET'))).json())
      .sites[0];
    const res = await fetch(
      `${server.origin}/api/admin/sites/${server.site.id}`,
      json(owner, 'PATCH', {
        color: '#aa3300',
        position: 'left',
        greeting: 'Ahoj!',
        typingPreview: true,
        lang: 'cs',
        rotateIdentitySecret: true,
      }),
    );
    const { site } = await res.json();
    expect(site).toMatchObject({ color: '#aa3300', position: 'left', typingPreview: true });
    expect(site.identitySecret).not.toBe(before.identitySecret);
    const config = await (await fetch(`${server.origin}/api/widget/config?site=demo`)).json();
    expect(config).toMatchObject({
      color: '#aa3300',
      position: 'left',
      greeting: 'Ahoj!',
      typingPreview: true,
      lang: 'cs',
    });

    for (const body of [
      { timezone: 'Mars/Olympus' },
      { color: 'red' },
      { amberAfterSeconds: 500 },
      { allowedOrigins: ['javascript:alert(1)'] },
    ]) {
      const r = await fetch(`${server.origin}/api/admin/sites/${server.site.id}`, json(owner, 'PATCH', body));
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
  });
});
