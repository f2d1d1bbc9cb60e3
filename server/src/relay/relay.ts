import type {
  ConversationView,
  Message,
  OMe,
  OperatorServerFrame,
  OperatorStatus,
  Page,
  QueueEntry,
  Rating,
  VisitorServerFrame,
} from '@beseda/shared';
import type { FastifyBaseLogger } from 'fastify';
import { isWithinBusinessHours } from '../core/business-hours.js';
import { type Clock, systemClock } from '../core/clock.js';
import { isOpen, transition } from '../core/conversation.js';
import { BesedaError } from '../core/errors.js';
import { estimateWait, HandlingTimes } from '../core/eta.js';
import { type IdentityClaim, verifyIdentity } from '../core/identity.js';
import { planAssignments, type Waiting } from '../core/routing.js';
import { type Hub, topics } from '../hub/types.js';
import { notifyMetrics } from '../metrics/sqlite-metrics.js';
import type { Conversation, EventType, Operator, Site, Store, Visitor } from '../store/types.js';
import { KeyedMutex } from './keyed-mutex.js';
import type { LiveConversation, LiveOperator } from './live-state.js';
import { conversationView, presenceView } from './views.js';

export interface RelayOptions {
  store: Store;
  hub: Hub;
  clock?: Clock;
  log: FastifyBaseLogger;
  operatorGraceMs: number;
}

/** Hub payloads are the frames themselves; the socket that subscribed just forwards them. */
type VisitorTopicFrame = VisitorServerFrame;
type OperatorTopicFrame = OperatorServerFrame;

/**
 * The relay is the application service between sockets and the pure core. It owns the live state of one
 * node (operators' load, the queue, open conversations), makes every routing decision synchronously so
 * no operator is over capacity and no chat is assigned twice, persists before it publishes, and fans out
 * through the hub. Sockets call its methods; it never touches a socket itself.
 */
export class Relay {
  private readonly store: Store;
  private readonly hub: Hub;
  private readonly clock: Clock;
  private readonly log: FastifyBaseLogger;
  private readonly graceMs: number;

  private readonly sites = new Map<string, Site>();
  private readonly operators = new Map<string, LiveOperator>();
  private readonly open = new Map<string, LiveConversation>();
  private readonly openByVisitor = new Map<string, string>();
  private readonly queue: Waiting[] = [];
  private readonly handling = new Map<string, HandlingTimes>();
  private readonly visitorLock = new KeyedMutex();
  private readonly conversationLock = new KeyedMutex();
  private readonly siteAvailability = new Map<string, boolean>();
  private presencePending = false;
  /** Recent offline-form acks by clientId: a retried form must not create a second conversation. */
  private readonly offlineByClientId = new Map<string, VisitorServerFrame>();

  constructor(opts: RelayOptions) {
    this.store = opts.store;
    this.hub = opts.hub;
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log;
    this.graceMs = opts.operatorGraceMs;
  }

  /** Rebuilds live state from the store: queued chats go back in line, active ones back to their operator. */
  async start(): Promise<void> {
    for (const site of await this.store.listSites()) this.sites.set(site.id, site);
    for (const op of await this.store.listOperators()) this.trackOperator(op);
    for (const c of await this.store.listOpenConversations()) {
      const live = await this.hydrate(c);
      this.open.set(c.id, live);
      this.openByVisitor.set(c.visitorId, c.id);
      if (c.status === 'queued') {
        this.queue.push({ conversationId: c.id, siteId: c.siteId, enqueuedAt: c.enqueuedAt ?? c.createdAt });
      } else if (c.operatorId) {
        this.operators.get(c.operatorId)?.active.add(c.id);
      }
    }
    for (const siteId of this.sites.keys()) this.siteAvailability.set(siteId, this.anyoneOnline(siteId));
    // After a crash no shutdown event closed the online intervals: close them now, so coverage counts the
    // downtime at most up to this restart (a repeated offline after a clean shutdown changes nothing).
    const now = this.clock.now();
    for (const op of this.operators.values()) {
      if (op.chosenStatus === 'offline' || op.deactivated) continue;
      await this.store.appendEvent({
        siteId: null,
        conversationId: null,
        operatorId: op.id,
        type: 'operator_status',
        at: now,
        data: { status: 'offline', reason: 'restart', siteIds: op.siteIds },
      });
    }
  }

  /** Cancels grace timers; the store is closed by its own plugin. */
  async stop(): Promise<void> {
    for (const op of this.operators.values()) if (op.graceTimer) clearTimeout(op.graceTimer);
    for (const c of this.open.values()) this.stopRing(c);
    // Close every online interval: otherwise coverage would count the time the node is down.
    const now = this.clock.now();
    await Promise.all(
      [...this.operators.values()]
        .filter((op) => op.status !== 'offline')
        .map((op) =>
          this.store.appendEvent({
            siteId: null,
            conversationId: null,
            operatorId: op.id,
            type: 'operator_status',
            at: now,
            data: { status: 'offline', reason: 'shutdown', siteIds: op.siteIds },
          }),
        ),
    ).catch((err) => this.log.error({ err }, 'failed to record shutdown presence'));
  }

  // ---------- sites & operators known to the relay ----------

  async refreshSite(siteId: string): Promise<void> {
    const site = await this.store.getSite(siteId);
    if (!site) return;
    this.sites.set(site.id, site);
    // Consoles re-read the settings at once (queue colours, auto-away) instead of on their next reconnect.
    for (const op of this.operators.values()) {
      if (op.connections > 0 && op.siteIds.includes(site.id))
        this.toOperator(op.id, { type: 'sites_changed', siteId: site.id });
    }
    const online = this.anyoneOnline(site.id);
    if (this.siteAvailability.get(site.id) !== online) this.publishAvailability(site.id, online);
  }

