import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../core/clock.js';
import { BesedaError } from '../core/errors.js';
import { siteOfScope, teamOfScope } from '../core/teams.js';
import { topics } from '../hub/types.js';
import { channels } from '../ops/channels.js';
import { type RoutingEffect, type RoutingEvent, type RoutingPort, RoutingRefused } from '../routing/port.js';
import type { ChatEventRecord, Conversation, NewMessage, Store } from '../store/types.js';
import type { ActiveChats } from './active-chats.js';
import type { Delivery } from './delivery.js';
import type { Directory } from './directory.js';
import type { PresenceDelta } from './presence.js';
import type { QueueViews } from './queue-views.js';
import { systemText } from './system-text.js';
import { conversationView, meView } from './views.js';

type Effect<T extends RoutingEffect['type']> = Extract<RoutingEffect, { type: T }>;

/** Extra facts a caller attaches to the effects of its event (who transferred, with which note). */
export interface EffectContext {
  by?: string;
  note?: string;
}

export interface RouterDeps {
  routing: RoutingPort;
  store: Store;
  delivery: Delivery;
  directory: Directory;
  queues: QueueViews;
  /** This node's memory of active chats: learns assignments, forgets requeues. */
  active: ActiveChats;
  clock: Clock;
  log: FastifyBaseLogger;
  /** The operator grace period (when an effect does not say when the grace began). */
  graceMs: number;
  /** Called when the routing state says this node's lease expired: it must stop acting and rejoin. */
  onLeaseLost(): void;
  /** Called when the routing state was lost (Redis data loss): rebuild it from the store now. */
  onStateLost(): Promise<void>;
  /** Test-only fault switch (BESEDA_TEST_FAULT), e.g. `crash_after_claim`. */
  fault?: string;
}

/**
 * The shell around the routing decisions: one event in, effects out, and here the effects are carried
 * out — each claim written to the store in ONE unit of work fenced by its revision (a stale decision from
 * a paused or dead node can never overwrite a newer one), confirmed (or undone), then published. Nothing
 * is published before it is stored.
 */
export class Router {
  /** Set by the node loop: a dispatch may have created a deadline that needs a timer. */
  afterDispatch: () => void = () => {};

  constructor(private readonly d: RouterDeps) {}

  /** Whether the routing state knows this conversation (queued or active). */
  async knows(conversationId: string): Promise<boolean> {
    return (await this.d.routing.chat(conversationId)) !== null;
  }

  async dispatch(event: RoutingEvent, ctx: EffectContext = {}): Promise<RoutingEffect[]> {
    const started = performance.now();
    let effects: RoutingEffect[];
    try {
      effects = await this.d.routing.dispatch(event);
    } catch (err) {
      if (!(err instanceof RoutingRefused && err.reason === 'state_lost')) throw this.translate(err);
      // Redis lost its data: rebuild from the store (one node wins the lock, the others wait for it), retry.
      await this.d.onStateLost();
      try {
        effects = await this.d.routing.dispatch(event);
      } catch (again) {
        throw this.translate(again);
      }
    }
    await this.run(effects, ctx, started, performance.now());
    this.afterDispatch();
    return effects;
  }

  /** Runs effects that did not come from a dispatch of ours (a sweep of a dead node, a timer tick). */
  async run(
    effects: RoutingEffect[],
    ctx: EffectContext = {},
    started = performance.now(),
    decided = started,
  ): Promise<void> {
    // A move is stored first: an assignment decided right after it carries a higher rev, and written first
    // it would fence the move (and its team) out.
    for (const e of effects) if (e.type === 'moved') await this.moved(e, ctx);
    // Store writes first (they may run in one group commit), then what clients see of the new state.
    await Promise.all(
      effects.map((e) => {
        if (e.type === 'assigned') return this.assigned(e, ctx, started, decided);
        if (e.type === 'requeued') return this.requeued(e);
        if (e.type === 'orphaned_claim') return this.orphaned(e);
        return undefined;
      }),
    );
    for (const e of effects) {
      if (e.type === 'operator') await this.operator(e);
      else if (e.type === 'queue_changed') this.d.queues.markDirty(e.scope);
      else if (e.type === 'availability') {
        const teamId = teamOfScope(e.scope);
        this.d.delivery.toSiteVisitors(siteOfScope(e.scope), {
          type: 'availability',
          operatorsOnline: e.online,
          ...(teamId ? { teamId } : {}),
        });
      }
    }
  }

