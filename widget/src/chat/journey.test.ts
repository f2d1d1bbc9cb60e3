import type { ConversationView } from '@beseda/shared/types';
import { describe, expect, it } from 'vitest';
import type { MessageEventDetail } from '../contract.js';
import { storageKey } from '../keys.js';
import { Connection, type ConnectionOptions } from './connection.js';
import { conversation, type FakeSocket, fakeNet, manualTimers, message, welcome } from './fake-server.js';
import { memoryStorage, type StorageLike } from './storage.js';

/** The connection's part of the visitor journey (issue #3): identity, offline form, typing preview, events, tabs. */

const SITE = 'SITE';
const key = (name: Parameters<typeof storageKey>[1]) => storageKey(SITE, name);

function setup(over: Partial<ConnectionOptions> & { storage?: StorageLike } = {}) {
  const storage = over.storage ?? memoryStorage();
  const timers = manualTimers();
  const net = fakeNet();
  const events: MessageEventDetail[] = [];
  const conn = new Connection({
    base: 'https://chat.example.com',
    site: SITE,
    lang: 'cs',
    timezone: 'Europe/Prague',
    WebSocket: net.Socket,
    storage,
    timers,
    now: timers.now,
    random: () => 0.5,
    onMessage: (m) => events.push(m),
    ...over,
  });
  const greet = (
    conv: ConversationView | null = conversation('c1'),
    extra: Parameters<typeof welcome>[1] = {},
  ) => {
    const ws = net.last();
    ws.accept();
    ws.push(welcome(conv, extra));
    return ws;
  };
  const reconnect = () => {
    const before = net.sockets.length;
    for (let waited = 0; net.sockets.length === before; waited += 50) {
      if (waited > 60_000) throw new Error('no reconnect within 60 s');
      timers.advance(50);
    }
  };
  return { conn, storage, timers, net, events, greet, reconnect };
}

const types = (ws: FakeSocket) => ws.sent.map((f) => f.type);