  async refreshOperator(operatorId: string): Promise<void> {
    const op = await this.store.getOperator(operatorId);
    if (!op) return;
    const live = this.operators.get(op.id);
    if (!live) {
      this.trackOperator(op);
      return;
    }
    live.name = op.name;
    live.role = op.role;
    live.siteIds = op.siteIds;
    live.deactivated = !op.active;
    if (live.deactivated) this.applyStatus(live, 'offline', live.capacity, 'deactivated');
    this.publishPresence();
  }

  private trackOperator(op: Operator): void {
    this.operators.set(op.id, {
      id: op.id,
      name: op.name,
      email: op.email,
      role: op.role,
      siteIds: op.siteIds,
      chosenStatus: op.status,
      status: 'offline',
      capacity: op.capacity,
      active: new Set(),
      idleSince: this.clock.now(),
      connections: 0,
      graceTimer: null,
      deactivated: !op.active,
    });
  }

  siteFor(siteId: string): Site | undefined {
    return this.sites.get(siteId);
  }

  operatorsOnline(siteId: string): boolean {
    return this.anyoneOnline(siteId);
  }

  withinHours(siteId: string): boolean {
    const site = this.sites.get(siteId);
    return site ? isWithinBusinessHours(site.businessHours, site.timezone, this.clock.now()) : true;
  }

  // ---------- visitors ----------

  /** Answer to a visitor's hello: identity, the conversation to show, and the messages it missed. */
  async visitorHello(
    visitor: Visitor,
    token: string,
    hello: { conversationId?: string; lastSeq?: number; page?: Page; lang?: string; timezone?: string },
  ): Promise<VisitorServerFrame[]> {
    const now = this.clock.now();
    // One visitor write per hello (reconnect storms hit this path), plus the page view.
    await this.store.updateVisitor(visitor.id, {
      lastSeenAt: now,
      ...(hello.lang ? { lang: hello.lang } : {}),
      ...(hello.timezone && validTimezone(hello.timezone) ? { timezone: hello.timezone } : {}),
    });
    if (hello.page)
      await this.store.appendPageView({ visitorId: visitor.id, ...pageFields(hello.page), at: now });
    let conv: Conversation | null = null;
    const openId = this.openByVisitor.get(visitor.id);
    if (hello.conversationId && hello.conversationId !== openId) {
      const asked = await this.store.getConversation(hello.conversationId);
      // An old conversation is shown only to its own visitor (invariant 3) and only if nothing newer is open.
      if (asked && asked.visitorId === visitor.id && !openId) conv = asked;
    }
    if (!conv && openId) conv = this.open.get(openId) ?? null;
    const frames: VisitorServerFrame[] = [
      {
        type: 'welcome',
        v: 1,
        visitorId: visitor.id,
        token,
        conversation: conv ? this.view(conv) : null,
        operatorsOnline: this.anyoneOnline(visitor.siteId),
        withinHours: this.withinHours(visitor.siteId),
      },
    ];
    if (conv) {
      const after = hello.conversationId === conv.id ? (hello.lastSeq ?? 0) : 0;
      const messages = (await this.store.listMessages(conv.id, after)).filter((m) => m.author !== 'note');
      frames.push({ type: 'history', conversationId: conv.id, messages });
      const q = conv.status === 'queued' ? this.queueFrame(conv.id) : null;
      if (q) frames.push(q);
    }
    return frames;
  }

  async visitorSend(visitor: Visitor, clientId: string, rawText: string): Promise<VisitorServerFrame> {
    const text = rawText.trim();
    if (!text) throw new BesedaError('validation', 'Message text is empty');
    return this.visitorLock.run(visitor.id, async () => {
      const open = this.openFor(visitor.id);
      if (!open) {
        // A retry whose ack was lost while its chat ended must not open a new chat with the same words.
        const prior = await this.priorAck(visitor.id, clientId);
        if (prior) return prior;
      }
      const conv = open ?? (await this.startConversation(visitor));
      const { message, duplicate } = await this.store.appendMessage({
        conversationId: conv.id,
        clientId,
        author: 'visitor',
        operatorId: null,
        authorName: visitor.name,
        text,
        at: this.clock.now(),
      });
      if (!duplicate) this.afterVisitorMessage(conv, message);
      return { type: 'ack', clientId, conversationId: conv.id, seq: message.seq, at: message.at };
    });
  }

