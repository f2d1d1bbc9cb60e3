import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';

/**
 * After the upgrade, @fastify/websocket leaves two references that keep the whole HTTP request alive for
 * as long as the socket is open: the ServerResponse it assigned to the TCP socket (with its request,
 * fastify's Request/Reply, their child logger and the raw headers), and an 'error' listener that closes
 * over request and reply. Several KB per idle visitor (a heap snapshot diff showed them on every socket),
 * so they are let go here; serveSocket attaches its own 'error' listener before this runs.
 */
export function releaseUpgradeRequest(socket: WebSocket, raw: IncomingMessage): void {
  const tcp = raw.socket as (typeof raw.socket & { _httpMessage?: unknown }) | null;
  const res = tcp?._httpMessage as { detachSocket?: (s: unknown) => void } | null | undefined;
  if (tcp && res && typeof res.detachSocket === 'function') res.detachSocket(tcp);
  const listeners = socket.listeners('error');
  // The framework's listener is the first; ours (serveSocket's) stays, so an error never goes unheard.
  if (listeners.length > 1) socket.removeListener('error', listeners[0] as (err: Error) => void);
}
