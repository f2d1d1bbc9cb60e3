import { ERRORS, type ErrorCode } from '@beseda/shared';
import type { FastifyReply } from 'fastify';

/** Refuses an HTTP request or a WebSocket upgrade with the error table's status and a typed body. */
export function refuse(reply: FastifyReply, code: ErrorCode, message?: string) {
  return reply.code(ERRORS[code].http).send({ error: code, message: message ?? ERRORS[code].message });
}
