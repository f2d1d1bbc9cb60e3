import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../core/clock.js';
import type { RoutingPort, RoutingSnapshot } from '../routing/port.js';
import type { Store } from '../store/types.js';
import type { Directory } from './directory.js';
import type { Router } from './router.js';

export interface NodeLoopOptions {
  /** Cluster mode: heartbeats, sweeps of dead nodes and polling of shared timers. */
  clustered: boolean;
  heartbeatMs: number;
  graceMs: number;
  /** How often shared deadlines (ring, grace) are polled in cluster mode. */
  tickMs?: number;
}

/**
 * This node's clockwork, all on the injected clock (a FakeClock drives it in tests): fire routing
 * deadlines when they fall due, renew the node lease, reap dead nodes, and rebuild the routing state from
 * the store when it was lost (Redis FLUSHALL or a restart without persistence).
 */
export class NodeLoop {
  private cancelTick: (() => void) | null = null;
  private tickAt = Number.POSITIVE_INFINITY;
  private cancelBeat: (() => void) | null = null;
  private stopped = false;
  private ticking = false;

  constructor(
    private readonly d: {
      routing: RoutingPort;
      router: Router;
      store: Store;
      directory: Directory;
      clock: Clock;
      log: FastifyBaseLogger;
      /** After a rebuild or a rejoin: every local console re-announces its session. */
      reannounce(): Promise<void>;
    },
    private readonly opts: NodeLoopOptions,
  ) {}

  async start(): Promise<void> {
    // A single node's routing state starts empty with the process: it is always rebuilt from the store, with
    // every operator offline until their console reconnects (within the grace period they keep their chats).
    if (this.opts.clustered) await this.ensureComplete();
    else await this.rebuild('offline');
    if (this.opts.clustered) {
      await this.d.routing.heartbeat();
      this.beat();
    }
    await this.armTick();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTick?.();
    this.cancelBeat?.();
  }

  /** Single node: one timer at the earliest deadline. Cluster: also a steady poll (another node may set one). */
  async armTick(): Promise<void> {
    if (this.stopped) return;
    const next = await this.d.routing.nextDeadline();
    const now = this.d.clock.now();
    let at = next ?? Number.POSITIVE_INFINITY;
    if (this.opts.clustered) at = Math.min(at, now + (this.opts.tickMs ?? 250));
    if (at >= this.tickAt && this.cancelTick) return;
    this.cancelTick?.();
    if (!Number.isFinite(at)) {
      this.cancelTick = null;
      this.tickAt = Number.POSITIVE_INFINITY;
      return;
    }
    this.tickAt = at;
    this.cancelTick = this.d.clock.setTimer(at - now, () => {
      this.cancelTick = null;
      this.tickAt = Number.POSITIVE_INFINITY;
      void this.tick();
    });
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.ticking) return;
    this.ticking = true;
    try {
      await this.d.router.dispatch({ type: 'tick' });
    } catch (err) {
      this.d.log.error({ err }, 'routing tick failed');
    } finally {
      this.ticking = false;
      await this.armTick().catch(() => undefined);
    }
  }

  private beat(): void {
    if (this.stopped) return;
    this.cancelBeat = this.d.clock.setTimer(this.opts.heartbeatMs, () => {
      void this.heartbeat().finally(() => this.beat());
    });
  }

  private async heartbeat(): Promise<void> {
    try {
      if (!(await this.d.routing.heartbeat())) {
        this.d.log.warn('node lease had expired: rejoining');
        await this.d.reannounce();
      }
      // Lost state first: a sweep (or anything else) is refused until the state is rebuilt.
      await this.ensureComplete();
      await this.d.router.run(await this.d.routing.sweep());
    } catch (err) {
      this.d.log.error({ err }, 'node heartbeat failed');
    }
  }

  /** Rebuilds the routing state from the store (the source of truth) if it is missing. */
  async ensureComplete(): Promise<void> {
    if (!(await this.d.routing.isComplete())) await this.rebuild();
  }

  private async rebuild(startStatus?: 'offline'): Promise<void> {
    const snapshot = await this.snapshot(startStatus);
    const rebuilt = await this.d.routing.rebuild(snapshot, this.opts.graceMs);
    if (rebuilt) this.d.log.info({ chats: snapshot.chats.length }, 'routing state rebuilt from the store');
    // Another node holds the rebuild lock: wait (bounded) until its rebuild is in place.
    for (let i = 0; !rebuilt && i < 50 && !(await this.d.routing.isComplete()); i++)
      await new Promise<void>((resolve) => this.d.clock.setTimer(100, resolve));
    await this.d.reannounce();
  }

  private async snapshot(startStatus?: 'offline'): Promise<RoutingSnapshot> {
    const operators = (await this.d.store.listOperators()).map((op) => ({
      id: op.id,
      scopes: this.d.directory.scopesOf(op),
      capacity: op.capacity,
      chosen: op.status,
      active: op.active,
      ...(startStatus ? { status: startStatus } : {}),
    }));
    const chats = (await this.d.store.listOpenConversations())
      .filter((c) => c.status === 'queued' || c.status === 'active')
      .map((c) => ({
        conversationId: c.id,
        scope: this.d.directory.chatScope(c.siteId, c.teamId),
        status: c.status as 'queued' | 'active',
        operatorId: c.operatorId,
        enqueuedAt: c.enqueuedAt ?? c.createdAt,
        rev: c.routingRev,
      }));
    const settings = Object.fromEntries(
      this.d.directory
        .allSites()
        .flatMap((s) =>
          this.d.directory.scopesOfSite(s).map((scope) => [scope, this.d.directory.scopeSettings(s)]),
        ),
    );
    return { operators, chats, settings };
  }
}
