import type { Page, Rating, VisitorServerFrame } from '@beseda/shared';
import { isWithinBusinessHours } from '../core/business-hours.js';
import type { Clock } from '../core/clock.js';
import { BesedaError } from '../core/errors.js';
import { channels } from '../ops/channels.js';
import type { AppendResult, Conversation, Store, Visitor } from '../store/types.js';
import { type ActiveChat, type ActiveChats, refusedAsStale } from './active-chats.js';
import type { ConversationEnder } from './conversation-ender.js';
import type { Delivery } from './delivery.js';
import type { Directory } from './directory.js';
import { KeyedMutex } from './keyed-mutex.js';
import { adopt, ensureStored, rememberPage, type SessionVisitor } from './lazy-visitor.js';
import type { Presence } from './presence.js';
import type { QueueViews } from './queue-views.js';
import type { Router } from './router.js';
import { conversationView } from './views.js';
import { type IdentifyClaim, identifyVisitor } from './visitor-identity.js';

const MAX_OFFLINE_ACKS = 10_000;

export interface VisitorServiceDeps {
  store: Store;
  router: Router;
  delivery: Delivery;
  directory: Directory;
  presence: Presence;
  queues: QueueViews;
  ender: ConversationEnder;
  active: ActiveChats;
  clock: Clock;
}

/**
 * Everything a visitor socket asks for. Persist, then publish; every answer is computed from the store
 * (the source of truth, on any node) plus this node's caches of immutable facts, so a visitor can resume on
 * any node and two tabs on two nodes share one conversation (the store allows one open per visitor).
 */
export class VisitorService {
  /** Serialises one visitor's frames on this node (two tabs on one node); across nodes the store decides. */
  private readonly lock = new KeyedMutex();
  private readonly offlineAcks = new Map<string, VisitorServerFrame>();

  constructor(private readonly d: VisitorServiceDeps) {}

  withinHours(siteId: string): boolean {
    const site = this.d.directory.site(siteId);
    return site ? isWithinBusinessHours(site.businessHours, site.timezone, this.d.clock.now()) : true;
  }

  async hello(
    visitor: SessionVisitor,
    token: string,
    hello: { conversationId?: string; lastSeq?: number; page?: Page; lang?: string; timezone?: string },
  ): Promise<{ frames: VisitorServerFrame[]; conversation: Conversation | null }> {
    const now = this.d.clock.now();
    const seen = {
      lastSeenAt: now,
      ...(hello.lang ? { lang: hello.lang } : {}),
      ...(hello.timezone && validTimezone(hello.timezone) ? { timezone: hello.timezone } : {}),
    };
    if (!visitor.stored) {
      // Another tab (on any node) may have stored this visitor since the upgrade was authenticated.
      const row = await this.d.store.getVisitor(visitor.id);
      if (row) adopt(visitor, row);
    }
    Object.assign(visitor, seen);
    let conv: Conversation | null = null;
    if (!visitor.stored) {
      // Nothing is written for a visitor who has not said anything yet: they may only read.
      if (hello.page) rememberPage(visitor, hello.page, now);
    } else {
      await this.d.store.updateVisitor(visitor.id, seen);
      if (hello.page)
        await this.d.store.appendPageView({ visitorId: visitor.id, ...pageFields(hello.page), at: now });
      const open = await this.d.store.findOpenConversation(visitor.id);
      if (open) this.d.active.remember(open);
      conv = open;
      if (!open && hello.conversationId) {
        const asked = await this.d.store.getConversation(hello.conversationId);
        // An old conversation is shown only to its own visitor (invariant 3), and only if nothing is open.
        if (asked && asked.visitorId === visitor.id) conv = asked;
      }
    }
    if (conv?.status === 'queued') await this.requeueIfUnknown(conv);
    const frames: VisitorServerFrame[] = [
      {
        type: 'welcome',
        v: 1,
        visitorId: visitor.id,
        token,
        stored: visitor.stored,
        conversation: conv ? this.view(conv, visitor) : null,
        operatorsOnline: this.d.presence.anyoneOnline(visitor.siteId),
        withinHours: this.withinHours(visitor.siteId),
      },
    ];
    if (conv) {
      const after = hello.conversationId === conv.id ? (hello.lastSeq ?? 0) : 0;
      frames.push({
        type: 'history',
        conversationId: conv.id,
        messages: await this.publicMessages(conv.id, after),
      });
      if (conv.status === 'queued') {
        const scope = this.d.directory.chatScope(conv.siteId, conv.teamId);
        await this.d.queues.ensure([scope]);
        const q = this.d.queues.frameFor(scope, conv.id);
        if (q) frames.push(q);
      }
    }
    return { frames, conversation: conv };
  }