  /**
   * Leave-a-message: stored as an `offline` conversation with the visitor's name and email, which
   * operators find in the console and answer by email. Deduped by clientId like any message.
   */
  async visitorOfflineMessage(
    visitor: Visitor,
    form: { clientId: string; name: string; email: string; text: string },
  ): Promise<VisitorServerFrame> {
    const text = form.text.trim();
    if (!text) throw new BesedaError('validation', 'Message text is empty');
    return this.visitorLock.run(visitor.id, async () => {
      const prior =
        this.offlineByClientId.get(form.clientId) ?? (await this.priorAck(visitor.id, form.clientId));
      if (prior) return prior;
      const now = this.clock.now();
      const name = form.name.trim().slice(0, 200);
      const email = form.email.trim().toLowerCase();
      await this.store.updateVisitor(visitor.id, { name, email, lastSeenAt: now });
      const conv = await this.store.createConversation({
        siteId: visitor.siteId,
        visitorId: visitor.id,
        status: 'offline',
        createdAt: now,
        enqueuedAt: null,
        visitorName: name,
        visitorEmail: email,
      });
      const { message } = await this.store.appendMessage({
        conversationId: conv.id,
        clientId: form.clientId,
        author: 'visitor',
        operatorId: null,
        authorName: name,
        text,
        at: now,
      });
      await this.event('offline_message', conv, null, { email });
      const ack: VisitorServerFrame = {
        type: 'ack',
        clientId: form.clientId,
        conversationId: conv.id,
        seq: message.seq,
        at: message.at,
      };
      this.offlineByClientId.set(form.clientId, ack);
      if (this.offlineByClientId.size > 10_000)
        this.offlineByClientId.delete(this.offlineByClientId.keys().next().value!);
      for (const op of this.operators.values()) {
        if (op.connections > 0 && op.siteIds.includes(conv.siteId)) {
          this.toOperator(op.id, {
            type: 'offline',
            conversation: this.view({ ...conv, lastSeq: message.seq }),
            preview: text.slice(0, 140),
          });
        }
      }
      return ack;
    });
  }

  visitorTyping(visitor: Visitor, active: boolean, preview?: string): void {
    const conv = this.openFor(visitor.id);
    if (!conv?.operatorId) return;
    // The draft is forwarded only where the owner turned preview on (the widget discloses it).
    const withPreview = preview !== undefined && this.sites.get(conv.siteId)?.typingPreview;
    this.toOperator(conv.operatorId, {
      type: 'typing',
      conversationId: conv.id,
      active,
      ...(withPreview ? { preview: active ? preview : '' } : {}),
    });
  }

  /**
   * Who the visitor is, from the host page's JS API or the pre-chat form. A valid signature marks the
   * identity verified; an unsigned, expired or forged one is kept as unverified and never overwrites a
   * verified identity.
   */
  async visitorIdentify(
    visitor: Visitor,
    claim: IdentityClaim & { attributes?: Record<string, string | number | boolean> },
  ): Promise<VisitorServerFrame> {
    const site = this.sites.get(visitor.siteId);
    const verdict = site ? verifyIdentity(site.identitySecret, claim, this.clock.now()) : 'unsigned';
    const verified = verdict === 'verified';
    const patch: Parameters<Store['updateVisitor']>[1] = {};
    if (verified || !visitor.verified) {
      if (claim.name !== undefined) patch.name = claim.name.trim().slice(0, 200) || null;
      if (claim.email !== undefined) patch.email = claim.email.trim().toLowerCase().slice(0, 254) || null;
      if (claim.userId !== undefined) patch.userId = claim.userId;
      patch.verified = verified;
    }
    if (claim.attributes) patch.attributes = { ...visitor.attributes, ...claim.attributes };
    await this.store.updateVisitor(visitor.id, patch);
    Object.assign(visitor, patch);
    const conv = this.openFor(visitor.id);
    if (conv && (patch.name !== undefined || patch.email !== undefined)) {
      conv.visitorName = visitor.name;
      conv.visitorEmail = visitor.email;
      conv.visitorVerified = visitor.verified;
      await this.store.updateConversation(conv.id, {
        visitorName: visitor.name,
        visitorEmail: visitor.email,
      });
      if (conv.operatorId) this.toOperator(conv.operatorId, { type: 'chat', conversation: this.view(conv) });
    }
    return { type: 'identity', verified: visitor.verified, status: verdict };
  }

  async visitorEnd(visitor: Visitor): Promise<void> {
    await this.visitorLock.run(visitor.id, async () => {
      const conv = this.openFor(visitor.id);
      if (!conv) throw new BesedaError('invalid_state', 'There is no open conversation to end');
      await this.endConversation(conv, 'visitor', null);
    });
  }

  async visitorRate(
    visitor: Visitor,
    conversationId: string,
    rating: Rating,
    comment?: string,
  ): Promise<void> {
    const conv = await this.store.getConversation(conversationId);
    if (!conv || conv.visitorId !== visitor.id) throw new BesedaError('not_found', 'Conversation not found');
    if (conv.status !== 'ended') throw new BesedaError('invalid_state', 'Only an ended chat can be rated');
    const updated = await this.store.updateConversation(conv.id, {
      rating,
      ratingComment: comment?.trim() ? comment.trim() : null,
    });
    await this.event('rated', updated, updated.operatorId, { rating, comment: comment ?? null });
    const frame = { type: 'conversation', conversation: this.view(updated) } as const;
    this.toVisitor(conv.visitorId, frame);
    if (updated.operatorId)
      this.toOperator(updated.operatorId, { type: 'chat', conversation: this.view(updated) });
  }

  async visitorPage(visitor: Visitor, page: Page): Promise<void> {
    await this.store.updateVisitor(visitor.id, { lastSeenAt: this.clock.now() });
    await this.store.appendPageView({ visitorId: visitor.id, ...pageFields(page), at: this.clock.now() });
    const conv = this.openFor(visitor.id);
    if (conv?.operatorId)
      this.toOperator(conv.operatorId, {
        type: 'visitor_page',
        conversationId: conv.id,
        page: { url: page.url, title: page.title ?? null },
      });
  }

  /** The ack of a message this visitor already stored in their latest conversation, if any. */
  private async priorAck(visitorId: string, clientId: string): Promise<VisitorServerFrame | null> {
    const [latest] = await this.store.listVisitorConversations(visitorId, 1);
    if (!latest) return null;
    const found = (await this.store.listMessages(latest.id, 0)).find((m) => m.clientId === clientId);
    return found ? { type: 'ack', clientId, conversationId: latest.id, seq: found.seq, at: found.at } : null;
  }

