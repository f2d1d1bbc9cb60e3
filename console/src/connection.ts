import type { PROTOCOL_VERSION } from '@beseda/shared';
import type { ConversationView, OperatorClientFrame, OperatorServerFrame } from '@beseda/shared/types';

/**
 * The operator's WebSocket, framework-free. An explicit state machine:
 *
 *   idle ──start()──► connecting ──welcome──► open
 *                        ▲                     │ socket lost / silent too long
 *                        └──── backoff ◄── closed (retryInMs set; null = gave up: auth refused)
 *
 * It owns delivery, not meaning: `send` frames stay in an outbox until acked and are re-sent after a
 * reconnect (the server dedupes by clientId); after every welcome it asks for each chat's messages after the
 * last seq the client holds, so a reconnect resumes from a cursor instead of reloading everything.
 */

// Typed against the shared constant, so bumping the protocol fails the type check here instead of
// shipping the protocol package's runtime (TypeBox) in the console bundle.
const VERSION: typeof PROTOCOL_VERSION = 1;

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'closed';

/** The subset of the browser WebSocket we use; tests pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type SocketFactory = (url: string) => SocketLike;

export interface ConnectionOptions {
  url: string;
  /** Highest seq the client holds per conversation (undefined = nothing yet). */
  lastSeq: (conversationId: string) => number | undefined;
  createSocket?: SocketFactory;
  minDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  /**
   * Ping after sending nothing for this long (PROTOCOL-NOTES 5: the server drops an operator socket silent
   * for 12 s, so presence follows a cut network within seconds); a connection we heard nothing on for
   * ping + pongTimeout is treated as dead.
   */
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  /** An unacked message is sent again after this long (the server dedupes by clientId). */
  ackTimeoutMs?: number;
  maxOutbox?: number;
}

export interface StateChange {
  state: ConnectionState;
  retryInMs: number | null;
  closeCode: number | null;
}

type SendFrame = Extract<OperatorClientFrame, { type: 'send' }>;

const OPEN = 1;
/**
 * Close codes after which reconnecting cannot help: the session is gone or access was revoked (4401 on
 * logout, deactivation or expiry: the console shows the sign-in screen). Every other close reconnects and
 * resumes from each chat's watermark, e.g. 1012 (node draining), 1013 (we read too slowly) and 4408 (the
 * server heard nothing from us for too long).
 */
const TERMINAL_CLOSE_CODES = new Set([4401, 4403]);
const NORMAL_CLOSE = 1000;

/** Full-jitter exponential backoff: uniform in [0, min(max, min·2^attempt)). */
export function backoff(attempt: number, minMs: number, maxMs: number, random: () => number): number {
  const cap = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * cap);
}

export class OperatorConnection {
  private _state: ConnectionState = 'idle';
  private socket: SocketLike | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private lastHeard = 0;
  private lastSent = 0;
  private readonly outbox = new Map<string, { frame: SendFrame; sentAt: number }>();
  private readonly stateListeners = new Set<(change: StateChange) => void>();
  private readonly frameListeners = new Set<(frame: OperatorServerFrame) => void>();
  private readonly opts: Required<ConnectionOptions>;

  constructor(options: ConnectionOptions) {
    this.opts = {
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      minDelayMs: 500,
      maxDelayMs: 20_000,
      random: Math.random,
      pingIntervalMs: 5_000,
      pongTimeoutMs: 5_000,
      ackTimeoutMs: 8_000,
      maxOutbox: 500,
      ...options,
    };
  }

  get state(): ConnectionState {
    return this._state;
  }

  /** The resume point the connection uses for a chat (0 when the client holds nothing yet). */
  lastSeqFor(conversationId: string): number {
    return this.opts.lastSeq(conversationId) ?? 0;
  }

  /** Messages handed to `send` and not acked yet, oldest first. */
  get unacked(): SendFrame[] {
    return [...this.outbox.values()].map((e) => e.frame);
  }

  onState(fn: (change: StateChange) => void): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  onFrame(fn: (frame: OperatorServerFrame) => void): () => void {
    this.frameListeners.add(fn);
    return () => this.frameListeners.delete(fn);
  }

  start(): void {
    if (this._state === 'idle' || this._state === 'closed') this.connect();
  }

  /** Skip the remaining backoff, e.g. when the browser reports it is online again. */
  retryNow(): void {
    if (this._state !== 'closed') return;
    this.attempt = 0;
    this.connect();
  }

