import type { OperatorPresence, QueueEntry } from '@beseda/shared/types';
import { queueKey } from './teams.js';

/**
 * The server sends the queue and colleagues' presence whole with `welcome`, then only what changed
 * (`queue_delta`, `presence_delta`): O(change) per frame instead of the whole list per change.
 */

/**
 * Drops `removed`, adds or replaces `upserted`; order by enqueue time (arrival order, stable), positions
 * renumbered per queue: one per (site, team), as the server counts them.
 */
export function applyQueueDelta(
  queue: readonly QueueEntry[],
  delta: {
    siteId: string;
    teamId?: string | null;
    removed: readonly string[];
    upserted: readonly QueueEntry[];
  },
): QueueEntry[] {
  const drop = new Set([...delta.removed, ...delta.upserted.map((e) => e.conversationId)]);
  // An entry that does not say its team is in the delta's queue.
  const upserted =
    delta.teamId === undefined
      ? delta.upserted
      : delta.upserted.map((e) => (e.teamId === undefined ? { ...e, teamId: delta.teamId } : e));
  const next = queue.filter((e) => !drop.has(e.conversationId)).concat(upserted);
  next.sort(
    (a, b) =>
      a.enqueuedAt - b.enqueuedAt ||
      (a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0),
  );
  const positions = new Map<string, number>();
  return next.map((e) => {
    const key = queueKey(e);
    const position = (positions.get(key) ?? 0) + 1;
    positions.set(key, position);
    return e.position === position ? e : { ...e, position };
  });
}

/** Replaces colleagues by id (in place, keeping the list's order); new ones are appended. */
export function applyPresenceDelta(
  operators: readonly OperatorPresence[],
  changed: readonly OperatorPresence[],
): OperatorPresence[] {
  const byId = new Map(changed.map((o) => [o.id, o]));
  const next = operators.map((o) => {
    const c = byId.get(o.id);
    if (!c) return o;
    byId.delete(o.id);
    return c;
  });
  return next.concat([...byId.values()]);
}
