import type { OperatorPresence, QueueEntry } from '@beseda/shared/types';
import { describe, expect, it } from 'vitest';
import { applyPresenceDelta, applyQueueDelta } from './deltas.js';

const entry = (id: string, enqueuedAt: number, siteId = 's1', preview = ''): QueueEntry => ({
  conversationId: id,
  siteId,
  visitorId: `v-${id}`,
  visitorName: null,
  enqueuedAt,
  position: 1,
  preview,
});

describe('queue deltas', () => {
  it('removes, adds and replaces; keeps enqueue order and renumbers positions per site', () => {
    const q = applyQueueDelta([], { siteId: 's1', removed: [], upserted: [entry('a', 10), entry('b', 20)] });
    const both = applyQueueDelta(q, { siteId: 's2', removed: [], upserted: [entry('x', 15, 's2')] });
    expect(both.map((e) => [e.conversationId, e.position])).toEqual([
      ['a', 1],
      ['x', 1],
      ['b', 2],
    ]);
    // a is assigned; c arrives; b's preview changes.
    const next = applyQueueDelta(both, {
      siteId: 's1',
      removed: ['a'],
      upserted: [entry('c', 30), entry('b', 20, 's1', 'hello?')],
    });
    expect(next.map((e) => [e.conversationId, e.position, e.preview])).toEqual([
      ['x', 1, ''],
      ['b', 1, 'hello?'],
      ['c', 2, ''],
    ]);
  });

  it('a requeued chat goes back to its original place', () => {
    const q = [entry('b', 20), entry('c', 30)].map((e, i) => ({ ...e, position: i + 1 }));
    const back = applyQueueDelta(q, { siteId: 's1', removed: [], upserted: [entry('a', 10)] });
    expect(back.map((e) => [e.conversationId, e.position])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
  });

  it('counts positions per (site, team) queue and keeps arrival order across them', () => {
    const team = (e: QueueEntry, teamId: string | null) => ({ ...e, teamId });
    let q = applyQueueDelta([], { siteId: 's1', removed: [], upserted: [entry('a', 10), entry('c', 30)] });
    q = applyQueueDelta(q, {
      siteId: 's1',
      teamId: 'sales',
      removed: [],
      upserted: [team(entry('b', 20), 'sales'), entry('d', 40)],
    });
    expect(q.map((e) => [e.conversationId, e.teamId ?? null, e.position])).toEqual([
      ['a', null, 1],
      ['b', 'sales', 1],
      ['c', null, 2],
      // Not saying its team: it is in the delta's queue.
      ['d', 'sales', 2],
    ]);
    // A chat transferred to Sales keeps its first enqueue time, so it heads that queue.
    q = applyQueueDelta(q, {
      siteId: 's1',
      teamId: 'sales',
      removed: [],
      upserted: [team(entry('a', 10), 'sales')],
    });
    expect(q.map((e) => [e.conversationId, e.position])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 1],
      ['d', 3],
    ]);
  });
});

describe('presence deltas', () => {
  const op = (id: string, status: OperatorPresence['status'], activeChats = 0): OperatorPresence => ({
    id,
    name: id,
    status,
    capacity: 3,
    activeChats,
  });
  it('replaces by id in place and appends newcomers', () => {
    const list = [op('ann', 'online'), op('bob', 'offline')];
    expect(applyPresenceDelta(list, [op('bob', 'online', 1), op('cy', 'away')])).toEqual([
      op('ann', 'online'),
      op('bob', 'online', 1),
      op('cy', 'away'),
    ]);
  });
});
