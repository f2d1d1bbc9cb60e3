import { describe, expect, it } from 'vitest';
import type { Connection } from './connection.js';
import { key, SITE, setup } from './connection-kit.js';
import { conversation, message, welcome } from './fake-server.js';
import { memoryStorage } from './storage.js';

const texts = (conn: Connection) => conn.view.items.map((i) => `${i.text}:${i.status}`);

describe('connection', () => {
  it('makes and stores its own identity before the first socket, presents it with new=1 until welcome', () => {
    const { conn, net, storage, greet, reconnect } = setup();
    conn.start();
    expect(storage.getItem(key('vid'))).toBe('gen-1');
    expect(storage.getItem(key('token'))).toBe('tok-gen-1');
    const url = new URL(net.last().url);
    expect(url.protocol).toBe('wss:');
    expect(url.pathname).toBe('/ws/visitor');
    expect(url.searchParams.get('site')).toBe(SITE);
    expect(url.searchParams.get('vid')).toBe('gen-1');
    expect(url.searchParams.get('new')).toBe('1');
    // The secret never appears in the URL, only in the subprotocol list.
    expect(url.searchParams.has('token')).toBe(false);
    expect(net.last().protocols).toEqual(['beseda.v1', 'beseda.token.tok-gen-1']);

    // Dropped before welcome: the retry is the same new visitor, still `new=1`.
    net.last().serverClose(1006);
    reconnect();
    expect(new URL(net.last().url).searchParams.get('vid')).toBe('gen-1');
    expect(new URL(net.last().url).searchParams.get('new')).toBe('1');

    const ws = greet(null, { visitorId: 'gen-1', token: 'tok-gen-1' });
    expect(storage.getItem(key('fresh'))).toBeNull();
    ws.serverClose(1006);
    reconnect();
    const again = new URL(net.last().url);
    expect(again.searchParams.get('vid')).toBe('gen-1');
    expect(again.searchParams.has('new')).toBe(false);
  });

  it('pipelines identity and messages right after hello, before welcome, and sends them once', () => {
    const { conn, net } = setup();
    conn.identify({ name: 'Eva' });
    const clientId = conn.send('hello there')!;
    const ws = net.last();
    ws.accept();
    expect(ws.sent.map((f) => f.type)).toEqual(['hello', 'identify', 'send']);
    expect(ws.sentOf('send')).toEqual([{ type: 'send', clientId, text: 'hello there' }]);
    ws.push(welcome(null, { visitorId: 'gen-1', token: 'tok-gen-1' }));
    expect(ws.sentOf('send')).toHaveLength(1); // welcome does not send it again
  });

  it('falls back to server-made identities when the server refuses new=1 (an older server)', () => {
    const { conn, net, storage, greet, reconnect } = setup();
    const clientId = conn.send('first')!;
    expect(new URL(net.last().url).searchParams.get('new')).toBe('1');
    net.last().serverClose(4401);
    expect(storage.getItem(key('vid'))).toBeNull();
    reconnect();
    const url = new URL(net.last().url);
    expect(url.searchParams.has('vid')).toBe(false);
    const ws = greet(null, { visitorId: 'v-server', token: 'tok-server' });
    expect(ws.sentOf('send')).toEqual([{ type: 'send', clientId, text: 'first' }]);
    expect(storage.getItem(key('vid'))).toBe('v-server');
  });

  it('walks idle → connecting → open → closed → connecting with one setState', () => {
    const { conn, transitions, greet, net, reconnect } = setup();
    expect(conn.view.state).toBe('idle');
    conn.start();
    expect(conn.view.state).toBe('connecting');
    greet();
    expect(conn.view.state).toBe('open');
    net.last().serverClose(1012);
    expect(conn.view).toMatchObject({ state: 'closed', wasOpen: true });
    reconnect();
    conn.stop();
    expect(transitions).toEqual([
      'idle>connecting',
      'connecting>open',
      'open>closed',
      'closed>connecting',
      'connecting>idle',
    ]);
  });

  it('sends hello with the conversation and the last seq seen, and resumes from storage after a navigation', () => {
    const first = setup();
    first.conn.start();
    const ws = first.net.last();
    ws.accept();
    const hello0 = ws.sentOf('hello')[0];
    expect(hello0).toMatchObject({
      type: 'hello',
      v: 1,
      lastSeq: 0,
      lang: 'en-GB',
      page: { url: 'https://shop.example/cart' },
    });
    expect(hello0?.conversationId).toBeUndefined();

    ws.push(welcome(conversation('c1')));
    ws.push({ type: 'history', conversationId: 'c1', messages: [message('c1', 1), message('c1', 2)] });
    ws.push({ type: 'message', message: message('c1', 5) });

    // Same tab: a reconnect resumes from seq 5.
    ws.serverClose(1006);
    first.reconnect();
    first.net.last().accept();
    expect(first.net.last().sentOf('hello')[0]).toMatchObject({ conversationId: 'c1', lastSeq: 5 });

    // Next page: a new Connection over the same storage shows the cached messages at once and resumes.
    const next = setup({ storage: first.storage });
    expect(next.conn.view.items.map((i) => i.text)).toEqual(['message 1', 'message 2', 'message 5']);
    expect(next.conn.hasChat).toBe(true);
    next.conn.start();
    next.net.last().accept();
    expect(next.net.last().sentOf('hello')[0]).toMatchObject({ conversationId: 'c1', lastSeq: 5 });
  });

  it('shows duplicate message frames once and in seq order', () => {
    const { conn, greet } = setup();
    conn.start();
    const ws = greet(conversation('c1'));
    ws.push({ type: 'message', message: message('c1', 2) });
    ws.push({ type: 'message', message: message('c1', 1) });
    ws.push({ type: 'message', message: message('c1', 2) });
    ws.push({
      type: 'history',
      conversationId: 'c1',
      messages: [message('c1', 1), message('c1', 2), message('c1', 3)],
    });
    ws.push({ type: 'message', message: message('c1', 3) });
    expect(conn.view.items.map((i) => i.key)).toEqual(['c1:1', 'c1:2', 'c1:3']);
  });

  it('never shows internal notes', () => {
    const { conn, greet } = setup();
    conn.start();
    greet().push({ type: 'message', message: message('c1', 1, { author: 'note', text: 'secret' }) });
    expect(conn.view.items).toEqual([]);
  });

  it('persists an outbox item before sending and resends it after every welcome until acked', () => {
    const { conn, net, storage, greet, reconnect } = setup();
    conn.start();
    // Written while still connecting: it must be in storage before anything goes on the wire.
    const clientId = conn.send('  Hello there  ')!;
    expect(clientId).toMatch(/^[A-Za-z0-9_-]{8,}$/);
    expect(JSON.parse(storage.getItem(key('outbox'))!)).toMatchObject([{ clientId, text: 'Hello there' }]);
    expect(texts(conn)).toEqual(['Hello there:sending']);

    const ws1 = greet(null);
    expect(ws1.sentOf('send')).toEqual([{ type: 'send', clientId, text: 'Hello there' }]);

    // Dropped before the ack: resent with the same clientId after the next welcome.
    ws1.serverClose(1006);
    reconnect();
    const ws2 = greet(null);
    expect(ws2.sentOf('send')).toEqual([{ type: 'send', clientId, text: 'Hello there' }]);

    ws2.push({ type: 'ack', clientId, conversationId: 'c9', seq: 1, at: 5 });
    expect(storage.getItem(key('outbox'))).toBeNull();
    expect(texts(conn)).toEqual(['Hello there:sent']);
    expect(conn.view.items[0]?.key).toBe(clientId); // same key as while sending: no re-mount in the UI

    // Acked items are never sent again.
    ws2.serverClose(1006);
    reconnect();
    const ws3 = greet(conversation('c9'));
    expect(ws3.sentOf('send')).toEqual([]);
    expect(net.sockets).toHaveLength(3);
  });

  it('sends an outbox item once when the socket is open, and shows its echo only once', () => {
    const { conn, greet } = setup();
    conn.start();
    const ws = greet(null);
    const clientId = conn.send('Hi')!;
    expect(ws.sentOf('send')).toHaveLength(1);
    // The relay publishes the stored message to the visitor before it acks.
    ws.push({ type: 'conversation', conversation: conversation('c1') });
    ws.push({
      type: 'message',
      message: message('c1', 1, { author: 'visitor', clientId, text: 'Hi', authorName: null }),
    });
    ws.push({ type: 'ack', clientId, conversationId: 'c1', seq: 1, at: 5 });
    ws.push({
      type: 'history',
      conversationId: 'c1',
      messages: [message('c1', 1, { author: 'visitor', clientId, text: 'Hi' })],
    });
    expect(texts(conn)).toEqual(['Hi:sent']);
  });

  it('reconciles an item whose ack was lost but whose message came back in the replay', () => {
    const { conn, storage, greet, reconnect, net } = setup();
    conn.start();
    const ws1 = greet(conversation('c1'));
    const clientId = conn.send('Lost ack')!;
    ws1.serverClose(1006);
    reconnect();
    const ws2 = net.last();
    ws2.accept();
    ws2.push(welcome(conversation('c1')));
    ws2.push({
      type: 'history',
      conversationId: 'c1',
      messages: [message('c1', 1, { author: 'visitor', clientId, text: 'Lost ack' })],
    });
    ws2.push({ type: 'ack', clientId, conversationId: 'c1', seq: 1, at: 5 }); // the relay dedupes the resend
    expect(texts(conn)).toEqual(['Lost ack:sent']);
    expect(storage.getItem(key('outbox'))).toBeNull();
  });

  it('marks a message failed on a permanent error and retries it on a transient one', () => {
    const { conn, greet, timers, reconnect } = setup();
    conn.start();
    const ws = greet(null);
    const bad = conn.send('bad')!;
    const slow = conn.send('slow')!;
    ws.push({ type: 'error', code: 'validation', message: 'Invalid input', ref: bad });
    ws.push({ type: 'error', code: 'rate_limited', message: 'slow down', ref: slow });
    expect(texts(conn)).toEqual(['bad:failed', 'slow:retrying']);

    timers.advance(31_000);
    expect(ws.sentOf('send').map((f) => f.text)).toEqual(['bad', 'slow', 'slow']);
    expect(texts(conn)).toEqual(['bad:failed', 'slow:sending']);

    // A failed message is not resent after a reconnect; it can be dismissed.
    ws.serverClose(1006);
    reconnect();
    expect(
      greet(null)
        .sentOf('send')
        .map((f) => f.text),
    ).toEqual(['slow']);
    conn.dismiss(bad);
    expect(texts(conn)).toEqual(['slow:sending']);
  });

  it('drops the stored identity on close code 4401 and reconnects as a new visitor', () => {
    const { conn, net, storage, greet, reconnect } = setup();
    storage.setItem(key('vid'), 'v-old');
    storage.setItem(key('token'), 'tok-old');
    conn.start();
    expect(new URL(net.last().url).searchParams.has('new')).toBe(false);
    const ws = greet(conversation('c1'), { visitorId: 'v-old', token: 'tok-old' });
    ws.push({ type: 'message', message: message('c1', 1) });
    const clientId = conn.send('keep me')!;
    ws.serverClose(4401);
    expect(storage.getItem(key('vid'))).toBeNull();
    expect(storage.getItem(key('token'))).toBeNull();
    expect(storage.getItem(key('chat'))).toBeNull(); // that identity's conversation is not ours any more
    expect(conn.view.state).toBe('closed');

    reconnect();
    const fresh = net.last();
    const url = new URL(fresh.url);
    expect([url.searchParams.get('vid'), url.searchParams.get('new')]).toEqual(['gen-1', '1']);
    fresh.accept();
    expect(fresh.sentOf('hello')[0]).toMatchObject({ lastSeq: 0 });
    expect(fresh.sentOf('hello')[0]?.conversationId).toBeUndefined();
    expect(fresh.sentOf('send')).toEqual([{ type: 'send', clientId, text: 'keep me' }]); // unsent text survives
    fresh.push(welcome(null, { visitorId: 'gen-1', token: 'tok-gen-1' }));
    expect(storage.getItem(key('vid'))).toBe('gen-1');
  });

  it.each([
    [4403, 'forbidden'],
    [4404, 'unknown_site'],
  ] as const)('stops for good on close code %i and reports %s', (code, fatal) => {
    const { conn, net, timers } = setup();
    conn.start();
    net.last().serverClose(code);
    expect(conn.view).toMatchObject({ state: 'closed', fatal });
    timers.advance(10 * 60_000);
    expect(net.sockets).toHaveLength(1);
    expect(timers.pending()).toBe(0);
  });

  it('asks the probe why upgrades keep failing: 404 stops; a reachable site never costs the identity', async () => {
    const refusedSite = setup({ probe: async () => 404 });
    refusedSite.conn.start();
    for (let i = 0; i < 3; i++) {
      refusedSite.net.last().serverClose(1006); // a refused upgrade looks like this in a browser
      if (i < 2) refusedSite.reconnect();
    }
    await Promise.resolve();
    expect(refusedSite.conn.view.fatal).toBe('unknown_site');

    // A server that is merely down (or restarting) must not make the visitor a stranger: only close
    // code 4401 (the relay accepts the socket to say so) drops the identity.
    const storage = memoryStorage();
    storage.setItem(key('vid'), 'v-kept');
    storage.setItem(key('token'), 'tok-kept');
    const flaky = setup({ storage, probe: async () => 200 });
    flaky.conn.start();
    for (let i = 0; i < 3; i++) {
      flaky.net.last().serverClose(1006);
      if (i < 2) flaky.reconnect();
    }
    await Promise.resolve();
    expect(storage.getItem(key('vid'))).toBe('v-kept');
    expect(flaky.conn.view.fatal).toBeNull();
  });

  it('backs off between failed attempts and resets after a welcome', () => {
    const { conn, net, timers, greet } = setup({ random: () => 0.999, minDelayMs: 1000, maxDelayMs: 8000 });
    conn.start();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      net.last().serverClose(1006);
      const before = net.sockets.length;
      let waited = 0;
      while (net.sockets.length === before) {
        timers.advance(100);
        waited += 100;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000]);
    greet(null).serverClose(1006);
    const before = net.sockets.length;
    timers.advance(1000);
    expect(net.sockets.length).toBe(before + 1);
  });

  it('drops a socket that never completes the handshake, and one that stops answering', () => {
    const { conn, net, timers, greet, reconnect } = setup();
    conn.start();
    const hanging = net.last();
    timers.advance(10_000);
    expect(hanging.closedWith).toBe(4000);
    expect(conn.view.state).toBe('closed');

    reconnect();
    const ws = greet(null);
    timers.advance(45_000);
    expect(ws.sentOf('ping')).toHaveLength(1);
    timers.advance(10_000);
    expect(ws.closedWith).toBe(4000);
    expect(conn.view.state).not.toBe('open');
  });

  it('throttles typing frames and sends "stopped" after a pause or on send', () => {
    const { conn, timers, greet } = setup();
    conn.start();
    const ws = greet(conversation('c1'));
    for (let i = 0; i < 10; i++) {
      conn.typing();
      timers.advance(500);
    }
    // 5 s of typing: "active" at 0 s and again once the 3 s repeat window passed.
    expect(ws.sentOf('typing').map((f) => f.active)).toEqual([true, true]);
    timers.advance(4_000);
    expect(ws.sentOf('typing').map((f) => f.active)).toEqual([true, true, false]);
    conn.typing();
    conn.send('done');
    expect(ws.sentOf('typing').map((f) => f.active)).toEqual([true, true, false, true, false]);
  });

  it('tracks queue, assignment and operator typing for the shown conversation', () => {
    const { conn, greet, timers } = setup();
    conn.start();
    const ws = greet(conversation('c1'));
    ws.push({
      type: 'queue',
      conversationId: 'c1',
      position: 3,
      ahead: 2,
      eta: { minSeconds: 60, maxSeconds: 180 },
    });
    expect(conn.view.queue).toEqual({ position: 3, ahead: 2, eta: { minSeconds: 60, maxSeconds: 180 } });
    ws.push({ type: 'assigned', conversationId: 'c1', operator: { id: 'op-1', name: 'Anna' } });
    expect(conn.view.queue).toBeNull();
    expect(conn.view.conversation?.operator?.name).toBe('Anna');
    ws.push({ type: 'typing', conversationId: 'c1', active: true });
    expect(conn.view.operatorTyping).toBe(true);
    ws.push({ type: 'message', message: message('c1', 1) });
    expect(conn.view.operatorTyping).toBe(false);
    ws.push({ type: 'typing', conversationId: 'c1', active: true });
    timers.advance(15_000); // the "stopped" frame got lost
    expect(conn.view.operatorTyping).toBe(false);
  });

  it('shows an ended chat, rates it, and starts a new one on request', () => {
    const { conn, net, greet, reconnect, storage } = setup();
    conn.start();
    const ws = greet(conversation('c1', { status: 'active' }));
    ws.push({ type: 'message', message: message('c1', 1) });
    ws.push({ type: 'conversation', conversation: conversation('c1', { status: 'ended', endedAt: 2 }) });
    expect(conn.view.ended).toBe(true);
    conn.rate('good');
    expect(ws.sentOf('rate')).toEqual([{ type: 'rate', conversationId: 'c1', rating: 'good' }]);
    expect(conn.view.conversation?.rating).toBe('good');

    conn.startNew();
    expect(conn.view).toMatchObject({ ended: false, conversation: null, items: [] });
    expect(storage.getItem(key('chat'))).toBeNull();
    ws.push({ type: 'message', message: message('c1', 2) }); // late frame about the old chat
    expect(conn.view.items).toEqual([]);

    const clientId = conn.send('New question')!;
    ws.push({ type: 'conversation', conversation: conversation('c2') });
    ws.push({ type: 'ack', clientId, conversationId: 'c2', seq: 1, at: 9 });
    expect(conn.view.conversation?.id).toBe('c2');
    expect(texts(conn)).toEqual(['New question:sent']);

    ws.serverClose(1006);
    reconnect();
    net.last().accept();
    // Acks do not move the cursor (a lower seq might still be in flight); the replay covers it.
    expect(net.last().sentOf('hello')[0]).toMatchObject({ conversationId: 'c2', lastSeq: 0 });
  });

  it('replaces the shown conversation when welcome brings another one, and clears it when welcome brings none', () => {
    const { conn, greet, net, reconnect } = setup();
    conn.start();
    greet(conversation('c1')).push({ type: 'message', message: message('c1', 1) });
    net.last().serverClose(1006);
    reconnect();
    const ws = greet(conversation('c2'));
    expect(conn.view.items).toEqual([]);
    ws.push({ type: 'history', conversationId: 'c2', messages: [message('c2', 1), message('c2', 2)] });
    expect(conn.view.items.map((i) => i.key)).toEqual(['c2:1', 'c2:2']);
    ws.serverClose(1006);
    reconnect();
    greet(null);
    expect(conn.view).toMatchObject({ conversation: null, items: [] });
  });

  it('ignores garbage frames without throwing', () => {
    const { conn, greet } = setup();
    conn.start();
    const ws = greet();
    expect(() => {
      ws.onmessage?.({ data: 'not json' } as MessageEvent);
      ws.onmessage?.({ data: 'null' } as MessageEvent);
      ws.onmessage?.({ data: '{"type":"message"}' } as MessageEvent);
      ws.onmessage?.({ data: '{"type":"history","conversationId":"c1","messages":7}' } as MessageEvent);
    }).not.toThrow();
    expect(conn.view.state).toBe('open');
  });

  it('forgets a chat that ended more than a day ago', () => {
    const storage = memoryStorage();
    const ended = {
      id: 'c1',
      view: conversation('c1', { status: 'ended', endedAt: 1 }),
      lastSeq: 3,
      messages: [],
    };
    storage.setItem(key('chat'), JSON.stringify(ended));
    const { conn } = setup({ storage });
    expect(conn.hasChat).toBe(false);
    expect(storage.getItem(key('chat'))).toBeNull();
  });
});
