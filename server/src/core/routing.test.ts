import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseOperator, type OperatorLoad, planAssignments, type Waiting } from './routing.js';

const op = (id: string, p: Partial<OperatorLoad> = {}): OperatorLoad => ({
  id,
  status: 'online',
  capacity: 2,
  active: 0,
  idleSince: 0,
  siteIds: ['s'],
  ...p,
});
const w = (id: string, enqueuedAt: number, siteId = 's'): Waiting => ({
  conversationId: id,
  siteId,
  enqueuedAt,
});

describe('chooseOperator', () => {
  it('picks the online operator with the most free capacity', () => {
    const ops = [
      op('a', { capacity: 3, active: 2 }),
      op('b', { capacity: 3, active: 0 }),
      op('c', { capacity: 5, active: 4 }),
    ];
    expect(chooseOperator(ops, 's')?.id).toBe('b');
  });

  it('breaks ties by the longest idle operator', () => {
    const ops = [op('a', { idleSince: 200 }), op('b', { idleSince: 100 }), op('c', { idleSince: 300 })];
    expect(chooseOperator(ops, 's')?.id).toBe('b');
  });

  it('never picks away, offline, full, or other-site operators', () => {
    const ops = [
      op('away', { status: 'away' }),
      op('off', { status: 'offline' }),
      op('full', { capacity: 1, active: 1 }),
      op('zero', { capacity: 0 }),
      op('other', { siteIds: ['x'] }),
    ];
    expect(chooseOperator(ops, 's')).toBeNull();
  });
});

describe('planAssignments', () => {
  it('serves the longest waiter first and respects capacity', () => {
    const plan = planAssignments(
      [w('late', 30), w('first', 10), w('mid', 20)],
      [op('a', { capacity: 1 }), op('b', { capacity: 1 })],
    );
    expect(plan.map((p) => p.conversationId)).toEqual(['first', 'mid']);
    expect(new Set(plan.map((p) => p.operatorId)).size).toBe(2);
  });

  it('does not modify its inputs', () => {
    const ops = [op('a', { capacity: 1 })];
    planAssignments([w('x', 1)], ops);
    expect(ops[0]!.active).toBe(0);
  });

  it('property: no operator over capacity, no chat assigned twice, longest waiters served', () => {
    const opArb = fc.record({
      status: fc.constantFrom('online', 'away', 'offline'),
      capacity: fc.integer({ min: 0, max: 4 }),
      active: fc.integer({ min: 0, max: 4 }),
      idleSince: fc.integer({ min: 0, max: 1000 }),
      site: fc.constantFrom('s', 't'),
    });
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 8 }),
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 10_000 }), site: fc.constantFrom('s', 't') }), {
          maxLength: 30,
        }),
        (opSpecs, waitSpecs) => {
          const ops = opSpecs.map((o, i) =>
            op(`o${i}`, {
              status: o.status as OperatorLoad['status'],
              capacity: o.capacity,
              active: o.active,
              idleSince: o.idleSince,
              siteIds: [o.site],
            }),
          );
          const queue = waitSpecs.map((x, i) => w(`c${i}`, x.at, x.site));
          const plan = planAssignments(queue, ops);
          expect(new Set(plan.map((p) => p.conversationId)).size).toBe(plan.length);
          for (const o of ops) {
            const got = plan.filter((p) => p.operatorId === o.id).length;
            if (got > 0) expect(o.status).toBe('online');
            expect(o.active + got).toBeLessThanOrEqual(Math.max(o.capacity, o.active));
            if (got > 0) expect(o.active + got).toBeLessThanOrEqual(o.capacity);
          }
          for (const site of ['s', 't']) {
            const free = ops
              .filter((o) => o.status === 'online' && o.siteIds[0] === site)
              .reduce((n, o) => n + Math.max(0, o.capacity - o.active), 0);
            const line = queue
              .filter((q) => q.siteId === site)
              .sort((a, b) => a.enqueuedAt - b.enqueuedAt || (a.conversationId < b.conversationId ? -1 : 1));
            const served = plan
              .filter((p) => line.some((q) => q.conversationId === p.conversationId))
              .map((p) => p.conversationId);
            // Exactly min(free, waiting) are served, and they are the oldest ones.
            expect(served).toEqual(line.slice(0, Math.min(free, line.length)).map((q) => q.conversationId));
          }
        },
      ),
    );
  });
});
