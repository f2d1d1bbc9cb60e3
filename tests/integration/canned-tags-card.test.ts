import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentity } from '../../server/src/core/identity.js';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

const req = (cookie: string, method: string, body?: unknown): RequestInit => ({
  method,
  headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
  ...(body ? { body: JSON.stringify(body) } : {}),
});

describe('canned responses, tags, visitor card, identity, export', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server.close());

  it('shared responses are the owners’, personal ones their author’s', async () => {
    const owner = await server.login();
    const op = await server.createOperator('Eva', 2);
    const eva = await server.login(op.email, op.password);
    const shared = await fetch(
      `${server.origin}/api/canned`,
      req(owner, 'POST', {
        shortcut: 'hello',
        text: 'Hi {{visitor.name}}, I am {{operator.name}}.',
        shared: true,
      }),
    );
    expect(shared.status).toBe(201);
    const denied = await fetch(
      `${server.origin}/api/canned`,
      req(eva, 'POST', { shortcut: 'x', text: 'y', shared: true }),
    );
    expect(denied.status).toBe(403);
    const mine = await (
      await fetch(
        `${server.origin}/api/canned`,
        req(eva, 'POST', { shortcut: 'bye', text: 'Bye!', shared: false }),
      )
    ).json();
    const evaList = await (await fetch(`${server.origin}/api/canned`, req(eva, 'GET'))).json();
    expect(evaList.items.map((i: { shortcut: string }) => i.shortcut).sort()).toEqual(['bye', 'hello']);
    const ownerList = await (await fetch(`${server.origin}/api/canned`, req(owner, 'GET'))).json();
    expect(ownerList.items.map((i: { shortcut: string }) => i.shortcut)).toEqual(['hello']);
    const sharedId = (await shared.json()).item.id;
    expect((await fetch(`${server.origin}/api/canned/${sharedId}`, req(eva, 'DELETE'))).status).toBe(403);
    // Another operator's personal response is "not found" for everyone else, owners included (issue #9.10).
    expect((await fetch(`${server.origin}/api/canned/${mine.item.id}`, req(owner, 'DELETE'))).status).toBe(
      404,
    );
    expect((await fetch(`${server.origin}/api/canned/${mine.item.id}`, req(eva, 'DELETE'))).status).toBe(200);
  });

  it('identify: a signed identity is verified, a forged or expired one is not and never overwrites it', async () => {
    const secret = (await server.app.store.getSite(server.site.id))!.identitySecret;
    const { client, identity } = await connectVisitor(server.wsUrl, server.origin);
    const expiresAt = Math.floor(Date.now() / 1000) + 600;
    const claim = { userId: 'u-7', email: 'jana@example.com', name: 'Jana', expiresAt };
    client.send({
      type: 'identify',
      ...claim,
      signature: signIdentity(secret, claim),
      attributes: { plan: 'pro' },
    });
    expect(await client.next((f) => f.type === 'identity')).toMatchObject({
      verified: true,
      status: 'verified',
    });

    client.send({ type: 'identify', name: 'Mallory', email: 'boss@example.com' });
    expect(await client.nextNew('identity')).toMatchObject({ verified: true, status: 'unsigned' });
    const stale = { ...claim, expiresAt: Math.floor(Date.now() / 1000) - 5 };
    client.send({ type: 'identify', ...stale, signature: signIdentity(secret, stale) });
    expect(await client.nextNew('identity')).toMatchObject({ status: 'expired' });
    const v = await server.app.store.getVisitor(identity.visitorId);
    expect(v).toMatchObject({
      name: 'Jana',
      email: 'jana@example.com',
      verified: true,
      userId: 'u-7',
      attributes: { plan: 'pro' },
    });

    const anon = await connectVisitor(server.wsUrl, server.origin);
    anon.client.send({ type: 'identify', name: 'Claims To Be Jana', email: 'jana@example.com' });
    expect(await anon.client.next((f) => f.type === 'identity')).toMatchObject({
      verified: false,
      status: 'unsigned',
    });
    await Promise.all([client.close(), anon.client.close()]);
  });

  it('tags, visitor card with pages and previous chats, transcript export, history filters', async () => {
    const owner = await server.login();
    const op = await connectOperator(server.wsUrl, server.origin, owner);
    const { client, identity } = await connectVisitor(server.wsUrl, server.origin);
    client.send({ type: 'page', page: { url: `${server.origin}/demo/pricing`, title: 'Pricing' } });
    client.send({ type: 'send', clientId: clientId(), text: 'Refund for order 55?' });
    const chat = await op.next<{ conversation: { id: string } }>((f) => f.type === 'chat');
    const convId = chat.conversation.id;
    op.send({ type: 'tags', conversationId: convId, tags: ['Refund', 'refund', ' VIP customer '] });
    const tagged = await op.next<{ conversation: { tags: string[] } }>(
      (f) => f.type === 'chat' && ((f.conversation as { tags?: string[] }).tags ?? []).length > 0,
    );
    expect(tagged.conversation.tags).toEqual(['refund', 'vip-customer']);
    const tags = await (await fetch(`${server.origin}/api/tags?q=re`, req(owner, 'GET'))).json();
    expect(tags.tags).toEqual(['refund']);

    const card = await (
      await fetch(`${server.origin}/api/visitors/${identity.visitorId}`, req(owner, 'GET'))
    ).json();
    expect(card.pages.map((p: { title: string }) => p.title)).toEqual(['Pricing', 'Home']);
    expect(card.conversations.map((c: { id: string }) => c.id)).toEqual([convId]);

    op.send({ type: 'end', conversationId: convId });
    await client.next(
      (f) => f.type === 'conversation' && (f.conversation as { status: string }).status === 'ended',
    );
    const txt = await fetch(
      `${server.origin}/api/transcripts/${convId}/export?format=txt`,
      req(owner, 'GET'),
    );
    expect(txt.headers.get('content-disposition')).toContain('attachment');
    expect(await txt.text()).toContain('Refund for order 55?');
    const js = await (
      await fetch(`${server.origin}/api/transcripts/${convId}/export?format=json`, req(owner, 'GET'))
    ).json();
    expect(js.messages.length).toBeGreaterThan(1);

    const byTag = await (
      await fetch(`${server.origin}/api/transcripts?tag=refund`, req(owner, 'GET'))
    ).json();
    expect(byTag.items.map((i: { conversation: { id: string } }) => i.conversation.id)).toEqual([convId]);
    const noTag = await (
      await fetch(`${server.origin}/api/transcripts?tag=nothing`, req(owner, 'GET'))
    ).json();
    expect(noTag.items).toEqual([]);
    await Promise.all([op.close(), client.close()]);
  });
});
