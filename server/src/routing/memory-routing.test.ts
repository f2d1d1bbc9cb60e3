import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { CONTRACT_GRACE_MS, routingContract } from './contract.js';
import { MemoryRouting, MemoryRoutingStore } from './memory-routing.js';
import type { OperatorDef, RoutingEffect } from './port.js';

// Two node views of one store; the first owns the timers, so advancing the fake clock fires deadlines.
routingContract('MemoryRouting', async () => {
  const clock = new FakeClock(1_000_000);
  const store = new MemoryRoutingStore();
  let fired: RoutingEffect[] = [];
  const opts = { graceMs: CONTRACT_GRACE_MS, clock, store };
  const n1 = new MemoryRouting({ ...opts, nodeId: 'n1', onTimerEffects: (fx) => fired.push(...fx) });
  const n2 = new MemoryRouting({ ...opts, nodeId: 'n2' });
  return {
    nodes: [n1, n2],
    now: () => clock.now(),
    leases: false,
    async advance(ms) {
      clock.advance(ms);
      const out = [...fired, ...(await n1.dispatch({ type: 'tick' }))];
      fired = [];
      return out;
    },
    fresh: async () => new MemoryRouting({ nodeId: 'n3', graceMs: CONTRACT_GRACE_MS, clock }),
    async close() {
      await n1.close();
      await n2.close();
    },
  };
});

const GRACE = 1000;

const def = (id: string, p: Partial<OperatorDef> = {}): OperatorDef => ({
  id,
  scopes: ['s'],
  capacity: 1,
  chosen: 'online',
  active: true,
  ...p,
});

function setup() {
  const clock = new FakeClock(1_000);
  const fired: RoutingEffect[][] = [];
  const r = new MemoryRouting({
    nodeId: 'n1',
    graceMs: GRACE,
    clock,
    onTimerEffects: (fx) => fired.push(fx),
  });
  return { clock, fired, r };
}

