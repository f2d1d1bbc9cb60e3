import type { OperatorStatus } from '@beseda/shared';

/**
 * The routing-state port: the live state every routing decision needs (queues, operator load, capacity,
 * status, connections, grace and ring deadlines, node leases), and the one place those decisions are made.
 *
 * Two implementations pass one contract suite (routing/contract.ts):
 * - MemoryRouting: the pure `decide(state, event, now) → {state, effects}` (routing/decide.ts) over an
 *   injected clock, for the single node;
 * - RedisRouting: the same decisions as atomic Lua scripts on Redis (time from Redis `TIME`, every key
 *   under one hash-tagged prefix), for a cluster. A randomized parity test keeps the two in agreement.
 *
 * Decisions are data: `dispatch` applies one event atomically and returns the effects; the relay's shell
 * persists them (fenced by `rev`) and publishes. Nothing here touches a socket or the store.
 *
 * Queues are keyed by a routing *scope* (today the site id) so teams can become scopes later.
 */

export type Scope = string;

export interface OperatorDef {
  id: string;
  scopes: string[];
  capacity: number;
  /** The status the operator chose (persisted in the store). */
  chosen: OperatorStatus;
  /** false = deactivated account: offline, holds no chats. */
  active: boolean;
}

export interface OperatorState extends OperatorDef {
  /** Effective status: `chosen` while at least one console is connected (or within grace), else offline. */
  status: OperatorStatus;
  /** Chats currently assigned (active). Never above capacity through routing. */
  load: number;
  /** When the operator last became free of work or came online; routing ties go to the longest idle. */
  idleSince: number;
  /** Console sockets open on all nodes. */
  connections: number;
  /** While set, the operator keeps their chats though disconnected or not online; at this time they lose them. */
  graceUntil: number | null;
  /**
   * Auto-away deadline: a connected operator who chose online and shows no console activity until then is
   * set away (the shortest non-zero `autoAwayMs` of their scopes). Null when auto-away does not apply.
   */
  awayAt: number | null;
  /** The current away was set by auto-away: the operator's next activity makes them online again. */
  autoAway: boolean;
}

export interface QueuedChat {
  conversationId: string;
  scope: Scope;
  /** Original enqueue time: position = rank by this (ties by id) + 1; a requeued chat keeps it. */
  enqueuedAt: number;
}

export interface ChatState {
  conversationId: string;
  scope: Scope;
  status: 'queued' | 'active';
  operatorId: string | null;
  enqueuedAt: number;
  /** Fencing revision of the last routing decision about this chat. */
  rev: number;
  /** Ring deadline: the assigned operator must answer before it, or the chat goes to someone else. */
  ringUntil: number | null;
  /** A claim not yet confirmed as written to the durable store (the deciding node may die meanwhile). */
  pending: boolean;
}

export interface ScopeSettings {
  /** 0 = off. */
  ringTimeoutMs: number;
  /** Away after this long without console activity; 0 or absent = off. */
  autoAwayMs?: number;
}

export type RoutingEvent =
  /** An operator account created or changed (admin, start-up). Changing scopes or capacity may drain. */
  | { type: 'operator_upsert'; operator: OperatorDef }
  | { type: 'scope_settings'; scope: Scope; settings: ScopeSettings }
  /** A console socket of this operator opened on `nodeId` (idempotent per socketId). */
  | { type: 'session_open'; operatorId: string; socketId: string }
  | { type: 'session_close'; operatorId: string; socketId: string }
  | { type: 'status'; operatorId: string; chosen: OperatorStatus; capacity?: number }
  /** The operator used a console (input): postpones auto-away, and ends an away that auto-away set. */
  | { type: 'activity'; operatorId: string }
  /** A conversation that needs an operator (its first visitor message is stored). Idempotent. */
  | { type: 'enqueue'; conversationId: string; scope: Scope; enqueuedAt: number }
  /** The conversation is over (ended, missed, or left as a message): leaves the queue or frees its operator. */
  | { type: 'leave'; conversationId: string }
  /** Manual pick from the queue by an operator (capacity still enforced). */
  | { type: 'pick'; conversationId: string; operatorId: string }
  | { type: 'transfer'; conversationId: string; toOperatorId: string }
  /**
   * Into another scope's queue (a transfer to a team, or its team was deleted): an assigned chat leaves its
   * operator; either way it waits in the new queue with its original enqueue time, so it goes first there.
   */
  | { type: 'move'; conversationId: string; scope: Scope }
  /** The assigned operator replied: the ring deadline is cancelled. */
  | { type: 'answered'; conversationId: string }
  /** The claim with this rev is durably written: it stops being pending. */
  | { type: 'confirm'; conversationId: string; rev: number }
  /** The claim with this rev could not be written (fenced or failed): undo it, back to the original position. */
  | { type: 'unclaim'; conversationId: string; rev: number }
  /** Fire every due deadline (ring, grace). Safe to call often and from every node: each fires once. */
  | { type: 'tick' };

export type RequeueReason = 'ring_timeout' | 'grace_expired' | 'deactivated';