  private openFor(visitorId: string): LiveConversation | null {
    const id = this.openByVisitor.get(visitorId);
    return id ? (this.open.get(id) ?? null) : null;
  }

  private async startConversation(visitor: Visitor): Promise<LiveConversation> {
    const now = this.clock.now();
    const c = await this.store.createConversation({
      siteId: visitor.siteId,
      visitorId: visitor.id,
      status: 'queued',
      createdAt: now,
      enqueuedAt: now,
      visitorName: visitor.name,
      visitorEmail: visitor.email,
    });
    const live: LiveConversation = {
      ...c,
      waitingSince: null,
      firstVisitorMessageAt: null,
      firstReplyAt: null,
      preview: '',
      visitorVerified: visitor.verified,
      ringTimer: null,
    };
    this.open.set(c.id, live);
    this.openByVisitor.set(visitor.id, c.id);
    this.queue.push({ conversationId: c.id, siteId: c.siteId, enqueuedAt: now });
    await this.event('enqueued', c, null, null);
    this.toVisitor(visitor.id, { type: 'conversation', conversation: this.view(live) });
    return live;
  }

  private afterVisitorMessage(conv: LiveConversation, message: Message): void {
    conv.lastSeq = Math.max(conv.lastSeq, message.seq);
    conv.preview = message.text.slice(0, 140);
    conv.waitingSince ??= message.at;
    conv.firstVisitorMessageAt ??= message.at;
    this.toVisitor(conv.visitorId, { type: 'message', message });
    // No chat frame per message: consoles derive waitingSince and previews from the messages themselves.
    if (conv.operatorId) this.toOperator(conv.operatorId, { type: 'message', message });
    if (conv.status === 'queued') {
      // The first message is what makes a chat worth routing; drain also refreshes every queue view.
      this.drain(conv.siteId);
    }
  }

  // ---------- operators ----------

  operatorConnected(operatorId: string): OperatorServerFrame {
    const op = this.operators.get(operatorId);
    if (!op || op.deactivated) throw new BesedaError('unauthorized', 'Operator account is not active');
    op.connections += 1;
    if (op.graceTimer) {
      clearTimeout(op.graceTimer);
      op.graceTimer = null;
    }
    if (op.status !== op.chosenStatus) this.applyStatus(op, op.chosenStatus, op.capacity, 'connected');
    return {
      type: 'welcome',
      v: 1,
      me: this.me(op),
      chats: [...op.active]
        .map((id) => this.open.get(id))
        .filter((c): c is LiveConversation => !!c)
        .map((c) => this.view(c)),
      queue: this.queueFor(op),
      operators: this.presenceFor(op),
    };
  }

  /** The last console closed: stay online for a grace period (a reload), then go offline. */
  operatorDisconnected(operatorId: string): void {
    const op = this.operators.get(operatorId);
    if (!op) return;
    op.connections = Math.max(0, op.connections - 1);
    if (op.connections > 0 || op.graceTimer) return;
    op.graceTimer = setTimeout(() => {
      op.graceTimer = null;
      if (op.connections === 0) this.applyStatus(op, 'offline', op.capacity, 'disconnected');
    }, this.graceMs);
    op.graceTimer.unref?.();
  }

  async operatorSetStatus(operatorId: string, status: OperatorStatus, capacity?: number): Promise<void> {
    const op = this.requireOperator(operatorId);
    op.chosenStatus = status;
    await this.store.updateOperator(op.id, { status, ...(capacity !== undefined ? { capacity } : {}) });
    this.applyStatus(op, status, capacity ?? op.capacity, 'chosen');
  }

  async operatorSend(
    operatorId: string,
    conversationId: string,
    clientId: string,
    rawText: string,
    internal: boolean,
  ): Promise<OperatorServerFrame> {
    const text = rawText.trim();
    if (!text) throw new BesedaError('validation', 'Message text is empty');
    const op = this.requireOperator(operatorId);
    return this.conversationLock.run(conversationId, async () => {
      const conv = this.open.get(conversationId);
      if (!conv) {
        // A retry of a message already stored before the chat ended must still be acked, not refused.
        const stored = await this.store.getConversation(conversationId);
        if (stored && this.canSee(op, stored.siteId)) {
          const prior = (await this.store.listMessages(conversationId, 0)).find(
            (m) => m.clientId === clientId,
          );
          if (prior) return { type: 'ack', clientId, conversationId, seq: prior.seq, at: prior.at };
        }
        throw new BesedaError('invalid_state', 'This conversation is not open');
      }
      if (!this.canSee(op, conv.siteId)) throw new BesedaError('forbidden');
      if (conv.operatorId !== op.id)
        throw new BesedaError('forbidden', 'This chat is assigned to another operator');
      const { message, duplicate } = await this.store.appendMessage({
        conversationId,
        clientId,
        author: internal ? 'note' : 'operator',
        operatorId: op.id,
        authorName: op.name,
        text,
        at: this.clock.now(),
      });
      if (!duplicate) {
        conv.lastSeq = Math.max(conv.lastSeq, message.seq);
        if (!internal) {
          conv.waitingSince = null;
          this.stopRing(conv);
          if (conv.firstReplyAt === null) {
            conv.firstReplyAt = message.at;
            await this.event('first_reply', conv, op.id, {
              frtMs: conv.firstVisitorMessageAt !== null ? message.at - conv.firstVisitorMessageAt : null,
            });
          }
          this.toVisitor(conv.visitorId, { type: 'message', message });
        }
        this.toOperator(op.id, { type: 'message', message });
      }
      return { type: 'ack', clientId, conversationId, seq: message.seq, at: message.at };
    });
  }

