import type { OperatorStatus } from '@beseda/shared';

/** What routing needs to know about an operator; the relay keeps these up to date. */
export interface OperatorLoad {
  id: string;
  status: OperatorStatus;
  capacity: number;
  active: number;
  /** When the operator last became free of work (or came online); ties go to the longest idle. */
  idleSince: number;
  siteIds: readonly string[];
}

export interface Waiting {
  conversationId: string;
  siteId: string;
  enqueuedAt: number;
}

export interface Assignment {
  conversationId: string;
  operatorId: string;
}

export const freeCapacity = (op: OperatorLoad): number => Math.max(0, op.capacity - op.active);

export const canTake = (op: OperatorLoad, siteId: string): boolean =>
  op.status === 'online' && freeCapacity(op) > 0 && op.siteIds.includes(siteId);

/** The online operator of the site with the most free capacity; ties: idle longest, then id for determinism. */
export function chooseOperator(operators: Iterable<OperatorLoad>, siteId: string): OperatorLoad | null {
  let best: OperatorLoad | null = null;
  for (const op of operators) {
    if (!canTake(op, siteId)) continue;
    if (
      !best ||
      freeCapacity(op) > freeCapacity(best) ||
      (freeCapacity(op) === freeCapacity(best) &&
        (op.idleSince < best.idleSince || (op.idleSince === best.idleSince && op.id < best.id)))
    ) {
      best = op;
    }
  }
  return best;
}

/**
 * Drains the queue as far as capacity allows: longest waiter first, each to the best operator at that
 * moment. Pure: the inputs are not modified; the caller applies the returned assignments.
 */
export function planAssignments(queue: readonly Waiting[], operators: readonly OperatorLoad[]): Assignment[] {
  const loads = operators.map((o) => ({ ...o }));
  const ordered = [...queue].sort(
    (a, b) => a.enqueuedAt - b.enqueuedAt || (a.conversationId < b.conversationId ? -1 : 1),
  );
  const out: Assignment[] = [];
  for (const w of ordered) {
    const op = chooseOperator(loads, w.siteId);
    if (!op) continue;
    op.active += 1;
    out.push({ conversationId: w.conversationId, operatorId: op.id });
  }
  return out;
}
