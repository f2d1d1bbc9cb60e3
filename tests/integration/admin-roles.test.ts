import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/auth/passwords.js';
import { OWNER_EMAIL, startServer, type TestServer } from '../helpers/start-server.js';
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

  it('the admin creates an operator (password shown once) who can log in; operators cannot reach admin', async () => {
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

    const texts = {
      cs: { greeting: 'Dobrý den!', offlineText: 'Nechte nám zprávu' },
      en: { launcherText: 'Help' },
    };
    const withTexts = await fetch(
      `${server.origin}/api/admin/sites/${server.site.id}`,
      json(owner, 'PATCH', { texts }),
    );
    expect((await withTexts.json()).site.texts).toEqual(texts);
    expect((await server.app.store.getSite(server.site.id))?.texts).toEqual(texts);
    const operatorView = await (await fetch(`${server.origin}/api/sites`, json(owner, 'GET'))).json();
    expect(operatorView.sites[0].texts).toEqual(texts);

    for (const body of [
      { timezone: 'Mars/Olympus' },
      { color: 'red' },
      { amberAfterSeconds: 500 },
      { allowedOrigins: ['javascript:alert(1)'] },
      { texts: { de: { greeting: 'Hallo' } } },
      { texts: { en: { greeting: 'x'.repeat(501) } } },
      { texts: { en: { footer: 'unknown text' } } },
    ]) {
      const r = await fetch(`${server.origin}/api/admin/sites/${server.site.id}`, json(owner, 'PATCH', body));
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('installation admin and site owners', () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startServer();
    admin = await server.login();
  });
  afterAll(async () => server.close());

  const call = async (cookie: string, method: string, path: string, body?: unknown) => {
    const r = await fetch(`${server.origin}${path}`, json(cookie, method, body));
    return { status: r.status, body: await r.json() };
  };

  it('the first account is the installation admin; only an admin creates admins and sites', async () => {
    expect((await call(admin, 'GET', '/api/auth/me')).body.me.role).toBe('admin');
    const made = await call(admin, 'POST', '/api/admin/operators', {
      email: 'olga@shop.cz',
      name: 'Olga',
      role: 'owner',
      capacity: 1,
      password: 'olga-password',
    });
    expect(made.status).toBe(201);
    const olga = await server.login('olga@shop.cz', 'olga-password');
    const mkOp = await call(olga, 'POST', '/api/admin/operators', {
      email: 'ivan@shop.cz',
      name: 'Ivan',
      role: 'operator',
      capacity: 1,
    });
    expect(mkOp.status).toBe(201);
    expect(mkOp.body.operator.siteIds).toEqual([server.site.id]);

    expect(
      (
        await call(olga, 'POST', '/api/admin/operators', {
          email: 'x@y.cz',
          name: 'X',
          role: 'admin',
          capacity: 1,
        })
      ).status,
    ).toBe(403);
    expect(
      (await call(olga, 'PATCH', `/api/admin/operators/${mkOp.body.operator.id}`, { role: 'admin' })).status,
    ).toBe(403);
    expect(
      (await call(olga, 'PATCH', `/api/admin/operators/${made.body.operator.id}`, { role: 'admin' })).status,
    ).toBe(403);
    // Promoting one of her own site's operators to owner is hers to do.
    const promoted = await call(olga, 'PATCH', `/api/admin/operators/${mkOp.body.operator.id}`, {
      role: 'owner',
    });
    expect(promoted.body.operator.role).toBe('owner');
    expect((await call(olga, 'POST', '/api/admin/sites', { name: 'Mine' })).status).toBe(403);
    const site = await call(admin, 'POST', '/api/admin/sites', { name: 'Second shop', key: 'second-shop' });
    expect(site.status).toBe(201);
    // Olga is not a member of the new site: she neither sees nor edits it.
    expect(JSON.stringify((await call(olga, 'GET', '/api/admin/sites')).body)).not.toContain(
      site.body.site.id,
    );
    expect(
      (await call(olga, 'PATCH', `/api/admin/sites/${site.body.site.id}`, { name: 'taken' })).status,
    ).toBe(404);
    expect(
      (await call(admin, 'PATCH', `/api/admin/sites/${site.body.site.id}`, { name: 'Renamed' })).status,
    ).toBe(200);
  });

  it('an admin cannot demote or deactivate themselves, but may demote another admin', async () => {
    const me = (await call(admin, 'GET', '/api/auth/me')).body.me;
    for (const body of [{ role: 'owner' }, { role: 'operator' }, { active: false }]) {
      expect((await call(admin, 'PATCH', `/api/admin/operators/${me.id}`, body)).status).toBe(409);
    }
    const second = await call(admin, 'POST', '/api/admin/operators', {
      email: 'second-admin@shop.cz',
      name: 'Second',
      role: 'admin',
      capacity: 1,
    });
    expect(second.body.operator.role).toBe('admin');
    const demoted = await call(admin, 'PATCH', `/api/admin/operators/${second.body.operator.id}`, {
      role: 'owner',
    });
    expect(demoted.body.operator.role).toBe('owner');
  });
});

describe('an installation from before the admin role', () => {
  it('on start the oldest active owner becomes the admin; other owners stay site owners', async () => {
    let server = await startServer();
    const { store } = server.app;
    const first = (await store.getOperatorByEmail(OWNER_EMAIL))!;
    await store.updateOperator(first.id, { role: 'owner' });
    const later = await store.createOperator({
      email: 'later@shop.cz',
      name: 'Later',
      role: 'owner',
      capacity: 1,
      siteIds: [server.site.id],
      passwordHash: await hashPassword('later-password'),
    });
    server = await server.restart();
    expect((await server.app.store.getOperator(first.id))?.role).toBe('admin');
    expect((await server.app.store.getOperator(later.id))?.role).toBe('owner');
    await server.close();
  });
});