  /**
   * Hands an active chat to another online operator of the site with free capacity. The visitor sees a
   * system message; the optional note is stored as an internal note; the assignment history is in events.
   */
  async operatorTransfer(
    operatorId: string,
    conversationId: string,
    toOperatorId: string,
    note?: string,
  ): Promise<void> {
    const from = this.requireOperator(operatorId);
    await this.conversationLock.run(conversationId, async () => {
      const conv = this.open.get(conversationId);
      if (conv?.status !== 'active')
        throw new BesedaError('invalid_state', 'Only an active chat can be transferred');
      if (conv.operatorId !== from.id && from.role !== 'owner') throw new BesedaError('forbidden');
      const to = this.operators.get(toOperatorId);
      if (!to || to.deactivated || !this.canSee(to, conv.siteId))
        throw new BesedaError('not_found', 'No such operator for this site');
      if (to.id === conv.operatorId) throw new BesedaError('invalid_state', 'The chat is already theirs');
      if (to.status !== 'online') throw new BesedaError('operator_unavailable', `${to.name} is not online`);
      if (to.active.size >= to.capacity)
        throw new BesedaError('over_capacity', `${to.name} has no free capacity`);
      const prev = conv.operatorId ? this.operators.get(conv.operatorId) : undefined;
      const now = this.clock.now();
      this.stopRing(conv);
      // Decide in memory first (no await in between), so capacity cannot be overfilled by a race.
      conv.status = transition(conv.status, 'transfer');
      prev?.active.delete(conv.id);
      if (prev && prev.active.size === 0) prev.idleSince = now;
      to.active.add(conv.id);
      conv.operatorId = to.id;
      await this.store.updateConversation(conv.id, { operatorId: to.id });
      await this.event('transferred', conv, to.id, {
        from: prev?.id ?? null,
        to: to.id,
        by: from.id,
        note: note ?? null,
      });
      if (note?.trim()) {
        const { message: noteMsg } = await this.store.appendMessage({
          conversationId: conv.id,
          clientId: null,
          author: 'note',
          operatorId: from.id,
          authorName: from.name,
          text: `Transfer note: ${note.trim()}`,
          at: now,
        });
        conv.lastSeq = Math.max(conv.lastSeq, noteMsg.seq);
      }
      const { message } = await this.store.appendMessage({
        conversationId: conv.id,
        clientId: null,
        author: 'system',
        operatorId: to.id,
        authorName: null,
        text: `${from.name === to.name ? 'Another operator' : to.name} took over the chat`,
        at: now,
      });
      conv.lastSeq = Math.max(conv.lastSeq, message.seq);
      const view = this.view(conv);
      this.toVisitor(conv.visitorId, {
        type: 'assigned',
        conversationId: conv.id,
        operator: { id: to.id, name: to.name },
      });
      this.toVisitor(conv.visitorId, { type: 'message', message });
      this.toVisitor(conv.visitorId, { type: 'conversation', conversation: view });
      const history = await this.store.listMessages(conv.id, 0);
      this.toOperator(to.id, { type: 'chat', conversation: view });
      this.toOperator(to.id, { type: 'history', conversationId: conv.id, messages: history });
      this.toOperator(to.id, { type: 'me', me: this.me(to) });
      if (prev) {
        this.toOperator(prev.id, { type: 'chat', conversation: view });
        this.toOperator(prev.id, { type: 'me', me: this.me(prev) });
      }
      this.publishPresence();
      this.drain(conv.siteId);
    });
  }

  /** Replaces a conversation's tags (normalised); the chat frame tells every console that shows it. */
  async operatorTags(operatorId: string, conversationId: string, tags: string[]): Promise<void> {
    const op = this.requireOperator(operatorId);
    const conv = this.open.get(conversationId) ?? (await this.store.getConversation(conversationId));
    if (!conv || !this.canSee(op, conv.siteId)) throw new BesedaError('not_found', 'Conversation not found');
    const clean = [
      ...new Set(tags.map((t) => t.trim().toLowerCase().replace(/\s+/g, '-')).filter(Boolean)),
    ].slice(0, 20);
    const saved = await this.store.updateConversation(conv.id, { tags: clean });
    const live = this.open.get(conv.id);
    if (live) live.tags = clean;
    const view = this.view(live ?? saved);
    const notify = new Set([op.id, ...(saved.operatorId ? [saved.operatorId] : [])]);
    for (const id of notify) this.toOperator(id, { type: 'chat', conversation: view });
  }

  /** Capacity changed by an owner in admin: routing and every view follow at once. */
  async setCapacity(operatorId: string, capacity: number): Promise<void> {
    const op = this.operators.get(operatorId);
    if (op) this.applyStatus(op, op.chosenStatus, capacity, 'capacity');
  }

  presenceOf(operatorId: string): { status: OperatorStatus; activeChats: number } | null {
    const op = this.operators.get(operatorId);
    return op ? { status: op.status, activeChats: op.active.size } : null;
  }

  operatorTyping(operatorId: string, conversationId: string, active: boolean): void {
    const conv = this.open.get(conversationId);
    if (conv && conv.operatorId === operatorId) {
      this.toVisitor(conv.visitorId, { type: 'typing', conversationId, active });
    }
  }

