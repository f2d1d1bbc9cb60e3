import type { ConversationView, OperatorStatus } from '@beseda/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../core/clock.js';
import { type Hub, topics } from '../hub/types.js';
import type { LiveStats } from '../ops/live-stats.js';
import type { RoutingPort } from '../routing/port.js';
import type { Conversation, Site, Store } from '../store/types.js';
import { ActiveChats } from './active-chats.js';
import { ConversationEnder } from './conversation-ender.js';
import { liveStats, openCounts } from './counts.js';
import { Delivery } from './delivery.js';
import { Directory, type DirectoryChange, type OperatorEntry } from './directory.js';
import { LocalSockets } from './local-sockets.js';
import { NodeLoop } from './node-loop.js';
import { OperatorService } from './operator-service.js';
import { Presence, type PresenceDelta } from './presence.js';
import { AliveStamp, PresenceRecord } from './presence-record.js';
import { type QueueBroadcast, QueueViews } from './queue-views.js';
import { Router } from './router.js';
import { applyTeamChanges, type TeamChangeDeps } from './site-teams.js';
import { conversationView } from './views.js';
import { VisitorService } from './visitor-service.js';

export interface RelayOptions {
  store: Store;
  hub: Hub;
  routing: RoutingPort;
  clock: Clock;
  log: FastifyBaseLogger;
  operatorGraceMs: number;
  clustered: boolean;
  nodeHeartbeatMs: number;
  /** Single node: the alive stamp (presence-record.ts) and how often it is rewritten. */
  aliveFile?: string;
  presenceHeartbeatMs?: number;
  /** Test-only fault switch (BESEDA_TEST_FAULT). */
  fault?: string;
}

/** Node-to-node control messages on the hub's control topic. */
export type ControlMessage =
  | { kind: 'directory'; change: DirectoryChange; from: string }
  | { kind: 'revoke_session'; sessionHash: string }
  | { kind: 'revoke_operator'; operatorId: string }
  | { kind: 'handled'; scope: string; ms: number };

/**
 * The application service between sockets and the routing state, assembled from cohesive parts:
 * visitor and operator services (what sockets ask), the router shell (routing decisions → stored and
 * published effects), presence and queue views (what clients see), the directory (accounts and sites) and
 * the node loop (deadlines, lease, rebuild). Each node holds only its own sockets and caches; the routing
 * state (memory or Redis) and the store (SQLite or PostgreSQL) are the shared truth.
 */
