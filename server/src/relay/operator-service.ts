import type { OperatorServerFrame, OperatorStatus } from '@beseda/shared';
import { chatAction, seesSite } from '../auth/roles.js';
import type { Clock } from '../core/clock.js';
import { BesedaError } from '../core/errors.js';
import { channels } from '../ops/channels.js';
import type { RoutingPort } from '../routing/port.js';
import type { ChatEventRecord, Conversation, Store } from '../store/types.js';
import { type ActiveChats, refusedAsStale } from './active-chats.js';
import type { ConversationEnder } from './conversation-ender.js';
import type { Delivery } from './delivery.js';
import type { Directory, OperatorEntry } from './directory.js';
import type { Presence } from './presence.js';
import type { QueueViews } from './queue-views.js';
import type { Router } from './router.js';
import { meView } from './views.js';

const MAX_TRACKED = 20_000;

interface ChatFacts {
  firstVisitorMessageAt: number | null;
  answered: boolean;
}

/**
 * Everything a console socket asks for. Authorisation answers "not found" alike for a chat of another
 * site and for one that does not exist, so ids cannot be probed.
 */
export class OperatorService {
  /** Per conversation, whether an operator replied yet: decides the first_reply event and the ring. */
  private readonly facts = new Map<string, ChatFacts>();

  constructor(
    private readonly d: {
      store: Store;
      routing: RoutingPort;
      router: Router;
      delivery: Delivery;
      directory: Directory;
      presence: Presence;
      queues: QueueViews;
      ender: ConversationEnder;
      active: ActiveChats;
      clock: Clock;
    },
  ) {}

  requireOperator(id: string): OperatorEntry {
    const op = this.d.directory.operator(id);
    if (!op?.active) throw new BesedaError('unauthorized', 'Operator account is not active');
    return op;
  }

  async connected(
    operatorId: string,
    socketId: string,
  ): Promise<{ welcome: OperatorServerFrame; chats: string[] }> {
    const op = this.requireOperator(operatorId);
    await this.d.router.dispatch({ type: 'session_open', operatorId, socketId });
    const state = await this.d.routing.operator(operatorId);
    const chats = (await this.d.store.listOpenConversations()).filter(
      (c) => c.operatorId === op.id && c.status === 'active',
    );
    const scopes = this.d.directory.scopesOf(op);
    await this.d.queues.ensure(scopes);
    const views = await Promise.all(chats.map((c) => this.d.router.view(c)));
    return {
      welcome: {
        type: 'welcome',
        v: 1,
        me: meView(op, state ?? undefined),
        chats: views,
        queue: this.d.queues.forScopes(scopes),
        operators: this.d.presence.listFor(op.siteIds),
      },
      chats: chats.map((c) => c.id),
    };
  }

  async disconnected(operatorId: string, socketId: string): Promise<void> {
    await this.d.router.dispatch({ type: 'session_close', operatorId, socketId });
  }

  /** Console input: the routing state restarts the auto-away countdown (and ends an automatic away). */
  async activity(operatorId: string): Promise<void> {
    this.requireOperator(operatorId);
    await this.d.router.dispatch({ type: 'activity', operatorId });
  }

  async setStatus(operatorId: string, status: OperatorStatus, capacity?: number): Promise<void> {
    const op = this.requireOperator(operatorId);
    await this.d.store.updateOperator(op.id, { status, ...(capacity !== undefined ? { capacity } : {}) });
    op.chosen = status;
    if (capacity !== undefined) op.capacity = capacity;
    this.d.directory.announce({ kind: 'operator', id: op.id });
    await this.d.router.dispatch({
      type: 'status',
      operatorId,
      chosen: status,
      ...(capacity !== undefined ? { capacity } : {}),
    });
  }

