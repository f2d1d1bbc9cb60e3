import type { OperatorStatus } from '@beseda/shared';
import type { Ctx } from './effects.js';
import { type OperatorState, RoutingRefused } from './port.js';
import {
  type ChatRecord,
  type RoutingState,
  refreshOperator,
  scopeOf,
  setTimer,
  takesChats,
} from './state.js';

// The small state changes every decision is built from (decide.ts composes them). Each keeps the
// derived indexes and timers consistent; none of them emits effects by itself.

export function operatorOf(state: RoutingState, id: string): OperatorState {
  const op = state.operators.get(id);
  if (!op) throw new RoutingRefused('unknown_operator', `unknown operator ${id}`);
  return op;
}

export function setGrace(ctx: Ctx, op: OperatorState, at: number | null): void {
  op.graceUntil = at;
  setTimer(ctx.state, `g:${op.id}`, at);
}

/** The shortest auto-away period among the operator's scopes (0: off everywhere). */
export function autoAwayMsOf(state: RoutingState, op: OperatorState): number {
  let ms = 0;
  for (const s of op.scopes) {
    const v = scopeOf(state, s).settings.autoAwayMs ?? 0;
    if (v > 0 && (ms === 0 || v < ms)) ms = v;
  }
  return ms;
}

/** (Re)starts the auto-away countdown from now, or stops it when it does not apply. */
export function armAway(ctx: Ctx, op: OperatorState): void {
  const ms = autoAwayMsOf(ctx.state, op);
  const at = op.active && op.connections > 0 && op.chosen === 'online' && ms > 0 ? ctx.now + ms : null;
  op.awayAt = at;
  setTimer(ctx.state, `a:${op.id}`, at);
}

export function setRing(ctx: Ctx, chat: ChatRecord, at: number | null): void {
  chat.ringUntil = at;
  setTimer(ctx.state, `r:${chat.conversationId}`, at);
}

/** Re-derives status and indexes; a newly free routable operator makes its scopes drain. */
export function refresh(ctx: Ctx, op: OperatorState): void {
  refreshOperator(ctx.state, op, ctx.now);
  if (takesChats(op) && op.load < op.capacity) for (const s of op.scopes) ctx.drain.add(s);
}

export function changeLoad(ctx: Ctx, op: OperatorState, delta: number, chatId: string): void {
  op.load += delta;
  const mine = ctx.state.operatorChats.get(op.id)!;
  if (delta > 0) mine.add(chatId);
  else mine.delete(chatId);
  if (op.load === 0) op.idleSince = ctx.now;
  refresh(ctx, op);
}

/** Applies a chosen-status change (console or admin) with its grace rules. */
export function applyChosen(ctx: Ctx, op: OperatorState, chosen: OperatorStatus): void {
  op.chosen = chosen;
  if (chosen === 'online') {
    // Back online within grace keeps the chats; a disconnected operator stays in their reconnect grace.
    if (op.connections > 0) setGrace(ctx, op, null);
  } else if (op.load > 0 && op.graceUntil === null) {
    setGrace(ctx, op, ctx.now + ctx.opts.graceMs);
  }
}
