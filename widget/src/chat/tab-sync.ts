import { type StorageName, storageKey } from '../keys.js';
import type { StorageLike } from './storage.js';

/**
 * Two open tabs of the same site show the same conversation, live. Design: every tab keeps its own socket
 * (the relay fans each visitor frame out to all of that visitor's sockets, so a message sent or received
 * in one tab reaches the others over their own sockets, each with its own resume cursor and reconnects),
 * and localStorage, which all tabs share anyway, carries what the relay cannot: an outbox item the moment
 * it is written (shown as "sending" everywhere, and resent by any tab if its writer closes), a chat a tab
 * had not joined yet (that tab then connects), "Start a new chat", the visitor identity, the pre-chat and
 * offline forms, the team choice, the mute choice. No leader election: a leader in a frozen or discarded
 * background tab is exactly the failure this widget must not have, and the extra idle socket per tab costs
 * ~15 KB on the relay.
 *
 * The `storage` event fires only in the other tabs, only on real changes; this maps it to a storage name.
 */
export function storageName(site: string, key: string | null): StorageName | null {
  const prefix = storageKey(site, 'vid').slice(0, -3);
  if (!key?.startsWith(prefix)) return null;
  const name = key.slice(prefix.length);
  return /^(vid|token|chat|outbox|open|look|ident|offline|mute|beep|team)$/.test(name)
    ? (name as StorageName)
    : null;
}

/** Calls `fn` with the storage name whenever another tab changes one of this site's keys. */
export function watchTabs(site: string, storage: StorageLike, fn: (name: StorageName) => void): () => void {
  const onStorage = (e: StorageEvent) => {
    if (e.storageArea !== (storage as unknown)) return;
    const name = storageName(site, e.key);
    if (name) fn(name);
  };
  addEventListener('storage', onStorage);
  return () => removeEventListener('storage', onStorage);
}