  private translate(err: unknown): unknown {
    if (!(err instanceof RoutingRefused)) return err;
    switch (err.reason) {
      case 'lease_lost':
        this.d.onLeaseLost();
        return new BesedaError('shutting_down', 'This node is rejoining the cluster, reconnect');
      case 'over_capacity':
        return new BesedaError('over_capacity', err.message);
      case 'operator_unavailable':
        return new BesedaError('operator_unavailable', err.message);
      case 'unknown_operator':
        return new BesedaError('not_found', 'No such operator for this site');
      default:
        return new BesedaError('invalid_state', err.message);
    }
  }

  private async assigned(
    e: Effect<'assigned'>,
    ctx: EffectContext,
    started: number,
    decided: number,
  ): Promise<void> {
    const now = this.d.clock.now();
    const op = this.d.directory.operator(e.operatorId);
    const name = op?.name ?? 'An operator';
    const transfer = e.reason === 'transfer';
    const messages: NewMessage[] = [];
    if (transfer && ctx.note?.trim())
      messages.push(
        this.system(e.conversationId, `Transfer note: ${ctx.note.trim()}`, ctx.by ?? null, 'note', ctx.by),
      );
    messages.push(
      this.system(
        e.conversationId,
        transfer ? systemText.tookOver(name) : systemText.joined(name),
        e.operatorId,
      ),
    );
    const event: ChatEventRecord = transfer
      ? {
          ...this.eventBase(siteOfScope(e.scope), e.conversationId, e.operatorId, 'transferred'),
          data: { from: e.previousOperatorId, to: e.operatorId, by: ctx.by ?? null, note: ctx.note ?? null },
        }
      : {
          ...this.eventBase(siteOfScope(e.scope), e.conversationId, e.operatorId, 'assigned'),
          data: { waitMs: now - e.enqueuedAt, reason: e.reason },
        };
    if (this.d.fault === 'crash_after_claim') process.kill(process.pid, 'SIGKILL');
    let result: Awaited<ReturnType<Store['commit']>>;
    const writing = performance.now();
    try {
      result = await this.d.store.commit({
        conversation: {
          id: e.conversationId,
          patch: transfer
            ? { operatorId: e.operatorId }
            : { status: 'active', operatorId: e.operatorId, assignedAt: now },
          fence: e.rev,
        },
        messages,
        events: [event],
      });
    } catch (err) {
      this.d.log.error({ err, conversationId: e.conversationId }, 'assignment could not be stored');
      await this.undo(e.conversationId, e.rev);
      return;
    }
    if (!result.applied || !result.conversation) {
      // A newer decision about this chat is already stored: ours is stale and must leave no trace.
      await this.undo(e.conversationId, e.rev);
      return;
    }
    // Stored is decided: the confirm only clears the claim's "pending" mark, which matters if this node dies
    // (a reaper finds the write in the store and confirms for us), and a confirm that arrives after a newer
    // decision is ignored by its rev. So the visitor and operator hear now, not one round trip later.
    const confirmed = this.d.routing
      .dispatch({ type: 'confirm', conversationId: e.conversationId, rev: e.rev })
      .catch((err) => this.d.log.warn({ err, conversationId: e.conversationId }, 'confirm failed'));
    if (channels.relayAssigned.hasSubscribers)
      channels.relayAssigned.publish({
        ms: performance.now() - started,
        decideMs: decided - started,
        storeMs: performance.now() - writing,
        via: e.reason,
        waitMs: transfer ? 0 : now - e.enqueuedAt,
      });
    await this.announceAssignment(result.conversation, e.previousOperatorId, result.messages);
    await confirmed;
  }

