import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/auth/passwords.js';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

type Item = {
  conversation: { id: string; status: string };
  status: string;
  preview: string;
  changedBy: unknown;
};

/**
 * The offline inbox (issue #12.7): offline messages and missed chats with a status every operator of the site
 * shares, kept on the server (it survives a restart), and invisible to operators of other sites.
 */
describe('offline inbox', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startServer();
  });
  afterEach(async () => s.close());

  const api = async (cookie: string, path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${s.origin}${path}`, {
      method,
      headers: body === undefined ? { cookie } : { cookie, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };

  /** A visitor of the demo site leaves a message through the widget's form. */
  async function leaveMessage(text: string): Promise<string> {
    const { client } = await connectVisitor(s.wsUrl, s.origin);
    const cid = clientId();
    client.send({ type: 'offline_message', clientId: cid, name: 'Jana', email: 'jana@example.com', text });
    const ack = await client.next<{ conversationId: string }>((f) => f.type === 'ack' && f.clientId === cid);
    await client.close();
    return ack.conversationId;
  }

  /** A chat that left the queue unanswered (stored as the relay stores it). */
  async function missedChat(siteId: string, text: string): Promise<string> {
    const store = s.app.store;
    const now = Date.now();
    const visitor = await store.createVisitor({
      siteId,
      tokenHash: 'x',
      name: null,
      email: null,
      lang: null,
      userAgent: null,
      createdAt: now,
      lastSeenAt: now,
    });
    const c = await store.createConversation({
      siteId,
      visitorId: visitor.id,
      status: 'missed',
      createdAt: now,
      enqueuedAt: now,
    });
    await store.appendMessage({
      conversationId: c.id,
      clientId: clientId(),
      author: 'visitor',
      operatorId: null,
      authorName: null,
      text,
      at: now,
    });
    return c.id;
  }

  it('lists offline messages and missed chats as open, and a status change is seen by everyone, after a restart too', async () => {
    const ann = await s.createOperator('Ann', 2);
    const owner = await s.login();
    const annCookie = await s.login(ann.email, ann.password);
    const offline = await leaveMessage('Please call me back about order 77');
    const missed = await missedChat(s.site.id, 'Is anyone there?');

    const open = await api(annCookie, '/api/inbox');
    expect(open.status).toBe(200);
    expect(open.body.openCount).toBe(2);
    const byId = new Map((open.body.items as Item[]).map((i) => [i.conversation.id, i]));
    expect(byId.get(offline)).toMatchObject({
      status: 'open',
      preview: 'Please call me back about order 77',
      changedBy: null,
    });
    expect(byId.get(missed)).toMatchObject({ status: 'open', conversation: { status: 'missed' } });

    // Ann answers by email and marks it; the owner sees it answered, by Ann.
    const answered = await api(annCookie, `/api/inbox/${offline}`, 'PATCH', { status: 'answered' });
    expect(answered.status).toBe(200);
    expect(answered.body.item).toMatchObject({ status: 'answered', changedBy: { id: ann.id, name: 'Ann' } });
    const closed = await api(owner, `/api/inbox/${missed}`, 'PATCH', { status: 'closed' });
    expect(closed.body.item.status).toBe('closed');

    const afterOwner = await api(owner, '/api/inbox');
    expect(afterOwner.body.openCount).toBe(0);
    expect(afterOwner.body.items).toEqual([]);

    s = await s.restart();
    const cookie = await s.login();
    const all = await api(cookie, '/api/inbox?status=all');
    expect(Object.fromEntries((all.body.items as Item[]).map((i) => [i.conversation.id, i.status]))).toEqual({
      [offline]: 'answered',
      [missed]: 'closed',
    });
    expect(
      (await api(cookie, '/api/inbox?status=answered')).body.items.map((i: Item) => i.conversation.id),
    ).toEqual([offline]);
    expect(
      (await api(cookie, '/api/inbox?status=active')).body.items.map((i: Item) => i.conversation.id),
    ).toEqual([offline]);
    // Reopened: open again for everyone.
    await api(cookie, `/api/inbox/${offline}`, 'PATCH', { status: 'open' });
    expect((await api(cookie, '/api/inbox')).body.openCount).toBe(1);
  });

  it('a new offline message reaches online consoles at once and is in the inbox of one that connects later', async () => {
    const cookie = await s.login();
    const op = await connectOperator(s.wsUrl, s.origin, cookie);
    const id = await leaveMessage('Left while you were here');
    await op.next((f) => f.type === 'offline' && (f.conversation as { id: string }).id === id);
    await op.close();
    const later = await s.createOperator('Late', 1);
    const list = await api(await s.login(later.email, later.password), '/api/inbox');
    expect(list.body.items.map((i: Item) => i.conversation.id)).toContain(id);
  });

  it('operators and owners of another site neither see nor change the inbox: 404, like an id that does not exist', async () => {
    const offline = await leaveMessage('Only for the demo site');
    const other = await s.app.store.createSite({
      ...s.site,
      id: undefined,
      key: 'other-site',
      name: 'Other',
    });
    await s.app.relay.refreshSite(other.id);
    const elsewhere = await missedChat(other.id, 'Other site visitor');
    const make = async (email: string, role: 'operator' | 'owner') => {
      const op = await s.app.store.createOperator({
        email,
        name: email,
        role,
        passwordHash: await hashPassword('password-123'),
        capacity: 1,
        siteIds: [other.id],
      });
      await s.app.relay.refreshOperator(op.id);
      return s.login(email, 'password-123');
    };
    for (const cookie of [await make('bob@other.test', 'operator'), await make('olga@other.test', 'owner')]) {
      const list = await api(cookie, '/api/inbox?status=all');
      expect(list.body.items.map((i: Item) => i.conversation.id)).toEqual([elsewhere]);
      expect(list.body.openCount).toBe(1);
      const change = await api(cookie, `/api/inbox/${offline}`, 'PATCH', { status: 'closed' });
      expect(change.status).toBe(404);
      expect(change.body.error).toBe('not_found');
    }
    const demo = await s.login();
    const stillOpen = (await api(demo, '/api/inbox')).body.items as Item[];
    expect(stillOpen.find((i) => i.conversation.id === offline)?.status).toBe('open');
    // The installation admin (the demo's first account) sees every site's inbox.
    expect(stillOpen.map((i) => i.conversation.id)).toContain(elsewhere);
  });

  it('refuses what is not an inbox item or not a status', async () => {
    const cookie = await s.login();
    const offline = await leaveMessage('Hello');
    expect((await api(cookie, `/api/inbox/${offline}`, 'PATCH', { status: 'done' })).status).toBe(400);
    expect((await api(cookie, '/api/inbox?status=nope')).status).toBe(400);
    expect((await api(cookie, '/api/inbox/missing', 'PATCH', { status: 'closed' })).status).toBe(404);
    const op = await connectOperator(s.wsUrl, s.origin, cookie);
    const { client } = await connectVisitor(s.wsUrl, s.origin);
    const cid = clientId();
    client.send({ type: 'send', clientId: cid, text: 'A live chat' });
    const ack = await client.next<{ conversationId: string }>((f) => f.type === 'ack' && f.clientId === cid);
    const refused = await api(cookie, `/api/inbox/${ack.conversationId}`, 'PATCH', { status: 'closed' });
    expect(refused.status).toBe(404);
    expect(refused.body.message).toContain('offline message or missed chat');
    expect((await fetch(`${s.origin}/api/inbox`)).status).toBe(401);
    await Promise.all([op.close(), client.close()]);
  });
});
