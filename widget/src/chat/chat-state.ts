import type { ConversationView, ErrorCode, Eta, Message, Rating } from '@beseda/shared/types';
import { type StorageName, storageKey } from '../keys.js';
import { newClientId } from './client-id.js';
import { readJson, type StorageLike, write } from './storage.js';

/**
 * What the visitor sees and what must survive a reconnect or a page navigation: the shown conversation
 * (its view, its messages, the last seq seen = the resume cursor) and the outbox of messages not yet
 * acknowledged. No sockets and no timers: the connection feeds it frames, it keeps storage in step.
 * Messages are deduped by (conversationId, seq); outbox items are reconciled by clientId.
 */

export type ItemStatus = 'sending' | 'sent' | 'retrying' | 'failed';

export interface ChatItem {
  /** Stable across sending → sent (the clientId for own messages, else conversationId:seq): no re-mount in the UI. */
  key: string;
  author: 'visitor' | 'operator' | 'system';
  name: string | null;
  text: string;
  at: number;
  status: ItemStatus;
  clientId: string | null;
}

export interface QueueInfo {
  position: number;
  ahead: number;
  eta: Eta | null;
}

/** Stored as one record so the cursor can never run ahead of the cached messages. */
interface ChatRecord {
  id: string;
  view: ConversationView | null;
  lastSeq: number;
  messages: Message[];
}

export interface OutboxItem {
  clientId: string;
  text: string;
  at: number;
  failed?: ErrorCode;
  /** The team chosen when it was written: sent with it, used by the server if it opens a conversation. */
  teamId?: string;
}

/** Mirrors MAX_TEXT_LENGTH in shared/src/version.ts (a value, so not importable into the widget). */
const MAX_TEXT = 4000;
const CACHED_MESSAGES = 100;
/** A chat that ended this long ago is not brought back on the next page. */
const FORGET_ENDED_MS = 24 * 3600_000;
const OVER = new Set<ConversationView['status']>(['ended', 'missed']);

export const isOver = (view: ConversationView | null): boolean => !!view && OVER.has(view.status);

const RANK: Record<ConversationView['status'], number> = {
  queued: 0,
  active: 1,
  ended: 2,
  missed: 2,
  offline: 2,
};

/** Which of two views of the same conversation is further along (another tab may have seen more). */
function later(a: ConversationView | null, b: ConversationView | null): ConversationView | null {
  if (!a || !b) return a ?? b;
  const d = RANK[b.status] - RANK[a.status];
  return d > 0 || (d === 0 && !!b.rating && !a.rating) ? b : a;
}

export class ChatState {
  queue: QueueInfo | null = null;
  private chat: ChatRecord | null;
  /** A conversation the visitor left with "Start a new chat"; late frames about it are ignored. */
  private dismissed: string | null = null;
  private items: OutboxItem[] = [];
  /** A write failed (quota): this tab's memory is authoritative, storage is no longer re-read. */
  private detached = false;

  constructor(
    private readonly storage: StorageLike,
    private readonly site: string,
    now: number,
  ) {
    const chat = readJson<ChatRecord>(storage, this.key('chat'));
    const valid = chat && typeof chat.id === 'string' && Array.isArray(chat.messages) && chat.lastSeq >= 0;
    const stale = chat?.view?.endedAt != null && now - chat.view.endedAt > FORGET_ENDED_MS;
    this.chat = valid && !stale ? chat : null;
    if (!this.chat && chat) this.saveChat();
    this.reloadOutbox();
  }

  get conversationId(): string | null {
    return this.chat?.id ?? null;
  }

  get view(): ConversationView | null {
    return this.chat?.view ?? null;
  }

  get lastSeq(): number {
    return this.chat?.lastSeq ?? 0;
  }

  get outbox(): readonly OutboxItem[] {
    return this.items;
  }

  /** Something to resume: a shown conversation or unsent messages. */
  get hasChat(): boolean {
    return this.chat !== null || this.items.length > 0;
  }

