import fc from 'fast-check';
import type { OperatorDef, RoutingEvent } from './port.js';

/**
 * Random routing histories for the property and parity tests: three operators, eight conversations, two
 * scopes, so that collisions (full operators, repeated ids, refusals, deadlines) are frequent.
 */

export const OPS = ['a', 'b', 'c'];
export const CHATS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'];
export const SCOPES = ['s', 't'];

const defArb = (id: string): fc.Arbitrary<OperatorDef> =>
  fc.record({
    id: fc.constant(id),
    scopes: fc.constantFrom(['s'], ['t'], ['s', 't']).map((s) => [...s]),
    capacity: fc.integer({ min: 0, max: 3 }),
    chosen: fc.constantFrom('online' as const, 'online' as const, 'away' as const, 'offline' as const),
    active: fc.constantFrom(true, true, true, false),
  });

export const eventArb: fc.Arbitrary<{ dt: number; event: RoutingEvent }> = fc.record({
  dt: fc.integer({ min: 0, max: 700 }),
  // Weighted towards connected, online operators so that transfers and picks meet free and full slots.
  event: fc.oneof(
    fc.record({
      type: fc.constant('operator_upsert' as const),
      operator: fc.constantFrom(...OPS).chain(defArb),
    }),
    {
      weight: 3,
      arbitrary: fc.record({
        type: fc.constant('session_open' as const),
        operatorId: fc.constantFrom(...OPS),
        socketId: fc.constantFrom('x1', 'x2', 'x3', 'x4', 'x5', 'x6'),
      }),
    },
    fc.record({
      type: fc.constant('session_close' as const),
      operatorId: fc.constantFrom(...OPS),
      socketId: fc.constantFrom('x1', 'x2', 'x3', 'x4', 'x5', 'x6'),
    }),
    fc.record({
      type: fc.constant('status' as const),
      operatorId: fc.constantFrom(...OPS),
      chosen: fc.constantFrom('online' as const, 'away' as const, 'offline' as const),
      capacity: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    }),
    {
      weight: 3,
      arbitrary: fc.record({
        type: fc.constant('enqueue' as const),
        conversationId: fc.constantFrom(...CHATS),
        scope: fc.constantFrom(...SCOPES),
        enqueuedAt: fc.integer({ min: 0, max: 50 }),
      }),
    },
    fc.record({ type: fc.constant('leave' as const), conversationId: fc.constantFrom(...CHATS) }),
    fc.record({
      type: fc.constant('pick' as const),
      conversationId: fc.constantFrom(...CHATS),
      operatorId: fc.constantFrom(...OPS),
    }),
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.constant('transfer' as const),
        conversationId: fc.constantFrom(...CHATS),
        toOperatorId: fc.constantFrom(...OPS),
      }),
    },
    fc.record({
      type: fc.constant('move' as const),
      conversationId: fc.constantFrom(...CHATS),
      scope: fc.constantFrom(...SCOPES),
    }),
    fc.record({ type: fc.constant('answered' as const), conversationId: fc.constantFrom(...CHATS) }),
    fc.record({
      type: fc.constant('confirm' as const),
      conversationId: fc.constantFrom(...CHATS),
      rev: fc.integer({ min: 0, max: 12 }),
    }),
    fc.record({
      type: fc.constant('unclaim' as const),
      conversationId: fc.constantFrom(...CHATS),
      rev: fc.integer({ min: 0, max: 12 }),
    }),
    fc.record({
      type: fc.constant('scope_settings' as const),
      scope: fc.constantFrom(...SCOPES),
      settings: fc.record({
        ringTimeoutMs: fc.constantFrom(0, 0, 400),
        autoAwayMs: fc.constantFrom(0, 0, 300, 900),
      }),
    }),
    {
      weight: 2,
      arbitrary: fc.record({ type: fc.constant('activity' as const), operatorId: fc.constantFrom(...OPS) }),
    },
    fc.constant({ type: 'tick' as const }),
  ),
});

/** A run: the three operators exist from the start (random settings), then 20–60 random events. */
export const runArb = fc.tuple(
  fc.tuple(...OPS.map(defArb)),
  fc.array(eventArb, { minLength: 20, maxLength: 60 }),
);