  /** Manual pick from the queue; still respects capacity. */
  async operatorPick(operatorId: string, conversationId: string): Promise<void> {
    const op = this.requireOperator(operatorId);
    const idx = this.queue.findIndex((w) => w.conversationId === conversationId);
    const conv = this.open.get(conversationId);
    if (idx < 0 || !conv || conv.status !== 'queued')
      throw new BesedaError('invalid_state', 'That visitor is no longer waiting');
    if (!this.canSee(op, conv.siteId)) throw new BesedaError('not_found', 'Conversation not found');
    if (op.status !== 'online') throw new BesedaError('operator_unavailable', 'Go online to take chats');
    if (op.active.size >= op.capacity) throw new BesedaError('over_capacity');
    await this.assign(conv, op);
    this.publishQueue(conv.siteId);
  }

  async operatorEnd(operatorId: string, conversationId: string): Promise<void> {
    const op = this.requireOperator(operatorId);
    await this.conversationLock.run(conversationId, async () => {
      const conv = this.open.get(conversationId);
      if (!conv) throw new BesedaError('invalid_state', 'This conversation is not open');
      if (conv.operatorId !== op.id && op.role !== 'owner') throw new BesedaError('forbidden');
      await this.endConversation(conv, 'operator', op.id);
    });
  }

  async operatorSync(
    operatorId: string,
    conversationId: string,
    afterSeq: number,
  ): Promise<OperatorServerFrame> {
    const op = this.requireOperator(operatorId);
    const conv = this.open.get(conversationId) ?? (await this.store.getConversation(conversationId));
    if (!conv || !this.canSee(op, conv.siteId)) throw new BesedaError('not_found', 'Conversation not found');
    return {
      type: 'history',
      conversationId,
      messages: await this.store.listMessages(conversationId, afterSeq),
    };
  }

  canSee(op: { siteIds: readonly string[] }, siteId: string): boolean {
    return op.siteIds.includes(siteId);
  }

  private requireOperator(id: string): LiveOperator {
    const op = this.operators.get(id);
    if (!op || op.deactivated) throw new BesedaError('unauthorized', 'Operator account is not active');
    return op;
  }

  private me(op: LiveOperator): OMe {
    return {
      id: op.id,
      name: op.name,
      email: op.email,
      role: op.role,
      status: op.status,
      capacity: op.capacity,
    };
  }

  private applyStatus(op: LiveOperator, chosen: OperatorStatus, capacity: number, reason: string): void {
    const live: OperatorStatus = op.connections > 0 || op.graceTimer ? chosen : 'offline';
    const effective = op.deactivated ? 'offline' : live;
    const changed = effective !== op.status;
    const sitesBefore = new Map(op.siteIds.map((s) => [s, this.anyoneOnline(s)] as const));
    op.capacity = capacity;
    if (changed) {
      op.status = effective;
      if (effective === 'online') op.idleSince = this.clock.now();
      void this.store
        .appendEvent({
          siteId: null,
          conversationId: null,
          operatorId: op.id,
          type: 'operator_status',
          at: this.clock.now(),
          data: { status: effective, reason, siteIds: op.siteIds },
        })
        .then(() => notifyMetrics(this.store))
        .catch((err) => this.log.error({ err }, 'failed to record operator status'));
    }
    this.toOperator(op.id, { type: 'me', me: this.me(op) });
    this.publishPresence();
    for (const [siteId, before] of sitesBefore) {
      const now = this.anyoneOnline(siteId);
      if (now !== before) this.publishAvailability(siteId, now);
    }
    for (const siteId of op.siteIds) this.drain(siteId);
  }

  // ---------- routing ----------

  /** Assigns waiting visitors of a site while capacity allows, then refreshes every queue view. */
  private drain(siteId: string): void {
    const waiting = this.queue.filter(
      (w) => w.siteId === siteId && (this.open.get(w.conversationId)?.firstVisitorMessageAt ?? null) !== null,
    );
    const loads = [...this.operators.values()].map((o) => ({
      id: o.id,
      status: o.status,
      capacity: o.capacity,
      active: o.active.size,
      idleSince: o.idleSince,
      siteIds: o.siteIds,
    }));
    const plan = planAssignments(waiting, loads);
    const work = plan.map(({ conversationId, operatorId }) => {
      const conv = this.open.get(conversationId);
      const op = this.operators.get(operatorId);
      return conv && op ? this.assign(conv, op) : Promise.resolve();
    });
    this.publishQueue(siteId);
    void Promise.all(work).catch((err) => this.log.error({ err }, 'assignment failed'));
  }

  /**
   * The decision is applied to memory synchronously (so a concurrent drain cannot pick the same chat or
   * overfill the operator); persistence and notifications follow.
   */
  private async assign(conv: LiveConversation, op: LiveOperator): Promise<void> {
    const now = this.clock.now();
    const idx = this.queue.findIndex((w) => w.conversationId === conv.id);
    if (idx >= 0) this.queue.splice(idx, 1);
    conv.status = transition(conv.status, 'assign');
    conv.operatorId = op.id;
    conv.assignedAt = now;
    op.active.add(conv.id);
    const saved = await this.store.updateConversation(conv.id, {
      status: 'active',
      operatorId: op.id,
      assignedAt: now,
    });
    conv.lastSeq = Math.max(conv.lastSeq, saved.lastSeq);
    await this.event('assigned', conv, op.id, { waitMs: now - (conv.enqueuedAt ?? conv.createdAt) });
    const { message } = await this.store.appendMessage({
      conversationId: conv.id,
      clientId: null,
      author: 'system',
      operatorId: op.id,
      authorName: null,
      text: `${op.name} joined the chat`,
      at: now,
    });
    conv.lastSeq = Math.max(conv.lastSeq, message.seq);
    this.startRing(conv, op);
    this.toVisitor(conv.visitorId, {
      type: 'assigned',
      conversationId: conv.id,
      operator: { id: op.id, name: op.name },
    });
    this.toVisitor(conv.visitorId, { type: 'conversation', conversation: this.view(conv) });
    this.toVisitor(conv.visitorId, { type: 'message', message });
    // The operator gets everything said so far (the messages that made the chat routable included).
    const history = await this.store.listMessages(conv.id, 0);
    this.toOperator(op.id, { type: 'chat', conversation: this.view(conv) });
    this.toOperator(op.id, { type: 'history', conversationId: conv.id, messages: history });
    this.toOperator(op.id, { type: 'me', me: this.me(op) });
    this.publishPresence();
  }

