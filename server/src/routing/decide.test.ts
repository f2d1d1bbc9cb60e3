import { describe, expect, it } from 'vitest';
import { type DecideEvent, decide } from './decide.js';
import { type OperatorDef, type RoutingEffect, RoutingRefused } from './port.js';
import { createState, nextDeadline, refreshOperator } from './state.js';

const GRACE = 1000;

/** A tiny driver: one state, a settable now, and the effects of the last event. */
function world() {
  const state = createState();
  let now = 0;
  const w = {
    state,
    get now() {
      return now;
    },
    at(t: number) {
      now = t;
      return w;
    },
    run(event: DecideEvent, nodeId = 'n1'): RoutingEffect[] {
      return decide(state, event, now, { nodeId, graceMs: GRACE }).effects;
    },
    op(id: string, p: Partial<OperatorDef> = {}) {
      return w.run({
        type: 'operator_upsert',
        operator: { id, scopes: ['s'], capacity: 2, chosen: 'online', active: true, ...p },
      });
    },
    /** An operator with one open console (online unless chosen says otherwise). */
    online(id: string, p: Partial<OperatorDef> = {}) {
      w.op(id, p);
      return w.run({ type: 'session_open', operatorId: id, socketId: `sock-${id}` });
    },
    enqueue(id: string, enqueuedAt = now, scope = 's') {
      return w.run({ type: 'enqueue', conversationId: id, scope, enqueuedAt });
    },
    queue(scope = 's') {
      return (state.scopes.get(scope)?.queue ?? []).map((q) => q.conversationId);
    },
    o(id: string) {
      return state.operators.get(id)!;
    },
    c(id: string) {
      return state.chats.get(id)!;
    },
  };
  return w;
}

const of = <T extends RoutingEffect['type']>(effects: RoutingEffect[], type: T) =>
  effects.filter((e): e is Extract<RoutingEffect, { type: T }> => e.type === type);

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof RoutingRefused) return e.reason;
    throw e;
  }
  throw new Error('not refused');
}

describe('effective status and sessions', () => {
  it('an operator is offline until a console connects, then has the chosen status', () => {
    const w = world();
    w.op('a');
    expect(w.o('a').status).toBe('offline');
    const fx = w.run({ type: 'session_open', operatorId: 'a', socketId: 'x' });
    expect(w.o('a').status).toBe('online');
    expect(of(fx, 'operator')[0]).toMatchObject({
      operatorId: 'a',
      status: 'online',
      previousStatus: 'offline',
    });
    expect(of(fx, 'availability')).toEqual([{ type: 'availability', scope: 's', online: true }]);
  });

  it('session_open is idempotent per socket; the last close starts grace without a status change', () => {
    const w = world();
    w.online('a');
    expect(w.run({ type: 'session_open', operatorId: 'a', socketId: 'sock-a' })).toEqual([]);
    w.run({ type: 'session_open', operatorId: 'a', socketId: 'tab2' });
    expect(w.o('a').connections).toBe(2);
    w.at(10).run({ type: 'session_close', operatorId: 'a', socketId: 'tab2' });
    expect(w.o('a').graceUntil).toBeNull();
    const fx = w.at(20).run({ type: 'session_close', operatorId: 'a', socketId: 'sock-a' });
    expect(w.o('a')).toMatchObject({ connections: 0, status: 'online', graceUntil: 20 + GRACE });
    expect(of(fx, 'availability')).toEqual([]);
    // A reload: reconnecting within grace clears it and nothing flaps.
    const back = w.at(500).run({ type: 'session_open', operatorId: 'a', socketId: 'sock-a2' });
    expect(w.o('a').graceUntil).toBeNull();
    expect(of(back, 'availability')).toEqual([]);
  });

  it('grace ends with nobody connected: offline, chats requeued at their original positions', () => {
    const w = world();
    w.online('a', { capacity: 2 });
    w.at(5).enqueue('c1');
    w.at(6).enqueue('c2');
    w.at(7).enqueue('c3');
    expect(w.queue()).toEqual(['c3']);
    w.at(100).run({ type: 'session_close', operatorId: 'a', socketId: 'sock-a' });
    expect(w.at(100 + GRACE - 1).run({ type: 'tick' })).toEqual([]);
    const fx = w.at(100 + GRACE).run({ type: 'tick' });
    expect(of(fx, 'requeued').map((e) => [e.conversationId, e.reason])).toEqual([
      ['c1', 'grace_expired'],
      ['c2', 'grace_expired'],
    ]);
    expect(w.queue()).toEqual(['c1', 'c2', 'c3']);
    expect(w.o('a')).toMatchObject({ status: 'offline', load: 0 });
    expect(of(fx, 'availability')).toEqual([{ type: 'availability', scope: 's', online: false }]);
  });

  it('a disconnected operator in grace gets no new chats', () => {
    const w = world();
    w.online('a');
    w.run({ type: 'session_close', operatorId: 'a', socketId: 'sock-a' });
    expect(of(w.enqueue('c1'), 'assigned')).toEqual([]);
    expect(of(w.run({ type: 'session_open', operatorId: 'a', socketId: 'y' }), 'assigned')).toHaveLength(1);
  });
});