  /**
   * `teamId`: the team chosen for a chat this message opens (pre-chat form or `setTeam`); a team the site no
   * longer has routes to the whole site rather than refusing what the visitor wrote.
   */
  async send(
    visitor: SessionVisitor,
    clientId: string,
    rawText: string,
    teamId?: string,
  ): Promise<VisitorServerFrame> {
    const text = rawText.trim();
    if (!text) throw new BesedaError('validation', 'Message text is empty');
    return this.lock.run(visitor.id, async () => {
      const known = visitor.stored ? this.d.active.ofVisitor(visitor.id) : undefined;
      if (known) {
        const ack = await this.sendToActive(visitor, known, clientId, text);
        if (ack) return ack;
      }
      await ensureStored(this.d.store, visitor);
      const open = await this.d.store.findOpenConversation(visitor.id);
      if (open) this.d.active.remember(open);
      if (!open) {
        // A retry whose ack was lost while its chat ended must not open a new chat with the same words.
        const prior = await this.priorAck(visitor.id, clientId);
        if (prior) return prior;
      }
      const now = this.d.clock.now();
      const { conversation: conv, created } = open
        ? { conversation: open, created: false }
        : await this.d.store.openConversation({
            siteId: visitor.siteId,
            visitorId: visitor.id,
            status: 'queued',
            createdAt: now,
            enqueuedAt: now,
            visitorName: visitor.name,
            visitorEmail: visitor.email,
            teamId: this.d.directory.teamOfChat(visitor.siteId, teamId ?? null),
          });
      const at = now;
      const result = await this.d.store.commit({
        messages: [
          {
            conversationId: conv.id,
            clientId,
            author: 'visitor',
            operatorId: null,
            authorName: visitor.name,
            text,
            at,
          },
        ],
        events: created
          ? [
              {
                siteId: conv.siteId,
                conversationId: conv.id,
                operatorId: null,
                type: 'enqueued',
                at,
                data: conv.teamId ? { teamId: conv.teamId } : null,
              },
            ]
          : [],
      });
      const appended = result.messages[0]!;
      const { message } = appended;
      if (!appended.duplicate) {
        if (channels.relayMessage.hasSubscribers) channels.relayMessage.publish({ author: 'visitor' });
        if (created)
          this.d.delivery.toVisitor(visitor.id, {
            type: 'conversation',
            conversation: this.view(conv, visitor),
          });
        this.d.delivery.message(conv, message, appended.prevPublic);
        if (conv.status === 'queued') {
          this.d.queues.rememberPreview(conv.id, message.text);
          // The first message is what makes a chat worth routing (idempotent for later ones).
          if (created) await this.enqueue(conv);
          else await this.requeueIfUnknown(conv);
        }
      }
      return { type: 'ack', clientId, conversationId: conv.id, seq: message.seq, at: message.at };
    });
  }

  /**
   * The common case, a message into the chat this node knows is active: no read first. The store refuses it
   * (→ null, the caller takes the slow path) if the chat ended or went back to the queue meanwhile.
   */
  private async sendToActive(
    visitor: SessionVisitor,
    chat: ActiveChat,
    clientId: string,
    text: string,
  ): Promise<VisitorServerFrame | null> {
    let appended: AppendResult;
    try {
      const result = await this.d.store.commit({
        messages: [
          {
            conversationId: chat.id,
            clientId,
            author: 'visitor',
            operatorId: null,
            authorName: visitor.name,
            text,
            at: this.d.clock.now(),
            requireActive: {},
          },
        ],
      });
      appended = result.messages[0]!;
    } catch (err) {
      if (!refusedAsStale(err)) throw err;
      this.d.active.forget(chat.id);
      return null;
    }
    const { message } = appended;
    if (!appended.duplicate) {
      if (channels.relayMessage.hasSubscribers) channels.relayMessage.publish({ author: 'visitor' });
      this.d.delivery.message(chat, message, appended.prevPublic);
    }
    return { type: 'ack', clientId, conversationId: chat.id, seq: message.seq, at: message.at };
  }