  private async endConversation(
    conv: LiveConversation,
    by: 'visitor' | 'operator',
    operatorId: string | null,
  ) {
    const now = this.clock.now();
    const wasQueued = conv.status === 'queued';
    this.stopRing(conv);
    const status = transition(conv.status, wasQueued ? 'miss' : 'end');
    this.open.delete(conv.id);
    if (this.openByVisitor.get(conv.visitorId) === conv.id) this.openByVisitor.delete(conv.visitorId);
    const idx = this.queue.findIndex((w) => w.conversationId === conv.id);
    if (idx >= 0) this.queue.splice(idx, 1);
    const op = conv.operatorId ? this.operators.get(conv.operatorId) : undefined;
    if (op) {
      op.active.delete(conv.id);
      if (op.active.size === 0) op.idleSince = now;
    }
    if (conv.assignedAt !== null) this.handlingFor(conv.siteId).add(now - conv.assignedAt);
    const { message } = await this.store.appendMessage({
      conversationId: conv.id,
      clientId: null,
      author: 'system',
      operatorId,
      authorName: null,
      text: by === 'visitor' ? 'The visitor ended the chat' : `${op?.name ?? 'The operator'} ended the chat`,
      at: now,
    });
    const saved = await this.store.updateConversation(conv.id, { status, endedAt: now });
    await this.event(wasQueued ? 'missed' : 'ended', saved, operatorId, { by });
    const view = this.view(saved);
    this.toVisitor(conv.visitorId, { type: 'message', message });
    this.toVisitor(conv.visitorId, { type: 'conversation', conversation: view });
    if (op) {
      this.toOperator(op.id, { type: 'message', message });
      this.toOperator(op.id, { type: 'chat', conversation: view });
      this.toOperator(op.id, { type: 'me', me: this.me(op) });
    }
    this.publishPresence();
    this.drain(conv.siteId);
  }

  /**
   * Ring timeout: an operator who does not answer a newly assigned chat within the site's time loses it.
   * The chat goes back to the head of the queue (original enqueue time) and the operator is set away,
   * as LiveChat-style tools do, so the next operator gets it instead of the same unattended console.
   */
  private startRing(conv: LiveConversation, op: LiveOperator): void {
    const seconds = this.sites.get(conv.siteId)?.ringTimeoutSeconds ?? 0;
    if (seconds <= 0 || conv.firstReplyAt !== null) return;
    this.stopRing(conv);
    conv.ringTimer = setTimeout(() => {
      conv.ringTimer = null;
      void this.ringExpired(conv.id, op.id).catch((err) => this.log.error({ err }, 'ring timeout failed'));
    }, seconds * 1000);
    conv.ringTimer.unref?.();
  }

  private stopRing(conv: LiveConversation): void {
    if (conv.ringTimer) clearTimeout(conv.ringTimer);
    conv.ringTimer = null;
  }

  private async ringExpired(conversationId: string, operatorId: string): Promise<void> {
    await this.conversationLock.run(conversationId, async () => {
      const conv = this.open.get(conversationId);
      const op = this.operators.get(operatorId);
      if (
        !conv ||
        !op ||
        conv.status !== 'active' ||
        conv.operatorId !== operatorId ||
        conv.firstReplyAt !== null
      )
        return;
      const now = this.clock.now();
      conv.status = transition(conv.status, 'unassign');
      conv.operatorId = null;
      conv.assignedAt = null;
      op.active.delete(conv.id);
      if (op.active.size === 0) op.idleSince = now;
      this.queue.push({
        conversationId: conv.id,
        siteId: conv.siteId,
        enqueuedAt: conv.enqueuedAt ?? conv.createdAt,
      });
      await this.store.updateConversation(conv.id, { status: 'queued', operatorId: null, assignedAt: null });
      await this.event('ring_timeout', conv, op.id, {
        seconds: this.sites.get(conv.siteId)?.ringTimeoutSeconds ?? 0,
      });
      const view = this.view(conv);
      this.toOperator(op.id, { type: 'chat', conversation: view });
      this.toVisitor(conv.visitorId, { type: 'conversation', conversation: view });
      op.chosenStatus = 'away';
      await this.store.updateOperator(op.id, { status: 'away' });
      this.applyStatus(op, 'away', op.capacity, 'ring_timeout');
    });
  }

  private handlingFor(siteId: string): HandlingTimes {
    let h = this.handling.get(siteId);
    if (!h) {
      h = new HandlingTimes();
      this.handling.set(siteId, h);
    }
    return h;
  }

  // ---------- queue views ----------

  private siteQueue(siteId: string): Waiting[] {
    return this.queue.filter((w) => w.siteId === siteId).sort((a, b) => a.enqueuedAt - b.enqueuedAt);
  }

  private onlineCapacity(siteId: string): number {
    let c = 0;
    for (const o of this.operators.values())
      if (o.status === 'online' && o.siteIds.includes(siteId)) c += o.capacity;
    return c;
  }