describe('chosen status', () => {
  it('away while holding chats: keeps them during grace, gets none; online again within grace keeps them', () => {
    const w = world();
    w.online('a', { capacity: 3 });
    w.enqueue('c1');
    const fx = w.at(10).run({ type: 'status', operatorId: 'a', chosen: 'away' });
    expect(w.o('a')).toMatchObject({ status: 'away', load: 1, graceUntil: 10 + GRACE });
    expect(of(fx, 'availability')).toEqual([{ type: 'availability', scope: 's', online: false }]);
    expect(of(w.enqueue('c2'), 'assigned')).toEqual([]);
    const back = w.at(500).run({ type: 'status', operatorId: 'a', chosen: 'online' });
    expect(w.o('a')).toMatchObject({ status: 'online', graceUntil: null, load: 2 });
    expect(of(back, 'assigned').map((e) => e.conversationId)).toEqual(['c2']);
  });

  it('offline past grace loses the chats to another operator', () => {
    const w = world();
    w.online('a', { capacity: 1 });
    w.enqueue('c1');
    w.online('b', { capacity: 1 });
    w.run({ type: 'status', operatorId: 'a', chosen: 'offline' });
    const fx = w.at(GRACE).run({ type: 'tick' });
    expect(of(fx, 'requeued')[0]).toMatchObject({ conversationId: 'c1', reason: 'grace_expired' });
    expect(of(fx, 'assigned')[0]).toMatchObject({ conversationId: 'c1', operatorId: 'b', reason: 'route' });
    expect(w.o('a').load).toBe(0);
  });

  it('away without chats needs no grace; capacity raised drains', () => {
    const w = world();
    w.online('a', { capacity: 1 });
    w.run({ type: 'status', operatorId: 'a', chosen: 'away' });
    expect(w.o('a').graceUntil).toBeNull();
    w.enqueue('c1', 1);
    w.enqueue('c2', 2);
    w.run({ type: 'status', operatorId: 'a', chosen: 'online' });
    expect(w.queue()).toEqual(['c2']);
    const fx = w.run({ type: 'status', operatorId: 'a', chosen: 'online', capacity: 2 });
    expect(of(fx, 'assigned').map((e) => e.conversationId)).toEqual(['c2']);
    expect(of(fx, 'operator')[0]).toMatchObject({ load: 2, capacity: 2 });
  });
});

describe('drain', () => {
  it('assigns the oldest waiter to the operator with the most free slots, ties by idle time then id', () => {
    const w = world();
    w.at(0).online('b', { capacity: 3 });
    w.at(0).online('a', { capacity: 3 });
    w.at(5).online('c', { capacity: 2 });
    const first = w.enqueue('x', 1);
    // a and b have 3 free and idle since 0: id breaks the tie.
    expect(of(first, 'assigned')[0]!.operatorId).toBe('a');
    expect(of(w.enqueue('y', 2), 'assigned')[0]!.operatorId).toBe('b');
    // Now a, b and c all have 2 free: c has been idle the shortest.
    expect(of(w.enqueue('z', 3), 'assigned')[0]!.operatorId).toBe('a');
  });

  it('serves waiters strictly FIFO across the scopes an operator serves', () => {
    const w = world();
    w.enqueue('t-old', 1, 't');
    w.enqueue('s-mid', 2, 's');
    w.enqueue('t-new', 3, 't');
    w.enqueue('s-tie', 3, 's');
    const fx = w.online('a', { scopes: ['s', 't'], capacity: 3 });
    expect(of(fx, 'assigned').map((e) => e.conversationId)).toEqual(['t-old', 's-mid', 's-tie']);
    expect(w.queue('t')).toEqual(['t-new']);
  });

  it('enqueue is idempotent; leave removes a waiter or frees the operator and drains', () => {
    const w = world();
    w.online('a', { capacity: 1 });
    w.enqueue('c1', 1);
    w.enqueue('c2', 2);
    w.enqueue('c3', 3);
    expect(w.enqueue('c2', 99)).toEqual([]);
    expect(w.queue()).toEqual(['c2', 'c3']);
    expect(w.run({ type: 'leave', conversationId: 'c3' })).toEqual([{ type: 'queue_changed', scope: 's' }]);
    const fx = w.at(50).run({ type: 'leave', conversationId: 'c1' });
    expect(of(fx, 'assigned').map((e) => e.conversationId)).toEqual(['c2']);
    expect(w.run({ type: 'leave', conversationId: 'nope' })).toEqual([]);
    w.at(60).run({ type: 'leave', conversationId: 'c2' });
    expect(w.o('a')).toMatchObject({ load: 0, idleSince: 60 });
  });
});