describe('MemoryRouting deadlines on the injected clock', () => {
  it('a ring timeout fires when the fake clock passes it, with one timer armed at a time', async () => {
    const { clock, fired, r } = setup();
    await r.dispatch({ type: 'scope_settings', scope: 's', settings: { ringTimeoutMs: 500 } });
    await r.dispatch({ type: 'operator_upsert', operator: def('a', { capacity: 2 }) });
    await r.dispatch({ type: 'session_open', operatorId: 'a', socketId: 'k' });
    await r.dispatch({ type: 'enqueue', conversationId: 'c1', scope: 's', enqueuedAt: 1_000 });
    clock.advance(100);
    await r.dispatch({ type: 'enqueue', conversationId: 'c2', scope: 's', enqueuedAt: 1_100 });
    expect(clock.pending()).toBe(1);
    expect(await r.nextDeadline()).toBe(1_500);
    clock.advance(399);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toHaveLength(1);
    expect(fired[0]!.filter((e) => e.type === 'requeued')).toEqual([
      expect.objectContaining({ conversationId: 'c1', reason: 'ring_timeout', enqueuedAt: 1_000 }),
    ]);
    // c2 still rings (its own deadline), and a is away with c2 kept for the grace period.
    expect((await r.operator('a'))!).toMatchObject({ chosen: 'away', load: 1, graceUntil: 1_500 + GRACE });
    expect(await r.nextDeadline()).toBe(1_600);
    clock.advance(100);
    expect(fired[1]!.filter((e) => e.type === 'requeued').map((e) => e.conversationId)).toEqual(['c2']);
    expect((await r.queue('s')).map((q) => q.conversationId)).toEqual(['c1', 'c2']);
    // a's grace (now holding nothing) still ends; it changes nothing for a connected, away operator.
    expect(await r.nextDeadline()).toBe(1_500 + GRACE);
    clock.advance(GRACE);
    expect(fired).toHaveLength(2);
    expect((await r.operator('a'))!).toMatchObject({ status: 'away', graceUntil: null });
    expect(clock.pending()).toBe(0);
  });

  it('grace expiry after the last console closes requeues at the original positions', async () => {
    const { clock, fired, r } = setup();
    await r.dispatch({ type: 'operator_upsert', operator: def('a', { capacity: 2 }) });
    await r.dispatch({ type: 'enqueue', conversationId: 'c1', scope: 's', enqueuedAt: 10 });
    await r.dispatch({ type: 'enqueue', conversationId: 'c3', scope: 's', enqueuedAt: 30 });
    await r.dispatch({ type: 'session_open', operatorId: 'a', socketId: 'k' });
    await r.dispatch({ type: 'enqueue', conversationId: 'c2', scope: 's', enqueuedAt: 20 });
    expect((await r.queue('s')).map((q) => q.conversationId)).toEqual(['c2']);
    await r.dispatch({ type: 'session_close', operatorId: 'a', socketId: 'k' });
    clock.advance(GRACE - 1);
    expect((await r.operator('a'))!.status).toBe('online');
    clock.advance(1);
    expect(fired).toHaveLength(1);
    expect((await r.queue('s')).map((q) => q.conversationId)).toEqual(['c1', 'c2', 'c3']);
    expect((await r.operator('a'))!).toMatchObject({ status: 'offline', load: 0, graceUntil: null });
  });

  it('reconnecting within grace cancels the deadline', async () => {
    const { clock, fired, r } = setup();
    await r.dispatch({ type: 'operator_upsert', operator: def('a') });
    await r.dispatch({ type: 'session_open', operatorId: 'a', socketId: 'k1' });
    await r.dispatch({ type: 'enqueue', conversationId: 'c1', scope: 's', enqueuedAt: 0 });
    await r.dispatch({ type: 'session_close', operatorId: 'a', socketId: 'k1' });
    clock.advance(GRACE / 2);
    await r.dispatch({ type: 'session_open', operatorId: 'a', socketId: 'k2' });
    clock.advance(GRACE * 2);
    expect(fired).toEqual([]);
    expect((await r.chat('c1'))!).toMatchObject({ status: 'active', operatorId: 'a' });
    expect(clock.pending()).toBe(0);
  });

  it('without a listener the shell drives deadlines through nextDeadline and tick', async () => {
    const clock = new FakeClock(0);
    const r = new MemoryRouting({ nodeId: 'n1', graceMs: GRACE, clock });
    await r.dispatch({ type: 'operator_upsert', operator: def('a') });
    await r.dispatch({ type: 'session_open', operatorId: 'a', socketId: 'k1' });
    await r.dispatch({ type: 'enqueue', conversationId: 'c1', scope: 's', enqueuedAt: 0 });
    await r.dispatch({ type: 'session_close', operatorId: 'a', socketId: 'k1' });
    expect(clock.pending()).toBe(0);
    expect(await r.nextDeadline()).toBe(GRACE);
    clock.advance(GRACE);
    const fx = await r.dispatch({ type: 'tick' });
    expect(fx.filter((e) => e.type === 'requeued').map((e) => e.conversationId)).toEqual(['c1']);
  });

  it('leave closes this node`s sessions into grace; close cancels the timer', async () => {
    const store = new MemoryRoutingStore();
    const clock = new FakeClock(0);
    const n1 = new MemoryRouting({ nodeId: 'n1', graceMs: GRACE, clock, store, onTimerEffects: () => {} });
    const n2 = new MemoryRouting({ nodeId: 'n2', graceMs: GRACE, clock, store });
    await n1.dispatch({ type: 'operator_upsert', operator: def('a') });
    await n1.dispatch({ type: 'session_open', operatorId: 'a', socketId: 'on-n1' });
    await n2.dispatch({ type: 'session_open', operatorId: 'a', socketId: 'on-n2' });
    await n2.dispatch({ type: 'enqueue', conversationId: 'c1', scope: 's', enqueuedAt: 0 });
    const fx = await n2.leave();
    expect(fx).toEqual([{ type: 'orphaned_claim', conversationId: 'c1', operatorId: 'a', rev: 1 }]);
    expect((await n1.operator('a'))!).toMatchObject({ connections: 1, graceUntil: null });
    await n1.leave();
    expect((await n1.operator('a'))!).toMatchObject({ connections: 0, graceUntil: GRACE, status: 'online' });
    expect(clock.pending()).toBe(1);
    await n1.close();
    expect(clock.pending()).toBe(0);
    expect(await n1.heartbeat()).toBe(true);
    expect(await n1.sweep()).toEqual([]);
    expect(await n1.isComplete()).toBe(true);
  });
});
