import type { InboxItem, InboxList } from '@beseda/shared/types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OperatorConnection } from './connection.js';
import { memoryOnly } from './local-memory.js';
import { createConsoleStore, INBOX_REFRESH_MS, type SideData } from './store.js';
import { FakeSocket } from './test/fake-socket.js';
import { conversation, ME, welcome } from './test/fixtures.js';

/** The store's side of the offline inbox: when it reads the server's list and what a status change does. */

const item = (id: string, status: InboxItem['status'] = 'open', createdAt = 1_000): InboxItem => ({
  conversation: conversation(id, { status: 'offline', operator: null, createdAt }),
  preview: `left ${id}`,
  status,
  changedAt: status === 'open' ? null : 2_000,
  changedBy: status === 'open' ? null : { id: 'op-1', name: 'Ann' },
});

function setup(lists: InboxList[]) {
  const inbox = vi.fn<NonNullable<SideData['inbox']>>();
  for (const l of lists) inbox.mockResolvedValueOnce(l);
  inbox.mockResolvedValue(lists.at(-1) ?? { items: [], openCount: 0, nextBefore: null });
  const setInboxStatus = vi.fn<NonNullable<SideData['setInboxStatus']>>(async (id, status) =>
    item(id, status),
  );
  const side: SideData = { sites: async () => [], canned: async () => [], inbox, setInboxStatus };
  const connection = new OperatorConnection({
    url: 'ws://test/ws/operator',
    lastSeq: () => undefined,
    createSocket: (url) => new FakeSocket(url),
  });
  const memory = memoryOnly();
  const store = createConsoleStore(connection, undefined, side, memory);
  store.start(ME);
  const socket = FakeSocket.latest();
  socket.serverOpen();
  socket.serverSend(welcome([]));
  return { store, socket, inbox, setInboxStatus, memory };
}

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('offline inbox in the store', () => {
  it('reads the open inbox after the welcome: what was left while no console was open is there', async () => {
    const { store, inbox } = setup([
      { items: [item('x'), item('y', 'open', 500)], openCount: 2, nextBefore: null },
    ]);
    await vi.waitFor(() => expect(store.getState().inbox.openCount).toBe(2));
    expect(inbox).toHaveBeenCalledTimes(1);
    expect(store.getState().inbox.open.map((o) => o.conversation.id)).toEqual(['x', 'y']);
  });

  it('reads it again on a live offline message, and every 30 s while connected only', async () => {
    const empty = { items: [], openCount: 0, nextBefore: null };
    const { store, socket, inbox } = setup([empty, { items: [item('n')], openCount: 1, nextBefore: null }]);
    await vi.waitFor(() => expect(inbox).toHaveBeenCalledTimes(1));
    await vi.waitFor(() => expect(store.getState().inbox.version).toBe(1));
    socket.serverSend({ type: 'offline', conversation: item('n').conversation, preview: 'left n' });
    // Shown at once from the frame, then confirmed by the server's list.
    expect(store.getState().inbox.openCount).toBe(1);
    await vi.waitFor(() => expect(inbox).toHaveBeenCalledTimes(2));
    expect(store.getState().inbox.openCount).toBe(1);

    // The server answers the console's pings meanwhile, so the connection stays open.
    for (let t = 0; t < INBOX_REFRESH_MS; t += 5_000) {
      await vi.advanceTimersByTimeAsync(5_000);
      socket.serverSend({ type: 'pong' });
    }
    expect(inbox).toHaveBeenCalledTimes(3);
    socket.serverClose(1006);
    await vi.advanceTimersByTimeAsync(INBOX_REFRESH_MS);
    expect(inbox).toHaveBeenCalledTimes(3);
    store.stop();
    await vi.advanceTimersByTimeAsync(3 * INBOX_REFRESH_MS);
    expect(inbox).toHaveBeenCalledTimes(3);
  });

  it('applies only the answer to the latest read, so a slow older one cannot bring back a stale list', async () => {
    let answerFirst: (l: InboxList) => void = () => {};
    const { store, socket, inbox } = setup([]);
    inbox.mockReset();
    inbox.mockImplementationOnce(() => new Promise((r) => (answerFirst = r)));
    inbox.mockResolvedValue({ items: [item('n')], openCount: 1, nextBefore: null });
    socket.serverSend(welcome([]));
    socket.serverSend({ type: 'offline', conversation: item('n').conversation, preview: 'left n' });
    await vi.waitFor(() => expect(store.getState().inbox.open.map((o) => o.status)).toEqual(['open']));
    answerFirst({ items: [], openCount: 0, nextBefore: null });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().inbox.openCount).toBe(1);
  });

  it('a status change goes to the server and takes the item out of the open list; a refusal leaves it', async () => {
    const { store, setInboxStatus, memory } = setup([
      { items: [item('x'), item('y', 'open', 500)], openCount: 2, nextBefore: null },
    ]);
    await vi.waitFor(() => expect(store.getState().inbox.openCount).toBe(2));
    await store.setInboxStatus('x', 'answered');
    expect(setInboxStatus).toHaveBeenCalledWith('x', 'answered');
    expect(store.getState().inbox.open.map((o) => o.conversation.id)).toEqual(['y']);
    expect(store.getState().inbox.openCount).toBe(1);
    expect(memory.marked('read').has('x')).toBe(true);

    setInboxStatus.mockRejectedValueOnce(new Error('No offline message or missed chat with this id'));
    await expect(store.setInboxStatus('y', 'closed')).rejects.toThrow('No offline message');
    expect(store.getState().inbox.open.map((o) => o.conversation.id)).toEqual(['y']);
    expect(store.getState().inbox.openCount).toBe(1);
  });
});
