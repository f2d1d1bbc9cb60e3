import type { OperatorPresence, QueueEntry } from '@beseda/shared';
import { applyPresenceDelta, applyQueueDelta } from '../../console/src/deltas.js';
import type { TestClient } from './ws-client.js';

type Delta = Parameters<typeof applyQueueDelta>[1];

/** The queue an operator socket shows: the welcome's list, then every `queue` / `queue_delta` in order. */
export function consoleQueue(client: TestClient): QueueEntry[] {
  let q: QueueEntry[] = [];
  for (const f of client.frames) {
    if (f.type === 'welcome' || f.type === 'queue') q = f.queue as QueueEntry[];
    else if (f.type === 'queue_delta') q = applyQueueDelta(q, f as unknown as Delta);
  }
  return q;
}

/** Colleagues as an operator socket shows them (welcome, then `presence` / `presence_delta`). */
export function consolePresence(client: TestClient): OperatorPresence[] {
  let list: OperatorPresence[] = [];
  for (const f of client.frames) {
    if (f.type === 'welcome') list = f.operators as OperatorPresence[];
    else if (f.type === 'presence') list = f.operators as OperatorPresence[];
    else if (f.type === 'presence_delta') list = applyPresenceDelta(list, f.operators as OperatorPresence[]);
  }
  return list;
}
