import { describe, expect, it } from 'vitest';
import { OPERATOR_TYPING_MS } from './connection.js';
import { key, setup } from './connection-kit.js';
import { conversation, message } from './fake-server.js';

/** PROTOCOL-NOTES items 1, 2, 7, 8 and the widget's clear failures, against the fake server. */
describe('connection: gaps, sync, drains and refusals', () => {
  it('holds a message beyond a gap, asks sync once, applies the answer and the held one in seq order', () => {
    const { conn, greet } = setup();
    conn.start();
    const ws = greet(conversation('c1', { status: 'active' }));
    ws.push({ type: 'message', message: message('c1', 1), prev: 0 });
    // seq 2 is an internal note (never sent to visitors): 3 connects to 1
    ws.push({ type: 'message', message: message('c1', 3), prev: 1 });
    // seq 4 got lost between nodes; 5 arrives first
    ws.push({ type: 'message', message: message('c1', 5), prev: 4 });
    ws.push({ type: 'message', message: message('c1', 6), prev: 5 });
    expect(conn.view.items.map((i) => i.text)).toEqual(['message 1', 'message 3']);
    expect(ws.sentOf('sync')).toEqual([{ type: 'sync', conversationId: 'c1', afterSeq: 3 }]);

    ws.push({ type: 'history', conversationId: 'c1', messages: [message('c1', 4), message('c1', 5)] });
    expect(conn.view.items.map((i) => i.text)).toEqual([
      'message 1',
      'message 3',
      'message 4',
      'message 5',
      'message 6',
    ]);
    ws.push({ type: 'message', message: message('c1', 5), prev: 4 }); // a late duplicate
    expect(conn.view.items).toHaveLength(5);
    expect(ws.sentOf('sync')).toHaveLength(1);
  });

  it('never resumes past a gap: hello carries the last contiguous seq, and a new socket asks again', () => {
    const { conn, net, greet, reconnect } = setup();
    conn.start();
    const ws = greet(conversation('c1', { status: 'active' }));
    ws.push({ type: 'message', message: message('c1', 1), prev: 0 });
    ws.push({ type: 'message', message: message('c1', 4), prev: 3 });
    ws.serverClose(1006);
    reconnect();
    const again = net.last();
    again.accept();
    expect(again.sentOf('hello')[0]).toMatchObject({ conversationId: 'c1', lastSeq: 1 });
  });

  it.each([1012, 1013])(
    'reconnects at once after close %i (drain, slow reader) and resumes from lastSeq',
    (code) => {
      const { conn, net, timers, greet } = setup({ minDelayMs: 500 });
      conn.start();
      const ws = greet(conversation('c1', { status: 'active' }));
      ws.push({ type: 'message', message: message('c1', 7), prev: 0 });
      ws.serverClose(code);
      expect(conn.view.state).toBe('closed');
      timers.advance(500); // within the first backoff step (full jitter up to the minimum)
      expect(net.sockets).toHaveLength(2);
      net.last().accept();
      expect(net.last().sentOf('hello')[0]).toMatchObject({ lastSeq: 7 });
      expect(conn.view.fatal).toBeNull();
    },
  );

  it('stops for good with a notice on unsupported_version', () => {
    const { conn, net, timers, greet } = setup();
    conn.start();
    const ws = greet(null);
    ws.push({ type: 'error', code: 'unsupported_version', message: 'Server speaks v2' });
    expect(conn.view).toMatchObject({ state: 'closed', fatal: 'unsupported_version' });
    timers.advance(120_000);
    expect(net.sockets).toHaveLength(1);
  });

  it('refuse(): the config said no, so no socket is ever opened', () => {
    const { conn, net, timers } = setup();
    conn.refuse('origin_not_allowed');
    conn.start();
    conn.send('anyone?');
    timers.advance(120_000);
    expect(net.sockets).toHaveLength(0);
    expect(conn.view).toMatchObject({ fatal: 'origin_not_allowed' });
  });

  it("expires the operator's typing a few seconds after the last update, and at once on disconnect", () => {
    const { conn, net, timers, greet } = setup();
    conn.start();
    const ws = greet(conversation('c1', { status: 'active' }));
    ws.push({ type: 'typing', conversationId: 'c1', active: true });
    expect(conn.view.operatorTyping).toBe(true);
    timers.advance(OPERATOR_TYPING_MS - 1000);
    ws.push({ type: 'typing', conversationId: 'c1', active: true }); // still typing: renewed
    timers.advance(OPERATOR_TYPING_MS - 1000);
    expect(conn.view.operatorTyping).toBe(true);
    timers.advance(1000);
    expect(conn.view.operatorTyping).toBe(false);
    expect(OPERATOR_TYPING_MS).toBeLessThanOrEqual(8000);

    ws.push({ type: 'typing', conversationId: 'c1', active: true });
    net.last().serverClose(1006);
    expect(conn.view.operatorTyping).toBe(false);
  });

  it('reports page changes on the open socket', () => {
    const { conn, greet } = setup();
    conn.start();
    const ws = greet(null);
    const page = { url: 'https://shop.example/pricing', title: 'Pricing', referrer: 'https://shop.example/' };
    conn.page(page);
    expect(ws.sentOf('page')).toEqual([{ type: 'page', page }]);
  });
});

describe('connection: identity shared with another tab', () => {
  it('on a server without new=1 keeps the identity another tab got from welcome meanwhile', () => {
    const { conn, net, storage } = setup();
    conn.start();
    // Another tab was faster: its anonymous socket got a server-made identity and stored it.
    storage.setItem(key('vid'), 'v-server');
    storage.setItem(key('token'), 'tok-server');
    storage.removeItem(key('fresh'));
    net.last().serverClose(4401);
    expect(storage.getItem(key('vid'))).toBe('v-server');
  });
});