describe('claims and fencing', () => {
  it('every decision takes the next rev; confirm ends pending; unclaim only with the matching rev', () => {
    const w = world();
    w.online('a', { capacity: 1 });
    w.enqueue('c0', 0);
    w.enqueue('c1', 1);
    w.run({ type: 'leave', conversationId: 'c0' });
    const c1 = w.c('c1');
    expect(c1).toMatchObject({ status: 'active', operatorId: 'a', rev: 2, pending: true });
    expect(w.run({ type: 'confirm', conversationId: 'c1', rev: 1 })).toEqual([]);
    expect(w.c('c1').pending).toBe(true);
    w.run({ type: 'confirm', conversationId: 'c1', rev: 2 });
    expect(w.c('c1').pending).toBe(false);
    expect(w.run({ type: 'unclaim', conversationId: 'c1', rev: 2 })).toEqual([]);

    w.enqueue('c2', 2);
    w.run({ type: 'leave', conversationId: 'c1' });
    expect(w.c('c2').rev).toBe(3);
    expect(w.run({ type: 'unclaim', conversationId: 'c2', rev: 2 })).toEqual([]);
    w.run({ type: 'status', operatorId: 'a', chosen: 'away' });
    const fx = w.run({ type: 'unclaim', conversationId: 'c2', rev: 3 });
    expect(w.queue()).toEqual(['c2']);
    expect(w.c('c2')).toMatchObject({ status: 'queued', operatorId: null, pending: false });
    expect(of(fx, 'operator')[0]).toMatchObject({ load: 0 });
    expect(of(fx, 'queue_changed')).toHaveLength(1);
  });

  it('node_down closes that node`s sessions into grace and reports its unconfirmed claims', () => {
    const w = world();
    w.op('a');
    w.run({ type: 'session_open', operatorId: 'a', socketId: 's1' }, 'n1');
    w.run({ type: 'session_open', operatorId: 'a', socketId: 's2' }, 'n2');
    w.run({ type: 'enqueue', conversationId: 'c1', scope: 's', enqueuedAt: 0 }, 'n2');
    w.run({ type: 'enqueue', conversationId: 'c2', scope: 's', enqueuedAt: 0 }, 'n1');
    const fx = w.at(5).run({ type: 'node_down', nodeId: 'n2' });
    expect(of(fx, 'orphaned_claim')).toEqual([
      { type: 'orphaned_claim', conversationId: 'c1', operatorId: 'a', rev: 1 },
    ]);
    expect(w.o('a')).toMatchObject({ connections: 1, graceUntil: null });
    w.run({ type: 'node_down', nodeId: 'n1' });
    expect(w.o('a')).toMatchObject({ connections: 0, graceUntil: 5 + GRACE, status: 'online', load: 2 });
  });

  it('a node reaped long after its lease ran out: the grace ran from the lease end, and says so', () => {
    const w = world();
    w.op('a');
    w.run({ type: 'session_open', operatorId: 'a', socketId: 's1' }, 'n1');
    // The whole cluster was down; the first node back reaps n1 at 100,000 whose lease ended at 4,000.
    w.at(100_000).run({ type: 'node_down', nodeId: 'n1', at: 4_000 });
    expect(w.o('a').graceUntil).toBe(4_000 + GRACE);
    const fx = w.run({ type: 'tick' });
    expect(of(fx, 'operator')).toEqual([
      expect.objectContaining({ operatorId: 'a', status: 'offline', reason: 'grace_expired', since: 4_000 }),
    ]);
  });
});

