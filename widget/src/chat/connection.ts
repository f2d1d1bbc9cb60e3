import type {
  ConversationView,
  ErrorCode,
  ErrorFrame,
  Message,
  Page,
  Rating,
  VisitorClientFrame,
  VisitorServerFrame,
} from '@beseda/shared/types';
import type { Attributes, MessageEventDetail } from '../contract.js';
import { type StorageName, storageKey } from '../keys.js';
import { backoff } from './backoff.js';
import { type ChatItem, ChatState, isOver, type OutboxItem, type QueueInfo } from './chat-state.js';
import { GapFilter } from './gap.js';
import { IdentityBox, type IdentityRecord } from './identity.js';
import { OfflineBox, type OfflineRecord } from './offline.js';
import { browserStorage, type StorageLike, write } from './storage.js';
import { newVisitorIdentity, type VisitorKeys } from './visitor-keys.js';

export type { ChatItem, ItemStatus, QueueInfo } from './chat-state.js';

/**
 * The visitor's link to the relay: an explicit state machine over one WebSocket at a time, framework-free.
 *
 *   idle ─start()─► connecting ─welcome─► open
 *                     ▲    │                │ close / handshake timeout / no pong / 1012 drain / 1013 slow
 *                     │    └────────────────┴──► closed ─backoff timer─► connecting
 *                     │                            └─ 4403/4404 (or a probe or the config saying so), or
 *                     │                               unsupported_version: stays closed, `fatal` set
 *   any ─stop()─► idle
 *
 * Identity is made here (PROTOCOL-NOTES item 4): a new widget generates its visitor id and secret and
 * stores them before the first socket, which presents them with `new=1` until a welcome confirms them, so
 * a retried or pipelined first message can never make a second visitor. Transport only: identity in the
 * upgrade URL, hello with the resume cursor, then at once (pipelined, not waiting for welcome) whatever
 * the server has not acknowledged yet, in this order: the visitor's identity (IdentityBox), the
 * leave-a-message form (OfflineBox), the outbox. Live messages pass the gap check (gap.ts) and a gap is
 * filled with `sync`. Also retries, liveness, typing throttle (with the draft when the
 * site shows operators a typing preview). What is shown and persisted lives in ChatState; the UI reads
 * `view` and calls the public methods. Other tabs of the same site share the storage; `storageChanged`
 * brings this tab in step with what they wrote (see tab-sync.ts).
 */

export type ConnState = 'idle' | 'connecting' | 'open' | 'closed';
export interface ChatView {
  state: ConnState;
  /** Some connection reached `open` before: show "Reconnecting…" rather than "Connecting…". */
  wasOpen: boolean;
  /** Set when the server refused us for good (unknown site, origin not allowed); no more reconnects. */
  fatal: ErrorCode | null;
  conversation: ConversationView | null;
  ended: boolean;
  items: readonly ChatItem[];
  queue: QueueInfo | null;
  operatorTyping: boolean;
  operatorsOnline: boolean | null;
  /** Per team, from `availability` frames with a `teamId` (newer than the config's snapshot). */
  teamsOnline: Readonly<Record<string, boolean>>;
  /** Inside the site's business hours, from welcome (null until the first welcome). */
  withinHours: boolean | null;
  /** The leave-a-message form: sending (no conversationId yet), stored, or failed. */
  offline: OfflineRecord | null;
  identity: IdentityRecord | null;
}

