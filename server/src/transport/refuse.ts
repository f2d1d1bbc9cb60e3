import { ERRORS, type ErrorCode } from '@beseda/shared';
import type { FastifyReply } from 'fastify';
import type { WebSocket } from 'ws';

/** Refuses an HTTP request or a WebSocket upgrade with the error table's status and a typed body. */
export function refuse(reply: FastifyReply, code: ErrorCode, message?: string) {
  return reply.code(ERRORS[code].http).send({ error: code, message: message ?? ERRORS[code].message });
}

/** Sends the typed error frame and closes with the table's close code (4401), touching nothing else. */
export function closeUnauthorized(socket: WebSocket, message: string) {
  socket.send(JSON.stringify({ type: 'error', code: 'unauthorized', message }));
  socket.close(ERRORS.unauthorized.close, 'unauthorized');
}