  /** Leave-a-message: an `offline` conversation operators answer by email. Deduped by visitor + clientId. */
  async offlineMessage(
    visitor: SessionVisitor,
    form: { clientId: string; name: string; email: string; text: string },
  ): Promise<VisitorServerFrame> {
    const text = form.text.trim();
    if (!text) throw new BesedaError('validation', 'Message text is empty');
    const key = `${visitor.id}:${form.clientId}`;
    return this.lock.run(visitor.id, async () => {
      await ensureStored(this.d.store, visitor);
      const prior = this.offlineAcks.get(key) ?? (await this.priorAck(visitor.id, form.clientId));
      if (prior) return prior;
      const now = this.d.clock.now();
      const name = form.name.trim().slice(0, 200);
      const email = form.email.trim().toLowerCase();
      await this.d.store.updateVisitor(visitor.id, { name, email, lastSeenAt: now });
      const conv = await this.d.store.createConversation({
        siteId: visitor.siteId,
        visitorId: visitor.id,
        status: 'offline',
        createdAt: now,
        enqueuedAt: null,
        visitorName: name,
        visitorEmail: email,
      });
      const result = await this.d.store.commit({
        messages: [
          {
            conversationId: conv.id,
            clientId: form.clientId,
            author: 'visitor',
            operatorId: null,
            authorName: name,
            text,
            at: now,
          },
        ],
        events: [
          {
            siteId: conv.siteId,
            conversationId: conv.id,
            operatorId: null,
            type: 'offline_message',
            at: now,
            data: { email },
          },
        ],
      });
      const { message } = result.messages[0]!;
      const ack: VisitorServerFrame = {
        type: 'ack',
        clientId: form.clientId,
        conversationId: conv.id,
        seq: message.seq,
        at: message.at,
      };
      if (this.offlineAcks.size >= MAX_OFFLINE_ACKS)
        this.offlineAcks.delete(this.offlineAcks.keys().next().value!);
      this.offlineAcks.set(key, ack);
      this.d.delivery.toSiteOperators(conv.siteId, {
        type: 'offline',
        conversation: conversationView({ ...conv, lastSeq: message.seq }, (id) =>
          this.d.directory.operatorName(id),
        ),
        preview: text.slice(0, 140),
      });
      return ack;
    });
  }

  async typing(visitor: Visitor, active: boolean, preview?: string): Promise<void> {
    const conv = this.d.active.ofVisitor(visitor.id) ?? (await this.d.store.findOpenConversation(visitor.id));
    if (!conv?.operatorId) return;
    // The draft is forwarded only where the owner turned preview on (the widget discloses it).
    const withPreview = preview !== undefined && this.d.directory.site(conv.siteId)?.typingPreview;
    this.d.delivery.toConversation(conv.id, {
      type: 'typing',
      conversationId: conv.id,
      active,
      ...(withPreview ? { preview: active ? preview : '' } : {}),
    });
  }

  /** Who the visitor is (JS API or pre-chat form): see visitor-identity.ts. Stores a new visitor. */
  async identify(visitor: SessionVisitor, claim: IdentifyClaim): Promise<VisitorServerFrame> {
    return this.lock.run(visitor.id, () =>
      identifyVisitor(this.d, visitor, claim, (c, v) => this.view(c, v)),
    );
  }

  async end(visitor: Visitor): Promise<void> {
    await this.lock.run(visitor.id, async () => {
      const conv = await this.d.store.findOpenConversation(visitor.id);
      if (!conv) throw new BesedaError('invalid_state', 'There is no open conversation to end');
      await this.d.ender.end(conv, 'visitor', null);
    });
  }

