import type { Eta, QueueEntry, VisitorServerFrame } from '@beseda/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../core/clock.js';
import { estimateQueueWaits, HandlingTimes } from '../core/eta.js';
import { siteOfScope, teamOfScope } from '../core/teams.js';
import { topics } from '../hub/types.js';
import type { RoutingPort } from '../routing/port.js';
import type { Store } from '../store/types.js';
import type { Delivery } from './delivery.js';
import type { Directory } from './directory.js';
import type { LocalSockets } from './local-sockets.js';
import type { Presence } from './presence.js';

/** One scope's queue as the node that changed it saw it; every node derives its sockets' views from it. */
export interface QueueBroadcast {
  scope: string;
  entries: QueueEntry[];
  /** The printed estimate for each position (index = position − 1), computed once by the deciding node. */
  etas: (Eta | null)[];
}

const MAX_PREVIEWS = 10_000;

/** Entries that left, and entries that are new or changed (position aside: it follows from the order). */
export function queueDelta(
  before: readonly QueueEntry[],
  after: readonly QueueEntry[],
): { removed: string[]; upserted: QueueEntry[] } {
  const old = new Map(before.map((e) => [e.conversationId, e]));
  const upserted: QueueEntry[] = [];
  for (const e of after) {
    const was = old.get(e.conversationId);
    old.delete(e.conversationId);
    if (
      !was ||
      was.enqueuedAt !== e.enqueuedAt ||
      was.preview !== e.preview ||
      was.visitorName !== e.visitorName
    )
      upserted.push(e);
  }
  return { removed: [...old.keys()], upserted };
}

/**
 * Queue views. A change of membership or serving capacity marks the scope dirty; once per tick the node
 * that made the change reads the queue once and broadcasts it, and each node sends its own consoles what
 * changed (a `queue_delta`) and each of its waiting visitors their position and estimate — only when they
 * changed. Messages of
 * waiting visitors do not republish anything (that was the queue amplification of issue #9).
 */
export class QueueViews {
  private readonly latest = new Map<string, QueueBroadcast>();
  private readonly dirty = new Set<string>();
  private scheduled = false;
  /** Scopes with a membership check pending (one per scope at a time), and when each was last corrected. */
  private readonly checking = new Set<string>();
  private readonly correctedAt = new Map<string, number>();
  private readonly previews = new Map<string, string>();
  private readonly handling = new Map<string, HandlingTimes>();

  constructor(
    private readonly deps: {
      routing: RoutingPort;
      store: Store;
      delivery: Delivery;
      presence: Presence;
      directory: Directory;
      sockets: LocalSockets;
      clock: Clock;
      log: FastifyBaseLogger;
    },
  ) {}

