import type { OperatorStatus } from '@beseda/shared';
import type { OperatorState, RoutingEffect, Scope } from './port.js';
import { type RoutingState, scopeOf } from './state.js';

/**
 * What one `decide` call changed, turned into effects at the end: operators and scopes are "touched"
 * (their before-values remembered) before any change, and `finish` compares before and after. The order
 * of the effects is fixed (decisions, then operators by id, then scopes by name) so that the Lua scripts
 * produce exactly the same list (lua/common.lua `finish`).
 */

export interface DecideOptions {
  /** The node making the decision (recorded on its claims and sessions). */
  nodeId: string;
  graceMs: number;
}

interface OpBefore {
  status: OperatorStatus;
  chosen: OperatorStatus;
  load: number;
  capacity: number;
  reason: string;
  /** Set by a grace expiry: when that grace began. */
  since?: number;
}

export interface Ctx {
  state: RoutingState;
  now: number;
  opts: DecideOptions;
  effects: RoutingEffect[];
  ops: Map<string, OpBefore>;
  scopes: Map<Scope, { changed: boolean; online: boolean; capacity: number }>;
  /** Scopes whose queue got a waiter or whose operators got a free slot: the drain looks at these. */
  drain: Set<Scope>;
}

export function touchScope(ctx: Ctx, scope: Scope): { changed: boolean } {
  let t = ctx.scopes.get(scope);
  if (!t) {
    const rec = scopeOf(ctx.state, scope);
    t = { changed: false, online: rec.online > 0, capacity: rec.capacity };
    ctx.scopes.set(scope, t);
  }
  return t;
}

/** Call before changing an operator: remembers what it was, for the `operator` effect. */
export function touchOp(ctx: Ctx, op: OperatorState, reason: string): void {
  if (!ctx.ops.has(op.id)) {
    ctx.ops.set(op.id, {
      status: op.status,
      chosen: op.chosen,
      load: op.load,
      capacity: op.capacity,
      reason,
    });
  }
  for (const s of op.scopes) touchScope(ctx, s);
}

export function createCtx(state: RoutingState, now: number, opts: DecideOptions): Ctx {
  return { state, now, opts, effects: [], ops: new Map(), scopes: new Map(), drain: new Set() };
}

export function finish(ctx: Ctx): void {
  const { state, effects } = ctx;
  for (const id of [...ctx.ops.keys()].sort()) {
    const before = ctx.ops.get(id)!;
    const op = state.operators.get(id)!;
    if (
      before.status === op.status &&
      before.chosen === op.chosen &&
      before.load === op.load &&
      before.capacity === op.capacity
    ) {
      continue;
    }
    effects.push({
      type: 'operator',
      operatorId: id,
      status: op.status,
      previousStatus: before.status,
      chosen: op.chosen,
      load: op.load,
      capacity: op.capacity,
      reason: before.reason,
      ...(before.since !== undefined ? { since: before.since } : {}),
    });
  }
  const scopes = [...ctx.scopes.keys()].sort();
  for (const s of scopes) {
    const t = ctx.scopes.get(s)!;
    if (t.changed || t.capacity !== scopeOf(state, s).capacity)
      effects.push({ type: 'queue_changed', scope: s });
  }
  for (const s of scopes) {
    const online = scopeOf(state, s).online > 0;
    if (online !== ctx.scopes.get(s)!.online) effects.push({ type: 'availability', scope: s, online });
  }
}
