import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoff, type ConnectionOptions, OperatorConnection, type StateChange } from './connection.js';
import { FakeSocket } from './test/fake-socket.js';
import { conversation, welcome } from './test/fixtures.js';

const send = (clientId: string, text = 'hi') =>
  ({ type: 'send', conversationId: 'a', clientId, text }) as const;

function setup(over: Partial<ConnectionOptions> = {}) {
  const held = new Map<string, number>();
  const conn = new OperatorConnection({
    url: 'ws://test/ws/operator',
    lastSeq: (id) => held.get(id),
    createSocket: (url) => new FakeSocket(url),
    minDelayMs: 100,
    maxDelayMs: 1000,
    random: () => 0.5,
    pingIntervalMs: 5000,
    pongTimeoutMs: 2000,
    ackTimeoutMs: 3000,
    ...over,
  });
  const changes: StateChange[] = [];
  const frames: string[] = [];
  conn.onState((c) => changes.push(c));
  conn.onFrame((f) => frames.push(f.type));
  return { conn, held, changes, frames };
}

/** Start, open the socket and answer hello with a welcome. */
function connect(conn: OperatorConnection, chats = [conversation('a')]) {
  conn.start();
  const socket = FakeSocket.latest();
  socket.serverOpen();
  socket.serverSend(welcome(chats));
  return socket;
}

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('backoff', () => {
  it('is full jitter: anywhere from 0 up to the exponential cap, never above the maximum', () => {
    expect(backoff(0, 100, 1000, () => 0)).toBe(0);
    expect(backoff(0, 100, 1000, () => 0.999)).toBe(99);
    expect(backoff(3, 100, 1000, () => 0.5)).toBe(400);
    expect(backoff(4, 100, 1000, () => 0.999)).toBe(999);
    expect(backoff(60, 100, 1000, () => 0.999)).toBe(999);
  });
});