  markDirty(scope: string): void {
    this.dirty.add(scope);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const scopes = [...this.dirty];
      this.dirty.clear();
      for (const scope of scopes)
        void this.build(scope)
          .then((b) => this.deps.delivery.internal(topics.scopeQueue(scope), b))
          .catch((err) => this.deps.log.error({ err, scope }, 'queue view failed'));
    });
  }

  async build(scope: string): Promise<QueueBroadcast> {
    const waiting = await this.deps.routing.queue(scope);
    const convs = await Promise.all(waiting.map((w) => this.deps.store.getConversation(w.conversationId)));
    const entries: QueueEntry[] = [];
    for (const [i, w] of waiting.entries()) {
      const c = convs[i];
      if (!c) continue;
      entries.push({
        conversationId: c.id,
        siteId: siteOfScope(scope),
        teamId: teamOfScope(scope),
        visitorId: c.visitorId,
        visitorName: c.visitorName,
        enqueuedAt: w.enqueuedAt,
        position: entries.length + 1,
        preview: await this.previewOf(c.id, c.lastSeq),
      });
    }
    return { scope, entries, etas: entries.length ? await this.estimates(scope, entries.length) : [] };
  }

  /**
   * Estimates from real capacity and how long the chats now running have already run (core/queue-wait.ts):
   * online operators of the scope, the assignment times of their active chats, the site's recent durations.
   */
  private async estimates(scope: string, positions: number): Promise<(Eta | null)[]> {
    const online = this.deps.directory
      .allOperators()
      .filter(
        (o) =>
          o.active &&
          this.deps.directory.scopesOf(o).includes(scope) &&
          this.deps.presence.of(o.id)?.status === 'online',
      );
    if (online.length === 0) return Array.from({ length: positions }, () => null);
    const open = await this.deps.store.listOpenConversations();
    const operators = online.map((o) => ({
      capacity: this.deps.presence.of(o.id)?.capacity ?? o.capacity,
      activeSince: open
        .filter((c) => c.operatorId === o.id && c.status === 'active')
        .map((c) => c.assignedAt ?? c.createdAt),
    }));
    return estimateQueueWaits(
      { now: this.deps.clock.now(), operators, recentDurationsMs: this.handlingFor(scope).values() },
      positions,
    );
  }

  /** A broadcast arrived (from this node or another): refresh this node's consoles and waiting visitors. */
  receive(b: QueueBroadcast): void {
    const delta = queueDelta(this.latest.get(b.scope)?.entries ?? [], b.entries);
    this.latest.set(b.scope, b);
    // Consoles got this node's view with welcome and every change since: the difference is enough.
    if (delta.removed.length > 0 || delta.upserted.length > 0) {
      const frame = {
        type: 'queue_delta' as const,
        siteId: siteOfScope(b.scope),
        teamId: teamOfScope(b.scope),
        ...delta,
      };
      for (const h of this.deps.sockets.operators.values())
        if (this.deps.directory.scopesOfOperator(h.operatorId).includes(b.scope)) h.send(frame);
    }
    // A visitor's frame comes only from the queue their chat waits in (frameFor answers null for the others).
    const site = siteOfScope(b.scope);
    for (const h of this.deps.sockets.visitors.values()) if (h.siteId === site) h.queueChanged(b.scope);
    this.check(b.scope);
  }

  /**
   * Broadcasts are built concurrently (several changes, several nodes) and pub/sub does not order them, so
   * an older view can arrive last. Each node checks the view it now shows against the routing state (one
   * cheap read) and, if membership or order differ, rebuilds and broadcasts a fresh one — at most once a
   * second per scope, so a conversation the store cannot show never makes it loop.
   */
  private check(scope: string): void {
    if (this.checking.has(scope)) return;
    this.checking.add(scope);
    void this.deps.routing
      .queue(scope)
      .then((waiting) => {
        const shown = this.latest.get(scope)?.entries ?? [];
        const same =
          waiting.length === shown.length &&
          waiting.every((w, i) => w.conversationId === shown[i]!.conversationId);
        const now = this.deps.clock.now();
        if (same || now - (this.correctedAt.get(scope) ?? Number.NEGATIVE_INFINITY) < 1_000) return;
        this.correctedAt.set(scope, now);
        this.markDirty(scope);
      })
      .catch((err) => this.deps.log.warn({ err, scope }, 'queue view check failed'))
      .finally(() => this.checking.delete(scope));
  }

  async ensure(scopes: readonly string[]): Promise<void> {
    await Promise.all(
      scopes.filter((s) => !this.latest.has(s)).map(async (s) => this.latest.set(s, await this.build(s))),
    );
  }

  /** Every entry waiting in the given scopes (an operator's sites and teams), oldest first. */
  forScopes(scopes: readonly string[]): QueueEntry[] {
    return scopes
      .flatMap((s) => this.latest.get(s)?.entries ?? [])
      .sort((a, b) => a.enqueuedAt - b.enqueuedAt);
  }

  /** The visitor's `queue` frame, or null when the conversation is not waiting in that scope. */
  frameFor(scope: string, conversationId: string): VisitorServerFrame | null {
    const b = this.latest.get(scope);
    const i = b ? b.entries.findIndex((e) => e.conversationId === conversationId) : -1;
    if (!b || i < 0) return null;
    return { type: 'queue', conversationId, position: i + 1, ahead: i, eta: b.etas[i] ?? null };
  }

  rememberPreview(conversationId: string, text: string): void {
    if (this.previews.size >= MAX_PREVIEWS) this.previews.delete(this.previews.keys().next().value!);
    this.previews.set(conversationId, text.slice(0, 140));
  }

  forget(conversationId: string): void {
    this.previews.delete(conversationId);
  }

  /** A chat ended somewhere in the cluster: its duration feeds the estimate of every node. */
  handled(scope: string, durationMs: number): void {
    this.handlingFor(scope).add(durationMs);
  }

  waitingStats(scope: string): { length: number; oldestEnqueuedAt: number | null } {
    const e = this.latest.get(scope)?.entries ?? [];
    return { length: e.length, oldestEnqueuedAt: e[0]?.enqueuedAt ?? null };
  }

  private async previewOf(conversationId: string, lastSeq: number): Promise<string> {
    const known = this.previews.get(conversationId);
    if (known !== undefined) return known;
    const recent = await this.deps.store.listMessages(conversationId, Math.max(0, lastSeq - 5));
    const last = recent.filter((m) => m.author === 'visitor').at(-1);
    const text = last ? last.text.slice(0, 140) : '';
    this.rememberPreview(conversationId, text);
    return text;
  }

  private handlingFor(scope: string): HandlingTimes {
    let h = this.handling.get(scope);
    if (!h) {
      h = new HandlingTimes();
      this.handling.set(scope, h);
    }
    return h;
  }
}
