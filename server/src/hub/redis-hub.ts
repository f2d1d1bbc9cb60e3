import { Redis, type RedisOptions } from 'ioredis';
import { decodeFrame, encodeFrame } from '../core/encode-once.js';
import { MemoryHub } from './memory-hub.js';
import type { Hub } from './types.js';

interface LegacyEnvelope {
  node: string;
  payload: unknown;
}

const DROP = Symbol('own message');

/** `<node id>\n<payload JSON>`: a node tells its own messages apart without parsing them. */
const SEPARATOR = 0x0a;

/**
 * Fan-out between nodes over Redis pub/sub. Local subscribers are served synchronously by an embedded
 * MemoryHub; every publish also goes to Redis stamped with this node's id, and messages coming back with
 * our own id are dropped (no self-echo, no double delivery). All channels share one key prefix.
 */
export class RedisHub implements Hub {
  private readonly local = new MemoryHub();
  readonly nodeId: string;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channels = new Map<string, number>();
  private pending: Promise<unknown>[] = [];
  private readonly resubscribed = new Set<() => void>();
  private connectedOnce = false;

  private constructor(
    url: string,
    private readonly prefix: string,
    opts: RedisOptions,
    nodeId?: string,
  ) {
    this.nodeId = nodeId ?? this.local.nodeId;
    // A message is published to two or three topics in one go: auto-pipelining sends what one event-loop
    // turn published in one write instead of one system call per PUBLISH.
    this.pub = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 3,
      enableAutoPipelining: true,
      ...opts,
    });
    this.sub = new Redis(url, { lazyConnect: true, ...opts });
    const self = Buffer.from(`${this.nodeId}\n`);
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      // Our own publications come back wherever we subscribe too: dropped before any parsing.
      if (message.length >= self.length && message.subarray(0, self.length).equals(self)) return;
      const topic = channel.toString().slice(this.prefix.length);
      let payload: unknown;
      try {
        payload = this.decode(message);
      } catch {
        return;
      }
      if (payload !== DROP) this.local.deliver(topic, payload);
    });
    // ioredis resubscribes by itself after a reconnect, but whatever was published meanwhile is gone:
    // tell the node so it can catch its local conversations up from the store.
    this.sub.on('ready', () => {
      if (!this.connectedOnce) {
        this.connectedOnce = true;
        return;
      }
      for (const h of [...this.resubscribed]) h();
    });
  }

  onResubscribed(handler: () => void): () => void {
    this.resubscribed.add(handler);
    return () => this.resubscribed.delete(handler);
  }

  static async connect(
    url: string,
    prefix = 'beseda:',
    opts: RedisOptions = {},
    nodeId?: string,
  ): Promise<RedisHub> {
    const hub = new RedisHub(url, prefix, opts, nodeId);
    await Promise.all([hub.pub.connect(), hub.sub.connect()]);
    return hub;
  }

  private key(topic: string): string {
    return `${this.prefix}${topic}`;
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    this.local.deliver(topic, payload);
    // The same text the local sockets were (or will be) sent: encoded once for both.
    await this.pub.publish(this.key(topic), `${this.nodeId}\n${encodeFrame(payload)}`);
  }

  /** A payload from another node (the JSON envelope of nodes before this format included). */
  private decode(message: Buffer): unknown {
    if (message[0] === 0x7b) {
      const env = JSON.parse(message.toString()) as LegacyEnvelope;
      return env.node === this.nodeId ? DROP : env.payload;
    }
    const at = message.indexOf(SEPARATOR);
    if (at < 0) throw new Error('not a hub message');
    // Remembered with its text, so forwarding it to local sockets does not encode it again.
    return decodeFrame(message.toString('utf8', at + 1));
  }

  subscribe(topic: string, handler: (payload: unknown) => void): () => void {
    const off = this.local.subscribe(topic, handler);
    const n = this.channels.get(topic) ?? 0;
    this.channels.set(topic, n + 1);
    if (n === 0) this.pending.push(this.sub.subscribe(this.key(topic)).catch(() => undefined));
    let done = false;
    return () => {
      if (done) return;
      done = true;
      off();
      const left = (this.channels.get(topic) ?? 1) - 1;
      if (left <= 0) {
        this.channels.delete(topic);
        this.sub.unsubscribe(this.key(topic)).catch(() => undefined);
      } else this.channels.set(topic, left);
    };
  }

  /** Resolves once Redis has confirmed every subscription made so far. */
  async ready(): Promise<void> {
    const p = this.pending;
    this.pending = [];
    await Promise.all(p);
  }

  async close(): Promise<void> {
    await this.local.close();
    this.sub.disconnect();
    await this.pub.quit().catch(() => undefined);
  }
}
