import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectVisitor } from '../helpers/ws-client.js';

/**
 * Setting a site up (issue #12.10): an editable site key (format → 400, taken → 409, each with a sentence),
 * new sites offered to the operators the admin ticks, and the ring timeout on by default.
 */
describe('site setup in Admin', () => {
  let s: TestServer;
  let admin: string;
  beforeEach(async () => {
    s = await startServer();
    admin = await s.login();
  });
  afterEach(async () => s.close());

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.origin}${path}`, {
      method,
      headers: body === undefined ? { cookie: admin } : { cookie: admin, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };

  it('changes a site key: the widget answers on the new key only; a bad or taken key is refused with a message', async () => {
    const second = await call('POST', '/api/admin/sites', { name: 'Second shop', key: 'second-shop' });
    expect(second.status).toBe(201);

    const bad = await call('PATCH', `/api/admin/sites/${s.site.id}`, { key: 'My Shop!' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'validation' });
    expect(bad.body.message).toContain('3 to 40 characters');
    const taken = await call('PATCH', `/api/admin/sites/${s.site.id}`, { key: 'second-shop' });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ error: 'conflict' });
    expect(taken.body.message).toContain('"second-shop" is already used by another site');
    expect((await s.app.store.getSite(s.site.id))?.key).toBe('demo');

    // Saving the same key again is not a conflict with itself.
    expect((await call('PATCH', `/api/admin/sites/${s.site.id}`, { key: 'demo' })).status).toBe(200);
    const renamed = await call('PATCH', `/api/admin/sites/${s.site.id}`, { key: 'main-shop' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.site.key).toBe('main-shop');

    expect((await fetch(`${s.origin}/api/widget/config?site=main-shop`)).status).toBe(200);
    expect((await fetch(`${s.origin}/api/widget/config?site=demo`)).status).toBe(404);
    const { client } = await connectVisitor(s.wsUrl, s.origin, { site: 'main-shop' });
    const cid = clientId();
    client.send({ type: 'send', clientId: cid, text: 'Hello on the new key' });
    await client.next((f) => f.type === 'ack' && f.clientId === cid);
    await client.close();
  });

  it('a new site goes to the operators the admin ticked (and the admin), no one else; an unknown id creates nothing', async () => {
    const ann = await s.createOperator('Ann', 2);
    const bob = await s.createOperator('Bob', 2);
    const unknown = await call('POST', '/api/admin/sites', {
      name: 'Nope',
      operatorIds: [ann.id, 'no-such-id'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('no-such-id');
    expect((await s.app.store.listSites()).map((x) => x.name)).not.toContain('Nope');

    const created = await call('POST', '/api/admin/sites', { name: 'Blog', operatorIds: [ann.id] });
    expect(created.status).toBe(201);
    const siteId = created.body.site.id as string;
    expect(created.body.operatorIds).toHaveLength(2);
    expect((await s.app.store.getOperator(ann.id))?.siteIds).toContain(siteId);
    expect((await s.app.store.getOperator(bob.id))?.siteIds).not.toContain(siteId);
    const me = (await call('GET', '/api/auth/me')).body.me;
    expect((await s.app.store.getOperator(me.id))?.siteIds).toContain(siteId);
    // The admin's list shows Ann on the new site.
    const ops = (await call('GET', '/api/admin/operators')).body.operators as {
      id: string;
      siteIds: string[];
    }[];
    expect(ops.find((o) => o.id === ann.id)?.siteIds).toContain(siteId);
    expect(ops.find((o) => o.id === bob.id)?.siteIds).not.toContain(siteId);
  });

  it('new sites ring the next operator after 45 s by default; the owner can still turn it off', async () => {
    const created = await call('POST', '/api/admin/sites', { name: 'Defaults' });
    expect(created.body.site.ringTimeoutSeconds).toBe(45);
    const off = await call('PATCH', `/api/admin/sites/${created.body.site.id}`, { ringTimeoutSeconds: 0 });
    expect(off.body.site.ringTimeoutSeconds).toBe(0);
  });
});