export class Relay {
  readonly directory: Directory;
  readonly presence: Presence;
  readonly sockets = new LocalSockets();
  readonly queues: QueueViews;
  readonly router: Router;
  readonly visitors: VisitorService;
  readonly operators: OperatorService;
  private readonly delivery: Delivery;
  private readonly active = new ActiveChats();
  private readonly loop: NodeLoop;
  /** Single node only: in a cluster the operators' consoles move to another node instead. */
  private readonly record: PresenceRecord | null;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly o: RelayOptions) {
    this.delivery = new Delivery(o.hub);
    this.directory = new Directory(o.store, o.hub);
    this.presence = new Presence(this.directory);
    this.queues = new QueueViews({
      routing: o.routing,
      store: o.store,
      delivery: this.delivery,
      presence: this.presence,
      directory: this.directory,
      sockets: this.sockets,
      clock: o.clock,
      log: o.log,
    });
    this.router = new Router({
      routing: o.routing,
      store: o.store,
      delivery: this.delivery,
      directory: this.directory,
      queues: this.queues,
      clock: o.clock,
      log: o.log,
      graceMs: o.operatorGraceMs,
      active: this.active,
      onLeaseLost: () => this.leaseLost(),
      onStateLost: () => this.loop.ensureComplete(),
      ...(o.fault ? { fault: o.fault } : {}),
    });
    const ender = new ConversationEnder({
      store: o.store,
      router: this.router,
      delivery: this.delivery,
      directory: this.directory,
      active: this.active,
      clock: o.clock,
    });
    const common = {
      store: o.store,
      router: this.router,
      delivery: this.delivery,
      directory: this.directory,
      presence: this.presence,
      queues: this.queues,
      ender,
      active: this.active,
      clock: o.clock,
    };
    this.visitors = new VisitorService(common);
    this.operators = new OperatorService({ ...common, routing: o.routing });
    this.loop = new NodeLoop(
      {
        routing: o.routing,
        router: this.router,
        store: o.store,
        directory: this.directory,
        clock: o.clock,
        log: o.log,
        reannounce: () => this.reannounce(),
      },
      { clustered: o.clustered, heartbeatMs: o.nodeHeartbeatMs, graceMs: o.operatorGraceMs },
    );
    this.record = o.clustered
      ? null
      : new PresenceRecord({
          store: o.store,
          directory: this.directory,
          presence: this.presence,
          clock: o.clock,
          log: o.log,
          stamp: o.aliveFile
            ? new AliveStamp(o.aliveFile, o.clock, o.presenceHeartbeatMs ?? 15_000, o.log)
            : null,
        });
    this.router.afterDispatch = () => void this.loop.armTick().catch(() => undefined);
  }

  async start(): Promise<void> {
    await this.directory.load();
    const hub = this.o.hub;
    this.unsubscribe.push(
      hub.subscribe(topics.presence(), (d) => void this.refreshPresence((d as PresenceDelta).operatorId)),
      hub.subscribe(topics.control(), (m) => void this.control(m as ControlMessage)),
      hub.onResubscribed(() => void this.sockets.catchUpAll()),
      this.presence.onChange((d) => this.schedulePresence(d.operatorId)),
    );
    for (const site of this.directory.allSites())
      for (const s of this.directory.scopesOfSite(site)) this.watchScope(s);
    await hub.ready();
    await this.record?.restarted();
    await this.loop.start();
    // Accounts and settings may have changed while this node was down: the routing state follows the store.
    for (const op of this.directory.allOperators())
      await this.router.dispatch({ type: 'operator_upsert', operator: this.directory.routingDef(op) });
    for (const site of this.directory.allSites())
      for (const scope of this.directory.scopesOfSite(site))
        await this.router.dispatch({
          type: 'scope_settings',
          scope,
          settings: this.directory.scopeSettings(site),
        });
    this.presence.reset(await this.o.routing.operators());
  }

  /** SIGTERM: this node's consoles go into grace (not offline) and its lease is dropped. */
  async stop(): Promise<void> {
    this.loop.stop();
    // A single node going down takes every operator offline with it: coverage must not count the downtime.
    // In a cluster the operators' consoles reconnect to another node within the grace period instead.
    await this.record?.shutdown();
    try {
      await this.router.run(await this.o.routing.leave());
    } catch (err) {
      this.o.log.error({ err }, 'leaving the cluster failed');
    }
    for (const u of this.unsubscribe) u();
  }

  // ---------- what HTTP routes and admin changes call ----------

  siteFor(siteId: string): Site | undefined {
    return this.directory.site(siteId);
  }

  operatorsOnline(siteId: string): boolean {
    return this.presence.anyoneOnline(siteId);
  }

  /** The site's teams and whether someone of each can take chats now (the widget's team choice). */
  teamsOnline(siteId: string): { id: string; name: string; online: boolean }[] {
    return (this.directory.site(siteId)?.teams ?? []).map((t) => ({
      id: t.id,
      name: t.name,
      online: this.presence.anyoneOnline(this.directory.chatScope(siteId, t.id)),
    }));
  }

  withinHours(siteId: string): boolean {
    return this.visitors.withinHours(siteId);
  }

  view(c: Conversation): ConversationView {
    return conversationView(c, (id) => this.directory.operatorName(id));
  }

  presenceOf(operatorId: string): { status: OperatorStatus; activeChats: number } | null {
    const op = this.directory.operator(operatorId);
    if (!op) return null;
    const live = this.presence.of(operatorId);
    return { status: live?.status ?? 'offline', activeChats: live?.load ?? 0 };
  }

  /** A site was created or changed (through any node): every node re-reads it, consoles re-read settings. */
  async refreshSite(siteId: string): Promise<void> {
    await this.applyDirectory({ kind: 'site', id: siteId });
    this.directory.announce({ kind: 'site', id: siteId });
  }

  async refreshOperator(operatorId: string): Promise<void> {
    const old = this.directory.operator(operatorId);
    const before = old ? this.directory.scopesOf(old) : [];
    await this.applyDirectory({ kind: 'operator', id: operatorId });
    this.directory.announce({ kind: 'operator', id: operatorId });
    const op = this.directory.operator(operatorId);
    if (op) await this.recordSitesChange(op, before);
    if (op) await this.router.dispatch({ type: 'operator_upsert', operator: this.directory.routingDef(op) });
    if (!op?.active) this.revokeOperator(operatorId);
  }

  /**
   * Coverage follows the sites an online operator serves (metrics/source.ts: an `online` event with another
   * site list continues the shared sites, opens the added and closes the removed ones), so a site added to
   * someone already online is covered from now, not from their next status change.
   */
  private async recordSitesChange(op: OperatorEntry, before: string[]): Promise<void> {
    const now = this.directory.scopesOf(op);
    const same = before.length === now.length && before.every((s) => now.includes(s));
    if (same || this.presence.of(op.id)?.status !== 'online') return;
    await this.o.store.appendEvent({
      siteId: null,
      conversationId: null,
      operatorId: op.id,
      type: 'operator_status',
      at: this.o.clock.now(),
      data: {
        status: 'online',
        reason: 'sites_changed',
        siteIds: [...op.siteIds],
        teamIds: this.directory.liveTeamIds(op),
      },
    });
  }

  /** Every console of the site re-reads its offline inbox (a status changed on any node). */
  inboxChanged(siteId: string, conversationId: string): void {
    this.delivery.toSiteOperators(siteId, { type: 'inbox_changed', siteId, conversationId });
  }

  async setCapacity(operatorId: string, capacity: number): Promise<void> {
    const op = this.directory.operator(operatorId);
    if (!op) return;
    op.capacity = capacity;
    await this.router.dispatch({ type: 'operator_upsert', operator: this.directory.routingDef(op) });
  }

  /** Logout or expiry: that session's consoles close on every node (4401). */
  revokeSession(sessionHash: string): void {
    this.delivery.internal(topics.control(), {
      kind: 'revoke_session',
      sessionHash,
    } satisfies ControlMessage);
  }

  /** Deactivation: every console of the operator closes on every node (their chats were requeued). */
  revokeOperator(operatorId: string): void {
    this.delivery.internal(topics.control(), {
      kind: 'revoke_operator',
      operatorId,
    } satisfies ControlMessage);
  }

  /** For health checks and tests: counts only, no internals. */
  stats() {
    return openCounts(this.statsDeps);
  }

  liveStats(): Promise<LiveStats> {
    return liveStats(this.statsDeps);
  }

  private get statsDeps() {
    const { directory, presence, queues, sockets } = this;
    return { directory, presence, queues, sockets, routing: this.o.routing, clock: this.o.clock };
  }

  /**
   * A delta only says "this operator changed": deltas from several nodes may arrive in any order, so the
   * mirror re-reads the routing state (reads on one connection come back in order, the last is the newest).
   */
  private async refreshPresence(operatorId: string): Promise<void> {
    try {
      const s = await this.o.routing.operator(operatorId);
      if (s)
        this.presence.apply({
          operatorId,
          status: s.status,
          chosen: s.chosen,
          load: s.load,
          capacity: s.capacity,
        });
    } catch (err) {
      this.o.log.warn({ err }, 'presence refresh failed');
    }
  }

  private readonly presenceChanged = new Set<string>();

  /**
   * Coalesced per tick, as deltas: each console gets the colleagues that changed since the last frame (O(1)
   * per change and console, not the whole list), e.g. a drain assigning ten chats is one frame.
   */
  private schedulePresence(operatorId: string): void {
    const first = this.presenceChanged.size === 0;
    this.presenceChanged.add(operatorId);
    if (!first) return;
    setImmediate(() => {
      const changed = [...this.presenceChanged];
      this.presenceChanged.clear();
      for (const h of this.sockets.operators.values()) {
        const op = this.directory.operator(h.operatorId);
        if (!op) continue;
        const operators = this.presence.viewsOf(changed, op.siteIds);
        if (operators.length > 0) h.send({ type: 'presence_delta', operators });
      }
    });
  }

  // ---------- node-to-node ----------

  private async control(m: ControlMessage): Promise<void> {
    try {
      switch (m.kind) {
        case 'directory':
          if (m.from !== this.o.hub.nodeId) await this.applyDirectory(m.change);
          return;
        case 'revoke_session':
          this.sockets.closeSession(m.sessionHash, 4401, 'session ended');
          return;
        case 'revoke_operator':
          this.sockets.closeOperator(m.operatorId, 4401, 'account deactivated');
          return;
        case 'handled':
          this.queues.handled(m.scope, m.ms);
          return;
      }
    } catch (err) {
      this.o.log.error({ err }, 'control message failed');
    }
  }

  private async applyDirectory(change: DirectoryChange): Promise<void> {
    const teamsBefore = change.kind === 'site' ? (this.directory.site(change.id)?.teams ?? []) : [];
    const row = await this.directory.reload(change);
    if (change.kind === 'site' && row) {
      const site = row as Site;
      for (const scope of this.directory.scopesOfSite(site)) {
        this.watchScope(scope);
        await this.router.dispatch({
          type: 'scope_settings',
          scope,
          settings: this.directory.scopeSettings(site),
        });
      }
      // Consoles re-read the settings at once (queue colours, auto-away) instead of on their next reconnect.
      this.delivery.toSiteOperators(change.id, { type: 'sites_changed', siteId: change.id });
      await applyTeamChanges(this.teamDeps, teamsBefore, site);
    }
  }

  private get teamDeps(): TeamChangeDeps {
    return { directory: this.directory, router: this.router, routing: this.o.routing, log: this.o.log };
  }

  private readonly watched = new Set<string>();
  private watchScope(scope: string): void {
    if (this.watched.has(scope)) return;
    this.watched.add(scope);
    this.unsubscribe.push(
      this.o.hub.subscribe(topics.scopeQueue(scope), (b) => this.queues.receive(b as QueueBroadcast)),
    );
  }

  /** After a rebuild or a lost lease: re-announce every console connected here. */
  private async reannounce(): Promise<void> {
    for (const h of this.sockets.operators.values())
      await this.o.routing
        .dispatch({ type: 'session_open', operatorId: h.operatorId, socketId: h.socketId })
        .then((effects) => this.router.run(effects))
        .catch((err) => this.o.log.error({ err }, 're-announcing a session failed'));
  }

  /** A node presumed dead must not act on stale decisions: its clients reconnect (maybe elsewhere). */
  private leaseLost(): void {
    this.o.log.warn('routing lease lost: closing local sockets');
    this.sockets.closeAll(1012, 'node rejoining');
  }
}
