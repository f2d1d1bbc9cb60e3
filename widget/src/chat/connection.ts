import type {
  ConversationView,
  ErrorCode,
  ErrorFrame,
  Page,
  Rating,
  VisitorClientFrame,
  VisitorServerFrame,
} from '@beseda/shared/types';
import { type StorageName, storageKey } from '../keys.js';
import { backoff } from './backoff.js';
import { type ChatItem, ChatState, isOver, type OutboxItem, type QueueInfo } from './chat-state.js';
import { browserStorage, type StorageLike, write } from './storage.js';

export type { ChatItem, ItemStatus, QueueInfo } from './chat-state.js';

/**
 * The visitor's link to the relay: an explicit state machine over one WebSocket at a time, framework-free.
 *
 *   idle ─start()─► connecting ─welcome─► open
 *                     ▲    │                │ close / handshake timeout / no pong
 *                     │    └────────────────┴──► closed ─backoff timer─► connecting
 *                     │                            └─ 4403/4404 (or a probe saying so): stays closed, `fatal` set
 *   any ─stop()─► idle
 *
 * Transport only: identity in the upgrade URL, hello with the resume cursor, the outbox resent after
 * every welcome until acked, retries, liveness, typing throttle. What is shown and persisted lives in
 * ChatState; the UI reads `view` and calls the public methods.
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
export type SocketCtor = new (url: string) => SocketLike;

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
  onTransition?: (from: ConnState, to: ConnState) => void;
}

type HelloFrame = Extract<VisitorClientFrame, { type: 'hello' }>;
type TimerName = 'reconnect' | 'handshake' | 'quiet' | 'typing' | 'operatorTyping';

/** Mirrors PROTOCOL_VERSION in shared/src/version.ts (a value, so not importable into the widget). */
const PROTOCOL_VERSION = 1;

const HANDSHAKE_MS = 10_000;
/** After this much silence the socket may be half-open (a phone that changed networks): ping, then give up. */
const QUIET_MS = 45_000;
const PONG_MS = 10_000;
const TYPING_REPEAT_MS = 3_000;
const TYPING_IDLE_MS = 4_000;
/** An operator's "typing" whose "stopped" frame got lost must not stay on screen forever. */
const OPERATOR_TYPING_MS = 15_000;
const PROBE_EVERY = 3;

