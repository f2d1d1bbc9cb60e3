import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseOperator, type OperatorLoad } from '../core/routing.js';
import { type DecideEvent, decide } from './decide.js';
import { type RoutingEffect, RoutingRefused } from './port.js';
import { createState, type RoutingState } from './state.js';
import { runArb } from './test-arbitraries.js';

/**
 * Properties of `decide` over random histories (test-arbitraries.ts): routing never puts an operator over
 * capacity or a chat in two places, queues keep exact positions and are always drained, a refusal changes
 * nothing, and a new waiter goes where core/routing's chooseOperator says.
 */

const of = <T extends RoutingEffect['type']>(effects: RoutingEffect[], type: T) =>
  effects.filter((e): e is Extract<RoutingEffect, { type: T }> => e.type === type);

/** core/routing's choice for a new waiter of the scope, when its queue is empty (undefined: not comparable). */
function coreChoice(s: RoutingState, scope: string): string | null | undefined {
  if ((s.scopes.get(scope)?.queue.length ?? 0) > 0) return undefined;
  const loads: OperatorLoad[] = [...s.operators.values()].map((o) => ({
    id: o.id,
    status: o.active && o.connections > 0 ? o.chosen : 'offline',
    capacity: o.capacity,
    active: o.load,
    idleSince: o.idleSince,
    siteIds: o.scopes,
  }));
  return chooseOperator(loads, scope)?.id ?? null;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`invariant broken: ${what}`);
}

/** Plain checks (not expect) so that thousands of states per run stay fast. */
export function checkInvariants(s: RoutingState): void {
  const held = new Map<string, number>();
  for (const chat of s.chats.values()) {
    const inQueue =
      s.scopes.get(chat.scope)?.queue.some((q) => q.conversationId === chat.conversationId) ?? false;
    if (chat.status === 'queued') {
      check(inQueue && chat.operatorId === null, `${chat.conversationId} queued and in its queue`);
    } else {
      check(!inQueue, `${chat.conversationId} active and not queued`);
      held.set(chat.operatorId!, (held.get(chat.operatorId!) ?? 0) + 1);
    }
  }
  for (const [scope, rec] of s.scopes) {
    // Exact positions: the queue is sorted, holds each chat once, and only this scope's queued chats.
    const ids = rec.queue.map((q) => q.conversationId);
    check(new Set(ids).size === ids.length, `${scope} queue without duplicates`);
    for (let i = 1; i < rec.queue.length; i++) {
      const [p, q] = [rec.queue[i - 1]!, rec.queue[i]!];
      check(
        p.enqueuedAt < q.enqueuedAt || (p.enqueuedAt === q.enqueuedAt && p.conversationId < q.conversationId),
        `${scope} queue in (enqueuedAt, id) order`,
      );
    }
    for (const q of rec.queue) {
      const c = s.chats.get(q.conversationId);
      check(
        c?.status === 'queued' && c.scope === scope && c.enqueuedAt === q.enqueuedAt,
        `${q.conversationId} entry`,
      );
    }
    // Drained: nobody who could take a chat of this scope has a free slot while someone waits.
    if (rec.queue.length > 0) {
      for (const op of s.operators.values()) {
        const routable =
          op.active && op.connections > 0 && op.chosen === 'online' && op.scopes.includes(scope);
        check(!(routable && op.load < op.capacity), `${scope} drained (${op.id} is free)`);
      }
    }
  }
  for (const op of s.operators.values()) {
    check(op.load === (held.get(op.id) ?? 0), `${op.id} load equals the chats it holds`);
    check(op.active || op.load === 0, `${op.id} inactive holds nothing`);
  }
}

describe('properties', () => {
  it('capacity is never exceeded by routing, no chat is assigned twice, queues stay exact and drained', () => {
    fc.assert(
      fc.property(runArb, ([defs, steps]) => {
        const state = createState();
        let t = 0;
        const run = (event: DecideEvent) => decide(state, event, t, { nodeId: 'n1', graceMs: 1000 }).effects;
        for (const operator of defs) run({ type: 'operator_upsert', operator });
        for (const { dt, event } of steps) {
          t += dt;
          const loadsBefore = new Map([...state.operators].map(([id, o]) => [id, o.load]));
          const expected =
            event.type === 'enqueue' && !state.chats.has(event.conversationId)
              ? coreChoice(state, event.scope)
              : undefined;
          let fx: RoutingEffect[] = [];
          const refusable = event.type === 'pick' || event.type === 'transfer' || event.type === 'move';
          const before = refusable ? structuredClone(state) : null;
          try {
            fx = run(event);
          } catch (e) {
            if (!(e instanceof RoutingRefused)) throw e;
            expect(state).toEqual(before); // a refusal changes nothing (only picks, transfers and moves refuse here)
          }
          const assigned = of(fx, 'assigned').map((e) => e.conversationId);
          check(new Set(assigned).size === assigned.length, 'no chat assigned twice in one event');
          if (expected !== undefined) {
            // A new waiter joining an empty queue goes where core/routing's chooseOperator says.
            const got = of(fx, 'assigned')[0]?.operatorId ?? null;
            check(got === expected, `core/routing chose ${expected}, decide chose ${got}`);
          }
          for (const op of state.operators.values()) {
            // A lowered capacity never evicts, but routing never adds a chat above it.
            check(op.load <= Math.max(op.capacity, loadsBefore.get(op.id) ?? 0), `${op.id} within capacity`);
          }
          checkInvariants(state);
        }
      }),
      { numRuns: 200 },
    );
  }, 30_000);

  it('two nodes: a node going down takes exactly its own sessions and hands back exactly its claims', () => {
    const nodeEvent = fc.record({
      node: fc.constantFrom('n1', 'n2'),
      down: fc.integer({ min: 0, max: 9 }), // 1 in 10 steps: the node goes down before its event
    });
    fc.assert(
      fc.property(runArb, fc.array(nodeEvent, { minLength: 60, maxLength: 60 }), ([defs, steps], nodes) => {
        const state = createState();
        let t = 0;
        const run = (event: DecideEvent, nodeId: string) =>
          decide(state, event, t, { nodeId, graceMs: 1000 }).effects;
        for (const operator of defs) run({ type: 'operator_upsert', operator }, 'n1');
        steps.forEach(({ dt, event }, i) => {
          t += dt;
          const { node, down } = nodes[i]!;
          if (down === 0) {
            const claims = [...state.chats.values()]
              .filter((c) => c.pending && c.pendingNode === node)
              .map((c) => c.conversationId)
              .sort();
            const others = [...state.sockets].filter(([, s]) => s.nodeId !== node).map(([id]) => id);
            const fx = run({ type: 'node_down', nodeId: node }, node === 'n1' ? 'n2' : 'n1');
            check(
              JSON.stringify(of(fx, 'orphaned_claim').map((e) => e.conversationId)) ===
                JSON.stringify(claims),
              'orphaned claims are exactly the node`s pending ones',
            );
            check(
              JSON.stringify([...state.sockets.keys()]) === JSON.stringify(others),
              'only its sockets closed',
            );
            for (const op of state.operators.values()) {
              const open = [...state.sockets.values()].filter((s) => s.operatorId === op.id).length;
              check(op.connections === open, `${op.id} connections match the open sockets`);
            }
          }
          try {
            run(event, node);
          } catch (e) {
            if (!(e instanceof RoutingRefused)) throw e;
          }
          checkInvariants(state);
        });
      }),
      { numRuns: 100 },
    );
  }, 30_000);
});