  /** Tells visitor and consoles about a stored assignment (also used to re-announce an orphaned one). */
  async announceAssignment(
    conv: Conversation,
    previousOperatorId: string | null,
    appended: { message: import('@beseda/shared').Message; prevPublic: number }[] = [],
  ): Promise<void> {
    if (!conv.operatorId) return;
    this.d.active.remember(conv);
    const view = await this.view(conv);
    const name = this.d.directory.operatorName(conv.operatorId) ?? 'Operator';
    this.d.delivery.toVisitor(conv.visitorId, {
      type: 'assigned',
      conversationId: conv.id,
      operator: { id: conv.operatorId, name },
    });
    this.d.delivery.toVisitor(conv.visitorId, { type: 'conversation', conversation: view });
    for (const a of appended) this.d.delivery.message(conv, a.message, a.prevPublic);
    // The new operator gets everything said so far (the messages that made the chat routable included).
    const history = await this.d.store.listMessages(conv.id, 0);
    this.d.delivery.toOperator(conv.operatorId, { type: 'chat', conversation: view });
    this.d.delivery.toOperator(conv.operatorId, {
      type: 'history',
      conversationId: conv.id,
      messages: history,
    });
    if (previousOperatorId && previousOperatorId !== conv.operatorId)
      this.d.delivery.toOperator(previousOperatorId, { type: 'chat', conversation: view });
  }

  private async undo(conversationId: string, rev: number): Promise<void> {
    try {
      const effects = await this.d.routing.dispatch({ type: 'unclaim', conversationId, rev });
      await this.run(effects);
    } catch (err) {
      this.d.log.error({ err, conversationId }, 'could not undo a claim');
    }
  }

  private async requeued(e: Effect<'requeued'>): Promise<void> {
    const event: ChatEventRecord = {
      ...this.eventBase(
        siteOfScope(e.scope),
        e.conversationId,
        e.operatorId,
        e.reason === 'ring_timeout' ? 'ring_timeout' : 'requeued',
      ),
      data: { reason: e.reason },
    };
    const result = await this.d.store.commit({
      conversation: {
        id: e.conversationId,
        patch: { status: 'queued', operatorId: null, assignedAt: null },
        fence: e.rev,
      },
      messages: [this.system(e.conversationId, systemText.backInQueue, e.operatorId)],
      events: [event],
    });
    if (!result.applied || !result.conversation) {
      this.d.log.warn({ conversationId: e.conversationId }, 'requeue fenced out by a newer decision');
      return;
    }
    const conv = result.conversation;
    this.d.active.forget(conv.id);
    const view = await this.view(conv);
    for (const a of result.messages) this.d.delivery.message(conv, a.message, a.prevPublic);
    this.d.delivery.toVisitor(conv.visitorId, { type: 'conversation', conversation: view });
    this.d.delivery.toOperator(e.operatorId, { type: 'chat', conversation: view });
    // Back in the queue of a team deleted while the chat was running: the whole site's queue takes it.
    const site = siteOfScope(e.scope);
    if (this.d.directory.chatScope(site, teamOfScope(e.scope)) !== e.scope)
      await this.dispatch({ type: 'move', conversationId: conv.id, scope: site }).catch((err) =>
        this.d.log.warn({ err, conversationId: conv.id }, 'could not move a chat out of a deleted team'),
      );
  }

