import { describe, expect, it } from 'vitest';
import { key, setup } from './connection-kit.js';
import { conversation, message, welcome } from './fake-server.js';

/** Issue #9: lazily stored visitors (points 6) and a second verified user on one browser (point 9). */
describe('connection: lazy visitor rows and identity changes', () => {
  it('keeps presenting new=1 until the server stored the visitor (an ack), not just after welcome', () => {
    const { conn, net, storage, reconnect } = setup();
    conn.start();
    let ws = net.last();
    ws.accept();
    ws.push(welcome(null, { visitorId: 'gen-1', token: 'tok-gen-1', stored: false }));
    expect(storage.getItem(key('fresh'))).toBe('1');
    ws.serverClose(1006);
    reconnect();
    ws = net.last();
    expect(ws.url).toContain('new=1');
    ws.accept();
    ws.push(welcome(null, { visitorId: 'gen-1', token: 'tok-gen-1', stored: false }));
    const id = conn.send('Hello')!;
    ws.push({ type: 'ack', clientId: id, conversationId: 'c1', seq: 1, at: 1 });
    expect(storage.getItem(key('fresh'))).toBeNull();
    ws.serverClose(1006);
    reconnect();
    expect(net.last().url).not.toContain('new=1');
    expect(net.last().url).toContain('vid=gen-1');
  });

  it('identity_changed: forgets the previous visitor and transcript, reconnects as new, re-sends identity and outbox', () => {
    const { conn, net, storage, greet } = setup();
    conn.start();
    const ws = greet(conversation('c1', { status: 'active' }), { visitorId: 'gen-1', token: 'tok-gen-1' });
    ws.push({ type: 'message', message: message('c1', 1, { text: 'Alice: my order' }), prev: 0 });
    expect(conn.view.items.map((i) => i.text)).toEqual(['Alice: my order']);

    conn.identify({ userId: 'bob', email: 'bob@example.com', expiresAt: 9_999_999_999, signature: 'v2.ab' });
    const typed = conn.send('Bob: private question')!;
    expect(ws.sentOf('identify')).toHaveLength(1);
    ws.push({ type: 'error', code: 'identity_changed', message: 'another user' });

    // Nothing of the previous user is shown; Bob's unsent message is kept.
    expect(conn.view.conversation).toBeNull();
    expect(conn.view.items.map((i) => [i.text, i.status])).toEqual([['Bob: private question', 'sending']]);
    expect(storage.getItem(key('vid'))).toBe('gen-2');
    const fresh = net.last();
    expect(fresh).not.toBe(ws);
    expect(fresh.url).toContain('vid=gen-2');
    expect(fresh.url).toContain('new=1');
    fresh.accept();
    expect(fresh.sent.map((f) => f.type)).toEqual(['hello', 'identify', 'send']);
    expect(fresh.sentOf('hello')[0]).not.toHaveProperty('conversationId');
    expect(fresh.sentOf('identify')[0]).toMatchObject({ userId: 'bob' });
    expect(fresh.sentOf('send')[0]).toMatchObject({ clientId: typed, text: 'Bob: private question' });
  });

  it('identity_changed after another tab already started the new session joins that session', () => {
    const { conn, net, storage, greet } = setup();
    conn.start();
    const ws = greet(null, { visitorId: 'gen-1', token: 'tok-gen-1' });
    // The other tab was refused first and stored its new identity (the storage event reaches us).
    storage.setItem(key('vid'), 'other-tab-vid');
    storage.setItem(key('token'), 'other-tab-token');
    storage.setItem(key('fresh'), '1');
    ws.push({ type: 'error', code: 'identity_changed', message: 'another user' });
    expect(net.last().url).toContain('vid=other-tab-vid');
    expect(storage.getItem(key('vid'))).toBe('other-tab-vid');
  });
});
