import type { ConversationView } from '@beseda/shared/types';
import { storageKey } from '../keys.js';
import { Connection, type ConnectionOptions } from './connection.js';
import { conversation, type FakeSocket, fakeNet, manualTimers, welcome } from './fake-server.js';
import { memoryStorage, type StorageLike } from './storage.js';

/** A Connection wired to the fake server, manual timers and memory storage (for the connection tests). */
export const SITE = 'SITE';
export const key = (name: Parameters<typeof storageKey>[1]) => storageKey(SITE, name);

export function setup(over: Partial<ConnectionOptions> & { storage?: StorageLike } = {}) {
  const storage = over.storage ?? memoryStorage();
  const timers = manualTimers();
  const net = fakeNet();
  const transitions: string[] = [];
  let made = 0;
  const conn = new Connection({
    newIdentity: () => {
      made += 1;
      return { vid: `gen-${made}`, token: `tok-gen-${made}` };
    },
    base: 'https://chat.example.com',
    site: SITE,
    lang: 'en-GB',
    WebSocket: net.Socket,
    storage,
    timers,
    now: timers.now,
    random: () => 0.5,
    page: () => ({ url: 'https://shop.example/cart', title: 'Cart', referrer: '' }),
    onTransition: (from, to) => transitions.push(`${from}>${to}`),
    ...over,
  });
  /** Lets the fake server accept the pending socket and greet it. */
  const greet = (
    conv: ConversationView | null = conversation('c1'),
    ids?: { visitorId?: string; token?: string },
  ): FakeSocket => {
    const ws = net.last();
    ws.accept();
    ws.push(welcome(conv, ids));
    return ws;
  };
  /** Waits out the (jittered) reconnect delay until exactly one new socket exists. */
  const reconnect = () => {
    const before = net.sockets.length;
    for (let waited = 0; net.sockets.length === before; waited += 50) {
      if (waited > 60_000) throw new Error('no reconnect within 60 s');
      timers.advance(50);
    }
  };
  return { conn, storage, timers, net, transitions, greet, reconnect };
}
