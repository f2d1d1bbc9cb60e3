import type { ErrorFrame } from '@beseda/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { Clock } from '../core/clock.js';
import { BesedaError } from '../core/errors.js';
import { encodeFrame } from './encode.js';
import { errorFrame, refOf, toErrorFrame } from './frames.js';
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

/**
 * Drives one socket: handlers attached synchronously (frames arriving before an async step would be
 * lost otherwise), frames processed strictly one after another so acks keep the sender's order, every
 * failure answered with a typed error frame, floods answered with rate_limited and finally a close.
 */
export function serveSocket<F extends { type: string }, Out>(
  socket: WebSocket,
  session: SocketSession<F, Out>,
  opts: { log: FastifyBaseLogger; clock: Clock; framesPerSecond: number },
): void {
  const bucket = new TokenBucket(opts.framesPerSecond, opts.framesPerSecond * 2, opts.clock);
  let ready = false;
  let violations = 0;
  let chain: Promise<void> = Promise.resolve();

  const send = (frame: Out | ErrorFrame) => {
    if (socket.readyState === socket.OPEN) socket.send(encodeFrame(frame));
  };

  socket.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => {
    if (!bucket.take()) {
      violations += 1;
      send(errorFrame('rate_limited', undefined, refOf(raw)));
      if (violations > MAX_VIOLATIONS) socket.close(4429, 'rate limited');
      return;
    }
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
      } catch (err) {
        const { frame, unexpected } = toErrorFrame(err, refOf(raw));
        if (unexpected) opts.log.error({ err }, 'frame handler failed');
        send(frame);
        if (frame.code === 'unsupported_version') socket.close(4400, 'unsupported protocol version');
      }
    });
  });
  socket.on('close', () => session.close());
  socket.on('error', (err) => opts.log.debug({ err }, 'socket error'));
}
