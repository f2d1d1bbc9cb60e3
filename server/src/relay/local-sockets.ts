/**
 * The sockets of THIS node (each node keeps in memory only its own sockets and timer handles). Used to
 * close what a revocation, a lost lease or a drain concerns, to re-announce console sessions after the
 * routing state was rebuilt, and to catch local conversations up after the hub lost its subscription.
 */
import type { OperatorServerFrame } from '@beseda/shared';

export interface OperatorHandle {
  socketId: string;
  operatorId: string;
  send(frame: OperatorServerFrame): void;
  /** Hash of the session cookie: logout closes exactly that session's sockets. */
  sessionHash: string;
  close(code: number, reason: string): void;
  /** Re-reads everything this console shows that may have been missed (after a hub resubscribe). */
  catchUp(): Promise<void>;
}

export interface VisitorHandle {
  socketId: string;
  visitorId: string;
  siteId: string;
  close(code: number, reason: string): void;
  catchUp(): Promise<void>;
  /** Re-sends the queue position if it changed (queue views are recomputed per node). */
  queueChanged(scope: string): void;
}

export class LocalSockets {
  readonly operators = new Map<string, OperatorHandle>();
  readonly visitors = new Map<string, VisitorHandle>();

  addOperator(h: OperatorHandle): () => void {
    this.operators.set(h.socketId, h);
    return () => this.operators.delete(h.socketId);
  }

  addVisitor(h: VisitorHandle): () => void {
    this.visitors.set(h.socketId, h);
    return () => this.visitors.delete(h.socketId);
  }

  closeOperator(operatorId: string, code: number, reason: string): void {
    for (const h of [...this.operators.values()]) if (h.operatorId === operatorId) h.close(code, reason);
  }

  closeSession(sessionHash: string, code: number, reason: string): void {
    for (const h of [...this.operators.values()]) if (h.sessionHash === sessionHash) h.close(code, reason);
  }

  closeAll(code: number, reason: string): void {
    for (const h of [...this.operators.values()]) h.close(code, reason);
    for (const h of [...this.visitors.values()]) h.close(code, reason);
  }

  async catchUpAll(): Promise<void> {
    await Promise.allSettled([
      ...[...this.operators.values()].map((h) => h.catchUp()),
      ...[...this.visitors.values()].map((h) => h.catchUp()),
    ]);
  }
}
