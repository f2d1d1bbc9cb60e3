import { applyChosen, armAway, changeLoad, operatorOf, refresh, setGrace, setRing } from './decide-steps.js';
import { type Ctx, createCtx, type DecideOptions, finish, touchOp, touchScope } from './effects.js';
import {
  type OperatorDef,
  type OperatorState,
  type RequeueReason,
  type RoutingEffect,
  type RoutingEvent,
  RoutingRefused,
  type Scope,
} from './port.js';
import {
  bestAvailable,
  type ChatRecord,
  dueTimers,
  queueInsert,
  queueOrder,
  queueRemove,
  type RoutingState,
  scopeOf,
  setTimer,
  takesChats,
} from './state.js';

export type { DecideOptions } from './effects.js';

/**
 * Every routing decision, as one deterministic function: `decide(state, event, now, opts)` applies one
 * event and returns the effects. No I/O and no clock: `now` is passed in, deadlines are data in the state.
 * For speed the state is updated in place (an event costs what it touches, not the size of the state);
 * a refusal throws before anything is changed. The Redis Lua scripts implement exactly these rules
 * (routing/lua), and parity.test.ts keeps the two in agreement.
 *
 * Rules (the tests in decide.test.ts pin each one):
 * - Effective status: see `effectiveStatus` in state.ts. Only a connected, active operator whose chosen
 *   status is online gets chats; an operator in grace keeps the chats they hold but gets no new ones.
 * - Drain (after every event that adds a waiter or frees capacity): strict FIFO per scope — across the
 *   scopes concerned the oldest waiter (enqueuedAt, then id) goes first — to the operator serving its scope
 *   with the most free slots; ties: idle longest, then id. Never over capacity, never a chat twice.
 * - Auto-away: a connected operator who chose online and shows no activity for the shortest `autoAwayMs`
 *   of their scopes is set away (a deadline, `a:<id>`); their next activity makes them online again. A
 *   status they choose themselves, a missed ring or a deactivation is never undone by activity.
 * - Every assignment and requeue takes the next `rev` (the fencing token the store write carries); an
 *   assignment is `pending` (with the deciding node) until `confirm{rev}`; `unclaim{rev}` undoes it.
 * - Effects: `assigned`/`requeued` in decision order, then `operator` (status, chosen, load or capacity
 *   changed; by id), `queue_changed` (membership/order or routable capacity changed; by scope) and
 *   `availability` (anyone online for the scope flipped; by scope).
 */

/** Node-level events the port's methods (sweep, leave) turn into decisions. */
export type DecideEvent =
  | RoutingEvent
  /** `at`: when the node was presumed dead (its lease expiry); absent = now (a node leaving). */
  | { type: 'node_down'; nodeId: string; at?: number };

function assign(
  ctx: Ctx,
  chat: ChatRecord,
  op: OperatorState,
  reason: 'route' | 'pick' | 'transfer',
  previous: OperatorState | null,
): void {
  const { state } = ctx;
  if (chat.status === 'queued') {
    queueRemove(state, chat);
    touchScope(ctx, chat.scope).changed = true;
  }
  if (previous) {
    touchOp(ctx, previous, reason);
    changeLoad(ctx, previous, -1, chat.conversationId);
  }
  touchOp(ctx, op, reason);
  chat.status = 'active';
  chat.operatorId = op.id;
  chat.rev = ++state.rev;
  chat.pending = true;
  chat.pendingNode = ctx.opts.nodeId;
  const ringMs = scopeOf(state, chat.scope).settings.ringTimeoutMs;
  setRing(ctx, chat, reason === 'route' && ringMs > 0 ? ctx.now + ringMs : null);
  changeLoad(ctx, op, 1, chat.conversationId);
  ctx.effects.push({
    type: 'assigned',
    conversationId: chat.conversationId,
    scope: chat.scope,
    operatorId: op.id,
    previousOperatorId: previous?.id ?? null,
    rev: chat.rev,
    enqueuedAt: chat.enqueuedAt,
    reason,
  });
}