  /**
   * The conversation welcome says to show (null: nothing, or nothing that is still ours). `asked` is the
   * conversation named in the hello it answers: a conversation adopted after that hello went out (another
   * tab started it meanwhile) is kept rather than cleared by an answer that could not know it.
   */
  welcome(view: ConversationView | null, asked: string | null): void {
    this.queue = null; // a queued conversation gets a fresh `queue` frame right after the history
    if (view && view.id !== this.dismissed) this.adopt(view.id).view = view;
    else if (!this.chat || this.chat.id !== asked) return;
    else this.chat = null;
    this.saveChat();
  }

  /**
   * Adds messages once each, in seq order; an own message settles its outbox item (its ack may have been
   * lost). Returns the messages that were new here.
   */
  merge(messages: readonly Message[], advance: boolean, save = true): Message[] {
    const added: Message[] = [];
    for (const m of messages) {
      if (m.author === 'note' || m.conversationId === this.dismissed) continue;
      const chat = this.adopt(m.conversationId);
      if (m.author === 'visitor' && m.clientId) this.settle(m.clientId);
      if (advance && m.seq > chat.lastSeq) chat.lastSeq = m.seq;
      const list = chat.messages;
      let i = list.length;
      while (i > 0 && (list[i - 1]?.seq ?? -1) > m.seq) i--;
      if (list[i - 1]?.seq === m.seq) continue;
      list.splice(i, 0, m);
      added.push(m);
    }
    if (save) this.saveChat();
    return added;
  }

  /** The server stored an outbox item: it becomes a message of the (possibly new) conversation. */
  acked(clientId: string, conversationId: string, seq: number, at: number): Message[] {
    const item = this.settle(clientId);
    if (!item) return [];
    // Not advancing the cursor on an ack: a message with a lower seq may still be on its way, and
    // resuming past it would lose it. The echo or the next replay moves the cursor instead.
    const own: Message = {
      conversationId,
      seq,
      clientId,
      at,
      author: 'visitor',
      operatorId: null,
      authorName: null,
      text: item.text,
    };
    return this.merge([own], false);
  }

  conversation(view: ConversationView): void {
    if (view.id === this.dismissed) return;
    this.adopt(view.id).view = view;
    if (view.status !== 'queued') this.queue = null;
    this.saveChat();
  }

  queued(conversationId: string, queue: QueueInfo): void {
    if (this.chat?.id === conversationId) this.queue = queue;
  }

  assigned(conversationId: string, operator: { id: string; name: string }): void {
    const chat = this.chat;
    if (chat?.id !== conversationId) return;
    this.queue = null;
    if (chat.view) chat.view = { ...chat.view, status: 'active', operator };
    this.saveChat();
  }

  /** Shows a rating at once; the server confirms with a `conversation` frame. */
  rated(rating: Rating): void {
    const chat = this.chat;
    if (!chat?.view) return;
    chat.view = { ...chat.view, rating };
    this.saveChat();
  }

  startNew(): void {
    this.dismissed = this.chat?.id ?? null;
    this.chat = null;
    this.queue = null;
    this.saveChat();
  }

  /** The identity was rejected: what it could see is not ours any more. Unsent text stays. */
  forget(): void {
    write(this.storage, this.key('vid'), null);
    write(this.storage, this.key('token'), null);
    this.chat = null;
    this.queue = null;
    this.saveChat();
  }

  /** Persists a new message before anything is sent, so neither a crash nor a navigation loses it. */
  enqueue(text: string, now: number, teamId?: string | null): OutboxItem | null {
    const body = text.trim().slice(0, MAX_TEXT);
    if (!body) return null;
    const item: OutboxItem = { clientId: newClientId(), text: body, at: now };
    if (teamId) item.teamId = teamId.slice(0, 64);
    this.reloadOutbox();
    this.items = [...this.items, item];
    this.saveOutbox();
    return item;
  }

  find(clientId: string): OutboxItem | undefined {
    return this.items.find((i) => i.clientId === clientId);
  }

  fail(clientId: string, code: ErrorCode): void {
    this.reloadOutbox();
    this.items = this.items.map((i) => (i.clientId === clientId ? { ...i, failed: code } : i));
    this.saveOutbox();
  }

  dismiss(clientId: string): void {
    this.reloadOutbox();
    this.items = this.items.filter((i) => i.clientId !== clientId || !i.failed);
    this.saveOutbox();
  }