  async rate(visitor: Visitor, conversationId: string, rating: Rating, comment?: string): Promise<void> {
    const conv = await this.d.store.getConversation(conversationId);
    if (!conv || conv.visitorId !== visitor.id) throw new BesedaError('not_found', 'Conversation not found');
    if (conv.status !== 'ended') throw new BesedaError('invalid_state', 'Only an ended chat can be rated');
    const clean = comment?.trim() ? comment.trim() : null;
    const result = await this.d.store.commit({
      conversation: { id: conv.id, patch: { rating, ratingComment: clean } },
      events: [
        {
          siteId: conv.siteId,
          conversationId: conv.id,
          operatorId: conv.operatorId,
          type: 'rated',
          at: this.d.clock.now(),
          data: { rating, comment: comment ?? null },
        },
      ],
    });
    const updated = result.conversation ?? { ...conv, rating, ratingComment: clean };
    const view = this.view(updated, visitor);
    this.d.delivery.toVisitor(conv.visitorId, { type: 'conversation', conversation: view });
    this.d.delivery.toConversation(conv.id, { type: 'chat', conversation: view });
    if (updated.operatorId)
      this.d.delivery.toOperator(updated.operatorId, { type: 'chat', conversation: view });
  }

  async page(visitor: SessionVisitor, page: Page): Promise<void> {
    const now = this.d.clock.now();
    if (!visitor.stored) return rememberPage(visitor, page, now);
    await this.d.store.updateVisitor(visitor.id, { lastSeenAt: now });
    await this.d.store.appendPageView({ visitorId: visitor.id, ...pageFields(page), at: now });
    const conv = this.d.active.ofVisitor(visitor.id) ?? (await this.d.store.findOpenConversation(visitor.id));
    if (conv?.operatorId)
      this.d.delivery.toConversation(conv.id, {
        type: 'visitor_page',
        conversationId: conv.id,
        page: { url: page.url, title: page.title ?? null },
      });
  }

  /** Fills a gap the client detected from `prev`: its own conversation only, notes excluded. */
  async sync(visitor: Visitor, conversationId: string, afterSeq: number): Promise<VisitorServerFrame> {
    const conv = await this.d.store.getConversation(conversationId);
    if (!conv || conv.visitorId !== visitor.id) throw new BesedaError('not_found', 'Conversation not found');
    return { type: 'history', conversationId, messages: await this.publicMessages(conversationId, afterSeq) };
  }

  async publicMessages(conversationId: string, afterSeq: number) {
    return (await this.d.store.listMessages(conversationId, afterSeq)).filter((m) => m.author !== 'note');
  }

  private view(c: Conversation, visitor: Visitor) {
    return conversationView(c, (id) => this.d.directory.operatorName(id), {
      visitorVerified: visitor.verified,
    });
  }

  private async enqueue(conv: Conversation): Promise<void> {
    await this.d.router.dispatch({
      type: 'enqueue',
      conversationId: conv.id,
      scope: this.d.directory.chatScope(conv.siteId, conv.teamId),
      enqueuedAt: conv.enqueuedAt ?? conv.createdAt,
    });
  }

  /** A queued chat the routing state does not know (a node died between storing and enqueueing it). */
  private async requeueIfUnknown(conv: Conversation): Promise<void> {
    if (await this.d.router.knows(conv.id)) return;
    const hasVisitorMessage = conv.lastSeq > 0;
    if (hasVisitorMessage) await this.enqueue(conv);
  }

  /** The ack of a message this visitor already stored in their latest conversation, if any. */
  private async priorAck(visitorId: string, clientId: string): Promise<VisitorServerFrame | null> {
    const [latest] = await this.d.store.listVisitorConversations(visitorId, 1);
    if (!latest) return null;
    const found = (await this.d.store.listMessages(latest.id, 0)).find((m) => m.clientId === clientId);
    return found ? { type: 'ack', clientId, conversationId: latest.id, seq: found.seq, at: found.at } : null;
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