/** The subset of the DOM WebSocket the connection uses, so tests can pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type SocketCtor = new (url: string, protocols?: string[]) => SocketLike;

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface ConnectionOptions {
  /** Origin of the relay, http(s)://host[:port]; the socket URL is derived from it. */
  base: string;
  site: string;
  lang: string;
  WebSocket?: SocketCtor;
  storage?: StorageLike;
  /** The host page the visitor is on, sent in hello. */
  page?: () => Page;
  /**
   * HTTP status of a cheap request to the relay for this site (0 = network error). Browsers hide why a
   * WebSocket upgrade was refused (every refusal is close code 1006), so after a few sockets in a row
   * that never opened, this tells "server down" from "site unknown / origin refused / identity rejected".
   */
  probe?: () => Promise<number>;
  random?: () => number;
  now?: () => number;
  timers?: Timers;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** IANA timezone of the visitor, sent in hello. */
  timezone?: string;
  /** The browser's idea of connectivity (navigator.onLine + the `online` event); absent: always online. */
  network?: { online(): boolean; whenOnline(fn: () => void): () => void };
  /** The site shows operators the visitor's draft: typing frames carry it. */
  typingPreview?: () => boolean;
  /** Makes a new visitor's id and secret (tests pass a fixed one). */
  newIdentity?: () => VisitorKeys;
  /** A message this page had not shown before: sent here, or arrived (also from another tab). */
  onMessage?: (m: MessageEventDetail) => void;
  onTransition?: (from: ConnState, to: ConnState) => void;
}

type HelloFrame = Extract<VisitorClientFrame, { type: 'hello' }>;
type TimerName = 'reconnect' | 'handshake' | 'quiet' | 'typing' | 'operatorTyping' | 'preview' | 'offline';

/** Mirrors PROTOCOL_VERSION in shared/src/version.ts (a value, so not importable into the widget). */
const PROTOCOL_VERSION = 1;

const HANDSHAKE_MS = 10_000;
/** After this much silence the socket may be half-open (a phone that changed networks): ping, then give up. */
const QUIET_MS = 45_000;
const PONG_MS = 10_000;
const TYPING_REPEAT_MS = 3_000;
const TYPING_IDLE_MS = 4_000;
/** With typing preview on, the draft goes out at most this often (the last state always follows). */
const PREVIEW_EVERY_MS = 400;
const MAX_PREVIEW = 1000;
/**
 * An operator's "typing" expires this long after the last update (the console repeats it every few
 * seconds while typing), so a lost "stopped" frame or a closed console clears it quickly.
 */
export const OPERATOR_TYPING_MS = 6_000;
const PROBE_EVERY = 3;

const CLOSE_CLIENT = 4000;
const CLOSE_BAD_TOKEN = 4401;
const CLOSE_FORBIDDEN = 4403;
const CLOSE_UNKNOWN_SITE = 4404;
/** Node drain (SIGTERM) and "slow reader" (bufferedAmount over the cap): reconnect at once and resume. */
const CLOSE_RESTART = 1012;
const CLOSE_TRY_AGAIN = 1013;
const OPEN = 1;

/** Errors that would fail the same way on every retry: the message is marked failed instead of retried. */
const PERMANENT = new Set<ErrorCode>([
  'bad_json',
  'bad_frame',
  'frame_too_large',
  'unsupported_version',
  'validation',
  'forbidden',
  'origin_not_allowed',
  'unknown_site',
  'not_found',
]);

const defaultTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Connection {
  view: ChatView;

  private state: ConnState = 'idle';
  private ws: SocketLike | null = null;
  /** The current socket fired `open` (a refused upgrade never does). */
  private opened = false;
  /** Reconnects since the last welcome; drives the backoff. */
  private attempt = 0;
  /** Sockets in a row that never opened; drives the probe (refused site or origin: the browser only sees 1006). */
  private failures = 0;
  private wasOpen = false;
  private fatal: ErrorCode | null = null;
  private operatorTyping = false;
  private operatorsOnline: boolean | null = null;
  private teamsOnline: Readonly<Record<string, boolean>> = {};
  private typingOn = false;
  private typingSentAt = 0;
  private previewSent = '';
  /** Unsubscribes from the `online` event we are waiting for. */
  private offlineWait: (() => void) | null = null;
  private draft = '';
  private withinHours: boolean | null = null;
  /** The vid this socket presented (null: anonymous): another tab switching identity makes us reconnect. */
  private socketVid: string | null = null;
  /** This socket presented a generated identity with `new=1` that no welcome has confirmed yet. */
  private socketFresh = false;
  /**
   * The server refused a generated identity (4401 on `new=1`): it predates client-made identities, so
   * this page connects without credentials and keeps what welcome hands out, as before.
   */
  private legacyIdentity = false;
  /** hello went out on the current socket: frames may follow at once (the server keeps their order). */
  private helloSent = false;
  private readonly gaps = new GapFilter();
  /** The conversation named in the last hello: a welcome without one clears only that one. */
  private asked: string | null = null;
  /** clientIds of messages this page already announced through onMessage. */
  private readonly announced = new Set<string>();
  private readonly chat: ChatState;
  private readonly ident: IdentityBox;
  private readonly offline: OfflineBox;
  lang: string;
  /** clientId → timer of an outbox item waiting to be retried after a transient error. */
  private readonly retries = new Map<string, unknown>();
  private readonly tries = new Map<string, number>();
  private readonly handles: Partial<Record<TimerName, unknown>> = {};
  private readonly listeners = new Set<(view: ChatView) => void>();

  private readonly WS: SocketCtor;
  private readonly storage: StorageLike;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly o: ConnectionOptions) {
    this.WS = o.WebSocket ?? (globalThis.WebSocket as SocketCtor);
    this.storage = o.storage ?? browserStorage();
    this.timers = o.timers ?? defaultTimers;
    this.random = o.random ?? Math.random;
    this.now = o.now ?? Date.now;
    this.lang = o.lang;
    this.chat = new ChatState(this.storage, o.site, this.now());
    this.ident = new IdentityBox(this.storage, o.site);
    this.offline = new OfflineBox(this.storage, o.site, this.now());
    // Unsent messages from before this page: announced by the page that accepted them.
    for (const i of this.chat.outbox) this.announced.add(i.clientId);
    this.view = this.build();
  }

  /** There is something to resume (a shown conversation or unsent messages): connect without waiting for a click. */
  get hasChat(): boolean {
    return this.chat.hasChat;
  }

  subscribe(fn: (view: ChatView) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.fatal = null;
    this.connect();
  }

  stop(): void {
    this.shutdown();
    this.setState('idle');
    this.changed();
  }

  /** The site config said this page may not chat (unknown site, origin not allowed): no socket, a notice. */
  refuse(code: ErrorCode): void {
    this.giveUp(code);
  }

  /** The host page navigated (SPA included): operators see where the visitor is; hello carries it on reconnects. */
  page(page: Page): void {
    this.frame({ type: 'page', page });
  }

  /**
   * Queues a message in the persisted outbox, then sends it; it is resent after every welcome until acked.
   * `teamId`: the team chosen for a new conversation (kept with the item, so resends carry it too).
   */
  send(text: string, teamId?: string | null): string | null {
    const item = this.chat.enqueue(text, this.now(), teamId);
    if (!item) return null;
    this.stopTyping();
    this.announced.add(item.clientId);
    this.o.onMessage?.({ author: 'visitor', text: item.text, at: item.at, name: null });
    if (this.state === 'idle') this.start();
    else this.sendItem(item);
    this.changed();
    return item.clientId;
  }

  /**
   * Call on every keystroke with the draft; sends `typing` at most every few seconds and "stopped" after a
   * pause. With typing preview on, the draft itself goes out (throttled, the latest always last).
   */
  typing(draft = ''): void {
    this.draft = draft.slice(0, MAX_PREVIEW);
    if (this.state !== 'open' || !this.chat.conversationId || isOver(this.chat.view)) return;
    const now = this.now();
    if (this.o.typingPreview?.()) {
      if (!this.draft.trim()) {
        this.stopTyping();
        return;
      }
      if (!this.handles.preview) this.sendPreview();
    } else if (
      (!this.typingOn || now - this.typingSentAt >= TYPING_REPEAT_MS) &&
      this.frame({ type: 'typing', active: true })
    ) {
      this.typingOn = true;
      this.typingSentAt = now;
    }
    this.after('typing', TYPING_IDLE_MS, () => this.stopTyping());
  }

  stopTyping(): void {
    this.cancel('typing');
    this.cancel('preview');
    this.draft = this.previewSent = '';
    if (!this.typingOn) return;
    this.typingOn = false;
    this.frame({ type: 'typing', active: false });
  }

  end(): void {
    const view = this.chat.view;
    if (view && !isOver(view)) this.frame({ type: 'end' });
  }

  /** Rates an ended chat; calling again with a comment replaces the rating and adds the comment. */
  rate(rating: Rating, comment?: string): boolean {
    const view = this.chat.view;
    if (view?.status !== 'ended') return false;
    const f: VisitorClientFrame = { type: 'rate', conversationId: view.id, rating };
    const text = comment?.trim().slice(0, 2000);
    if (text) f.comment = text;
    if (!this.frame(f)) return false;
    this.chat.rated(rating);
    this.changed();
    return true;
  }

  /** The host page or the pre-chat form identified the visitor; sent now when connected, else after the next welcome. */
  identify(identity: unknown): void {
    if (this.ident.identify(identity)) this.flushIdentity();
    this.changed();
  }

  setAttributes(attributes: unknown): void {
    if (this.ident.setAttributes(attributes)) this.flushIdentity();
    this.changed();
  }

  prechat(name: string, email: string, attributes: Attributes): void {
    this.ident.fill(name, email, attributes, true);
    this.flushIdentity();
    this.changed();
  }

  /** Leave-a-message form: persisted, then sent (and resent after reconnects) until acked. */
  leaveMessage(form: { name: string; email: string; text: string }): boolean {
    if (!this.offline.submit(form, this.now())) return false;
    // Remembered (and told to the server) like a pre-chat answer: the next form or chat knows them.
    this.ident.fill(form.name, form.email, {}, false);
    this.flushIdentity();
    if (this.state === 'idle') this.start();
    else this.sendOffline();
    this.changed();
    return true;
  }

  /** Leaves the confirmation (or a failed form) to write another message. */
  clearOffline(): void {
    this.offline.clear();
    this.changed();
  }

  /**
   * Another tab wrote `name` (tab-sync.ts): reread it. A tab that had nothing to resume starts when another
   * tab starts a chat, so both show it live; a changed visitor identity makes this tab reconnect as that
   * visitor, so every tab of the site is the same visitor.
   */
  storageChanged(name: StorageName): void {
    if (name === 'chat' || name === 'outbox') {
      this.announce(this.chat.sync(name));
      if (this.state === 'idle' && this.chat.hasChat && !this.fatal) this.start();
    } else if (name === 'ident') this.ident.reload();
    else if (name === 'offline') this.offline.reload();
    else if (name === 'vid' || name === 'token') {
      const vid = this.get('vid');
      if (vid && vid !== this.socketVid && (this.state === 'open' || this.state === 'connecting')) {
        this.shutdown();
        this.attempt = 0;
        this.connect();
      }
    }
    this.changed();
  }

  /** Leaves an ended conversation; the next message starts a new one on the server. */
  startNew(): void {
    this.chat.startNew();
    this.changed();
  }

  /** Removes a message that failed for good. */
  dismiss(clientId: string): void {
    this.chat.dismiss(clientId);
    this.changed();
  }

  // ---------- state machine ----------

  private setState(next: ConnState): void {
    if (next === this.state) return;
    const prev = this.state;
    this.state = next;
    this.o.onTransition?.(prev, next);
  }

  private connect(): void {
    this.cancel('reconnect');
    if (!this.legacyIdentity && !(this.get('vid') && this.get('token'))) {
      // Stored before the socket exists: a reload or a second tab presents the same new visitor.
      const id = (this.o.newIdentity ?? newVisitorIdentity)();
      write(this.storage, this.key('vid'), id.vid);
      write(this.storage, this.key('token'), id.token);
      write(this.storage, this.key('fresh'), '1');
    }
    const vid = this.get('vid');
    const token = this.get('token');
    const q = new URLSearchParams({ site: this.o.site });
    this.socketVid = vid && token ? vid : null;
    this.socketFresh = false;
    // The secret goes in the subprotocol header, not the URL: browsers print failed socket URLs in the
    // host page's console and proxies log URLs.
    const protocols = ['beseda.v1'];
    if (vid && token) {
      q.set('vid', vid);
      if (this.get('fresh') === '1') {
        q.set('new', '1');
        this.socketFresh = true;
      }
      protocols.push(`beseda.token.${token}`);
    }
    this.opened = false;
    this.helloSent = false;
    this.gaps.reset();
    this.setState('connecting');
    let ws: SocketLike;
    try {
      ws = new this.WS(`${this.o.base.replace(/^http/, 'ws')}/ws/visitor?${q}`, protocols);
    } catch {
      this.failures++;
      this.setState('closed');
      this.reconnectLater();
      this.changed();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (ws !== this.ws) return;
      this.opened = true;
      this.hello();
      this.helloSent = true;
      this.flushAll();
    };
    ws.onmessage = (e) => {
      if (ws === this.ws) this.receive(e.data);
    };
    ws.onclose = (e) => this.closed(ws, e.code);
    this.after('handshake', HANDSHAKE_MS, () => this.drop(ws));
    this.changed();
  }

  private hello(): void {
    const hello: HelloFrame = {
      type: 'hello',
      v: PROTOCOL_VERSION,
      lastSeq: this.chat.lastSeq,
      lang: this.lang.slice(0, 35),
    };
    if (this.o.timezone) hello.timezone = this.o.timezone.slice(0, 64);
    const conversationId = this.chat.conversationId;
    this.asked = conversationId;
    if (conversationId) hello.conversationId = conversationId;
    const page = this.o.page?.();
    if (page) hello.page = page;
    this.raw(hello);
  }

  private closed(ws: SocketLike, code: number): void {
    if (ws !== this.ws) return;
    const wasOpened = this.opened;
    this.shutdown();
    if (code === CLOSE_FORBIDDEN || code === CLOSE_UNKNOWN_SITE) {
      this.giveUp(code === CLOSE_FORBIDDEN ? 'forbidden' : 'unknown_site');
      return;
    }
    if (code === CLOSE_BAD_TOKEN && this.socketFresh && !this.wasOpen) {
      // A server without client-made identities: drop ours (nobody knows it) and let welcome hand one out,
      // unless another tab already replaced it with one the server made (then that one is used).
      this.legacyIdentity = true;
      if (this.get('vid') === this.socketVid) this.forgetIdentity();
    } else if (code === CLOSE_BAD_TOKEN) {
      this.chat.forget(); // unknown or revoked: start over as a new visitor (a fresh identity next time)
      this.forgetIdentity();
    } else if (code === CLOSE_RESTART || code === CLOSE_TRY_AGAIN) this.attempt = 0;
    else if (!wasOpened) this.failures++;
    this.setState('closed');
    if (this.failures > 0 && this.failures % PROBE_EVERY === 0) this.runProbe();
    this.reconnectLater();
    this.changed();
  }

  /** Abandons a socket that hangs (no welcome, no pong) as if it had closed. */
  private drop(ws: SocketLike): void {
    try {
      ws.close(CLOSE_CLIENT);
    } catch {
      // already closing
    }
    this.closed(ws, CLOSE_CLIENT);
  }

  /**
   * Backoff with full jitter; while the browser says it is offline no socket is tried at all (each failed
   * attempt would be a console error on the host page): the `online` event reconnects at once.
   */
  private reconnectLater(): void {
    const delay = backoff(this.attempt++, this.o.minDelayMs ?? 500, this.o.maxDelayMs ?? 30_000, this.random);
    this.after('reconnect', delay, () => {
      const net = this.o.network;
      if (!net || net.online()) return this.connect();
      this.offlineWait?.();
      this.offlineWait = net.whenOnline(() => {
        this.offlineWait = null;
        if (this.state === 'closed' && !this.fatal) this.connect();
      });
    });
  }

  private forgetIdentity(): void {
    for (const name of ['vid', 'token', 'fresh'] as const) write(this.storage, this.key(name), null);
  }

  private giveUp(code: ErrorCode): void {
    this.shutdown();
    this.fatal = code;
    this.setState('closed');
    this.changed();
  }

  private runProbe(): void {
    const probe = this.o.probe;
    if (!probe) return;
    probe().then(
      (status) => {
        // Meanwhile connected, stopped or already given up: the answer is stale.
        const stale =
          this.state === 'idle' || this.state === 'open' || this.fatal || this.failures < PROBE_EVERY;
        if (stale) return;
        if (status === 404) this.giveUp('unknown_site');
        else if (status === 403) this.giveUp('origin_not_allowed');
        // A rejected identity needs no probe: the server accepts the socket and closes it with 4401.
      },
      () => {},
    );
  }

  /** Closes the socket (if any) and cancels every timer; the state is left to the caller. */
  private shutdown(): void {
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      if (ws.readyState <= OPEN) {
        try {
          ws.close(1000);
        } catch {
          // nothing to clean up
        }
      }
    }
    for (const name of Object.keys(this.handles) as TimerName[]) this.cancel(name);
    this.offlineWait?.();
    this.offlineWait = null;
    for (const id of [...this.retries.keys()]) this.cancelRetry(id);
    this.typingOn = false;
    this.previewSent = '';
    this.operatorTyping = false;
    this.helloSent = false;
  }

  // ---------- frames in ----------

  private receive(data: unknown): void {
    let f: VisitorServerFrame;
    try {
      f = JSON.parse(String(data)) as VisitorServerFrame;
    } catch {
      return;
    }
    const shown = this.chat.conversationId;
    try {
      if (f && typeof f === 'object') this.announce(this.handle(f));
    } catch {
      // A frame that does not match the protocol must not throw into the host page's console.
    }
    if (this.chat.conversationId !== shown) this.setOperatorTyping(false);
    // Settled items (acked, or seen in a replay) need no retry any more.
    for (const id of [...this.retries.keys()]) if (!this.chat.find(id)) this.cancelRetry(id);
    if (this.state === 'open') this.armQuiet();
    this.changed();
  }

  /** Applies one frame; returns the messages that are new on this page. */
  private handle(f: VisitorServerFrame): Message[] {
    const chat = this.chat;
    switch (f.type) {
      case 'welcome':
        this.welcome(f);
        break;
      case 'history': {
        const added = chat.merge(f.messages, true);
        const shown = f.conversationId === chat.conversationId;
        return added.concat(
          this.gapped(f.conversationId, this.gaps.history(f.conversationId, shown ? chat.lastSeq : 0)),
        );
      }
      case 'message': {
        const m = f.message;
        if (m.author === 'operator') this.setOperatorTyping(false);
        const last = m.conversationId === chat.conversationId ? chat.lastSeq : 0;
        return this.gapped(m.conversationId, this.gaps.message(m, f.prev, last));
      }
      case 'ack':
        this.confirmStored();
        if (this.offline.acked(f.clientId, f.conversationId)) this.cancel('offline');
        else return chat.acked(f.clientId, f.conversationId, f.seq, f.at);
        break;
      case 'identity':
        this.confirmStored();
        this.ident.answered(f.status);
        break;
      case 'conversation':
        chat.conversation(f.conversation);
        if (f.conversation.status !== 'active') this.setOperatorTyping(false);
        break;
      case 'queue':
        chat.queued(f.conversationId, { position: f.position, ahead: f.ahead, eta: f.eta });
        break;
      case 'assigned':
        chat.assigned(f.conversationId, f.operator);
        break;
      case 'typing':
        if (chat.conversationId === f.conversationId) this.setOperatorTyping(f.active);
        break;
      case 'availability':
        if (f.teamId) this.teamsOnline = { ...this.teamsOnline, [f.teamId]: f.operatorsOnline };
        else this.operatorsOnline = f.operatorsOnline;
        break;
      case 'error':
        if (f.code === 'unsupported_version') this.giveUp(f.code);
        else if (f.code === 'identity_changed') this.identityChanged();
        else this.rejected(f);
        break;
    }
    return [];
  }

  /** Applies what the gap check released and asks for what is missing. */
  private gapped(conversationId: string, r: { apply: Message[]; sync: number | null }): Message[] {
    if (r.sync !== null) this.frame({ type: 'sync', conversationId, afterSeq: r.sync });
    return r.apply.length ? this.chat.merge(r.apply, true) : [];
  }

  /** Tells the page about messages it had not shown: each once, own ones only if another page sent them. */
  private announce(messages: readonly Message[]): void {
    const on = this.o.onMessage;
    for (const m of messages) {
      if (m.author === 'note' || (m.clientId && this.announced.has(m.clientId))) continue;
      if (m.clientId) this.announced.add(m.clientId);
      const author = m.author === 'visitor' || m.author === 'operator' ? m.author : 'system';
      on?.({ author, text: m.text, at: m.at, name: author === 'operator' ? m.authorName : null });
    }
  }

  private welcome(f: Extract<VisitorServerFrame, { type: 'welcome' }>): void {
    this.cancel('handshake');
    write(this.storage, this.key('vid'), f.visitorId);
    write(this.storage, this.key('token'), f.token);
    // A visitor who has said nothing yet is not stored: keep saying `new=1` until it is.
    if (f.stored !== false) write(this.storage, this.key('fresh'), null);
    this.socketVid = f.visitorId;
    this.socketFresh = false;
    this.attempt = 0;
    this.failures = 0;
    this.wasOpen = true;
    this.fatal = null;
    this.operatorsOnline = f.operatorsOnline;
    if (typeof f.withinHours === 'boolean') this.withinHours = f.withinHours;
    this.chat.welcome(f.conversation, this.asked);
    this.setState('open');
  }

  /** An ack or identity answer means the server stored this visitor: reconnects need no `new=1` any more. */
  private confirmStored(): void {
    if (this.get('fresh') === '1' && this.get('vid') === this.socketVid)
      write(this.storage, this.key('fresh'), null);
  }

  /**
   * Another verified user identified on this browser (the host page's `identify` after a login change): the
   * server refused to give them the previous user's visitor. Start a new visitor session: forget the stored
   * identity and the shown conversation (nothing of the previous user stays on screen), keep the unsent
   * messages and the new identity, which go to the new session right after its hello.
   */
  private identityChanged(): void {
    // Another tab of this site may have been refused first and already started the new session (its
    // storage writes reached us): join that one rather than making a third.
    if (this.get('vid') === this.socketVid) {
      this.chat.forget();
      this.forgetIdentity();
    }
    this.shutdown();
    this.attempt = 0;
    this.connect();
  }

  /**
   * Right after hello, without waiting for welcome: who the visitor is goes first, so a conversation the
   * outbox starts carries the name and email; then everything unacknowledged. The server dedupes by
   * clientId, so a message stored just before the connection dropped is acked again, not stored twice.
   */
  private flushAll(): void {
    this.flushIdentity();
    this.sendOffline();
    for (const item of this.chat.outbox) if (!item.failed) this.sendItem(item);
  }

  private rejected(f: ErrorFrame): void {
    if (f.ref && f.ref === this.offline.rec?.clientId && this.offline.pending) {
      if (PERMANENT.has(f.code)) this.offline.fail(f.code);
      else this.after('offline', backoff(1, 1000, 30_000, this.random) + 1000, () => this.sendOffline());
      return;
    }
    const item = f.ref ? this.chat.find(f.ref) : undefined;
    if (!item) return; // errors about typing/rate/end have nothing to show
    const id = item.clientId;
    this.cancelRetry(id);
    if (PERMANENT.has(f.code)) {
      this.chat.fail(id, f.code);
      return;
    }
    const tries = (this.tries.get(id) ?? 0) + 1;
    this.tries.set(id, tries);
    const delay = backoff(tries, 1000, 30_000, this.random);
    const timer = this.timers.set(() => {
      this.retries.delete(id);
      const again = this.chat.find(id);
      if (again && !again.failed) this.sendItem(again);
      this.changed();
    }, delay);
    this.retries.set(id, timer);
  }

  // ---------- frames out ----------

  private sendItem(item: OutboxItem): void {
    const f: VisitorClientFrame = { type: 'send', clientId: item.clientId, text: item.text };
    if (item.teamId) f.teamId = item.teamId;
    this.frame(f);
  }

  private flushIdentity(): void {
    const f = this.ident.frame();
    if (f) this.frame(f);
  }

  private sendOffline(): void {
    const f = this.offline.frame();
    if (f) this.frame(f);
  }

  /** Sends the latest draft, then waits; a draft typed meanwhile goes out when the wait is over. */
  private sendPreview(): void {
    if (this.draft !== this.previewSent || !this.typingOn) {
      if (!this.frame({ type: 'typing', active: true, preview: this.draft })) return;
      this.typingOn = true;
      this.typingSentAt = this.now();
      this.previewSent = this.draft;
    }
    this.after('preview', PREVIEW_EVERY_MS, () => {
      if (this.draft !== this.previewSent) this.sendPreview();
    });
  }

  /** Sends an application frame once hello is out (the server answers anything before hello with not_ready). */
  private frame(f: VisitorClientFrame): boolean {
    return this.helloSent && this.raw(f);
  }

  private raw(f: VisitorClientFrame): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN) return false;
    ws.send(JSON.stringify(f));
    return true;
  }

  // ---------- timers ----------

  private armQuiet(): void {
    const ws = this.ws;
    if (!ws) return;
    this.after('quiet', QUIET_MS, () => {
      this.frame({ type: 'ping' });
      this.after('quiet', PONG_MS, () => this.drop(ws));
    });
  }

  private setOperatorTyping(on: boolean): void {
    this.operatorTyping = on;
    if (!on) {
      this.cancel('operatorTyping');
      return;
    }
    this.after('operatorTyping', OPERATOR_TYPING_MS, () => {
      this.operatorTyping = false;
      this.changed();
    });
  }

  private after(name: TimerName, ms: number, fn: () => void): void {
    this.cancel(name);
    this.handles[name] = this.timers.set(() => {
      delete this.handles[name];
      fn();
    }, ms);
  }

  private cancel(name: TimerName): void {
    const h = this.handles[name];
    if (h === undefined) return;
    this.timers.clear(h);
    delete this.handles[name];
  }

  private cancelRetry(clientId: string): void {
    const h = this.retries.get(clientId);
    if (h === undefined) return;
    this.timers.clear(h);
    this.retries.delete(clientId);
  }

  // ---------- storage and view ----------

  private key(name: StorageName): string {
    return storageKey(this.o.site, name);
  }

  private get(name: StorageName): string | null {
    try {
      return this.storage.getItem(this.key(name));
    } catch {
      return null;
    }
  }

  private changed(): void {
    this.view = this.build();
    for (const fn of this.listeners) fn(this.view);
  }

  private build(): ChatView {
    const conversation = this.chat.view;
    return {
      state: this.state,
      wasOpen: this.wasOpen,
      fatal: this.fatal,
      conversation,
      ended: isOver(conversation),
      items: this.chat.list(this.retries),
      // A queue position from before a disconnect is stale; welcome brings a fresh one.
      queue: this.state === 'open' ? this.chat.queue : null,
      operatorTyping: this.operatorTyping,
      operatorsOnline: this.operatorsOnline,
      teamsOnline: this.teamsOnline,
      withinHours: this.withinHours,
      offline: this.offline.rec,
      identity: this.ident.rec,
    };
  }
}
