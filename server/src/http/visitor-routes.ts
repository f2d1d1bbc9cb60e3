import type { VisitorCard } from '@beseda/shared';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { refuse } from '../transport/refuse.js';
import { requireOperator } from './require-operator.js';

/** The visitor card beside a chat: who, where from, which pages, earlier conversations. */
export async function visitorRoutes(app: FastifyInstance) {
  app.get<{ Params: { id: string } }>(
    '/api/visitors/:id',
    {
      preHandler: requireOperator(app),
      schema: { params: Type.Object({ id: Type.String({ maxLength: 64 }) }) },
    },
    async (req, reply) => {
      const v = await app.store.getVisitor(req.params.id);
      if (!v || !req.siteScope!.includes(v.siteId)) return refuse(reply, 'not_found', 'Visitor not found');
      const [pages, conversations] = await Promise.all([
        app.store.listPageViews(v.id, 50),
        app.store.listVisitorConversations(v.id, 20),
      ]);
      const card: VisitorCard = {
        visitor: {
          id: v.id,
          name: v.name,
          email: v.email,
          verified: v.verified,
          userId: v.userId,
          lang: v.lang,
          userAgent: v.userAgent,
          timezone: v.timezone,
          attributes: v.attributes,
          createdAt: v.createdAt,
          lastSeenAt: v.lastSeenAt,
        },
        pages,
        conversations: conversations.map((c) => ({
          id: c.id,
          status: c.status,
          createdAt: c.createdAt,
          endedAt: c.endedAt,
          rating: c.rating,
          operatorName: c.operatorId ? (app.relay.view(c).operator?.name ?? null) : null,
        })),
      };
      return card;
    },
  );
}
