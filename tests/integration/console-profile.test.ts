import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OWNER_EMAIL, OWNER_PASSWORD, startServer, type TestServer } from '../helpers/start-server.js';
import { clientId, connectOperator, connectVisitor } from '../helpers/ws-client.js';

/**
 * The operator's own profile on the server (issue #12.4, #12.10): the console language follows the account
 * to any device, and "do you answer chats?" decides whether routing offers the operator chats at all.
 */
describe('operator profile', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startServer();
  });
  afterEach(async () => s.close());

  const patch = async (cookie: string, body: unknown) => {
    const res = await fetch(`${s.origin}/api/me/profile`, {
      method: 'PATCH',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const login = async (email = OWNER_EMAIL, password = OWNER_PASSWORD) => {
    const res = await fetch(`${s.origin}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, body: await res.json() };
  };

  it('stores the console language and returns it at sign-in on another device and from /me', async () => {
    const first = await login();
    expect(first.body.profile).toEqual({ locale: null, answersChats: null });
    const saved = await patch(first.cookie, { locale: 'cs' });
    expect(saved.status).toBe(200);
    expect(saved.body.profile).toEqual({ locale: 'cs', answersChats: null });

    // A second sign-in (another browser) starts in Czech.
    const second = await login();
    expect(second.body.profile.locale).toBe('cs');
    const me = await (await fetch(`${s.origin}/api/auth/me`, { headers: { cookie: second.cookie } })).json();
    expect(me.profile.locale).toBe('cs');
    expect(me.me.email).toBe(OWNER_EMAIL);

    // Back to "follow the browser"; the session survives a restart with the choice.
    expect((await patch(second.cookie, { locale: null })).body.profile.locale).toBeNull();
    await patch(second.cookie, { locale: 'ru' });
    s = await s.restart();
    expect((await login()).body.profile.locale).toBe('ru');
  });

  it('refuses a language the console does not speak, and anything else it does not know, with a message', async () => {
    const { cookie } = await login();
    const german = await patch(cookie, { locale: 'de' });
    expect(german.status).toBe(400);
    expect(german.body).toMatchObject({ error: 'validation' });
    expect(german.body.message).toContain('"de"');
    expect(german.body.message).toContain('en, cs, ru');
    const number = await patch(cookie, { locale: 7 });
    expect(number.status).toBe(400);
    expect(number.body.error).toBe('validation');
    const extra = await patch(cookie, { locale: 'cs', role: 'admin' });
    expect(extra.status).toBe(400);
    const capacityAlone = await patch(cookie, { capacity: 5 });
    expect(capacityAlone.status).toBe(400);
    expect(capacityAlone.body.message).toContain('answersChats');
    // Nothing of the refused requests was stored.
    expect((await login()).body.profile).toEqual({ locale: null, answersChats: null });
    const anonymous = await fetch(`${s.origin}/api/me/profile`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locale: 'cs' }),
    });
    expect(anonymous.status).toBe(401);
  });

  it('an owner who does not answer chats is not offered any; saying yes again drains the waiting chat to them', async () => {
    const { cookie } = await login();
    const no = await patch(cookie, { answersChats: false });
    expect(no.status).toBe(200);
    expect(no.body.me.capacity).toBe(0);
    expect(no.body.profile.answersChats).toBe(false);
    const checklist = await (
      await fetch(`${s.origin}/api/setup/checklist?site=${s.site.id}`, { headers: { cookie } })
    ).json();
    expect(checklist.answersChats).toBe(false);

    const op = await connectOperator(s.wsUrl, s.origin, cookie);
    op.send({ type: 'status', status: 'online', capacity: 0 });
    const { client } = await connectVisitor(s.wsUrl, s.origin);
    const cid = clientId();
    client.send({ type: 'send', clientId: cid, text: 'Hello, anyone?' });
    const ack = await client.next<{ conversationId: string }>((f) => f.type === 'ack' && f.clientId === cid);
    await new Promise((r) => setTimeout(r, 500));
    expect((await s.app.store.getConversation(ack.conversationId))?.status).toBe('queued');
    expect(op.frames.some((f) => f.type === 'chat')).toBe(false);

    const yes = await patch(cookie, { answersChats: true, capacity: 2 });
    expect(yes.body.me.capacity).toBe(2);
    expect(yes.body.profile.answersChats).toBe(true);
    await op.next((f) => f.type === 'chat' && (f.conversation as { id: string }).id === ack.conversationId);
    expect((await s.app.store.getConversation(ack.conversationId))?.status).toBe('active');
    // Without a capacity, "yes" keeps the one there is.
    expect((await patch(cookie, { answersChats: true })).body.me.capacity).toBe(2);
    await Promise.all([op.close(), client.close()]);
  });
});
