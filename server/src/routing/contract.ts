import { afterEach, describe, expect, it } from 'vitest';
import {
  type OperatorDef,
  type RoutingEffect,
  type RoutingEvent,
  type RoutingPort,
  RoutingRefused,
  type RoutingSnapshot,
} from './port.js';

/** Grace and lease lengths every harness is built with. */
export const CONTRACT_GRACE_MS = 5_000;
export const CONTRACT_LEASE_MS = 4_000;

export interface RoutingHarness {
  /** Two node views (ids n1, n2) of ONE shared state: one memory store, or one Redis prefix. */
  nodes: [RoutingPort, RoutingPort];
  now(): number;
  /**
   * Moves time on; deadlines fire at their time (their effects are returned). Nodes keep their leases
   * alive meanwhile — only those in `heartbeat` when given (a paused node misses its heartbeats).
   */
  advance(ms: number, opts?: { heartbeat?: RoutingPort[] }): Promise<RoutingEffect[]>;
  /** True when node leases are real (Redis): expiry, sweep, lease_lost. */
  leases: boolean;
  /** A fresh, empty state (another prefix / store) with the same clock, for rebuild comparisons. */
  fresh(): Promise<RoutingPort>;
  close(): Promise<void>;
}

const def = (id: string, p: Partial<OperatorDef> = {}): OperatorDef => ({
  id,
  scopes: ['s'],
  capacity: 2,
  chosen: 'online',
  active: true,
  ...p,
});

const of = <T extends RoutingEffect['type']>(effects: RoutingEffect[], type: T) =>
  effects.filter((e): e is Extract<RoutingEffect, { type: T }> => e.type === type);

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RoutingRefused) return e.reason;
    throw e;
  }
  return 'not refused';
}

