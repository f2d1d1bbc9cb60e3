import { type Transcript, TranscriptQuery } from '@beseda/shared';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { refuse } from '../transport/refuse.js';
import { requireOperator } from './require-operator.js';

/** Past chats, limited to the sites the operator belongs to (invariant 3). */
export async function transcriptRoutes(app: FastifyInstance) {
  const auth = requireOperator(app);

  app.get<{ Querystring: TranscriptQuery }>(
    '/api/transcripts',
    { preHandler: auth, schema: { querystring: TranscriptQuery } },
    async (req) => {
      const op = req.operator!;
      const rows = await app.store.searchTranscripts({ ...req.query, siteIds: op.siteIds });
      return {
        items: rows.items.map((r) => ({ ...r, conversation: app.relay.view(r.conversation) })),
        nextBefore: rows.nextBefore,
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/transcripts/:id',
    { preHandler: auth, schema: { params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } },
    async (req, reply) => {
      const op = req.operator!;
      const conv = await app.store.getConversation(req.params.id);
      if (!conv || !op.siteIds.includes(conv.siteId))
        return refuse(reply, 'not_found', 'Conversation not found');
      const [messages, events] = await Promise.all([
        app.store.listMessages(conv.id, 0),
        app.store.listEvents(conv.id),
      ]);
      const body: Transcript = {
        conversation: app.relay.view(conv),
        messages,
        events: events.map((e) => ({ type: e.type, at: e.at, operatorId: e.operatorId, data: e.data })),
      };
      return body;
    },
  );
}