  private queueFrame(conversationId: string): VisitorServerFrame | null {
    const conv = this.open.get(conversationId);
    if (!conv) return null;
    const line = this.siteQueue(conv.siteId);
    const i = line.findIndex((w) => w.conversationId === conversationId);
    if (i < 0) return null;
    return {
      type: 'queue',
      conversationId,
      position: i + 1,
      ahead: i,
      eta: estimateWait(
        i + 1,
        this.onlineCapacity(conv.siteId),
        this.handlingFor(conv.siteId).average(),
        this.handlingFor(conv.siteId).count(),
      ),
    };
  }

  private queueFor(op: LiveOperator): QueueEntry[] {
    const out: QueueEntry[] = [];
    for (const siteId of op.siteIds) {
      this.siteQueue(siteId).forEach((w, i) => {
        const c = this.open.get(w.conversationId);
        if (!c) return;
        out.push({
          conversationId: c.id,
          siteId,
          visitorId: c.visitorId,
          visitorName: c.visitorName,
          enqueuedAt: w.enqueuedAt,
          position: i + 1,
          preview: c.preview,
        });
      });
    }
    return out.sort((a, b) => a.enqueuedAt - b.enqueuedAt);
  }

  private publishQueue(siteId: string): void {
    // One pass over the line: position, capacity and average are computed once, not per waiting visitor.
    const line = this.siteQueue(siteId);
    const capacity = this.onlineCapacity(siteId);
    const handling = this.handlingFor(siteId);
    const avg = handling.average();
    const samples = handling.count();
    line.forEach((w, i) => {
      const conv = this.open.get(w.conversationId);
      if (!conv) return;
      this.toVisitor(conv.visitorId, {
        type: 'queue',
        conversationId: conv.id,
        position: i + 1,
        ahead: i,
        eta: estimateWait(i + 1, capacity, avg, samples),
      });
    });
    for (const op of this.operators.values()) {
      if (op.connections > 0 && op.siteIds.includes(siteId))
        this.toOperator(op.id, { type: 'queue', queue: this.queueFor(op) });
    }
  }

  private presenceFor(op: LiveOperator) {
    return [...this.operators.values()]
      .filter((o) => !o.deactivated && o.siteIds.some((s) => op.siteIds.includes(s)))
      .map(presenceView);
  }

  /** Coalesced: many changes in one tick (a drain assigning ten chats) send one presence list. */
  private publishPresence(): void {
    if (this.presencePending) return;
    this.presencePending = true;
    setImmediate(() => {
      this.presencePending = false;
      this.sendPresence();
    });
  }

  private sendPresence(): void {
    for (const op of this.operators.values()) {
      if (op.connections > 0) this.toOperator(op.id, { type: 'presence', operators: this.presenceFor(op) });
    }
  }

  private anyoneOnline(siteId: string): boolean {
    for (const o of this.operators.values())
      if (o.status === 'online' && o.siteIds.includes(siteId)) return true;
    return false;
  }

  private publishAvailability(siteId: string, online: boolean): void {
    this.siteAvailability.set(siteId, online);
    void this.hub.publish(`site-visitors:${siteId}`, { type: 'availability', operatorsOnline: online });
  }

  // ---------- helpers ----------

  private operatorName = (id: string): string | null => this.operators.get(id)?.name ?? null;

  view(c: Conversation | LiveConversation): ConversationView {
    return conversationView(c, this.operatorName);
  }

  private toVisitor(visitorId: string, frame: VisitorTopicFrame): void {
    void this.hub.publish(topics.visitor(visitorId), frame);
  }

  private toOperator(operatorId: string, frame: OperatorTopicFrame): void {
    void this.hub.publish(topics.operator(operatorId), frame);
  }

  private async event(
    type: EventType,
    conv: Conversation,
    operatorId: string | null,
    data: Record<string, unknown> | null,
  ): Promise<void> {
    await this.store.appendEvent({
      siteId: conv.siteId,
      conversationId: conv.id,
      operatorId,
      type,
      at: this.clock.now(),
      data,
    });
    notifyMetrics(this.store, (err) => this.log.error({ err }, 'metrics fold failed'));
  }

  private async hydrate(c: Conversation): Promise<LiveConversation> {
    const messages = await this.store.listMessages(c.id, 0);
    let waitingSince: number | null = null;
    let firstVisitorMessageAt: number | null = null;
    let firstReplyAt: number | null = null;
    let preview = '';
    for (const m of messages) {
      if (m.author === 'visitor') {
        waitingSince ??= m.at;
        firstVisitorMessageAt ??= m.at;
        preview = m.text.slice(0, 140);
      } else if (m.author === 'operator') {
        waitingSince = null;
        firstReplyAt ??= m.at;
      }
    }
    const visitor = await this.store.getVisitor(c.visitorId);
    return {
      ...c,
      waitingSince,
      firstVisitorMessageAt,
      firstReplyAt,
      preview,
      visitorVerified: visitor?.verified ?? false,
      ringTimer: null,
    };
  }

  /** For tests and health: counts only, no internals. */
  stats() {
    return {
      open: this.open.size,
      queued: this.queue.length,
      operatorsOnline: [...this.operators.values()].filter((o) => o.status === 'online').length,
    };
  }

  isOpenConversation(id: string): boolean {
    const c = this.open.get(id);
    return !!c && isOpen(c.status);
  }
}

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const pageFields = (p: Page) => ({ url: p.url, title: p.title ?? null, referrer: p.referrer ?? null });
