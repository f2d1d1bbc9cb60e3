import { randomUUID } from 'node:crypto';
import type { Message } from '@beseda/shared';
import WebSocket from 'ws';
import type { NodeProcess } from './node-process.js';
import { Timeline } from './timeline.js';
import { waitFor } from './wait.js';

export type Frame = { type: string; [k: string]: unknown };

export const newClientId = () => randomUUID().replace(/-/g, '');

interface Waiter {
  pred: (f: Frame) => boolean;
  resolve: (f: Frame) => void;
}

/**
 * A protocol client as the widget/console behave: one socket at a time to some node, an outbox re-sent until
 * acked (same clientId), the gap rule per conversation, and — when enabled — reconnection to another live
 * node after the socket drops. Every frame and close is recorded for the test's checks.
 */
export abstract class Peer {
  node: NodeProcess | null = null;
  ws: WebSocket | null = null;
  /** Welcome received on the current socket. */
  ready = false;
  readonly frames: Frame[] = [];
  readonly closes: { node: string; code: number; at: number }[] = [];
  readonly outbox = new Map<string, Frame>();
  readonly acks = new Map<string, Frame>();
  readonly errors: Frame[] = [];
  readonly timelines = new Map<string, Timeline>();
  connects = 0;
  private waiters: Waiter[] = [];
  private ackWaiters = new Map<string, { resolve: (f: Frame) => void; reject: (e: Error) => void }[]>();
  private chooseNext: ((failed: NodeProcess) => NodeProcess) | null = null;
  private reconnecting = false;
  private closing = false;

  constructor(readonly label: string) {}

  protected abstract openSocket(node: NodeProcess): WebSocket;
  protected abstract hello(): Frame;
  /** Frames the client pipelines right after hello (visitors may send before welcome). */
  protected beforeWelcome(): void {}
  protected abstract afterWelcome(welcome: Frame): void;
  protected onFrame(_f: Frame): void {}

  /** Reconnect (to `choose(failedNode)`) whenever the socket closes without us closing it. */
  autoReconnect(choose: (failed: NodeProcess) => NodeProcess): this {
    this.chooseNext = choose;
    return this;
  }

  timeline(conversationId: string): Timeline {
    let t = this.timelines.get(conversationId);
    if (!t) {
      t = new Timeline(conversationId);
      this.timelines.set(conversationId, t);
    }
    return t;
  }

  /** Opens a socket to `node`, says hello and resolves with welcome (rejects if the socket closes first). */
  async connect(node: NodeProcess, timeoutMs = 10_000): Promise<Frame> {
    this.closing = false;
    this.ready = false;
    for (const t of this.timelines.values()) t.resetSync();
    const ws = this.openSocket(node);
    this.ws = ws;
    this.node = node;
    this.connects++;
    const from = this.frames.length;
    ws.on('message', (data) => {
      if (ws !== this.ws) return;
      this.receive(JSON.parse(String(data)) as Frame);
    });
    const closed = new Promise<never>((_, reject) => {
      ws.once('close', (code) => {
        this.closes.push({ node: node.name, code, at: performance.now() });
        reject(new Error(`${this.label}: socket to ${node.name} closed (${code}) before welcome`));
        if (ws === this.ws) this.onSocketClosed(node);
      });
    });
    closed.catch(() => {});
    try {
      await this.handshake(ws, node, closed, from, timeoutMs);
    } catch (err) {
      ws.terminate();
      throw err;
    }
    return this.frames.slice(from).find((f) => f.type === 'welcome')!;
  }