/** Behaviour every RoutingPort implementation must have; run against MemoryRouting and RedisRouting. */
export function routingContract(name: string, make: () => Promise<RoutingHarness>) {
  describe(`RoutingPort contract: ${name}`, () => {
    let h: RoutingHarness | null = null;
    afterEach(async () => {
      await h?.close();
      h = null;
    });

    async function setup() {
      h = await make();
      const [n1, n2] = h.nodes;
      const run = (e: RoutingEvent, node: RoutingPort = n1) => node.dispatch(e);
      const online = async (id: string, p: Partial<OperatorDef> = {}, node: RoutingPort = n1) => {
        await run({ type: 'operator_upsert', operator: def(id, p) }, node);
        return run({ type: 'session_open', operatorId: id, socketId: `sock-${id}` }, node);
      };
      const enqueue = (id: string, enqueuedAt: number, scope = 's', node: RoutingPort = n1) =>
        run({ type: 'enqueue', conversationId: id, scope, enqueuedAt }, node);
      const queue = async (scope = 's') => (await n1.queue(scope)).map((q) => q.conversationId);
      return { h, n1, n2, run, online, enqueue, queue };
    }

    it('assigns oldest first to the most free operator, never over capacity, then queues in order', async () => {
      const { n1, online, enqueue, queue } = await setup();
      await online('b', { capacity: 3 });
      await online('a', { capacity: 2 });
      const got: string[] = [];
      for (const [id, at] of [
        ['c4', 40],
        ['c1', 10],
        ['c6', 60],
        ['c2', 20],
        ['c3', 30],
        ['c5', 50],
        ['c7', 70],
      ] as const) {
        for (const e of of(await enqueue(id, at), 'assigned'))
          got.push(`${e.conversationId}>${e.operatorId}`);
      }
      // b (3 free) takes c4; then a and b tie at 2 free and a idle... both since the same instant: id a.
      expect(got).toEqual(['c4>b', 'c1>a', 'c6>b', 'c2>a', 'c3>b']);
      expect(await queue()).toEqual(['c5', 'c7']);
      expect((await n1.queue('s')).map((q) => q.enqueuedAt)).toEqual([50, 70]);
      const ops = await n1.operators(['s']);
      expect(ops.map((o) => [o.id, o.load, o.capacity])).toEqual([
        ['a', 2, 2],
        ['b', 3, 3],
      ]);
      expect(await n1.chat('c1')).toMatchObject({ status: 'active', operatorId: 'a', pending: true });
      expect(await n1.chat('c5')).toMatchObject({ status: 'queued', operatorId: null, enqueuedAt: 50 });
      expect(await n1.chat('nope')).toBeNull();
      expect(await n1.operator('nope')).toBeNull();
    });

    it('move: a chat goes to another scope (a team) at its original time, its operator freed, capacity shared', async () => {
      const { run, online, enqueue, queue } = await setup();
      // a answers for the site and the Sales team ('s/t'); b only for the site. One slot each.
      await online('a', { capacity: 1, scopes: ['s', 's/t'] });
      await online('b', { capacity: 1 });
      expect(of(await enqueue('c1', 10), 'assigned').map((e) => e.operatorId)).toEqual(['a']);
      expect(of(await enqueue('c2', 20), 'assigned').map((e) => e.operatorId)).toEqual(['b']);
      await enqueue('t1', 5, 's/t'); // Sales waits: a is full (capacity shared across scopes)
      await enqueue('c3', 30);
      expect(await queue('s/t')).toEqual(['t1']);
      // b hands c2 to Sales: b is free again, c2 waits in Sales by its original time (after t1).
      const fx = await run({ type: 'move', conversationId: 'c2', scope: 's/t' });
      expect(of(fx, 'moved')).toEqual([
        {
          type: 'moved',
          conversationId: 'c2',
          scope: 's/t',
          fromScope: 's',
          operatorId: 'b',
          rev: expect.any(Number),
          enqueuedAt: 20,
        },
      ]);
      // b's freed slot takes the site's oldest waiter; c2 cannot go to b (not in Sales).
      expect(of(fx, 'assigned').map((e) => `${e.conversationId}>${e.operatorId}`)).toEqual(['c3>b']);
      expect(await queue('s/t')).toEqual(['t1', 'c2']);
      expect(await queue('s')).toEqual([]);
      // A queued chat moves too (team deleted → back to the site), keeping its place by time.
      const back = await run({ type: 'move', conversationId: 'c2', scope: 's' });
      expect(of(back, 'moved')[0]).toMatchObject({ operatorId: null, fromScope: 's/t', enqueuedAt: 20 });
      expect(await queue('s')).toEqual(['c2']);
      expect(
        of(back, 'queue_changed')
          .map((e) => e.scope)
          .sort(),
      ).toEqual(['s', 's/t']);
      // a frees up: Sales' oldest (t1, 5) goes before the site's c2 (20).
      const freed = await run({ type: 'leave', conversationId: 'c1' });
      expect(of(freed, 'assigned').map((e) => `${e.conversationId}>${e.operatorId}`)).toEqual(['t1>a']);
      expect(await refusal(run({ type: 'move', conversationId: 'c2', scope: 's' }))).toBe('already_assigned');
      expect(await refusal(run({ type: 'move', conversationId: 'nope', scope: 's' }))).toBe('not_active');
    });

    it('ties on free slots go to the operator idle longest, then to the lower id', async () => {
      const { h, run, online, enqueue } = await setup();
      await online('b', { capacity: 2 });
      await h.advance(10);
      await online('a', { capacity: 2 });
      await online('c', { capacity: 1 });
      await h.advance(10);
      const to = async (id: string, at: number) => of(await enqueue(id, at), 'assigned')[0]?.operatorId;
      expect(await to('c1', 1)).toBe('b'); // a, b: 2 free; b idle since earlier
      expect(await to('c2', 2)).toBe('a'); // a: 2 free
      expect(await to('c3', 3)).toBe('b'); // a, b, c: 1 free; b idle longest
      expect(await to('c4', 4)).toBe('a'); // a, c: 1 free, same idle time: lower id
      await h.advance(10);
      await run({ type: 'leave', conversationId: 'c2' });
      await run({ type: 'leave', conversationId: 'c4' }); // a is free again: idle since now
      expect(await to('c5', 5)).toBe('a'); // a: 2 free
      expect(await to('c6', 6)).toBe('c'); // a, c: 1 free; c idle since earlier than a
    });

    it('drains when capacity frees: leave, capacity raised, back online', async () => {
      const { run, online, enqueue, queue } = await setup();
      await online('a', { capacity: 1 });
      await enqueue('c1', 1);
      await enqueue('c2', 2);
      await enqueue('c3', 3);
      const left = await run({ type: 'leave', conversationId: 'c1' });
      expect(of(left, 'assigned').map((e) => e.conversationId)).toEqual(['c2']);
      expect(of(left, 'queue_changed')).toEqual([{ type: 'queue_changed', scope: 's' }]);
      const raised = await run({ type: 'status', operatorId: 'a', chosen: 'online', capacity: 2 });
      expect(of(raised, 'assigned').map((e) => e.conversationId)).toEqual(['c3']);
      expect(of(raised, 'operator')).toEqual([
        expect.objectContaining({ operatorId: 'a', load: 2, capacity: 2, status: 'online' }),
      ]);
      expect(await queue()).toEqual([]);
      expect(await run({ type: 'enqueue', conversationId: 'c3', scope: 's', enqueuedAt: 3 })).toEqual([]);
    });

    it('pick and transfer: typed refusals, and a transfer frees the previous operator', async () => {
      const { run, online, enqueue } = await setup();
      await online('a', { capacity: 1 });
      await online('b', { capacity: 1 });
      await run({ type: 'operator_upsert', operator: def('away', { chosen: 'away' }) });
      await run({ type: 'session_open', operatorId: 'away', socketId: 'sock-away' });
      await enqueue('c1', 1);
      await enqueue('c2', 2);
      await enqueue('c3', 3);
      expect(await refusal(run({ type: 'pick', conversationId: 'c3', operatorId: 'a' }))).toBe(
        'over_capacity',
      );
      expect(await refusal(run({ type: 'pick', conversationId: 'c3', operatorId: 'away' }))).toBe(
        'operator_unavailable',
      );
      expect(await refusal(run({ type: 'pick', conversationId: 'c3', operatorId: 'ghost' }))).toBe(
        'unknown_operator',
      );
      expect(await refusal(run({ type: 'pick', conversationId: 'zz', operatorId: 'a' }))).toBe('not_queued');
      expect(await refusal(run({ type: 'pick', conversationId: 'c1', operatorId: 'a' }))).toBe(
        'already_assigned',
      );
      expect(await refusal(run({ type: 'transfer', conversationId: 'c3', toOperatorId: 'a' }))).toBe(
        'not_active',
      );
      expect(await refusal(run({ type: 'transfer', conversationId: 'c1', toOperatorId: 'a' }))).toBe(
        'already_assigned',
      );
      expect(await refusal(run({ type: 'transfer', conversationId: 'c1', toOperatorId: 'b' }))).toBe(
        'over_capacity',
      );
      await online('t', { capacity: 2 }); // takes c3, one slot left
      const fx = await run({ type: 'transfer', conversationId: 'c1', toOperatorId: 't' });
      expect(of(fx, 'assigned')).toEqual([
        expect.objectContaining({
          conversationId: 'c1',
          operatorId: 't',
          previousOperatorId: 'a',
          reason: 'transfer',
        }),
      ]);
      expect(of(fx, 'operator').map((e) => [e.operatorId, e.load])).toEqual([
        ['a', 0],
        ['t', 2],
      ]);
      expect(
        await run({ type: 'status', operatorId: 'ghost', chosen: 'online' }).catch((e) => e.reason),
      ).toBe('unknown_operator');
    });

    it('auto-away: no activity for the scope period sets an online operator away; activity brings them back', async () => {
      const { h, n1, n2, run, online, enqueue } = await setup();
      await run({ type: 'scope_settings', scope: 's', settings: { ringTimeoutMs: 0, autoAwayMs: 5_000 } });
      await online('a', { capacity: 2 });
      expect(await n1.nextDeadline()).toBe(h.now() + 5_000);
      await h.advance(3_000);
      // Input on a console (through another node) restarts the countdown.
      await run({ type: 'activity', operatorId: 'a' }, n2);
      await h.advance(4_000);
      expect(await n1.operator('a')).toMatchObject({ status: 'online', autoAway: false });
      const away = await h.advance(1_000);
      expect(of(away, 'operator')).toEqual([
        expect.objectContaining({ operatorId: 'a', status: 'away', chosen: 'away', reason: 'auto_away' }),
      ]);
      expect(await n1.operator('a')).toMatchObject({ autoAway: true, awayAt: null });
      // The store keeps the operator's choice (online): re-sending it with the account (an admin edit, a
      // node starting) does not end an automatic away, on any node.
      await run({ type: 'operator_upsert', operator: def('a', { capacity: 2 }) }, n2);
      expect(await n1.operator('a')).toMatchObject({ status: 'away', chosen: 'away', autoAway: true });
      // Away: no new chats.
      expect(of(await enqueue('w1', 10), 'assigned')).toEqual([]);
      const back = await run({ type: 'activity', operatorId: 'a' });
      expect(of(back, 'assigned')).toEqual([
        expect.objectContaining({ conversationId: 'w1', operatorId: 'a' }),
      ]);
      expect(of(back, 'operator')).toEqual([
        expect.objectContaining({ operatorId: 'a', status: 'online', chosen: 'online', reason: 'activity' }),
      ]);
      // An away the operator chose is theirs: activity does not undo it, and no countdown runs.
      await run({ type: 'status', operatorId: 'a', chosen: 'away' });
      expect(of(await run({ type: 'activity', operatorId: 'a' }), 'operator')).toEqual([]);
      expect(await n1.operator('a')).toMatchObject({ chosen: 'away', awayAt: null });
      // The last console closing stops the countdown too (grace decides what happens next).
      await run({ type: 'status', operatorId: 'a', chosen: 'online' });
      expect((await n1.operator('a'))!.awayAt).toBe(h.now() + 5_000);
      await run({ type: 'session_close', operatorId: 'a', socketId: 'sock-a' });
      expect((await n1.operator('a'))!.awayAt).toBeNull();
    });

    it('ring timeout and grace expiry requeue at the original positions', async () => {
      const { h, n1, run, online, enqueue, queue } = await setup();
      await run({ type: 'scope_settings', scope: 's', settings: { ringTimeoutMs: 1_000 } });
      await enqueue('w1', 10);
      await online('a', { capacity: 2 });
      await enqueue('w3', 30);
      await enqueue('w2', 20);
      expect(await queue()).toEqual(['w2']);
      await run({ type: 'answered', conversationId: 'w3' });
      expect(await n1.nextDeadline()).toBe(h.now() + 1_000); // w1 rings; w3 was answered
      const rung = await h.advance(1_000);
      expect(of(rung, 'requeued')).toEqual([
        expect.objectContaining({ conversationId: 'w1', reason: 'ring_timeout' }),
      ]);
      expect(await queue()).toEqual(['w1', 'w2']);
      expect(await n1.operator('a')).toMatchObject({ chosen: 'away', status: 'away', load: 1 });
      // Away with a chat held: the grace period runs; past it, the answered chat goes back too.
      const expired = await h.advance(CONTRACT_GRACE_MS);
      expect(of(expired, 'requeued')).toEqual([
        expect.objectContaining({ conversationId: 'w3', reason: 'grace_expired', enqueuedAt: 30 }),
      ]);
      expect(await queue()).toEqual(['w1', 'w2', 'w3']);
      expect(await n1.operator('a')).toMatchObject({ load: 0, graceUntil: null });
      expect(await n1.nextDeadline()).toBeNull();
    });

    it('a disconnect keeps the chats through grace; a reconnect in time keeps them for good', async () => {
      const { h, n1, n2, run, online, enqueue } = await setup();
      await online('a', { capacity: 2 });
      await enqueue('c1', 1);
      const closed = await run({ type: 'session_close', operatorId: 'a', socketId: 'sock-a' });
      expect(of(closed, 'availability')).toEqual([]);
      expect(await n1.operator('a')).toMatchObject({ status: 'online', connections: 0, load: 1 });
      await h.advance(CONTRACT_GRACE_MS - 1);
      await run({ type: 'session_open', operatorId: 'a', socketId: 'elsewhere' }, n2);
      expect(await h.advance(CONTRACT_GRACE_MS * 2)).toEqual([]);
      expect(await n1.chat('c1')).toMatchObject({ status: 'active', operatorId: 'a' });
      await run({ type: 'session_close', operatorId: 'a', socketId: 'elsewhere' }, n2);
      const gone = await h.advance(CONTRACT_GRACE_MS);
      expect(of(gone, 'requeued').map((e) => e.conversationId)).toEqual(['c1']);
      expect(of(gone, 'availability')).toEqual([{ type: 'availability', scope: 's', online: false }]);
      expect(await n1.operator('a')).toMatchObject({ status: 'offline', load: 0 });
    });

    it('deactivation requeues every chat at once', async () => {
      const { n1, run, online, enqueue, queue } = await setup();
      await online('a', { capacity: 3 });
      await enqueue('c2', 2);
      await enqueue('c1', 1);
      const fx = await run({ type: 'operator_upsert', operator: def('a', { capacity: 3, active: false }) });
      expect(of(fx, 'requeued').map((e) => [e.conversationId, e.reason])).toEqual([
        ['c1', 'deactivated'],
        ['c2', 'deactivated'],
      ]);
      expect(of(fx, 'availability')).toEqual([{ type: 'availability', scope: 's', online: false }]);
      expect(await queue()).toEqual(['c1', 'c2']);
      expect(await n1.operator('a')).toMatchObject({ status: 'offline', load: 0, active: false });
    });

    it('confirm and unclaim are fenced by rev', async () => {
      const { n1, run, online, enqueue, queue } = await setup();
      await online('a', { capacity: 1 });
      const [claim] = of(await enqueue('c1', 1), 'assigned');
      expect(claim!.rev).toBeGreaterThan(0);
      await enqueue('c2', 2);
      expect(await run({ type: 'unclaim', conversationId: 'c1', rev: claim!.rev - 1 })).toEqual([]);
      const undone = await run({ type: 'unclaim', conversationId: 'c1', rev: claim!.rev });
      // Back at its original position: the same operator takes it again, with a newer rev.
      const [again] = of(undone, 'assigned');
      expect(again).toMatchObject({ conversationId: 'c1', operatorId: 'a' });
      expect(again!.rev).toBeGreaterThan(claim!.rev);
      expect(await queue()).toEqual(['c2']);
      await run({ type: 'confirm', conversationId: 'c1', rev: claim!.rev });
      expect((await n1.chat('c1'))!.pending).toBe(true);
      await run({ type: 'confirm', conversationId: 'c1', rev: again!.rev });
      expect((await n1.chat('c1'))!.pending).toBe(false);
      expect(await run({ type: 'unclaim', conversationId: 'c1', rev: again!.rev })).toEqual([]);
    });

    it('availability flips only when the first operator comes online or the last one leaves', async () => {
      const { run, online } = await setup();
      expect(of(await online('a'), 'availability')).toEqual([
        { type: 'availability', scope: 's', online: true },
      ]);
      expect(of(await online('b'), 'availability')).toEqual([]);
      expect(of(await run({ type: 'status', operatorId: 'a', chosen: 'away' }), 'availability')).toEqual([]);
      const last = await run({ type: 'status', operatorId: 'b', chosen: 'offline' });
      expect(of(last, 'availability')).toEqual([{ type: 'availability', scope: 's', online: false }]);
      expect(of(last, 'queue_changed')).toEqual([{ type: 'queue_changed', scope: 's' }]);
    });

    it('a rebuild from the snapshot gives identical queues and loads', async () => {
      const { h, n1, run, online, enqueue } = await setup();
      await run({ type: 'scope_settings', scope: 't', settings: { ringTimeoutMs: 0 } });
      await online('a', { capacity: 2, scopes: ['s', 't'] });
      await online('b', { capacity: 1 });
      for (let i = 0; i < 8; i++) await enqueue(`c${i}`, 100 - i, i % 2 ? 's' : 't');
      const ops = await n1.operators();
      const chats = [];
      for (let i = 0; i < 8; i++) chats.push((await n1.chat(`c${i}`))!);
      const snapshot: RoutingSnapshot = {
        // b starts offline (a restarted single node does this): it keeps its chat for the grace period anyway.
        operators: ops.map(({ id, scopes, capacity, chosen, active }) => ({
          id,
          scopes,
          capacity,
          chosen,
          active,
          ...(id === 'b' ? { status: 'offline' as const } : {}),
        })),
        chats: chats.map(({ conversationId, scope, status, operatorId, enqueuedAt, rev }) => ({
          conversationId,
          scope,
          status,
          operatorId,
          enqueuedAt,
          rev,
        })),
        settings: { s: { ringTimeoutMs: 0 }, t: { ringTimeoutMs: 0 } },
      };
      const other = await h.fresh();
      expect(await other.rebuild(snapshot, CONTRACT_GRACE_MS)).toBe(true);
      expect(await other.isComplete()).toBe(true);
      for (const s of ['s', 't']) expect(await other.queue(s)).toEqual(await n1.queue(s));
      const rebuilt = await other.operators();
      expect(rebuilt.map((o) => [o.id, o.load, o.status, o.graceUntil])).toEqual(
        ops.map((o) => [o.id, o.load, o.id === 'b' ? 'offline' : o.status, h.now() + CONTRACT_GRACE_MS]),
      );
      // a's session comes back within grace and keeps the chats; b's does not, and b's chat goes back.
      await other.dispatch({ type: 'session_open', operatorId: 'a', socketId: 'again' });
      await h.advance(CONTRACT_GRACE_MS);
      const fx = await other.dispatch({ type: 'tick' });
      const lost = chats.filter((c) => c.operatorId === 'b').map((c) => c.conversationId);
      expect(lost).toHaveLength(1);
      expect(of(fx, 'requeued').map((e) => e.conversationId)).toEqual(lost);
      expect((await other.operator('a'))!.load).toBe(2);
      expect((await other.operator('b'))!).toMatchObject({ status: 'offline', load: 0 });
      await other.close();
    });

    it('two nodes racing: 40 enqueues and status changes from both → 4 assigned, nobody over capacity', async () => {
      const { n1, n2, run, online } = await setup();
      await online('a', { capacity: 2, chosen: 'away' }, n1);
      await online('b', { capacity: 2, chosen: 'away' }, n2);
      const tasks: Promise<RoutingEffect[]>[] = [];
      for (let i = 0; i < 40; i++) {
        const node = i % 2 ? n1 : n2;
        tasks.push(
          run({ type: 'enqueue', conversationId: `v${i}`, scope: 's', enqueuedAt: 1_000 + i }, node),
        );
        if (i === 5) tasks.push(run({ type: 'status', operatorId: 'a', chosen: 'online' }, n2));
        if (i === 17) tasks.push(run({ type: 'status', operatorId: 'b', chosen: 'online' }, n1));
        if (i === 23) tasks.push(run({ type: 'status', operatorId: 'a', chosen: 'online' }, n1));
      }
      const effects = (await Promise.all(tasks)).flat();
      const assigned = of(effects, 'assigned');
      expect(assigned).toHaveLength(4);
      expect(new Set(assigned.map((e) => e.conversationId)).size).toBe(4);
      expect(new Set(assigned.map((e) => e.rev)).size).toBe(4);
      const ops = await n1.operators();
      expect(ops.map((o) => o.load)).toEqual([2, 2]);
      expect((await n2.queue('s')).length).toBe(36);
    });

    it('a node leaving cleanly closes its sessions into grace and hands back its unconfirmed claims', async () => {
      const { h, n1, n2, run, online, enqueue } = await setup();
      await online('a', { capacity: 2 }, n1);
      await run({ type: 'session_open', operatorId: 'a', socketId: 'a-on-n2' }, n2);
      await online('b', { capacity: 1 }, n2);
      await enqueue('c1', 1, 's', n2); // a (2 free) — claimed by n2
      await enqueue('c2', 2, 's', n1); // a or b (1 free each; b idle longer? same instant: id a) — by n1
      const claimed = of(await enqueue('c3', 3, 's', n2), 'assigned');
      expect(claimed.map((e) => e.operatorId)).toEqual(['b']);
      const c3 = (await n2.chat('c3'))!;
      await run({ type: 'confirm', conversationId: 'c3', rev: c3.rev }, n2);
      const fx = await n2.leave();
      expect(of(fx, 'orphaned_claim')).toEqual([
        { type: 'orphaned_claim', conversationId: 'c1', operatorId: 'a', rev: (await n1.chat('c1'))!.rev },
      ]);
      expect(of(fx, 'requeued')).toEqual([]);
      expect(await n1.operator('a')).toMatchObject({ connections: 1, graceUntil: null });
      expect(await n1.operator('b')).toMatchObject({ connections: 0, status: 'online', load: 1 });
      expect((await n1.operator('b'))!.graceUntil).toBe(h.now() + CONTRACT_GRACE_MS);
    });

    it('node liveness: an expired node is reaped once, its claims orphaned, its operators in grace', async () => {
      const { h, n1, n2, online, enqueue } = await setup();
      if (!h.leases) {
        // A single process has no leases: heartbeat is always true and sweep finds nobody.
        expect(await n1.heartbeat()).toBe(true);
        expect(await n1.sweep()).toEqual([]);
        return;
      }
      await n1.heartbeat();
      await n2.heartbeat();
      const n2LeaseEnd = h.now() + CONTRACT_LEASE_MS;
      await online('a', { capacity: 2 }, n2);
      await enqueue('c1', 1, 's', n2);
      await h.advance(CONTRACT_LEASE_MS - 1_000, { heartbeat: [n1] });
      expect(await n1.heartbeat()).toBe(true);
      await h.advance(1_500, { heartbeat: [n1] }); // n2 is paused: its lease expires
      expect(
        await refusal(n2.dispatch({ type: 'enqueue', conversationId: 'x', scope: 's', enqueuedAt: 5 })),
      ).toBe('lease_lost');
      const [first, second] = await Promise.all([n1.sweep(), n1.sweep()]);
      const reaped = [...first, ...second];
      expect(of(reaped, 'orphaned_claim')).toEqual([
        { type: 'orphaned_claim', conversationId: 'c1', operatorId: 'a', rev: 1 },
      ]);
      expect(await n1.operator('a')).toMatchObject({ connections: 0, status: 'online', load: 1 });
      // The grace runs from the moment n2 was presumed dead (its lease expiry), not from the sweep: a
      // cluster that was down as a whole does not count its downtime as the operators' grace.
      expect((await n1.operator('a'))!.graceUntil).toBe(n2LeaseEnd + CONTRACT_GRACE_MS);
      // The paused node finds out and rejoins; it re-announces the console it still holds, in time.
      expect(await n2.heartbeat()).toBe(false);
      expect(await n2.heartbeat()).toBe(true);
      await n2.dispatch({ type: 'session_open', operatorId: 'a', socketId: 'sock-a' });
      expect((await n1.operator('a'))!).toMatchObject({ connections: 1, graceUntil: null, load: 1 });
    });
  });
}