export type RoutingEffect =
  /** A chat got an operator. `pending` until the shell confirms the fenced store write. */
  | {
      type: 'assigned';
      conversationId: string;
      scope: Scope;
      operatorId: string;
      /** The operator who had it before (transfer), else null. */
      previousOperatorId: string | null;
      rev: number;
      enqueuedAt: number;
      reason: 'route' | 'pick' | 'transfer';
    }
  /** A chat lost its operator and is back in the queue at its original position. */
  | {
      type: 'requeued';
      conversationId: string;
      scope: Scope;
      operatorId: string;
      rev: number;
      enqueuedAt: number;
      reason: RequeueReason;
    }
  /** A chat went to another scope's queue (`move`); `operatorId`: who held it, null when it was queued. */
  | {
      type: 'moved';
      conversationId: string;
      scope: Scope;
      fromScope: Scope;
      operatorId: string | null;
      rev: number;
      enqueuedAt: number;
    }
  /** An operator's effective status, load or capacity changed. */
  | {
      type: 'operator';
      operatorId: string;
      status: OperatorStatus;
      previousStatus: OperatorStatus;
      chosen: OperatorStatus;
      load: number;
      capacity: number;
      reason: string;
      /**
       * Grace expiry only: when the grace period began (the last console closed, or the lease of the node
       * holding the consoles expired). An operator who goes offline now was unreachable since then.
       */
      since?: number;
    }
  /** Membership or order of a scope's queue changed (or the capacity serving it, which moves the ETA). */
  | { type: 'queue_changed'; scope: Scope }
  /** Whether anyone is online for the scope flipped. */
  | { type: 'availability'; scope: Scope; online: boolean }
  /** An unconfirmed claim of a dead node: the shell checks the store and sends `confirm` or `unclaim`. */
  | { type: 'orphaned_claim'; conversationId: string; operatorId: string; rev: number };

/** Refusals are typed so the transport can answer with the matching error frame. */
export type RoutingRefusal =
  | 'not_queued'
  | 'not_active'
  | 'over_capacity'
  | 'operator_unavailable'
  | 'unknown_operator'
  | 'already_assigned'
  | 'lease_lost'
  /** The shared state was lost (Redis data loss) and is not rebuilt yet: retry after `rebuild`. */
  | 'state_lost';

export class RoutingRefused extends Error {
  constructor(
    readonly reason: RoutingRefusal,
    message: string = reason,
  ) {
    super(message);
    this.name = 'RoutingRefused';
  }
}

/** What a rebuild needs from the durable store (the source of truth) after routing state was lost. */
export interface RoutingSnapshot {
  /**
   * `status`: what the operator is until a console re-announces itself (default: as chosen, which is right
   * when only the routing state was lost; a restarted single node starts everyone offline, in grace).
   */
  operators: (OperatorDef & { status?: OperatorStatus })[];
  chats: {
    conversationId: string;
    scope: Scope;
    status: 'queued' | 'active';
    operatorId: string | null;
    enqueuedAt: number;
    rev: number;
  }[];
  settings: Record<Scope, ScopeSettings>;
}

export interface RoutingPort {
  readonly nodeId: string;
  /**
   * Applies one event atomically and returns its effects (including the assignments the event made
   * possible: the queue drains by itself). Throws RoutingRefused for a refused pick/transfer, or with
   * `lease_lost` when this node's lease expired (the node must stop acting and rejoin).
   */
  dispatch(event: RoutingEvent): Promise<RoutingEffect[]>;

  /** The scope's queue, oldest first. */
  queue(scope: Scope): Promise<QueuedChat[]>;
  /** Operators serving any of the scopes (all when omitted). */
  operators(scopes?: readonly Scope[]): Promise<OperatorState[]>;
  operator(id: string): Promise<OperatorState | null>;
  chat(conversationId: string): Promise<ChatState | null>;

  /**
   * Node liveness. `heartbeat` renews this node's lease, or joins (the first call). false: the lease had
   * expired — the node was presumed dead and reaped (its sessions closed into grace, its claims orphaned);
   * it has rejoined now and must re-announce the sessions it still holds (`session_open`) or close them.
   * Also false (once) when the state was rebuilt since this node last looked: its sessions are not in it.
   * After a `lease_lost` refusal every call is refused until `heartbeat` rejoins.
   * `sweep` reaps every node whose lease expired: exactly one caller reaps each; their console sessions
   * close (operators enter grace) and their unconfirmed claims come back as `orphaned_claim` effects.
   */
  heartbeat(): Promise<boolean>;
  sweep(): Promise<RoutingEffect[]>;
  /** Leaves cleanly (SIGTERM): this node's sessions close into grace, its lease is dropped. */
  leave(): Promise<RoutingEffect[]>;

  /** False when the state was lost (Redis FLUSHALL / restart without persistence) and must be rebuilt. */
  isComplete(): Promise<boolean>;
  /**
   * Replaces the state from the store's snapshot; only one node does it (returns false if another holds
   * the rebuild lock). Operators keep their chats for `graceMs` while nodes re-announce their sessions.
   */
  rebuild(snapshot: RoutingSnapshot, graceMs: number): Promise<boolean>;
  /** The earliest pending deadline (ring/grace), so the shell arms one timer; null when none. */
  nextDeadline(): Promise<number | null>;

  close(): Promise<void>;
}

export interface RoutingOptions {
  nodeId: string;
  /** How long an operator without connections (or not online) keeps their chats. */
  graceMs: number;
  /** Node lease length (Redis only). */
  leaseMs: number;
}