  /**
   * A chat went to another queue (a transfer to a team, or its team was deleted): the team is stored with
   * the release from its operator, fenced like any routing write; visitor and consoles hear once stored.
   */
  private async moved(e: Effect<'moved'>, ctx: EffectContext): Promise<void> {
    const teamId = teamOfScope(e.scope);
    const team = teamId
      ? this.d.directory.site(siteOfScope(e.scope))?.teams.find((t) => t.id === teamId)
      : null;
    const messages: NewMessage[] = [];
    if (ctx.note?.trim())
      messages.push(
        this.system(e.conversationId, `Transfer note: ${ctx.note.trim()}`, ctx.by ?? null, 'note', ctx.by),
      );
    messages.push(
      this.system(e.conversationId, team ? systemText.toTeam(team.name) : systemText.toSite, e.operatorId),
    );
    const result = await this.d.store.commit({
      conversation: {
        id: e.conversationId,
        patch: { teamId, status: 'queued', operatorId: null, assignedAt: null },
        fence: e.rev,
      },
      messages,
      events: [
        {
          ...this.eventBase(siteOfScope(e.scope), e.conversationId, e.operatorId, 'team_changed'),
          data: { from: teamOfScope(e.fromScope), to: teamId, by: ctx.by ?? null },
        },
      ],
    });
    if (!result.applied || !result.conversation) {
      this.d.log.warn({ conversationId: e.conversationId }, 'move fenced out by a newer decision');
      return;
    }
    const conv = result.conversation;
    this.d.active.forget(conv.id);
    const view = await this.view(conv);
    for (const a of result.messages) this.d.delivery.message(conv, a.message, a.prevPublic);
    this.d.delivery.toVisitor(conv.visitorId, { type: 'conversation', conversation: view });
    if (e.operatorId) this.d.delivery.toOperator(e.operatorId, { type: 'chat', conversation: view });
  }

  /** A dead node claimed this chat: the store says whether its write happened. */
  private async orphaned(e: Effect<'orphaned_claim'>): Promise<void> {
    const conv = await this.d.store.getConversation(e.conversationId);
    if (conv && conv.routingRev >= e.rev) {
      await this.d.routing.dispatch({ type: 'confirm', conversationId: e.conversationId, rev: e.rev });
      await this.announceAssignment(conv, null);
    } else await this.undo(e.conversationId, e.rev);
  }

  private async operator(e: Effect<'operator'>): Promise<void> {
    const op = this.d.directory.operator(e.operatorId);
    if (!op) return;
    // An automatic away (no console activity) is not the operator's choice: the store keeps "online", so a
    // rebuilt routing state or a restart does not turn an idle spell into a chosen away.
    if (e.chosen !== op.chosen && e.reason !== 'auto_away') {
      // The routing state changed the operator's own choice (ring timeout sets them away): keep it durable.
      await this.d.store.updateOperator(op.id, { status: e.chosen });
      op.chosen = e.chosen;
      this.d.directory.announce({ kind: 'operator', id: op.id });
    }
    if (e.status !== e.previousStatus) {
      const event = this.eventBase(null, null, op.id, 'operator_status');
      // Grace ran out and no console came back: the operator was unreachable from the moment it began (the
      // last console closed, or their node died), so coverage ends there, not now.
      if (e.reason === 'grace_expired' && e.status === 'offline')
        event.at = Math.min(event.at, e.since ?? event.at - this.d.graceMs);
      await this.d.store.appendEvent({
        ...event,
        data: {
          status: e.status,
          reason: e.reason,
          siteIds: op.siteIds,
          teamIds: this.d.directory.liveTeamIds(op),
        },
      });
    }
    const delta: PresenceDelta = {
      operatorId: op.id,
      status: e.status,
      chosen: e.chosen,
      load: e.load,
      capacity: e.capacity,
    };
    this.d.delivery.internal(topics.presence(), delta);
    this.d.delivery.toOperator(op.id, { type: 'me', me: meView(op, delta) });
  }

  async view(conv: Conversation) {
    const visitor = await this.d.store.getVisitor(conv.visitorId);
    return conversationView(conv, (id) => this.d.directory.operatorName(id), {
      visitorVerified: visitor?.verified ?? false,
    });
  }

  private system(
    conversationId: string,
    text: string,
    operatorId: string | null,
    author: 'system' | 'note' = 'system',
    authorId?: string,
  ): NewMessage {
    return {
      conversationId,
      clientId: null,
      author,
      operatorId: authorId ?? operatorId,
      authorName: author === 'note' && authorId ? this.d.directory.operatorName(authorId) : null,
      text,
      at: this.d.clock.now(),
    };
  }

  private eventBase(
    siteId: string | null,
    conversationId: string | null,
    operatorId: string | null,
    type: ChatEventRecord['type'],
  ): ChatEventRecord {
    return { siteId, conversationId, operatorId, type, at: this.d.clock.now(), data: null };
  }
}
