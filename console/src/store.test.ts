import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OperatorConnection } from './connection.js';
import { lastSeqOf } from './state.js';
import {
  type ConsoleStore,
  createConsoleStore,
  type SessionCheck,
  type SideData,
  VISITOR_TYPING_TTL_MS,
} from './store.js';
import { FakeSocket } from './test/fake-socket.js';
import { conversation, ME, message, welcome } from './test/fixtures.js';

function setup(checkSession?: SessionCheck, side?: SideData) {
  let store: ConsoleStore | null = null;
  const connection = new OperatorConnection({
    url: 'ws://test/ws/operator',
    lastSeq: (id) => {
      const chat = store?.getState().chats[id];
      return chat ? lastSeqOf(chat) : undefined;
    },
    createSocket: (url) => new FakeSocket(url),
  });
  store = createConsoleStore(connection, checkSession, side);
  return store;
}

function online(store: ConsoleStore, chats = [conversation('a')]) {
  store.start(ME);
  const socket = FakeSocket.latest();
  socket.serverOpen();
  socket.serverSend(welcome(chats));
  for (const c of chats) socket.serverSend({ type: 'history', conversationId: c.id, messages: [] });
  socket.sent = [];
  return socket;
}

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('console store', () => {
  it('relies on the history the server sends with an assignment', () => {
    const store = setup();
    const socket = online(store);
    socket.serverSend({ type: 'chat', conversation: conversation('b') });
    socket.serverSend({ type: 'history', conversationId: 'b', messages: [message('b', 1)] });
    vi.advanceTimersByTime(5000);
    expect(socket.sentOfType('sync')).toEqual([]);
    expect(store.getState().chats.b?.messages).toHaveLength(1);
  });

  it("asks for a new chat's messages, once, when no history follows its assignment", () => {
    const store = setup();
    const socket = online(store);
    socket.serverSend({ type: 'chat', conversation: conversation('b') });
    socket.serverSend({ type: 'chat', conversation: conversation('b', { waitingSince: 5 }) });
    expect(socket.sentOfType('sync')).toEqual([]);
    vi.advanceTimersByTime(1500);
    expect(socket.sentOfType('sync')).toEqual([{ type: 'sync', conversationId: 'b', afterSeq: 0 }]);
  });

  it('fetches missed messages when a live message skips a seq', () => {
    const store = setup();
    const socket = online(store);
    socket.serverSend({ type: 'message', message: message('a', 1) });
    socket.serverSend({ type: 'message', message: message('a', 4) });
    expect(socket.sentOfType('sync')).toEqual([{ type: 'sync', conversationId: 'a', afterSeq: 1 }]);
  });

  it('asks once per gap by prev, and again after the answer only if a later gap remains', () => {
    const store = setup();
    const socket = online(store);
    socket.serverSend({ type: 'message', message: message('a', 1), prev: 0 });
    socket.serverSend({ type: 'message', message: message('a', 3), prev: 2 });
    socket.serverSend({ type: 'message', message: message('a', 5), prev: 4 });
    expect(socket.sentOfType('sync')).toEqual([{ type: 'sync', conversationId: 'a', afterSeq: 1 }]);
    socket.sent = [];
    // The answer covers 2..3 only (4 was published while it was read): 5 still waits, ask from 3.
    socket.serverSend({ type: 'history', conversationId: 'a', messages: [message('a', 2), message('a', 3)] });
    expect(socket.sentOfType('sync')).toEqual([{ type: 'sync', conversationId: 'a', afterSeq: 3 }]);
    socket.sent = [];
    // An answer that moves nothing does not loop.
    socket.serverSend({ type: 'history', conversationId: 'a', messages: [] });
    expect(socket.sentOfType('sync')).toEqual([]);
    expect(store.getState().chats.a?.lastSeq).toBe(3);
    socket.serverSend({ type: 'message', message: message('a', 4), prev: 3 });
    expect(store.getState().chats.a?.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('after a reconnect resumes from the watermark, not from the highest seq seen', () => {
    const store = setup();
    const socket = online(store);
    socket.serverSend({ type: 'message', message: message('a', 1), prev: 0 });
    socket.serverSend({ type: 'message', message: message('a', 3), prev: 2 });
    socket.serverClose(1012);
    vi.advanceTimersByTime(1000);
    const again = FakeSocket.latest();
    again.serverOpen();
    again.serverSend(welcome([conversation('a')]));
    expect(again.sentOfType('sync')).toEqual([{ type: 'sync', conversationId: 'a', afterSeq: 1 }]);
  });

  it('sends the draft with a fresh clientId, shows it pending, and settles it on ack', () => {
    const store = setup();
    const socket = online(store);
    store.setDraft('a', '  Hello there  ');
    store.sendDraft('a');
    const [frame] = socket.sentOfType('send');
    expect(frame).toMatchObject({ type: 'send', conversationId: 'a', text: 'Hello there' });
    expect(frame?.internal).toBeUndefined();
    expect(String(frame?.clientId)).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(store.getState().chats.a?.pending).toHaveLength(1);
    expect(store.getState().chats.a?.draft).toBe('');
    socket.serverSend({
      type: 'ack',
      clientId: frame?.clientId,
      conversationId: 'a',
      seq: 1,
      at: Date.now(),
    });
    expect(store.getState().chats.a?.pending).toEqual([]);
    expect(store.getState().chats.a?.messages.map((m) => m.text)).toEqual(['Hello there']);
  });

  it('sends notes as internal and never announces typing for them', () => {
    const store = setup();
    const socket = online(store);
    store.setNoteMode('a', true);
    store.setDraft('a', 'VIP customer');
    expect(socket.sentOfType('typing')).toEqual([]);
    store.sendDraft('a');
    expect(socket.sentOfType('send')[0]).toMatchObject({ internal: true, text: 'VIP customer' });
  });

  it('Ctrl+Enter sends one note without switching the composer to notes', () => {
    const store = setup();
    const socket = online(store);
    store.setDraft('a', 'psst');
    store.sendDraft('a', true);
    expect(socket.sentOfType('send')[0]).toMatchObject({ internal: true });
    expect(store.getState().chats.a?.noteMode).toBe(false);
  });

  it('announces operator typing throttled, and stops it when the message is sent', () => {
    const store = setup();
    const socket = online(store);
    store.setDraft('a', 'H');
    store.setDraft('a', 'He');
    store.setDraft('a', 'Hel');
    expect(socket.sentOfType('typing')).toEqual([{ type: 'typing', conversationId: 'a', active: true }]);
    store.sendDraft('a');
    expect(socket.sentOfType('typing').at(-1)).toEqual({
      type: 'typing',
      conversationId: 'a',
      active: false,
    });
  });

  it('ignores an empty draft', () => {
    const store = setup();
    const socket = online(store);
    store.setDraft('a', '   ');
    store.sendDraft('a');
    expect(socket.sentOfType('send')).toEqual([]);
  });

  it('expires a visitor typing indicator whose "stopped" never came', () => {
    const store = setup();
    const socket = online(store);
    socket.serverSend({ type: 'typing', conversationId: 'a', active: true });
    expect(store.getState().chats.a?.visitorTyping).toBe(true);
    vi.advanceTimersByTime(VISITOR_TYPING_TTL_MS - 1);
    expect(store.getState().chats.a?.visitorTyping).toBe(true);
    vi.advanceTimersByTime(1);
    expect(store.getState().chats.a?.visitorTyping).toBe(false);
  });

  it('drops visitor typing indicators when the connection is lost', () => {
    const store = setup();
    const socket = online(store);
    socket.serverSend({ type: 'typing', conversationId: 'a', active: true });
    socket.serverClose(1006);
    expect(store.getState().chats.a?.visitorTyping).toBe(false);
  });

  it('refuses to pick while disconnected, with a notice', () => {
    const store = setup();
    store.start(ME);
    store.pick('q');
    expect(store.getState().notice?.kind).toBe('error');
    expect(store.getState().picking).toBeNull();
    vi.advanceTimersByTime(6000);
    expect(store.getState().notice).toBeNull();
  });

  it('reports a refused session so the app can return to the login', () => {
    const store = setup();
    const lost = vi.fn();
    store.onSessionLost(lost);
    online(store).serverClose(4401);
    expect(lost).toHaveBeenCalledOnce();
  });

  it('estimates the server clock from acks', () => {
    const store = setup();
    const socket = online(store);
    store.setDraft('a', 'x');
    store.sendDraft('a');
    const clientId = socket.sentOfType('send')[0]?.clientId;
    socket.serverSend({ type: 'ack', clientId, conversationId: 'a', seq: 1, at: Date.now() + 5000 });
    expect(store.serverNow() - Date.now()).toBe(5000);
  });

  it('asks REST about the session when the upgrade fails, and gives up if it expired', async () => {
    const check = vi.fn<SessionCheck>().mockResolvedValue('invalid');
    const store = setup(check);
    const lost = vi.fn();
    store.onSessionLost(lost);
    store.start(ME);
    FakeSocket.latest().serverClose(1006); // an HTTP 401 on upgrade looks like this to a browser
    await vi.waitFor(() => expect(lost).toHaveBeenCalledOnce());
  });

  it('keeps retrying when the session is fine or the server is unreachable', async () => {
    const check = vi.fn<SessionCheck>().mockResolvedValue('unknown');
    const store = setup(check);
    const lost = vi.fn();
    store.onSessionLost(lost);
    store.start(ME);
    FakeSocket.latest().serverClose(1006);
    await vi.waitFor(() => expect(check).toHaveBeenCalledOnce());
    expect(lost).not.toHaveBeenCalled();
    // A drop of an established connection is a network matter, not a session one.
    vi.advanceTimersByTime(1000);
    const socket = FakeSocket.latest();
    socket.serverOpen();
    socket.serverSend(welcome([]));
    socket.serverClose(1006);
    expect(check).toHaveBeenCalledOnce();
  });

  it('loads site settings and canned responses after every welcome', async () => {
    const side = {
      sites: vi.fn<SideData['sites']>().mockResolvedValue([]),
      canned: vi
        .fn<SideData['canned']>()
        .mockResolvedValue([
          { id: 'k', shortcut: 'hi', text: 'Hi', operatorId: null, siteId: null, createdAt: 0 },
        ]),
    };
    const store = setup(undefined, side);
    const socket = online(store);
    await vi.waitFor(() => expect(store.getState().canned).toHaveLength(1));
    socket.serverClose(1006);
    vi.advanceTimersByTime(30_000);
    const again = FakeSocket.latest();
    again.serverOpen();
    again.serverSend(welcome([]));
    expect(side.sites).toHaveBeenCalledTimes(2);
    expect(side.canned).toHaveBeenCalledTimes(2);
  });

  it('keeps what it had when side data cannot be loaded', async () => {
    const side = {
      sites: vi.fn<SideData['sites']>().mockRejectedValue(new Error('404')),
      canned: vi.fn<SideData['canned']>().mockRejectedValue(new Error('404')),
    };
    const store = setup(undefined, side);
    online(store);
    await vi.waitFor(() => expect(side.canned).toHaveBeenCalled());
    expect(store.getState().sites).toEqual({});
    expect(store.getState().canned).toEqual([]);
  });

  it('sends tags and remembers which chats it picked itself', () => {
    const store = setup();
    const socket = online(store);
    store.setTags('a', ['vip']);
    expect(socket.sentOfType('tags')).toEqual([{ type: 'tags', conversationId: 'a', tags: ['vip'] }]);
    store.pick('q');
    expect(store.pickedByMe().has('q')).toBe(true);
    socket.serverSend({ type: 'queue', queue: [] });
    expect(store.pickedByMe().has('q')).toBe(true);
    vi.setSystemTime(Date.now() + 61_000); // the clock moves, the connection stays up
    store.pick('r');
    expect([...store.pickedByMe()]).toEqual(['r']);
  });

  it('reports activity quietly: a frame when connected, no notice when not', () => {
    const store = setup();
    store.reportActivity();
    expect(store.getState().notice).toBeNull();
    const socket = online(store);
    store.reportActivity();
    expect(socket.sentOfType('activity')).toEqual([{ type: 'activity' }]);
  });
});