  private async handshake(
    ws: WebSocket,
    node: NodeProcess,
    closed: Promise<never>,
    from: number,
    timeoutMs: number,
  ) {
    await Promise.race([
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('unexpected-response', (_req, res) =>
          reject(new Error(`${this.label}: upgrade to ${node.name} refused: ${res.statusCode}`)),
        );
        ws.once('error', (err) => reject(new Error(`${this.label}: ${node.name}: ${err.message}`)));
      }),
      closed,
    ]);
    this.raw(this.hello());
    this.beforeWelcome();
    // An error before welcome (e.g. unauthorized) means this hello failed: say so at once.
    const welcome = await Promise.race([
      this.next((f) => f.type === 'welcome' || (f.type === 'error' && !f.ref), timeoutMs, from),
      closed,
    ]);
    if (welcome.type === 'error') {
      throw new Error(`${this.label}: hello on ${node.name} refused: ${welcome.code}: ${welcome.message}`);
    }
    this.ready = true;
    this.afterWelcome(welcome);
    for (const t of this.timelines.values()) if (t.buffered.size > 0) this.sync(t.conversationId);
  }

  private onSocketClosed(failed: NodeProcess) {
    this.ready = false;
    if (this.closing || !this.chooseNext || this.reconnecting) return;
    this.reconnecting = true;
    void (async () => {
      const deadline = performance.now() + 30_000;
      let backoff = 50;
      while (!this.closing && performance.now() < deadline) {
        try {
          await this.connect(this.chooseNext!(failed));
          break;
        } catch {
          await new Promise((r) => setTimeout(r, backoff));
          backoff = Math.min(backoff * 2, 500);
        }
      }
      this.reconnecting = false;
    })();
  }

  protected raw(frame: Frame | string): void {
    if (this.ws?.readyState === WebSocket.OPEN) {
      this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    }
  }

  protected flushOutbox(): void {
    for (const f of this.outbox.values()) this.raw(f);
  }

  /** Queues a frame with a clientId in the outbox and sends it now if a socket is up; resolves on its ack. */
  protected sendWithAck(frame: Frame & { clientId: string }, sendNow: boolean): Promise<Frame> {
    this.outbox.set(frame.clientId, frame);
    const p = new Promise<Frame>((resolve, reject) => {
      const done = this.acks.get(frame.clientId);
      if (done) return resolve(done);
      const list = this.ackWaiters.get(frame.clientId) ?? [];
      list.push({ resolve, reject });
      this.ackWaiters.set(frame.clientId, list);
    });
    p.catch(() => {});
    if (sendNow) this.raw(frame);
    return p;
  }

  /** Sends a frame once more exactly as before (a client that never saw the ack retries it). */
  resend(clientId: string, frame: Frame): Promise<Frame> {
    this.acks.delete(clientId);
    return this.sendWithAck({ ...frame, clientId }, this.ready);
  }

  sync(conversationId: string): void {
    this.raw({ type: 'sync', conversationId, afterSeq: this.timeline(conversationId).lastSeq });
  }

  private receive(f: Frame) {
    this.frames.push(f);
    switch (f.type) {
      case 'message': {
        const m = f.message as Message;
        if (this.timeline(m.conversationId).onLive(m, f.prev as number | undefined))
          this.sync(m.conversationId);
        break;
      }
      case 'history': {
        const id = f.conversationId as string;
        if (this.timeline(id).onHistory(f.messages as Message[])) this.sync(id);
        break;
      }
      case 'ack': {
        const id = f.clientId as string;
        this.acks.set(id, f);
        this.outbox.delete(id);
        for (const w of this.ackWaiters.get(id) ?? []) w.resolve(f);
        this.ackWaiters.delete(id);
        break;
      }
      case 'error': {
        this.errors.push(f);
        const ref = f.ref as string | undefined;
        if (ref) {
          this.outbox.delete(ref);
          for (const w of this.ackWaiters.get(ref) ?? []) w.reject(new Error(`${f.code}: ${f.message}`));
          this.ackWaiters.delete(ref);
        }
        break;
      }
    }
    this.onFrame(f);
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(f)) return true;
      w.resolve(f);
      return false;
    });
  }

  /** The first frame (from index `from` on, or future) matching `pred`. */
  next(pred: (f: Frame) => boolean, timeoutMs = 10_000, from = 0): Promise<Frame> {
    const seen = this.frames.slice(from).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        pred,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(
          new Error(
            `${this.label}: timed out waiting for a frame; last: ${JSON.stringify(this.frames.slice(-4))}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  ofType(type: string): Frame[] {
    return this.frames.filter((f) => f.type === type);
  }

  /** Waits until this client's current socket has received welcome (after an automatic reconnect). */
  async waitReady(timeoutMs = 15_000): Promise<void> {
    await waitFor(`${this.label} to be connected`, () => this.ready, { timeoutMs });
  }

  lastClose(): { node: string; code: number; at: number } | undefined {
    return this.closes.at(-1);
  }

  /** Drops the socket as a network failure would (no close handshake); auto-reconnect applies. */
  drop(): void {
    this.ws?.terminate();
  }

  async close(): Promise<void> {
    this.closing = true;
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((r) => {
      ws.once('close', () => r());
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close();
      setTimeout(() => {
        ws.terminate();
        r();
      }, 2000).unref();
    });
  }
}