describe('visitor journey: connection', () => {
  it('says hello with language and timezone, and keeps business hours from welcome', () => {
    const { conn, net, reconnect } = setup();
    conn.start();
    net.last().accept();
    expect(net.last().sentOf('hello')[0]).toMatchObject({ lang: 'cs', timezone: 'Europe/Prague' });
    net.last().push(welcome(null, { withinHours: false, operatorsOnline: true }));
    expect(conn.view).toMatchObject({ withinHours: false, operatorsOnline: true });
    conn.lang = 'ru'; // Beseda.setLanguage: the next hello carries it
    net.last().serverClose(1006);
    reconnect();
    net.last().accept();
    expect(net.last().sentOf('hello')[0]).toMatchObject({ lang: 'ru' });
  });

  it('sends the identity before the outbox after every welcome until the server answered it', () => {
    const { conn, greet, reconnect, storage } = setup();
    conn.identify({
      name: 'Eva',
      email: 'eva@example.com',
      userId: 42,
      expiresAt: 1_900_000_000,
      signature: 'ab12',
      junk: 1,
    });
    conn.setAttributes({ plan: 'pro', seats: 3, bad: { nested: true } });
    conn.send('Hello');
    const ws = greet(null);
    expect(types(ws)).toEqual(['hello', 'identify', 'send']);
    expect(ws.sentOf('identify')[0]).toEqual({
      type: 'identify',
      name: 'Eva',
      email: 'eva@example.com',
      userId: '42',
      expiresAt: 1_900_000_000,
      signature: 'ab12',
      attributes: { plan: 'pro', seats: 3 },
    });
    ws.serverClose(1006);
    reconnect();
    const again = greet(null);
    expect(types(again)).toEqual(['hello', 'identify', 'send']); // no answer yet: resent
    again.push({ type: 'identity', verified: true, status: 'verified' });
    expect(conn.view.identity?.status).toBe('verified');
    conn.identify({
      name: 'Eva',
      email: 'eva@example.com',
      userId: '42',
      expiresAt: 1_900_000_000,
      signature: 'ab12',
    });
    expect(again.sentOf('identify')).toHaveLength(1); // same identity again (next page view): nothing to send
    again.serverClose(1006);
    reconnect();
    expect(types(greet(null))).toEqual(['hello', 'send']);
    expect(JSON.parse(storage.getItem(key('ident'))!).sent).toBe(true);
  });

  it('the pre-chat form fills in name and email but never alters a signed identity', () => {
    const { conn, greet } = setup();
    conn.start();
    const ws = greet(null);
    conn.prechat('Jan', 'jan@example.com', { topic: 'Billing' });
    expect(ws.sentOf('identify').at(-1)).toEqual({
      type: 'identify',
      name: 'Jan',
      email: 'jan@example.com',
      attributes: { topic: 'Billing' },
    });
    expect(conn.view.identity?.prechat).toBe(true);
    conn.identify({ name: 'Signed', email: 's@example.com', userId: 'u1', expiresAt: 5, signature: 'ff' });
    conn.prechat('Other', 'other@example.com', { topic: 'Tech' });
    expect(ws.sentOf('identify').at(-1)).toMatchObject({
      name: 'Signed',
      email: 's@example.com',
      attributes: { topic: 'Tech' },
    });
  });

  it('sends the leave-a-message form until acked (outbox-style), then keeps the confirmation', () => {
    const { conn, net, greet, reconnect, storage, timers } = setup();
    expect(conn.leaveMessage({ name: ' ', email: 'x@y.z', text: 'hi' })).toBe(false);
    expect(conn.leaveMessage({ name: 'Eva', email: 'not-an-email', text: 'hi' })).toBe(false);
    expect(conn.leaveMessage({ name: 'Eva', email: 'eva@example.com', text: ' Call me back ' })).toBe(true);
    expect(conn.view.state).toBe('connecting');
    expect(JSON.parse(storage.getItem(key('offline'))!)).toMatchObject({ text: 'Call me back' });
    const ws = greet(null, { operatorsOnline: false });
    const [form] = ws.sentOf('offline_message');
    expect(form).toMatchObject({ name: 'Eva', email: 'eva@example.com', text: 'Call me back' });
    ws.serverClose(1006); // lost before the ack
    reconnect();
    const again = greet(null, { operatorsOnline: false });
    expect(again.sentOf('offline_message')).toEqual([form]); // same clientId: the server dedupes
    again.push({ type: 'error', code: 'rate_limited', message: 'slow down', ref: form!.clientId });
    timers.advance(5_000);
    expect(again.sentOf('offline_message')).toHaveLength(2);
    again.push({ type: 'ack', clientId: form!.clientId, conversationId: 'off-1', seq: 1, at: 5 });
    expect(conn.view.offline).toMatchObject({ conversationId: 'off-1', email: 'eva@example.com' });
    expect(conn.view.items).toEqual([]); // not a chat message
    again.serverClose(1006);
    reconnect();
    expect(greet(null).sentOf('offline_message')).toEqual([]);
    conn.clearOffline();
    expect(storage.getItem(key('offline'))).toBeNull();
    void net;
  });

  it('marks the form failed on a permanent error', () => {
    const { conn, greet } = setup();
    conn.start();
    const ws = greet(null);
    conn.leaveMessage({ name: 'Eva', email: 'eva@example.com', text: 'x' });
    const [form] = ws.sentOf('offline_message');
    ws.push({ type: 'error', code: 'validation', message: 'no', ref: form!.clientId });
    expect(conn.view.offline?.failed).toBe('validation');
  });

  it('sends the draft with typing frames only when the site has typing preview on, throttled', () => {
    let preview = true;
    const { conn, greet, timers } = setup({ typingPreview: () => preview });
    conn.start();
    const ws = greet(conversation('c1', { status: 'active' }));
    const draft = 'Hello there';
    for (let i = 1; i <= draft.length; i++) {
      conn.typing(draft.slice(0, i));
      timers.advance(100);
    }
    const sent = ws.sentOf('typing');
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.length).toBeLessThanOrEqual(5); // 11 keystrokes in 1.1 s, at most one per 400 ms (+ the first)
    timers.advance(400);
    expect(ws.sentOf('typing').at(-1)).toEqual({ type: 'typing', active: true, preview: 'Hello there' });
    conn.send(draft);
    expect(ws.sentOf('typing').at(-1)).toEqual({ type: 'typing', active: false });
    preview = false;
    conn.typing('secret');
    expect(ws.sentOf('typing').at(-1)).toEqual({ type: 'typing', active: true });
  });

  it('announces each new message once: own ones when sent, others when they arrive, none from the cache', () => {
    const { conn, greet, events, storage, net } = setup();
    conn.start();
    const ws = greet(conversation('c1', { status: 'active' }));
    const id = conn.send('Hi')!;
    ws.push({ type: 'ack', clientId: id, conversationId: 'c1', seq: 1, at: 10 });
    ws.push({
      type: 'message',
      message: message('c1', 1, {
        author: 'visitor',
        clientId: id,
        text: 'Hi',
        operatorId: null,
        authorName: null,
      }),
    });
    ws.push({ type: 'message', message: message('c1', 2, { text: 'Hello!' }) });
    ws.push({ type: 'message', message: message('c1', 2, { text: 'Hello!' }) });
    ws.push({ type: 'message', message: message('c1', 3, { author: 'note', text: 'internal' }) });
    expect(events.map((e) => `${e.author}:${e.text}:${e.name}`)).toEqual([
      'visitor:Hi:null',
      'operator:Hello!:Anna',
    ]);

    // The next page: the cached conversation is not news, what was missed meanwhile is.
    const next = setup({ storage });
    next.conn.start();
    const ws2 = next.greet(conversation('c1', { status: 'active' }));
    expect(ws2.sentOf('hello')[0]).toMatchObject({ conversationId: 'c1', lastSeq: 2 });
    ws2.push({
      type: 'history',
      conversationId: 'c1',
      messages: [message('c1', 4, { text: 'Still there?' })],
    });
    expect(next.events.map((e) => e.text)).toEqual(['Still there?']);
    void net;
  });
});