describe('ring timeout', () => {
  it('an unanswered auto-assignment goes back to its position and the operator becomes away', () => {
    const w = world();
    w.run({ type: 'scope_settings', scope: 's', settings: { ringTimeoutMs: 300 } });
    w.online('a', { capacity: 2 });
    w.at(10).enqueue('c1', 10);
    w.at(11).enqueue('c2', 11);
    expect(w.c('c1').ringUntil).toBe(310);
    w.run({ type: 'answered', conversationId: 'c1' });
    expect(w.c('c1').ringUntil).toBeNull();
    expect(nextDeadline(w.state)).toBe(311);
    w.at(20).online('b', { capacity: 1 });
    w.at(21).enqueue('c3', 21);
    expect(w.c('c3').operatorId).toBe('b');
    const fx = w.at(311).run({ type: 'tick' });
    expect(of(fx, 'requeued')).toMatchObject([
      { conversationId: 'c2', operatorId: 'a', reason: 'ring_timeout' },
    ]);
    expect(w.o('a')).toMatchObject({ chosen: 'away', status: 'away', load: 1, graceUntil: 311 + GRACE });
    // a is away now and b is full: c2 waits at the head.
    expect(w.queue()).toEqual(['c2']);
    expect(of(fx, 'operator').find((e) => e.operatorId === 'a')).toMatchObject({
      chosen: 'away',
      reason: 'ring_timeout',
    });
  });

  it('picks and transfers do not ring', () => {
    const w = world();
    w.run({ type: 'scope_settings', scope: 's', settings: { ringTimeoutMs: 300 } });
    w.enqueue('c1');
    w.online('a', { capacity: 0 });
    w.run({ type: 'status', operatorId: 'a', chosen: 'online', capacity: 1 });
    expect(w.c('c1').ringUntil).toBe(300);
    w.online('b');
    w.run({ type: 'transfer', conversationId: 'c1', toOperatorId: 'b' });
    expect(w.c('c1').ringUntil).toBeNull();
    expect(nextDeadline(w.state)).toBeNull();
  });
});

describe('pick and transfer', () => {
  it('pick takes a queued chat out of order; refusals are typed and change nothing', () => {
    const w = world();
    w.enqueue('c1', 1);
    w.enqueue('c2', 2);
    w.enqueue('x', 3, 'other');
    w.online('a', { capacity: 0 });
    w.op('off');
    w.run({ type: 'status', operatorId: 'a', chosen: 'online', capacity: 1 });
    expect(w.queue()).toEqual(['c2']);
    w.online('b', { capacity: 1, chosen: 'away' });
    expect(refusal(() => w.run({ type: 'pick', conversationId: 'c2', operatorId: 'b' }))).toBe(
      'operator_unavailable',
    );
    w.run({ type: 'status', operatorId: 'b', chosen: 'online' });
    w.enqueue('c3', 3);
    w.enqueue('c4', 4);
    expect(refusal(() => w.run({ type: 'pick', conversationId: 'c4', operatorId: 'a' }))).toBe(
      'over_capacity',
    );
    expect(refusal(() => w.run({ type: 'pick', conversationId: 'nope', operatorId: 'a' }))).toBe(
      'not_queued',
    );
    expect(refusal(() => w.run({ type: 'pick', conversationId: 'c1', operatorId: 'a' }))).toBe(
      'already_assigned',
    );
    expect(refusal(() => w.run({ type: 'pick', conversationId: 'x', operatorId: 'a' }))).toBe(
      'operator_unavailable',
    );
    expect(refusal(() => w.run({ type: 'pick', conversationId: 'c4', operatorId: 'ghost' }))).toBe(
      'unknown_operator',
    );
    expect(refusal(() => w.run({ type: 'pick', conversationId: 'c4', operatorId: 'off' }))).toBe(
      'operator_unavailable',
    );
    expect(w.queue()).toEqual(['c3', 'c4']);
    // The drain fills every free slot at once, so a successful pick needs a slot the drain has not seen
    // (a scope without auto-routing would be one): give `a` one by hand.
    w.o('a').capacity = 2;
    refreshOperator(w.state, w.o('a'), w.now);
    const fx = w.run({ type: 'pick', conversationId: 'c4', operatorId: 'a' });
    expect(of(fx, 'assigned')).toEqual([
      expect.objectContaining({
        conversationId: 'c4',
        operatorId: 'a',
        reason: 'pick',
        previousOperatorId: null,
      }),
    ]);
    expect(w.queue()).toEqual(['c3']);
  });

  it('transfer moves an active chat to another available operator and drains the freed slot', () => {
    const w = world();
    w.online('a', { capacity: 1 });
    w.online('b', { capacity: 2 });
    w.enqueue('c1', 1); // b (more free)
    w.enqueue('c2', 2); // a (1 free each, a idle longer? both 0: id)
    w.enqueue('c3', 3); // b
    w.enqueue('c4', 4); // queued
    expect(w.c('c1').operatorId).toBe('b');
    w.online('t', { capacity: 1 });
    expect(w.c('c4').operatorId).toBe('t');
    expect(refusal(() => w.run({ type: 'transfer', conversationId: 'c1', toOperatorId: 'b' }))).toBe(
      'already_assigned',
    );
    expect(refusal(() => w.run({ type: 'transfer', conversationId: 'c1', toOperatorId: 'a' }))).toBe(
      'over_capacity',
    );
    expect(refusal(() => w.run({ type: 'transfer', conversationId: 'zz', toOperatorId: 'a' }))).toBe(
      'not_active',
    );
    w.enqueue('c5', 5);
    expect(refusal(() => w.run({ type: 'transfer', conversationId: 'c5', toOperatorId: 'a' }))).toBe(
      'not_active',
    );
    w.run({ type: 'leave', conversationId: 'c2' }); // a takes c5
    w.run({ type: 'status', operatorId: 'a', chosen: 'online', capacity: 2 });
    w.enqueue('c6', 6);
    expect(w.queue()).toEqual([]);
    w.run({ type: 'leave', conversationId: 'c6' });
    const fx = w.run({ type: 'transfer', conversationId: 'c1', toOperatorId: 'a' });
    expect(of(fx, 'assigned')[0]).toMatchObject({
      operatorId: 'a',
      previousOperatorId: 'b',
      reason: 'transfer',
    });
    expect(w.o('b').load).toBe(1);
    expect(w.o('a').load).toBe(2);
  });
});