/** Back to the queue at its original position (enqueuedAt is kept); the operator's slot is freed. */
function requeue(ctx: Ctx, chat: ChatRecord, reason: RequeueReason | null): void {
  const op = ctx.state.operators.get(chat.operatorId!)!;
  touchOp(ctx, op, reason ?? 'unclaim');
  changeLoad(ctx, op, -1, chat.conversationId);
  setRing(ctx, chat, null);
  chat.status = 'queued';
  chat.operatorId = null;
  chat.pending = false;
  chat.pendingNode = null;
  queueInsert(ctx.state, chat);
  touchScope(ctx, chat.scope).changed = true;
  ctx.drain.add(chat.scope);
  if (reason === null) return; // an unclaim undoes a claim nobody saw: nothing to tell
  chat.rev = ++ctx.state.rev;
  ctx.effects.push({
    type: 'requeued',
    conversationId: chat.conversationId,
    scope: chat.scope,
    operatorId: op.id,
    rev: chat.rev,
    enqueuedAt: chat.enqueuedAt,
    reason,
  });
}

function move(ctx: Ctx, chat: ChatRecord, scope: Scope): void {
  const from = chat.scope;
  const op = chat.status === 'active' ? ctx.state.operators.get(chat.operatorId!)! : null;
  if (op) {
    touchOp(ctx, op, 'transfer');
    changeLoad(ctx, op, -1, chat.conversationId);
    setRing(ctx, chat, null);
    chat.status = 'queued';
    chat.operatorId = null;
    chat.pending = false;
    chat.pendingNode = null;
  } else queueRemove(ctx.state, chat);
  touchScope(ctx, from).changed = true;
  chat.scope = scope;
  queueInsert(ctx.state, chat);
  touchScope(ctx, scope).changed = true;
  ctx.drain.add(scope);
  chat.rev = ++ctx.state.rev;
  ctx.effects.push({
    type: 'moved',
    conversationId: chat.conversationId,
    scope,
    fromScope: from,
    operatorId: op?.id ?? null,
    rev: chat.rev,
    enqueuedAt: chat.enqueuedAt,
  });
}

function requeueAll(ctx: Ctx, op: OperatorState, reason: RequeueReason): void {
  const chats = [...ctx.state.operatorChats.get(op.id)!].map((id) => ctx.state.chats.get(id)!);
  for (const chat of chats.sort(queueOrder)) requeue(ctx, chat, reason);
}

function drain(ctx: Ctx): void {
  const scopes = [...ctx.drain].sort();
  ctx.drain.clear();
  for (;;) {
    let pick: { chat: ChatRecord; op: OperatorState } | null = null;
    for (const s of scopes) {
      const head = scopeOf(ctx.state, s).queue[0];
      if (!head || (pick && queueOrder(head, pick.chat) >= 0)) continue;
      const op = bestAvailable(ctx.state, s);
      if (op) pick = { chat: ctx.state.chats.get(head.conversationId)!, op };
    }
    if (!pick) return;
    assign(ctx, pick.chat, pick.op, 'route', null);
  }
}

function upsert(ctx: Ctx, def: OperatorDef): void {
  const { state } = ctx;
  let op = state.operators.get(def.id);
  if (!op) {
    op = {
      ...def,
      scopes: [...def.scopes],
      status: 'offline',
      load: 0,
      idleSince: ctx.now,
      connections: 0,
      graceUntil: null,
      awayAt: null,
      autoAway: false,
    };
    state.operators.set(op.id, op);
    state.operatorChats.set(op.id, new Set());
  }
  touchOp(ctx, op, 'operator_upsert');
  for (const s of def.scopes) touchScope(ctx, s);
  op.scopes = [...def.scopes];
  op.capacity = def.capacity;
  op.active = def.active;
  if (!def.active) {
    op.chosen = def.chosen;
    op.autoAway = false;
    setGrace(ctx, op, null);
    requeueAll(ctx, op, 'deactivated');
    armAway(ctx, op);
  } else if (def.chosen !== op.chosen && !(op.autoAway && def.chosen === 'online')) {
    // The store keeps what the operator chose; an automatic away is not a choice (the router does not store
    // it), so the store's "online" for an operator who is away by inactivity changes nothing.
    op.autoAway = false;
    applyChosen(ctx, op, def.chosen);
    armAway(ctx, op);
  }
  refresh(ctx, op);
}