const CLOSE_CLIENT = 4000;
const CLOSE_BAD_TOKEN = 4401;
const CLOSE_FORBIDDEN = 4403;
const CLOSE_UNKNOWN_SITE = 4404;
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
  /** The current socket presented a stored identity. */
  private withIdentity = false;
  /** Reconnects since the last welcome; drives the backoff. */
  private attempt = 0;
  /** Sockets in a row that never opened; drives the probe. */
  private failures = 0;
  private wasOpen = false;
  private fatal: ErrorCode | null = null;
  private operatorTyping = false;
  private operatorsOnline: boolean | null = null;
  private typingOn = false;
  private typingSentAt = 0;
  private readonly chat: ChatState;
  /** clientId → timer of an outbox item waiting to be retried after a transient error. */
  private readonly retries = new Map<string, unknown>();
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
    this.chat = new ChatState(this.storage, o.site, this.now());
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

  /** Queues a message in the persisted outbox, then sends it; it is resent after every welcome until acked. */
  send(text: string): string | null {
    const item = this.chat.enqueue(text, this.now());
    if (!item) return null;
    this.stopTyping();
    if (this.state === 'idle') this.start();
    else this.sendItem(item);
    this.changed();
    return item.clientId;
  }

  /** Call on every keystroke; sends `typing` at most every few seconds and "stopped" after a pause. */
  typing(): void {
    if (this.state !== 'open' || !this.chat.conversationId || isOver(this.chat.view)) return;
    const now = this.now();
    if (
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
    if (!this.typingOn) return;
    this.typingOn = false;
    this.frame({ type: 'typing', active: false });
  }

  end(): void {
    const view = this.chat.view;
    if (view && !isOver(view)) this.frame({ type: 'end' });
  }

  rate(rating: Rating): void {
    const view = this.chat.view;
    if (view?.status !== 'ended') return;
    if (!this.frame({ type: 'rate', conversationId: view.id, rating })) return;
    this.chat.rated(rating);
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
    const vid = this.get('vid');
    const token = this.get('token');
    const q = new URLSearchParams({ site: this.o.site });
    this.withIdentity = !!(vid && token);
    if (vid && token) {
      q.set('vid', vid);
      q.set('token', token);
    }
    this.opened = false;
    this.setState('connecting');
    let ws: SocketLike;
    try {
      ws = new this.WS(`${this.o.base.replace(/^http/, 'ws')}/ws/visitor?${q}`);
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
      lang: this.o.lang.slice(0, 35),
    };
    const conversationId = this.chat.conversationId;
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
    if (code === CLOSE_BAD_TOKEN) this.chat.forget();
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

  private reconnectLater(): void {
    const delay = backoff(this.attempt++, this.o.minDelayMs ?? 500, this.o.maxDelayMs ?? 30_000, this.random);
    this.after('reconnect', delay, () => this.connect());
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
    const withIdentity = this.withIdentity;
    probe().then(
      (status) => {
        // Meanwhile connected, stopped or already given up: the answer is stale.
        const stale =
          this.state === 'idle' || this.state === 'open' || this.fatal || this.failures < PROBE_EVERY;
        if (stale) return;
        if (status === 404) this.giveUp('unknown_site');
        else if (status === 403) this.giveUp('origin_not_allowed');
        else if (status >= 200 && status < 300 && withIdentity) {
          // The relay is up and serves this site to this page, yet refuses our upgrades: the stored
          // identity is what it rejects (the 4401 a browser cannot see). Start as a new visitor.
          this.chat.forget();
          this.changed();
        }
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
    for (const id of [...this.retries.keys()]) this.cancelRetry(id);
    this.typingOn = false;
    this.operatorTyping = false;
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
      if (f && typeof f === 'object') this.handle(f);
    } catch {
      // A frame that does not match the protocol must not throw into the host page's console.
    }
    if (this.chat.conversationId !== shown) this.setOperatorTyping(false);
    // Settled items (acked, or seen in a replay) need no retry any more.
    for (const id of [...this.retries.keys()]) if (!this.chat.find(id)) this.cancelRetry(id);
    if (this.state === 'open') this.armQuiet();
    this.changed();
  }

  private handle(f: VisitorServerFrame): void {
    const chat = this.chat;
    switch (f.type) {
      case 'welcome':
        this.welcome(f);
        break;
      case 'history':
        chat.merge(f.messages, true);
        break;
      case 'message':
        chat.merge([f.message], true);
        if (f.message.author === 'operator') this.setOperatorTyping(false);
        break;
      case 'ack':
        chat.acked(f.clientId, f.conversationId, f.seq, f.at);
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
        this.operatorsOnline = f.operatorsOnline;
        break;
      case 'error':
        this.rejected(f);
        break;
    }
  }

  private welcome(f: Extract<VisitorServerFrame, { type: 'welcome' }>): void {
    this.cancel('handshake');
    write(this.storage, this.key('vid'), f.visitorId);
    write(this.storage, this.key('token'), f.token);
    this.attempt = 0;
    this.failures = 0;
    this.wasOpen = true;
    this.fatal = null;
    this.operatorsOnline = f.operatorsOnline;
    this.chat.welcome(f.conversation);
    this.setState('open');
    // Resend everything unacknowledged; the server dedupes by clientId, so a message stored just
    // before the connection dropped is acked again rather than stored twice.
    for (const item of this.chat.outbox) if (!item.failed) this.sendItem(item);
  }

  private rejected(f: ErrorFrame): void {
    const item = f.ref ? this.chat.find(f.ref) : undefined;
    if (!item) return; // errors about typing/rate/end have nothing to show
    this.cancelRetry(item.clientId);
    if (PERMANENT.has(f.code)) {
      this.chat.fail(item, f.code);
      return;
    }
    item.tries = (item.tries ?? 0) + 1;
    const delay = backoff(item.tries, 1000, 30_000, this.random);
    const timer = this.timers.set(() => {
      this.retries.delete(item.clientId);
      if (this.chat.find(item.clientId) === item) this.sendItem(item);
      this.changed();
    }, delay);
    this.retries.set(item.clientId, timer);
  }

  // ---------- frames out ----------

  private sendItem(item: OutboxItem): void {
    this.frame({ type: 'send', clientId: item.clientId, text: item.text });
  }

  /** Sends an application frame; only after welcome, because the server answers anything before hello with not_ready. */
  private frame(f: VisitorClientFrame): boolean {
    return this.state === 'open' && this.raw(f);
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
    };
  }
}