  async send(
    operatorId: string,
    conversationId: string,
    clientId: string,
    rawText: string,
    internal: boolean,
  ): Promise<OperatorServerFrame> {
    const text = rawText.trim();
    if (!text) throw new BesedaError('validation', 'Message text is empty');
    const op = this.requireOperator(operatorId);
    const known = this.d.active.get(conversationId);
    if (known && known.operatorId === op.id && seesSite(op, known.siteId)) {
      // The common case: no read first; the store checks the chat is still this operator's.
      try {
        return await this.store(op, known, clientId, text, internal);
      } catch (err) {
        if (!refusedAsStale(err)) throw err;
        this.d.active.forget(conversationId);
      }
    }
    for (let attempt = 0; ; attempt++) {
      const conv = await this.visible(op, conversationId);
      if (conv.status !== 'active' && conv.status !== 'queued') {
        // A retry of a message stored before the chat ended must still be acked, not refused.
        const prior = (await this.d.store.listMessages(conversationId, 0)).find(
          (m) => m.clientId === clientId,
        );
        if (prior) return { type: 'ack', clientId, conversationId, seq: prior.seq, at: prior.at };
        throw new BesedaError('invalid_state', 'This conversation is not open');
      }
      if (conv.operatorId !== op.id)
        throw new BesedaError('forbidden', 'This chat is assigned to another operator');
      this.d.active.remember(conv);
      try {
        return await this.store(op, conv, clientId, text, internal);
      } catch (err) {
        // It moved on between the read and the write: read again for the right answer, once.
        if (!refusedAsStale(err) || attempt > 0) throw err;
        this.d.active.forget(conversationId);
      }
    }
  }

  /** Stores an operator's message (and the first reply's event) while the chat is still theirs, then publishes. */
  private async store(
    op: OperatorEntry,
    chat: { id: string; siteId: string; visitorId: string },
    clientId: string,
    text: string,
    internal: boolean,
  ): Promise<OperatorServerFrame> {
    const conversationId = chat.id;
    const facts = internal ? null : await this.factsOf(conversationId);
    const at = this.d.clock.now();
    const events: ChatEventRecord[] = [];
    const firstReply = facts !== null && !facts.answered;
    if (firstReply)
      events.push({
        siteId: chat.siteId,
        conversationId,
        operatorId: op.id,
        type: 'first_reply',
        at,
        data: { frtMs: facts.firstVisitorMessageAt !== null ? at - facts.firstVisitorMessageAt : null },
      });
    const result = await this.d.store.commit({
      messages: [
        {
          conversationId,
          clientId,
          author: internal ? 'note' : 'operator',
          operatorId: op.id,
          authorName: op.name,
          text,
          at,
          requireActive: { operatorId: op.id },
        },
      ],
      events,
    });
    const appended = result.messages[0]!;
    if (!appended.duplicate) {
      if (channels.relayMessage.hasSubscribers)
        channels.relayMessage.publish({ author: internal ? 'note' : 'operator' });
      this.d.delivery.message(chat, appended.message, appended.prevPublic);
      if (firstReply && facts) {
        facts.answered = true;
        await this.d.router.dispatch({ type: 'answered', conversationId });
      }
    }
    return { type: 'ack', clientId, conversationId, seq: appended.message.seq, at: appended.message.at };
  }

  async transfer(
    operatorId: string,
    conversationId: string,
    toOperatorId: string,
    note?: string,
  ): Promise<void> {
    const from = this.requireOperator(operatorId);
    const conv = await this.visible(from, conversationId);
    if (conv.status !== 'active')
      throw new BesedaError('invalid_state', 'Only an active chat can be transferred');
    this.mayAct(from, conv);
    const to = this.d.directory.operator(toOperatorId);
    if (!to?.active || !to.siteIds.includes(conv.siteId))
      throw new BesedaError('not_found', 'No such operator for this site');
    if (to.id === conv.operatorId) throw new BesedaError('invalid_state', 'The chat is already theirs');
    await this.d.router.dispatch(
      { type: 'transfer', conversationId, toOperatorId },
      { by: from.id, ...(note !== undefined ? { note } : {}) },
    );
  }