/** `at`: when the session ended (a reaped node's lease expiry; now otherwise): the grace runs from then. */
function sessionClose(ctx: Ctx, socketId: string, at = ctx.now): void {
  const sock = ctx.state.sockets.get(socketId);
  if (!sock) return;
  ctx.state.sockets.delete(socketId);
  const op = ctx.state.operators.get(sock.operatorId);
  if (!op) return;
  touchOp(ctx, op, 'session_close');
  op.connections -= 1;
  if (op.connections === 0 && op.active && op.graceUntil === null) setGrace(ctx, op, at + ctx.opts.graceMs);
  // Nobody at a console: auto-away has nothing to watch (grace decides what happens next).
  if (op.connections === 0 && op.awayAt !== null) armAway(ctx, op);
  refresh(ctx, op);
}

function expireGrace(ctx: Ctx, op: OperatorState): void {
  touchOp(ctx, op, 'grace_expired');
  ctx.ops.get(op.id)!.since = op.graceUntil! - ctx.opts.graceMs;
  setGrace(ctx, op, null);
  refresh(ctx, op);
  if (op.status !== 'online') requeueAll(ctx, op, 'grace_expired');
}

function ringTimeout(ctx: Ctx, chat: ChatRecord): void {
  const op = ctx.state.operators.get(chat.operatorId!)!;
  requeue(ctx, chat, 'ring_timeout');
  // A missed chat sets them away until they choose online again (typing alone does not undo it).
  op.autoAway = false;
  applyChosen(ctx, op, 'away');
  armAway(ctx, op);
  refresh(ctx, op);
}

/** No console activity for the auto-away period: an online operator becomes away (their chats: grace). */
function autoAwayDue(ctx: Ctx, op: OperatorState): void {
  touchOp(ctx, op, 'auto_away');
  op.awayAt = null;
  setTimer(ctx.state, `a:${op.id}`, null);
  if (op.active && op.connections > 0 && op.chosen === 'online') {
    op.autoAway = true;
    applyChosen(ctx, op, 'away');
  }
  refresh(ctx, op);
}

function activity(ctx: Ctx, op: OperatorState): void {
  touchOp(ctx, op, 'activity');
  if (op.autoAway && op.chosen === 'away') {
    op.autoAway = false;
    applyChosen(ctx, op, 'online');
  }
  armAway(ctx, op);
  refresh(ctx, op);
}

function tick(ctx: Ctx): void {
  for (const t of dueTimers(ctx.state, ctx.now)) {
    const id = t.key.slice(2);
    if (t.key.startsWith('g:')) {
      const op = ctx.state.operators.get(id);
      if (op && op.graceUntil === t.at) expireGrace(ctx, op);
    } else if (t.key.startsWith('a:')) {
      const op = ctx.state.operators.get(id);
      if (op && op.awayAt === t.at) autoAwayDue(ctx, op);
    } else {
      const chat = ctx.state.chats.get(id);
      if (chat && chat.status === 'active' && chat.ringUntil === t.at) ringTimeout(ctx, chat);
    }
  }
}