describe('OperatorConnection', () => {
  it('goes idle → connecting → open, saying hello with the protocol version first', () => {
    const { conn, changes, frames } = setup();
    expect(conn.state).toBe('idle');
    conn.start();
    expect(conn.state).toBe('connecting');
    const socket = FakeSocket.latest();
    expect(socket.url).toBe('ws://test/ws/operator');
    socket.serverOpen();
    expect(socket.sent[0]).toEqual({ type: 'hello', v: 1 });
    expect(conn.state).toBe('connecting');
    socket.serverSend(welcome([]));
    expect(conn.state).toBe('open');
    expect(changes.map((c) => c.state)).toEqual(['connecting', 'open']);
    expect(frames).toEqual(['welcome']);
  });

  it('after welcome asks for every chat from the last seq it holds', () => {
    const { conn, held } = setup();
    held.set('a', 7);
    const socket = connect(conn, [conversation('a'), conversation('b')]);
    expect(socket.sentOfType('sync')).toEqual([
      { type: 'sync', conversationId: 'a', afterSeq: 7 },
      { type: 'sync', conversationId: 'b', afterSeq: 0 },
    ]);
  });

  it('keeps chat messages sent while connecting and delivers them once welcomed', () => {
    const { conn } = setup();
    conn.start();
    expect(conn.send(send('client-0001'))).toBe(true);
    const socket = FakeSocket.latest();
    socket.serverOpen();
    expect(socket.sentOfType('send')).toEqual([]);
    socket.serverSend(welcome([]));
    expect(socket.sentOfType('send')).toEqual([send('client-0001')]);
  });

  it('refuses frames other than messages while not open', () => {
    const { conn } = setup();
    expect(conn.send({ type: 'pick', conversationId: 'q' })).toBe(false);
    conn.start();
    expect(conn.send({ type: 'typing', conversationId: 'a', active: true })).toBe(false);
  });

  it('forgets a message once acked, and retries an unacked one after a reconnect with the same clientId', () => {
    const { conn, held } = setup();
    const first = connect(conn);
    conn.send(send('client-0001', 'one'));
    conn.send(send('client-0002', 'two'));
    first.serverSend({ type: 'ack', clientId: 'client-0001', conversationId: 'a', seq: 4, at: 1 });
    expect(conn.unacked.map((f) => f.clientId)).toEqual(['client-0002']);

    held.set('a', 4);
    first.serverClose(1006);
    expect(conn.state).toBe('closed');
    vi.advanceTimersByTime(1000);
    const second = FakeSocket.latest();
    expect(second).not.toBe(first);
    second.serverOpen();
    second.serverSend(welcome([conversation('a')]));
    expect(second.sent).toEqual([
      { type: 'hello', v: 1 },
      { type: 'sync', conversationId: 'a', afterSeq: 4 },
      send('client-0002', 'two'),
    ]);
  });

  it('stops retrying a message the server refused', () => {
    const { conn } = setup();
    const socket = connect(conn);
    conn.send(send('client-0001'));
    socket.serverSend({ type: 'error', code: 'validation', message: 'Invalid input', ref: 'client-0001' });
    expect(conn.unacked).toEqual([]);
  });

  it('keeps a rate-limited message and sends it again after the ack timeout', () => {
    const { conn } = setup();
    const socket = connect(conn);
    conn.send(send('client-0001'));
    socket.serverSend({ type: 'error', code: 'rate_limited', message: 'Slow down', ref: 'client-0001' });
    expect(conn.unacked).toHaveLength(1);
    vi.advanceTimersByTime(3000);
    expect(socket.sentOfType('send')).toHaveLength(2);
  });

  it('re-sends a message that stays unacked on an open connection', () => {
    const { conn } = setup();
    const socket = connect(conn);
    conn.send(send('client-0001'));
    expect(socket.sentOfType('send')).toHaveLength(1);
    vi.advanceTimersByTime(3000);
    expect(socket.sentOfType('send')).toHaveLength(2);
    socket.serverSend({ type: 'ack', clientId: 'client-0001', conversationId: 'a', seq: 1, at: 1 });
    vi.advanceTimersByTime(10_000);
    expect(socket.sentOfType('send')).toHaveLength(2);
  });

  it('reconnects with growing, jittered delays and resets them after a welcome', () => {
    const { conn, changes } = setup({ random: () => 0.999 });
    conn.start();
    FakeSocket.latest().serverClose(1006);
    FakeSocket.latest().serverClose(1006); // no new socket yet: this is a stale handler, ignored
    expect(changes.at(-1)).toEqual({ state: 'closed', retryInMs: 99, closeCode: 1006 });
    vi.advanceTimersByTime(99);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.latest().serverClose(1006);
    expect(changes.at(-1)?.retryInMs).toBe(199);
    vi.advanceTimersByTime(199);
    FakeSocket.latest().serverClose(1012);
    expect(changes.at(-1)?.retryInMs).toBe(399);
    vi.advanceTimersByTime(399);
    const socket = FakeSocket.latest();
    socket.serverOpen();
    socket.serverSend(welcome([]));
    socket.serverClose(1006);
    expect(changes.at(-1)?.retryInMs).toBe(99);
  });

  it('gives up when the server refuses the session', () => {
    const { conn, changes } = setup();
    connect(conn).serverClose(4401, 'unauthorized');
    expect(changes.at(-1)).toEqual({ state: 'closed', retryInMs: null, closeCode: 4401 });
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('retryNow skips the backoff', () => {
    const { conn } = setup({ minDelayMs: 10_000, maxDelayMs: 10_000 });
    connect(conn).serverClose(1006);
    conn.retryNow();
    expect(FakeSocket.all).toHaveLength(2);
    expect(conn.state).toBe('connecting');
  });

  it('pings when quiet and treats a silent connection as dead', () => {
    const { conn } = setup();
    const socket = connect(conn);
    vi.advanceTimersByTime(5000);
    expect(socket.sentOfType('ping')).toHaveLength(1);
    vi.advanceTimersByTime(1999);
    expect(socket.closedWith).toBeNull();
    vi.advanceTimersByTime(1);
    expect(socket.closedWith).toBe(4000);
    expect(conn.state).toBe('closed');
    vi.advanceTimersByTime(50);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('pings every interval even while the server keeps talking, so the server hears from us', () => {
    const { conn } = setup();
    const socket = connect(conn);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(2000);
      socket.serverSend({ type: 'queue', queue: [] });
    }
    // 20 s: a ping every 5 s after the welcome's syncs.
    expect(socket.sentOfType('ping')).toHaveLength(4);
    expect(conn.state).toBe('open');
  });

  it('does not ping while it sends other frames', () => {
    const { conn } = setup();
    const socket = connect(conn);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(2000);
      conn.send({ type: 'typing', conversationId: 'a', active: true });
      socket.serverSend({ type: 'pong' });
    }
    expect(socket.sentOfType('ping')).toEqual([]);
  });

  it.each([1012, 1013, 4408])(
    'reconnects after close %i and resumes every chat from its watermark',
    (code) => {
      const { conn, held } = setup();
      held.set('a', 4);
      connect(conn).serverClose(code);
      expect(conn.state).toBe('closed');
      vi.advanceTimersByTime(1000);
      const again = FakeSocket.latest();
      expect(FakeSocket.all).toHaveLength(2);
      again.serverOpen();
      again.serverSend(welcome([conversation('a')]));
      expect(again.sentOfType('sync')).toEqual([{ type: 'sync', conversationId: 'a', afterSeq: 4 }]);
    },
  );

  it('stop closes the socket, drops the outbox and never reconnects', () => {
    const { conn } = setup();
    const socket = connect(conn);
    conn.send(send('client-0001'));
    conn.stop();
    expect(conn.state).toBe('idle');
    expect(socket.closedWith).toBe(1000);
    expect(conn.unacked).toEqual([]);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('drops frames that are not JSON objects with a type', () => {
    const { conn, frames } = setup();
    const socket = connect(conn);
    socket.onmessage?.({ data: 'not json' });
    socket.onmessage?.({ data: '42' });
    socket.onmessage?.({ data: new ArrayBuffer(2) });
    expect(frames).toEqual(['welcome']);
    expect(conn.state).toBe('open');
  });

  it('bounds the outbox', () => {
    const { conn } = setup({ maxOutbox: 2 });
    expect(conn.send(send('client-0001'))).toBe(true);
    expect(conn.send(send('client-0002'))).toBe(true);
    expect(conn.send(send('client-0003'))).toBe(false);
    // A retry of a message already held is still accepted.
    expect(conn.send(send('client-0001'))).toBe(true);
  });
});
