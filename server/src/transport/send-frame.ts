import type { WebSocket } from 'ws';
import { encodeFrame } from './encode.js';

/** Beyond this much unsent data a reader is too slow: it is cut off and resumes from its last seq. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
/** "Try again later": clients reconnect with backoff and resume. */
export const CLOSE_SLOW_READER = 1013;

/**
 * Sends one frame unless the socket is closed or its reader stopped reading: a console that stops reading
 * while visitors write would otherwise grow this process's memory until the heartbeat dropped it.
 */
export function sendFrame(socket: WebSocket, frame: unknown): void {
  if (socket.readyState !== socket.OPEN) return;
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.close(CLOSE_SLOW_READER, 'slow reader');
    return;
  }
  corkUntilNextTurn(socket);
  socket.send(encodeFrame(frame));
}

type Corkable = { cork(): void; uncork(): void };
const corked = new Set<Corkable>();
let flushScheduled = false;

/**
 * One message becomes several frames on one socket in the same event-loop turn (the sender's ack and its
 * echo, a chat's message and its assignment): holding the TCP socket corked until the turn ends sends
 * them in one `writev` instead of one system call per frame. `ws` has no public cork, so this reaches its
 * underlying net.Socket; if that ever changes, frames simply go out one by one as before.
 */
function corkUntilNextTurn(socket: WebSocket): void {
  const raw = (socket as unknown as { _socket?: Partial<Corkable> })._socket;
  if (!raw || typeof raw.cork !== 'function' || typeof raw.uncork !== 'function') return;
  const tcp = raw as Corkable;
  if (corked.has(tcp)) return;
  tcp.cork();
  corked.add(tcp);
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flushCorked);
}

function flushCorked(): void {
  flushScheduled = false;
  const sockets = [...corked];
  corked.clear();
  for (const tcp of sockets) tcp.uncork();
}
