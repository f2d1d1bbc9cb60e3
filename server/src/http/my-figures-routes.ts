import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { operators } from '../metrics/dashboard.js';
import { DashboardQuerystring, dashboardContext } from './dashboard-routes.js';
import { requireOperator } from './require-operator.js';

/**
 * An operator's own figures (issue #12.9): chats handled, first-response median, ratings, handling time
 * and online minutes on one of their sites, with the previous period. Any signed-in operator may call it;
 * the figures are always the caller's (the operator id comes from the session, not the query), so one
 * operator cannot read another's. Owners read everyone's through /api/dashboard/operators.
 */
export async function myFiguresRoutes(app: FastifyInstance) {
  // The dashboard's site and range, never another operator's id (built here: the modules import each other).
  const { site, from, to, teamId } = DashboardQuerystring.properties;
  const MineQuerystring = Type.Object({ site, from, to, teamId }, { additionalProperties: false });
  app.get<{ Querystring: DashboardQuerystring }>(
    '/api/dashboard/mine',
    {
      preHandler: requireOperator(app),
      schema: { querystring: MineQuerystring },
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const c = await dashboardContext(app, req, reply, true);
      if (!c) return reply;
      const env = await operators(c.ctx, c.q);
      // The operator-scoped figures hold one row: the caller's (team = that row).
      return {
        ...env,
        current: env.current.team,
        previous: env.previous.team,
        comparison: Object.fromEntries(Object.entries(env.comparison).filter(([k]) => !k.includes('.'))),
      };
    },
  );
}