  /**
   * Hands an active chat (or re-files a queued one) to a team of its site, or with null to the whole site:
   * it waits at the front of that queue (its original enqueue time) for the team's next free operator.
   */
  async transferToTeam(
    operatorId: string,
    conversationId: string,
    teamId: string | null,
    note?: string,
  ): Promise<void> {
    const from = this.requireOperator(operatorId);
    const conv = await this.visible(from, conversationId);
    if (conv.status !== 'active' && conv.status !== 'queued')
      throw new BesedaError('invalid_state', 'Only an open chat can be transferred');
    if (conv.status === 'active') this.mayAct(from, conv);
    const site = this.d.directory.site(conv.siteId);
    if (teamId !== null && !site?.teams.some((t) => t.id === teamId))
      throw new BesedaError('not_found', 'No such team for this site');
    const scope = this.d.directory.chatScope(conv.siteId, teamId);
    if (scope === this.d.directory.chatScope(conv.siteId, conv.teamId))
      throw new BesedaError(
        'invalid_state',
        conv.status === 'queued'
          ? 'The chat is already waiting for that team'
          : 'The chat is already with that team: transfer it to one of its operators',
      );
    await this.d.router.dispatch(
      { type: 'move', conversationId, scope },
      { by: from.id, ...(note !== undefined ? { note } : {}) },
    );
  }

  /** Replaces a conversation's tags (normalised); the chat frame tells every console that shows it. */
  async tags(operatorId: string, conversationId: string, tags: string[]): Promise<void> {
    const op = this.requireOperator(operatorId);
    const conv = await this.visible(op, conversationId);
    const clean = [
      ...new Set(tags.map((t) => t.trim().toLowerCase().replace(/\s+/g, '-')).filter(Boolean)),
    ].slice(0, 20);
    const saved = await this.d.store.updateConversation(conv.id, { tags: clean });
    const view = await this.d.router.view(saved);
    this.d.delivery.toConversation(conv.id, { type: 'chat', conversation: view });
    this.d.delivery.toOperator(op.id, { type: 'chat', conversation: view });
  }

  async pick(operatorId: string, conversationId: string): Promise<void> {
    const op = this.requireOperator(operatorId);
    const conv = await this.visible(op, conversationId);
    if (conv.status !== 'queued') throw new BesedaError('invalid_state', 'That visitor is no longer waiting');
    await this.d.router.dispatch({ type: 'pick', conversationId, operatorId });
  }

  async end(operatorId: string, conversationId: string): Promise<void> {
    const op = this.requireOperator(operatorId);
    const conv = await this.visible(op, conversationId);
    if (conv.status !== 'active' && conv.status !== 'queued')
      throw new BesedaError('invalid_state', 'This conversation is not open');
    this.mayAct(op, conv);
    await this.d.ender.end(conv, 'operator', op.id);
  }

  async sync(operatorId: string, conversationId: string, afterSeq: number): Promise<OperatorServerFrame> {
    const op = this.requireOperator(operatorId);
    await this.visible(op, conversationId);
    return {
      type: 'history',
      conversationId,
      messages: await this.d.store.listMessages(conversationId, afterSeq),
    };
  }

  async typing(operatorId: string, conversationId: string, active: boolean): Promise<void> {
    const known = this.d.active.get(conversationId);
    const conv = known ?? (await this.d.store.getConversation(conversationId));
    if (conv && conv.operatorId === operatorId && (known || (conv as Conversation).status === 'active'))
      this.d.delivery.toVisitor(conv.visitorId, { type: 'typing', conversationId, active });
  }

  /** The conversation if this operator may see its site; otherwise the same answer as for no such id. */
  private async visible(op: OperatorEntry, conversationId: string): Promise<Conversation> {
    const conv = await this.d.store.getConversation(conversationId);
    if (!conv || !seesSite(op, conv.siteId)) throw new BesedaError('not_found', 'Conversation not found');
    return conv;
  }

  /** Ending or transferring: the chat's operator, an owner of its site, or the installation admin. */
  private mayAct(op: OperatorEntry, conv: Conversation): void {
    const verdict = chatAction(op, conv);
    if (verdict !== 'ok') throw new BesedaError(verdict);
  }

  private async factsOf(conversationId: string): Promise<ChatFacts> {
    let f = this.facts.get(conversationId);
    if (f) return f;
    const messages = await this.d.store.listMessages(conversationId, 0);
    f = {
      firstVisitorMessageAt: messages.find((m) => m.author === 'visitor')?.at ?? null,
      answered: messages.some((m) => m.author === 'operator'),
    };
    if (this.facts.size >= MAX_TRACKED) this.facts.delete(this.facts.keys().next().value!);
    this.facts.set(conversationId, f);
    return f;
  }
}
