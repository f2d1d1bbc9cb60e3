import { performance } from 'node:perf_hooks';
import type { ErrorFrame } from '@beseda/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { Clock } from '../core/clock.js';
import { BesedaError } from '../core/errors.js';
import { channels } from '../ops/channels.js';
import { errorFrame, refOf, toErrorFrame } from './frames.js';
import { sendFrame } from './send-frame.js';
import { TokenBucket } from './token-bucket.js';

export interface SocketSession<F extends { type: string }, Out> {
  parse(raw: Buffer | ArrayBuffer | Buffer[]): F;
  /** Must answer the first frame, which has to be `hello`; returns the frames to send back. */
  hello(frame: F): Promise<Out[]>;
  /** Resolves with the direct answer to send back, or undefined when the frame has none. */
  handle(frame: F): Promise<Out | undefined>;
  close(): void;
}

const MAX_VIOLATIONS = 20;
/** Closed for silence: the client is gone or its network is. */
export const CLOSE_IDLE = 4408;

/**
 * Drives one socket: handlers attached synchronously (frames arriving before an async step would be
 * lost otherwise), frames processed strictly one after another so acks keep the sender's order, every
 * failure answered with a typed error frame, floods answered with rate_limited and finally a close.
 */
export function serveSocket<F extends { type: string }, Out>(
  socket: WebSocket,
  session: SocketSession<F, Out>,
  opts: {
    log: FastifyBaseLogger;
    clock: Clock;
    framesPerSecond: number;
    /** Close a socket that sent nothing for this long (consoles ping every 5 s); off when absent. */
    idleTimeoutMs?: number;
  },
): void {
  const bucket = new TokenBucket(opts.framesPerSecond, opts.framesPerSecond * 2, opts.clock);
  let ready = false;
  let violations = 0;
  let chain: Promise<void> = Promise.resolve();

  const send = (frame: Out | ErrorFrame) => sendFrame(socket, frame);

  // Liveness of the network is measured in real time, like the ws heartbeat (domain time is the injected
  // clock, which tests move in jumps). A page whose network is gone still answers ws pings from the OS; only
  // application silence tells.
  let lastFrameAt = performance.now();
  let idleTimer: NodeJS.Timeout | null = null;
  const watchIdle = (ms: number) => {
    idleTimer = setTimeout(() => {
      if (socket.readyState !== socket.OPEN) return;
      if (performance.now() - lastFrameAt >= ms) socket.close(CLOSE_IDLE, 'no frames');
      else watchIdle(ms);
    }, ms / 4);
    idleTimer.unref();
  };
  if (opts.idleTimeoutMs) watchIdle(opts.idleTimeoutMs);

  socket.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => {
    lastFrameAt = performance.now();
    if (!bucket.take()) {
      violations += 1;
      send(errorFrame('rate_limited', undefined, refOf(raw)));
      if (violations > MAX_VIOLATIONS) socket.close(4429, 'rate limited');
      return;
    }
    const receivedAt = performance.now();
    chain = chain.then(async () => {
      try {
        const frame = session.parse(raw);
        if (!ready) {
          if (frame.type !== 'hello') throw new BesedaError('not_ready');
          for (const out of await session.hello(frame)) send(out);
          ready = true;
          return;
        }
        if (frame.type === 'hello') throw new BesedaError('invalid_state', 'hello was already received');
        const out = await session.handle(frame);
        if (out) send(out);
        if (channels.relayAck.hasSubscribers && (out as { type?: string } | undefined)?.type === 'ack')
          channels.relayAck.publish({ ms: performance.now() - receivedAt });
      } catch (err) {
        const { frame, unexpected } = toErrorFrame(err, refOf(raw));
        if (unexpected) opts.log.error({ err }, 'frame handler failed');
        send(frame);
        if (channels.transportError.hasSubscribers)
          channels.transportError.publish({ code: frame.code, via: 'ws' });
        if (frame.code === 'unsupported_version') socket.close(4400, 'unsupported protocol version');
      }
    });
  });
  socket.on('close', () => {
    if (idleTimer) clearTimeout(idleTimer);
    session.close();
  });
  socket.on('error', (err) => opts.log.debug({ err }, 'socket error'));
}
