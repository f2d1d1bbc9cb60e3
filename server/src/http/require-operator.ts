import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { administers, siteScope } from '../auth/roles.js';
import { operatorFromRequest } from '../auth/sessions.js';
import { refuse } from '../transport/refuse.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Ids of the sites whose data this request may read or change: every site for the installation admin,
     * else the sites the operator belongs to. Routes filter by this, never by `operator.siteIds`.
     */
    siteScope?: string[];
  }
}

/**
 * preHandler for console REST routes: a valid session; with 'owner' an administrator (installation admin or
 * site owner — each route then limits an owner to their sites through `req.siteScope`).
 */
export function requireOperator(app: FastifyInstance, level?: 'owner') {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const op = await operatorFromRequest(app.store, req);
    if (!op) return refuse(reply, 'unauthorized');
    if (level && !administers(op)) return refuse(reply, 'forbidden', 'Administrators only');
    req.operator = op;
    req.siteScope = op.role === 'admin' ? siteScope(op, await allSiteIds(app)) : [...op.siteIds];
  };
}

async function allSiteIds(app: FastifyInstance): Promise<string[]> {
  return (await app.store.listSites()).map((s) => s.id);
}
