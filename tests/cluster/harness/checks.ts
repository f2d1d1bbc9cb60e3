import { expect } from 'vitest';
import type { Cluster, StoredMessage } from './cluster.js';
import type { Peer } from './peer.js';
import { waitFor } from './wait.js';

/** What an audience may see of a conversation: visitors never see internal notes. */
export async function visibleStored(
  c: Cluster,
  conversationId: string,
  audience: 'visitor' | 'operator',
): Promise<StoredMessage[]> {
  return (await c.messages(conversationId)).filter((m) => audience === 'operator' || m.author !== 'note');
}

/**
 * Waits until `peer` holds exactly what the store holds for its audience (nothing missing, nothing extra,
 * nothing still buffered behind a gap), then checks texts and that it showed them in seq order.
 */
export async function expectCaughtUp(
  c: Cluster,
  peer: Peer,
  conversationId: string,
  audience: 'visitor' | 'operator',
  timeoutMs = 10_000,
): Promise<StoredMessage[]> {
  const t = peer.timeline(conversationId);
  let stored: StoredMessage[] = [];
  await waitFor(
    `${peer.label} to hold every stored message of ${conversationId}`,
    async () => {
      stored = await visibleStored(c, conversationId, audience);
      const held = t.seqs();
      return (
        stored.length > 0 &&
        t.buffered.size === 0 &&
        held.length === stored.length &&
        held.every((s, i) => s === stored[i]!.seq)
      );
    },
    {
      timeoutMs,
      last: () => ({
        stored: stored.length,
        storedLast: stored.at(-1)?.seq,
        held: t.held.size,
        lastSeq: t.lastSeq,
        buffered: [...t.buffered.keys()].slice(0, 10),
        missing: stored
          .filter((m) => !t.held.has(m.seq))
          .map((m) => m.seq)
          .slice(0, 20),
        gaps: t.gaps,
        missingPrev: t.missingPrev,
      }),
    },
  );
  expect(t.texts()).toEqual(stored.map((m) => m.text));
  expect(t.inOrder(), `${peer.label} applied messages out of seq order: ${t.appliedOrder.join(',')}`).toBe(
    true,
  );
  return stored;
}

/** Counts stored rows per clientId in a conversation; every sent clientId must be there exactly once. */
export async function expectStoredOnce(
  c: Cluster,
  conversationId: string,
  clientIds: string[],
): Promise<void> {
  const stored = await c.messages(conversationId);
  const counts = new Map<string, number>();
  for (const m of stored) if (m.clientId) counts.set(m.clientId, (counts.get(m.clientId) ?? 0) + 1);
  const wrong = clientIds.filter((id) => counts.get(id) !== 1).map((id) => [id, counts.get(id) ?? 0]);
  expect(wrong, 'clientIds not stored exactly once').toEqual([]);
}

/** Runs `fn` over `items` with at most `limit` in flight (a client keeps a bounded number unacked). */
export async function inFlight<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<unknown>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
}
