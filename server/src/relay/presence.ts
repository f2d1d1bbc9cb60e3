import type { OperatorPresence, OperatorStatus } from '@beseda/shared';
import type { OperatorState } from '../routing/port.js';
import type { Directory } from './directory.js';
import { type LiveStatus, presenceView } from './views.js';

export interface PresenceDelta {
  operatorId: string;
  status: OperatorStatus;
  chosen: OperatorStatus;
  load: number;
  capacity: number;
}

/**
 * This node's mirror of every operator's live status and load. The routing state is the truth; the node
 * that applied a change broadcasts it as a delta and every node (itself included) applies it here, so the
 * widget config, admin lists and consoles answer from memory without a round trip per request.
 */
export class Presence {
  private readonly live = new Map<string, LiveStatus & { chosen: OperatorStatus }>();
  private readonly listeners = new Set<(delta: PresenceDelta) => void>();

  constructor(private readonly directory: Directory) {}

  reset(states: readonly OperatorState[]): void {
    this.live.clear();
    for (const s of states)
      this.live.set(s.id, { status: s.status, chosen: s.chosen, load: s.load, capacity: s.capacity });
  }

  apply(d: PresenceDelta): void {
    this.live.set(d.operatorId, { status: d.status, chosen: d.chosen, load: d.load, capacity: d.capacity });
    for (const l of this.listeners) l(d);
  }

  onChange(listener: (delta: PresenceDelta) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  of(operatorId: string): LiveStatus | undefined {
    return this.live.get(operatorId);
  }

  /** Someone online who takes chats of the scope: a site (any of its operators) or one of its teams. */
  anyoneOnline(scope: string): boolean {
    for (const op of this.directory.allOperators())
      if (
        op.active &&
        this.live.get(op.id)?.status === 'online' &&
        this.directory.scopesOf(op).includes(scope)
      )
        return true;
    return false;
  }

  /** Concurrent chats the online operators of a scope can hold: what the queue estimate divides by. */
  onlineCapacity(scope: string): number {
    let c = 0;
    for (const op of this.directory.allOperators()) {
      const l = this.live.get(op.id);
      if (op.active && l?.status === 'online' && this.directory.scopesOf(op).includes(scope)) c += l.capacity;
    }
    return c;
  }

  /** Colleagues an operator may see: active accounts sharing at least one site. */
  listFor(siteIds: readonly string[]): OperatorPresence[] {
    return this.directory
      .allOperators()
      .filter((o) => o.active && o.siteIds.some((s) => siteIds.includes(s)))
      .map((o) => presenceView(o, this.live.get(o.id)));
  }

  /** These operators as a colleague with these sites sees them (active accounts sharing a site). */
  viewsOf(ids: readonly string[], siteIds: readonly string[]): OperatorPresence[] {
    const out: OperatorPresence[] = [];
    for (const id of ids) {
      const o = this.directory.operator(id);
      // A deactivated colleague is sent too (offline), so consoles stop showing them online.
      if (o?.siteIds.some((s) => siteIds.includes(s))) out.push(presenceView(o, this.live.get(id)));
    }
    return out;
  }

  countOnline(): number {
    let n = 0;
    for (const l of this.live.values()) if (l.status === 'online') n += 1;
    return n;
  }
}
