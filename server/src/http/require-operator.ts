import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { operatorFromRequest } from '../auth/sessions.js';
import { refuse } from '../transport/refuse.js';

/** preHandler for console REST routes: a valid session, and for owner routes the owner role. */
export function requireOperator(app: FastifyInstance, role?: 'owner') {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const op = await operatorFromRequest(app.store, req);
    if (!op) return refuse(reply, 'unauthorized');
    if (role && op.role !== role) return refuse(reply, 'forbidden', 'Owners only');
    req.operator = op;
  };
}
