import type { OperatorStatus } from '@beseda/shared';
import { heapFilter, heapPop, heapPush } from './heap.js';
import type { ChatState, OperatorState, QueuedChat, RoutingSnapshot, Scope, ScopeSettings } from './port.js';

/**
 * The plain-data routing state `decide` works on, with the indexes that keep each event O(what it touches):
 * per-scope ordered queues, per-scope sets of operators that can take a chat now, per-operator chat sets,
 * and the timers (ring and grace deadlines) as data with a lazy min-heap for the next deadline.
 *
 * The indexes are derived: `refreshOperator` recomputes an operator's contribution to its scopes after any
 * change, so the handlers in decide.ts never update them by hand.
 */

export interface ChatRecord extends ChatState {
  /** The node that made the unconfirmed claim (`pending`), so a dead node's claims can be found. */
  pendingNode: string | null;
}

/** What one operator adds to each scope it serves; kept so a change can be subtracted exactly. */
interface Contribution {
  scopes: string[];
  online: boolean;
  routable: boolean;
  capacity: number;
}

export interface AvailableEntry {
  free: number;
  idleSince: number;
  id: string;
  version: number;
}

/** Routing preference: more free slots, then idle longest, then the lower id. */
export const availableLess = (a: AvailableEntry, b: AvailableEntry): boolean =>
  a.free > b.free ||
  (a.free === b.free && (a.idleSince < b.idleSince || (a.idleSince === b.idleSince && a.id < b.id)));

export interface ScopeRecord {
  /** Oldest first: (enqueuedAt, conversationId). Position = index + 1. */
  queue: QueuedChat[];
  settings: ScopeSettings;
  operators: Set<string>;
  /** Routable operators with a free slot: the only candidates for an automatic assignment. */
  available: Set<string>;
  /**
   * The same operators, best first (most free slots, idle longest, id), as a heap with lazy deletion: an
   * entry is live while its operator is available and its `version` is the operator's current one.
   */
  best: AvailableEntry[];
  /** Operators whose effective status is online (grace included): drives `availability`. */
  online: number;
  /** Sum of the capacity of routable operators: drives the ETA, hence `queue_changed`. */
  capacity: number;
}

export interface RoutingState {
  /** The fencing revision: bumped by every assignment and requeue. */
  rev: number;
  operators: Map<string, OperatorState>;
  chats: Map<string, ChatRecord>;
  scopes: Map<Scope, ScopeRecord>;
  sockets: Map<string, { operatorId: string; nodeId: string }>;
  operatorChats: Map<string, Set<string>>;
  contributions: Map<string, Contribution>;
  /** Bumped on every refresh of the operator: older `best` entries are stale. */
  versions: Map<string, number>;
  /** Timer key (`g:<operator>` grace, `a:<operator>` auto-away, `r:<conversation>` ring) → deadline. */
  timers: Map<string, number>;
  /** Min-heap over `timers`; entries whose deadline no longer matches `timers` are stale and skipped. */
  heap: { at: number; key: string }[];
}

export const NO_RING: ScopeSettings = { ringTimeoutMs: 0 };

export function createState(): RoutingState {
  return {
    rev: 0,
    operators: new Map(),
    chats: new Map(),
    scopes: new Map(),
    sockets: new Map(),
    operatorChats: new Map(),
    contributions: new Map(),
    versions: new Map(),
    timers: new Map(),
    heap: [],
  };
}

export function scopeOf(state: RoutingState, scope: Scope): ScopeRecord {
  let rec = state.scopes.get(scope);
  if (!rec) {
    rec = {
      queue: [],
      settings: NO_RING,
      operators: new Set(),
      available: new Set(),
      best: [],
      online: 0,
      capacity: 0,
    };
    state.scopes.set(scope, rec);
  }
  return rec;
}

/** Strict FIFO order: enqueue time, then id (the same order a Redis sorted set gives for equal scores). */
export const queueOrder = (a: QueuedChat, b: QueuedChat): number =>
  a.enqueuedAt - b.enqueuedAt ||
  (a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0);

