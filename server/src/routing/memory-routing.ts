import type { Clock } from '../core/clock.js';
import { type DecideEvent, decide } from './decide.js';
import type {
  ChatState,
  OperatorState,
  QueuedChat,
  RoutingEffect,
  RoutingEvent,
  RoutingPort,
  RoutingSnapshot,
  Scope,
} from './port.js';
import { createState, fromSnapshot, nextDeadline, type RoutingState, scopeOf } from './state.js';

/** The state several MemoryRouting instances (node views) can share: tests of multi-node behaviour. */
export class MemoryRoutingStore {
  state: RoutingState = createState();
  /** Instances that own timers: any change through any instance re-arms them. */
  readonly timerOwners = new Set<MemoryRouting>();
}

export interface MemoryRoutingOptions {
  nodeId: string;
  /** Shared with other instances to model several nodes on one state; a fresh one by default. */
  store?: MemoryRoutingStore;
  graceMs: number;
  clock: Clock;
  /**
   * When given, the routing arms one clock timer for its next deadline, dispatches `tick` itself when it
   * fires and hands the effects here (so a FakeClock's `advance` fires ring and grace deadlines). Without it
   * the shell drives deadlines with `nextDeadline()` + `dispatch({type: 'tick'})`.
   */
  onTimerEffects?: (effects: RoutingEffect[]) => void;
}

/**
 * The single-node routing state: `decide` over an in-memory state. JavaScript runs one event at a time, so
 * every dispatch is atomic without locks. Liveness is trivial here: one node, always alive.
 */
export class MemoryRouting implements RoutingPort {
  readonly nodeId: string;
  private readonly store: MemoryRoutingStore;
  private cancelTimer: (() => void) | null = null;
  private armedAt: number | null = null;
  private closed = false;

  constructor(private readonly opts: MemoryRoutingOptions) {
    this.nodeId = opts.nodeId;
    this.store = opts.store ?? new MemoryRoutingStore();
    if (opts.onTimerEffects) this.store.timerOwners.add(this);
  }

  private get state(): RoutingState {
    return this.store.state;
  }

  async dispatch(event: RoutingEvent): Promise<RoutingEffect[]> {
    return this.apply(event);
  }

  private apply(event: DecideEvent): RoutingEffect[] {
    const { effects } = decide(this.state, event, this.opts.clock.now(), {
      nodeId: this.nodeId,
      graceMs: this.opts.graceMs,
    });
    for (const owner of this.store.timerOwners) owner.arm();
    return effects;
  }

  /** Keeps exactly one clock timer armed at the earliest deadline. */
  private arm(): void {
    if (!this.opts.onTimerEffects || this.closed) return;
    const at = nextDeadline(this.state);
    if (at === this.armedAt) return;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.armedAt = at;
    if (at === null) return;
    this.cancelTimer = this.opts.clock.setTimer(at - this.opts.clock.now(), () => {
      this.cancelTimer = null;
      this.armedAt = null;
      const effects = this.apply({ type: 'tick' });
      if (effects.length > 0) this.opts.onTimerEffects?.(effects);
    });
  }

  async queue(scope: Scope): Promise<QueuedChat[]> {
    return scopeOf(this.state, scope).queue.map((q) => ({ ...q }));
  }

  async operators(scopes?: readonly Scope[]): Promise<OperatorState[]> {
    const all = [...this.state.operators.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const wanted = scopes ? all.filter((op) => op.scopes.some((s) => scopes.includes(s))) : all;
    return wanted.map(copyOperator);
  }

  async operator(id: string): Promise<OperatorState | null> {
    const op = this.state.operators.get(id);
    return op ? copyOperator(op) : null;
  }

  async chat(conversationId: string): Promise<ChatState | null> {
    const c = this.state.chats.get(conversationId);
    if (!c) return null;
    const { pendingNode: _node, ...chat } = c;
    return chat;
  }

  async heartbeat(): Promise<boolean> {
    return true;
  }

  async sweep(): Promise<RoutingEffect[]> {
    return [];
  }

  async leave(): Promise<RoutingEffect[]> {
    return this.apply({ type: 'node_down', nodeId: this.nodeId });
  }

  async isComplete(): Promise<boolean> {
    return true;
  }

  async rebuild(snapshot: RoutingSnapshot, graceMs: number): Promise<boolean> {
    this.store.state = fromSnapshot(snapshot, this.opts.clock.now(), graceMs);
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.armedAt = null;
    this.arm();
    return true;
  }

  async nextDeadline(): Promise<number | null> {
    return nextDeadline(this.state);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.store.timerOwners.delete(this);
    this.cancelTimer?.();
    this.cancelTimer = null;
  }
}

const copyOperator = (op: OperatorState): OperatorState => ({ ...op, scopes: [...op.scopes] });