describe('offline browser', () => {
  it('tries no socket while the browser is offline and reconnects as soon as it is back', () => {
    let online = true;
    let wake: (() => void) | null = null;
    const { conn, net, greet, timers } = setup({
      network: {
        online: () => online,
        whenOnline: (fn) => {
          wake = fn;
          return () => {
            wake = null;
          };
        },
      },
    });
    conn.start();
    greet(conversation('c1'));
    online = false;
    net.last().serverClose(1006);
    timers.advance(120_000);
    expect(net.sockets).toHaveLength(1); // no attempt (each would be a console error on the host page)
    conn.send('typed offline');
    expect(conn.view.items.at(-1)?.status).toBe('sending');
    online = true;
    wake!();
    expect(net.sockets).toHaveLength(2);
    const ws = greet(conversation('c1'));
    expect(ws.sentOf('send').map((f) => f.text)).toEqual(['typed offline']);
  });
});

describe('two tabs', () => {
  /** Two connections on one storage, with the browser's `storage` event played by hand. */
  function tabs() {
    const storage = memoryStorage();
    const a = setup({ storage });
    const b = setup({ storage });
    const sync = (to: typeof a, ...names: Parameters<Connection['storageChanged']>[0][]) => {
      for (const n of names) to.conn.storageChanged(n);
    };
    return { storage, a, b, sync };
  }

  it('a tab with nothing to resume joins the chat another tab started, and shows unsent text at once', () => {
    const { a, b, sync } = tabs();
    a.conn.start();
    const wa = a.greet(null);
    expect(b.conn.view.state).toBe('idle');
    const id = a.conn.send('From tab A')!;
    sync(b, 'outbox');
    expect(b.conn.view.items.map((i) => `${i.text}:${i.status}`)).toEqual(['From tab A:sending']);
    expect(b.conn.view.state).toBe('connecting'); // it has something to show now: it connects too
    wa.push({ type: 'conversation', conversation: conversation('c1') });
    wa.push({ type: 'ack', clientId: id, conversationId: 'c1', seq: 1, at: 5 });
    sync(b, 'chat', 'outbox');
    expect(b.conn.view.conversation?.id).toBe('c1');
    expect(b.conn.view.items.map((i) => `${i.text}:${i.status}`)).toEqual(['From tab A:sent']);
    expect(b.events.map((e) => e.text)).toEqual(['From tab A']); // tab B's page hears of it once
    // Tab B's own socket then gets the same frames (the relay fans out to every socket of the visitor).
    const wb = b.greet(conversation('c1'));
    wb.push({
      type: 'history',
      conversationId: 'c1',
      messages: [message('c1', 1, { author: 'visitor', clientId: id, text: 'From tab A' })],
    });
    expect(b.conn.view.items).toHaveLength(1);
    expect(b.events).toHaveLength(1);
  });

  it('both tabs queue into one outbox without losing each other\u2019s messages', () => {
    const { a, b, sync, storage } = tabs();
    a.conn.send('one');
    b.conn.send('two'); // B had not heard of "one" (no storage event yet): read-modify-write keeps both
    sync(a, 'outbox');
    expect(JSON.parse(storage.getItem(key('outbox'))!).map((i: { text: string }) => i.text)).toEqual([
      'one',
      'two',
    ]);
    expect(a.conn.view.items.map((i) => i.text)).toEqual(['one', 'two']);
  });

  it('"Start a new chat" in one tab leaves the ended chat in the other; an open chat is never dropped', () => {
    const { a, b, sync, storage } = tabs();
    a.conn.start();
    const wa = a.greet(conversation('c1', { status: 'active' }));
    wa.push({ type: 'message', message: message('c1', 1) });
    sync(b, 'chat');
    b.conn.start();
    const wb = b.greet(conversation('c1', { status: 'active' }));
    // Another tab writing "nothing" (it had not caught up) does not end an open chat here.
    storage.removeItem(key('chat'));
    sync(a, 'chat');
    expect(a.conn.view.conversation?.id).toBe('c1');
    const ended = conversation('c1', { status: 'ended', endedAt: 9, operator: { id: 'o', name: 'Anna' } });
    wa.push({ type: 'conversation', conversation: ended });
    wb.push({ type: 'conversation', conversation: ended });
    a.conn.startNew();
    sync(b, 'chat');
    expect(b.conn.view).toMatchObject({ conversation: null, items: [], ended: false });
    wb.push({ type: 'message', message: message('c1', 2) }); // late frame about the old chat
    expect(b.conn.view.items).toEqual([]);
  });

  it('a tab that became another visitor (both connected anonymously at once) follows the stored identity', () => {
    const { a, b, sync, storage } = tabs();
    a.conn.start();
    b.conn.start();
    a.greet(null, { visitorId: 'v-a', token: 't-a' });
    b.greet(null, { visitorId: 'v-b', token: 't-b' }); // last write wins: storage says v-b
    sync(a, 'vid');
    expect(new URL(a.net.last().url).searchParams.get('vid')).toBe('v-b');
    expect(a.net.sockets).toHaveLength(2);
    sync(b, 'vid'); // B is already v-b: nothing to do
    expect(b.net.sockets).toHaveLength(1);
    expect(storage.getItem(key('vid'))).toBe('v-b');
  });
});