  /**
   * Another tab changed `name` in storage (tab-sync.ts). The outbox is re-read as a whole: every tab
   * mutates it read-modify-write, so storage holds the union of what all tabs queued. For the chat record,
   * the same conversation is merged (union of messages, furthest cursor and view); another conversation
   * replaces ours; "nothing" ends our chat only when it is over (another tab chose "Start a new chat"),
   * never an open one (that tab may not have known it yet), and a conversation we left stays left.
   * Never writes: two tabs answering each other's writes could ping-pong forever. Returns the messages
   * that were new here.
   */
  sync(name: 'chat' | 'outbox'): Message[] {
    if (this.detached) return [];
    if (name === 'outbox') {
      this.reloadOutbox();
      return [];
    }
    const theirs = readJson<ChatRecord>(this.storage, this.key('chat'));
    const ours = this.chat;
    if (!theirs || typeof theirs.id !== 'string' || !Array.isArray(theirs.messages)) {
      if (ours && isOver(ours.view)) {
        this.dismissed = ours.id;
        this.chat = null;
        this.queue = null;
      }
      return [];
    }
    if (theirs.id === this.dismissed) return [];
    if (theirs.id !== ours?.id) {
      if (ours) this.dismissed = ours.id;
      this.chat = { id: theirs.id, view: theirs.view, lastSeq: 0, messages: [] };
      this.queue = null;
    }
    const chat = this.chat!;
    chat.view = later(chat.view, theirs.view);
    const added = this.merge(
      theirs.messages.filter((m) => m && m.conversationId === theirs.id),
      false,
      false,
    );
    chat.lastSeq = Math.max(chat.lastSeq, theirs.lastSeq || 0);
    return added;
  }

  /** Messages then unsent items, ready to render; `retrying` holds items waiting for a retry timer. */
  list(retrying: ReadonlySet<string> | ReadonlyMap<string, unknown>): ChatItem[] {
    const items: ChatItem[] = (this.chat?.messages ?? []).map((m) => ({
      key: m.author === 'visitor' && m.clientId ? m.clientId : `${m.conversationId}:${m.seq}`,
      author: m.author === 'visitor' || m.author === 'operator' ? m.author : 'system',
      name: m.authorName,
      text: m.text,
      at: m.at,
      status: 'sent',
      clientId: m.clientId,
    }));
    for (const i of this.items) {
      items.push({
        key: i.clientId,
        author: 'visitor',
        name: null,
        text: i.text,
        at: i.at,
        status: i.failed ? 'failed' : retrying.has(i.clientId) ? 'retrying' : 'sending',
        clientId: i.clientId,
      });
    }
    return items;
  }

  /** The conversation `id` becomes the shown one; a different conversation replaces the old one. */
  private adopt(id: string): ChatRecord {
    if (this.chat?.id === id) return this.chat;
    this.chat = { id, view: null, lastSeq: 0, messages: [] };
    this.queue = null;
    return this.chat;
  }

  private settle(clientId: string): OutboxItem | undefined {
    this.reloadOutbox();
    const item = this.find(clientId);
    if (!item) return undefined;
    this.items = this.items.filter((i) => i !== item);
    this.saveOutbox();
    return item;
  }

  private reloadOutbox(): void {
    if (this.detached) return;
    const outbox = readJson<OutboxItem[]>(this.storage, this.key('outbox'));
    this.items = Array.isArray(outbox) ? outbox.filter((i) => typeof i?.clientId === 'string') : [];
  }

  private key(name: StorageName): string {
    return storageKey(this.site, name);
  }

  private saveChat(): void {
    const chat = this.chat;
    if (chat && chat.messages.length > CACHED_MESSAGES)
      chat.messages.splice(0, chat.messages.length - CACHED_MESSAGES);
    if (!write(this.storage, this.key('chat'), chat ? JSON.stringify(chat) : null)) this.detached = true;
  }

  private saveOutbox(): void {
    const ok = write(this.storage, this.key('outbox'), this.items.length ? JSON.stringify(this.items) : null);
    if (!ok) this.detached = true;
  }
}