describe('admin changes', () => {
  it('deactivation requeues every chat at once and makes the operator offline', () => {
    const w = world();
    w.online('a', { capacity: 2 });
    w.enqueue('c1', 1);
    w.enqueue('c2', 2);
    const fx = w.op('a', { active: false });
    expect(of(fx, 'requeued').map((e) => [e.conversationId, e.reason])).toEqual([
      ['c1', 'deactivated'],
      ['c2', 'deactivated'],
    ]);
    expect(w.o('a')).toMatchObject({ status: 'offline', load: 0, graceUntil: null });
    expect(w.queue()).toEqual(['c1', 'c2']);
  });

  it('a new scope drains its queue; queue_changed only when the queue or its capacity changes', () => {
    const w = world();
    w.enqueue('t1', 1, 't');
    w.online('a', { capacity: 1 });
    const fx = w.op('a', { scopes: ['s', 't'], capacity: 1 });
    expect(of(fx, 'assigned').map((e) => e.conversationId)).toEqual(['t1']);
    expect(of(fx, 'queue_changed').map((e) => e.scope)).toEqual(['t']);
    expect(of(w.enqueue('t2', 2, 't'), 'queue_changed')).toEqual([{ type: 'queue_changed', scope: 't' }]);
    expect(w.run({ type: 'answered', conversationId: 't1' })).toEqual([]);
    expect(of(w.op('a', { scopes: ['s', 't'], capacity: 3 }), 'queue_changed').map((e) => e.scope)).toEqual([
      's',
      't',
    ]);
  });
});

describe('rebuild', () => {
  it('a snapshot gives the same queues and loads, everyone in grace until sessions come back', async () => {
    const { fromSnapshot } = await import('./state.js');
    const s = fromSnapshot(
      {
        operators: [
          { id: 'a', scopes: ['s'], capacity: 2, chosen: 'online', active: true },
          { id: 'x', scopes: ['s'], capacity: 2, chosen: 'online', active: false },
        ],
        chats: [
          { conversationId: 'q2', scope: 's', status: 'queued', operatorId: null, enqueuedAt: 2, rev: 4 },
          { conversationId: 'q1', scope: 's', status: 'queued', operatorId: null, enqueuedAt: 1, rev: 0 },
          { conversationId: 'c1', scope: 's', status: 'active', operatorId: 'a', enqueuedAt: 0, rev: 7 },
        ],
        settings: { s: { ringTimeoutMs: 0 } },
      },
      100,
      GRACE,
    );
    expect(s.rev).toBe(7);
    expect(s.scopes.get('s')!.queue.map((q) => q.conversationId)).toEqual(['q1', 'q2']);
    expect(s.operators.get('a')).toMatchObject({ load: 1, status: 'online', graceUntil: 100 + GRACE });
    expect(s.operators.get('x')).toMatchObject({ status: 'offline', graceUntil: null });
    const fx = decide(s, { type: 'session_open', operatorId: 'a', socketId: 'k' }, 200, {
      nodeId: 'n',
      graceMs: GRACE,
    }).effects;
    expect(of(fx, 'assigned').map((e) => e.conversationId)).toEqual(['q1']);
  });
});
