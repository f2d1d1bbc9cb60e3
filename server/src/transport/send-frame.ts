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
  socket.send(encodeFrame(frame));
}