function lowerBound(queue: QueuedChat[], item: QueuedChat): number {
  let lo = 0;
  let hi = queue.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (queueOrder(queue[mid]!, item) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts a queue entry (a copy of just the queue fields: chat records are passed here too). */
export function queueInsert(state: RoutingState, item: QueuedChat): void {
  const q = scopeOf(state, item.scope).queue;
  const entry = { conversationId: item.conversationId, scope: item.scope, enqueuedAt: item.enqueuedAt };
  q.splice(lowerBound(q, entry), 0, entry);
}

export function queueRemove(state: RoutingState, item: QueuedChat): void {
  const q = scopeOf(state, item.scope).queue;
  const i = lowerBound(q, item);
  if (q[i]?.conversationId === item.conversationId) q.splice(i, 1);
}

/** Takes chats (the routing sense: routable) = could get a new chat if it had a free slot. */
export const takesChats = (op: OperatorState): boolean =>
  op.active && op.connections > 0 && op.chosen === 'online';

const RANK: Record<OperatorStatus, number> = { offline: 0, away: 1, online: 2 };

/**
 * Effective status. Inactive → offline; connected → chosen; disconnected but in grace → the status it had
 * (a reload does not flap), except that it follows `chosen` downwards (a ring timeout makes it away);
 * otherwise offline.
 */
export function effectiveStatus(op: OperatorState): OperatorStatus {
  if (!op.active) return 'offline';
  if (op.connections > 0) return op.chosen;
  if (op.graceUntil !== null) return RANK[op.chosen] < RANK[op.status] ? op.chosen : op.status;
  return 'offline';
}

const live = (state: RoutingState, rec: ScopeRecord, e: AvailableEntry): boolean =>
  rec.available.has(e.id) && state.versions.get(e.id) === e.version;

/** The best available operator of the scope (O(log n) amortised); null when nobody can take a chat. */
export function bestAvailable(state: RoutingState, scope: Scope): OperatorState | null {
  const rec = scopeOf(state, scope);
  // Stale entries pile up with every refresh; compact when they outnumber the live ones.
  if (rec.best.length > 2 * rec.available.size + 32)
    heapFilter(rec.best, (e) => live(state, rec, e), availableLess);
  while (rec.best.length > 0) {
    const top = rec.best[0]!;
    if (live(state, rec, top)) return state.operators.get(top.id)!;
    heapPop(rec.best, availableLess);
  }
  return null;
}

/** Recomputes the operator's effective status and its contribution to every scope index. */
export function refreshOperator(state: RoutingState, op: OperatorState, now: number): void {
  const status = effectiveStatus(op);
  if (status === 'online' && op.status !== 'online') op.idleSince = now;
  op.status = status;
  const prev = state.contributions.get(op.id);
  const routable = takesChats(op);
  const next: Contribution = {
    scopes: op.scopes,
    online: status === 'online',
    routable,
    capacity: routable ? op.capacity : 0,
  };
  if (prev) {
    for (const s of prev.scopes) {
      const rec = scopeOf(state, s);
      rec.operators.delete(op.id);
      rec.available.delete(op.id);
      if (prev.online) rec.online -= 1;
      rec.capacity -= prev.capacity;
    }
  }
  const free = routable && op.load < op.capacity;
  const version = (state.versions.get(op.id) ?? 0) + 1;
  state.versions.set(op.id, version);
  for (const s of next.scopes) {
    const rec = scopeOf(state, s);
    rec.operators.add(op.id);
    if (free) {
      rec.available.add(op.id);
      const entry = { free: op.capacity - op.load, idleSince: op.idleSince, id: op.id, version };
      heapPush(rec.best, entry, availableLess);
    }
    if (next.online) rec.online += 1;
    rec.capacity += next.capacity;
  }
  state.contributions.set(op.id, next);
}

interface TimerEntry {
  at: number;
  key: string;
}
const timerLess = (a: TimerEntry, b: TimerEntry): boolean => a.at < b.at;

export function setTimer(state: RoutingState, key: string, at: number | null): void {
  if (at === null) {
    state.timers.delete(key);
    return;
  }
  state.timers.set(key, at);
  heapPush(state.heap, { at, key }, timerLess);
}

/** The earliest live deadline; drops stale heap entries on the way (amortised O(log n)). */
export function nextDeadline(state: RoutingState): number | null {
  const h = state.heap;
  while (h.length > 0) {
    const top = h[0]!;
    if (state.timers.get(top.key) === top.at) return top.at;
    heapPop(h, timerLess);
  }
  return null;
}

/** Every timer due at `now`, in (deadline, key) order — the order the Redis `timers` sorted set gives. */
export function dueTimers(state: RoutingState, now: number): { at: number; key: string }[] {
  const due: { at: number; key: string }[] = [];
  const seen = new Set<string>();
  const h = state.heap;
  while (h.length > 0 && h[0]!.at <= now) {
    const top = heapPop(h, timerLess)!;
    if (state.timers.get(top.key) === top.at && !seen.has(top.key)) {
      seen.add(top.key);
      due.push(top);
    }
  }
  return due.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The state a rebuild starts from: the store's operators and open chats, nobody connected yet. Every active
 * operator keeps the status they chose — and their chats — for `graceMs` while nodes re-announce sessions.
 */
export function fromSnapshot(snapshot: RoutingSnapshot, now: number, graceMs: number): RoutingState {
  const state = createState();
  for (const [scope, settings] of Object.entries(snapshot.settings))
    scopeOf(state, scope).settings = settings;
  for (const def of snapshot.operators) {
    const op: OperatorState = {
      ...def,
      scopes: [...def.scopes],
      status: def.active ? (def.status ?? def.chosen) : 'offline',
      load: 0,
      idleSince: now,
      connections: 0,
      graceUntil: def.active ? now + graceMs : null,
      awayAt: null,
      autoAway: false,
    };
    state.operators.set(op.id, op);
    state.operatorChats.set(op.id, new Set());
    if (op.graceUntil !== null) setTimer(state, `g:${op.id}`, op.graceUntil);
  }
  for (const c of snapshot.chats) {
    state.rev = Math.max(state.rev, c.rev);
    const owner = c.operatorId === null ? undefined : state.operators.get(c.operatorId);
    const active = c.status === 'active' && owner !== undefined;
    state.chats.set(c.conversationId, {
      conversationId: c.conversationId,
      scope: c.scope,
      status: active ? 'active' : 'queued',
      operatorId: active ? owner.id : null,
      enqueuedAt: c.enqueuedAt,
      rev: c.rev,
      ringUntil: null,
      pending: false,
      pendingNode: null,
    });
    if (active) {
      owner.load += 1;
      state.operatorChats.get(owner.id)!.add(c.conversationId);
    } else {
      queueInsert(state, { conversationId: c.conversationId, scope: c.scope, enqueuedAt: c.enqueuedAt });
    }
  }
  for (const op of state.operators.values()) refreshOperator(state, op, now);
  return state;
}