function apply(ctx: Ctx, event: DecideEvent): void {
  const { state } = ctx;
  switch (event.type) {
    case 'operator_upsert':
      upsert(ctx, event.operator);
      return;
    case 'scope_settings': {
      scopeOf(state, event.scope).settings = { ...event.settings };
      return;
    }
    case 'session_open': {
      const op = operatorOf(state, event.operatorId);
      if (state.sockets.has(event.socketId)) return;
      touchOp(ctx, op, 'session_open');
      state.sockets.set(event.socketId, { operatorId: op.id, nodeId: ctx.opts.nodeId });
      op.connections += 1;
      if (op.chosen === 'online') setGrace(ctx, op, null);
      // A console opening counts as activity only if nothing was watching yet (a second tab changes nothing).
      if (op.awayAt === null) armAway(ctx, op);
      refresh(ctx, op);
      return;
    }
    case 'session_close':
      sessionClose(ctx, event.socketId);
      return;
    case 'status': {
      const op = operatorOf(state, event.operatorId);
      touchOp(ctx, op, 'status');
      if (event.capacity !== undefined) op.capacity = event.capacity;
      op.autoAway = false;
      applyChosen(ctx, op, event.chosen);
      armAway(ctx, op);
      refresh(ctx, op);
      return;
    }
    case 'activity':
      activity(ctx, operatorOf(state, event.operatorId));
      return;
    case 'enqueue': {
      if (state.chats.has(event.conversationId)) return;
      const chat: ChatRecord = {
        conversationId: event.conversationId,
        scope: event.scope,
        status: 'queued',
        operatorId: null,
        enqueuedAt: event.enqueuedAt,
        rev: 0,
        ringUntil: null,
        pending: false,
        pendingNode: null,
      };
      state.chats.set(chat.conversationId, chat);
      queueInsert(state, chat);
      touchScope(ctx, chat.scope).changed = true;
      ctx.drain.add(chat.scope);
      return;
    }
    case 'leave': {
      const chat = state.chats.get(event.conversationId);
      if (!chat) return;
      if (chat.status === 'queued') {
        queueRemove(state, chat);
        touchScope(ctx, chat.scope).changed = true;
      } else {
        const op = state.operators.get(chat.operatorId!)!;
        touchOp(ctx, op, 'leave');
        setRing(ctx, chat, null);
        changeLoad(ctx, op, -1, chat.conversationId);
      }
      state.chats.delete(chat.conversationId);
      return;
    }
    case 'pick': {
      const chat = state.chats.get(event.conversationId);
      if (!chat) throw new RoutingRefused('not_queued', `${event.conversationId} is not queued`);
      if (chat.status !== 'queued')
        throw new RoutingRefused('already_assigned', `${chat.conversationId} is assigned`);
      const op = available(state, event.operatorId, chat.scope);
      assign(ctx, chat, op, 'pick', null);
      return;
    }
    case 'transfer': {
      const chat = state.chats.get(event.conversationId);
      if (chat?.status !== 'active') {
        throw new RoutingRefused('not_active', `${event.conversationId} is not active`);
      }
      if (chat.operatorId === event.toOperatorId) {
        throw new RoutingRefused('already_assigned', `${chat.conversationId} is already theirs`);
      }
      const op = available(state, event.toOperatorId, chat.scope);
      assign(ctx, chat, op, 'transfer', state.operators.get(chat.operatorId!)!);
      return;
    }
    case 'move': {
      const chat = state.chats.get(event.conversationId);
      if (!chat) throw new RoutingRefused('not_active', `${event.conversationId} is not open`);
      if (chat.scope === event.scope)
        throw new RoutingRefused('already_assigned', `${chat.conversationId} is there`);
      move(ctx, chat, event.scope);
      return;
    }
    case 'answered': {
      const chat = state.chats.get(event.conversationId);
      if (chat?.ringUntil != null) setRing(ctx, chat, null);
      return;
    }
    case 'confirm': {
      const chat = state.chats.get(event.conversationId);
      if (chat && chat.rev === event.rev && chat.pending) {
        chat.pending = false;
        chat.pendingNode = null;
      }
      return;
    }
    case 'unclaim': {
      const chat = state.chats.get(event.conversationId);
      if (chat && chat.rev === event.rev && chat.pending && chat.status === 'active')
        requeue(ctx, chat, null);
      return;
    }
    case 'tick':
      tick(ctx);
      return;
    case 'node_down': {
      const mine = [...state.sockets].filter(([, s]) => s.nodeId === event.nodeId).map(([id]) => id);
      for (const id of mine.sort()) sessionClose(ctx, id, Math.min(event.at ?? ctx.now, ctx.now));
      const claims = [...state.chats.values()].filter((c) => c.pending && c.pendingNode === event.nodeId);
      for (const chat of claims.sort((a, b) => (a.conversationId < b.conversationId ? -1 : 1))) {
        ctx.effects.push({
          type: 'orphaned_claim',
          conversationId: chat.conversationId,
          operatorId: chat.operatorId!,
          rev: chat.rev,
        });
      }
      return;
    }
  }
}

/** The operator, if they may take a chat of this scope right now (pick and transfer). */
function available(state: RoutingState, id: string, scope: Scope): OperatorState {
  const op = operatorOf(state, id);
  if (!takesChats(op) || !op.scopes.includes(scope)) {
    throw new RoutingRefused('operator_unavailable', `${id} cannot take chats of ${scope} now`);
  }
  if (op.load >= op.capacity) throw new RoutingRefused('over_capacity', `${id} is at capacity`);
  return op;
}

export function decide(
  state: RoutingState,
  event: DecideEvent,
  now: number,
  opts: DecideOptions,
): { state: RoutingState; effects: RoutingEffect[] } {
  const ctx = createCtx(state, now, opts);
  apply(ctx, event);
  drain(ctx);
  finish(ctx);
  return { state, effects: ctx.effects };
}