  /** Back to idle for good (logout). Unacked messages are dropped with the session. */
  stop(): void {
    this.clearTimers();
    this.outbox.clear();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      detach(socket);
      socket.close(NORMAL_CLOSE, 'logout');
    }
    this.setState('idle', null, null);
  }

  /**
   * Chat messages are kept until acked and always accepted (they go out once connected); every other frame
   * only makes sense now, so it is sent if open and otherwise reported as not sent.
   */
  send(frame: OperatorClientFrame): boolean {
    if (frame.type === 'send') {
      if (!this.outbox.has(frame.clientId) && this.outbox.size >= this.opts.maxOutbox) return false;
      this.outbox.set(frame.clientId, { frame, sentAt: Date.now() });
      if (this._state === 'open') this.transmit(frame);
      return true;
    }
    if (this._state !== 'open') return false;
    this.transmit(frame);
    return true;
  }

  private connect(): void {
    this.clearTimers();
    this.setState('connecting', null, null);
    let socket: SocketLike;
    try {
      socket = this.opts.createSocket(this.opts.url);
    } catch {
      this.scheduleReconnect(null);
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.transmit({ type: 'hello', v: VERSION });
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onclose = (ev) => this.handleClose(socket, ev.code);
    // Errors are always followed by close; the close handler decides what happens next.
    socket.onerror = () => {};
  }

  private receive(data: unknown): void {
    this.lastHeard = Date.now();
    const frame = parseFrame(data);
    if (!frame) return;
    if (frame.type === 'welcome') this.handleWelcome();
    else if (frame.type === 'ack') this.outbox.delete(frame.clientId);
    // A refused message will be refused again: stop retrying it, the UI offers a manual retry. Only a
    // rate limit is worth waiting out; the ack timeout sends it again.
    else if (frame.type === 'error' && frame.ref && frame.code !== 'rate_limited')
      this.outbox.delete(frame.ref);
    for (const fn of this.frameListeners) fn(frame);
    if (frame.type === 'welcome') this.resume(frame.chats);
  }

  /** Only a welcome proves the server accepted us, so only it resets the backoff. */
  private handleWelcome(): void {
    this.attempt = 0;
    this.setState('open', null, null);
    this.startHeartbeat();
  }

  /** After listeners saw the welcome: catch up every chat from its cursor, then flush the outbox. */
  private resume(chats: ConversationView[]): void {
    for (const chat of chats) {
      this.transmit({ type: 'sync', conversationId: chat.id, afterSeq: this.lastSeqFor(chat.id) });
    }
    const now = Date.now();
    for (const entry of this.outbox.values()) {
      entry.sentAt = now;
      this.transmit(entry.frame);
    }
  }

  private handleClose(socket: SocketLike, code: number): void {
    if (socket !== this.socket) return;
    detach(socket);
    this.socket = null;
    this.clearTimers();
    if (TERMINAL_CLOSE_CODES.has(code)) {
      this.setState('closed', null, code);
      return;
    }
    this.scheduleReconnect(code);
  }

  private scheduleReconnect(code: number | null): void {
    const delay = backoff(this.attempt++, this.opts.minDelayMs, this.opts.maxDelayMs, this.opts.random);
    this.retryTimer = setTimeout(() => this.connect(), delay);
    this.setState('closed', delay, code);
  }

  /**
   * One timer for liveness and retries: a half-open TCP connection never fires `close`, so silence beyond
   * ping + pongTimeout counts as a drop; unacked messages older than ackTimeout are sent again.
   */
  private startHeartbeat(): void {
    this.lastHeard = Date.now();
    const tick = Math.min(1000, this.opts.pingIntervalMs, this.opts.ackTimeoutMs);
    this.heartbeat = setInterval(() => {
      const now = Date.now();
      const socket = this.socket;
      if (!socket) return;
      if (now - this.lastHeard >= this.opts.pingIntervalMs + this.opts.pongTimeoutMs) {
        socket.close(4000, 'heartbeat timeout');
        this.handleClose(socket, 4000);
        return;
      }
      if (now - this.lastSent >= this.opts.pingIntervalMs) this.transmit({ type: 'ping' });
      for (const entry of this.outbox.values()) {
        if (now - entry.sentAt >= this.opts.ackTimeoutMs) {
          entry.sentAt = now;
          this.transmit(entry.frame);
        }
      }
    }, tick);
  }

  private transmit(frame: OperatorClientFrame): void {
    const socket = this.socket;
    if (socket && socket.readyState === OPEN) {
      socket.send(JSON.stringify(frame));
      this.lastSent = Date.now();
    }
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.retryTimer = null;
    this.heartbeat = null;
  }

  private setState(state: ConnectionState, retryInMs: number | null, closeCode: number | null): void {
    if (state === this._state && state !== 'closed') return;
    this._state = state;
    for (const fn of this.stateListeners) fn({ state, retryInMs, closeCode });
  }
}

function detach(socket: SocketLike): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  socket.onerror = null;
}

/** Server frames are trusted to match the shared schema; anything that is not a typed object is dropped. */
function parseFrame(data: unknown): OperatorServerFrame | null {
  if (typeof data !== 'string') return null;
  try {
    const value: unknown = JSON.parse(data);
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { type?: unknown }).type === 'string'
    ) {
      return value as OperatorServerFrame;
    }
  } catch {
    // Malformed frame: ignore it rather than tear down a working connection.
  }
  return null;
}
