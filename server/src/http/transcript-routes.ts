import { type Transcript, TranscriptQuery } from '@beseda/shared';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { refuse } from '../transport/refuse.js';
import { inboxRoutes } from './inbox-routes.js';
import { requireOperator } from './require-operator.js';

/** Past chats, limited to the caller's sites (invariant 3; every site for the installation admin). */
export async function transcriptRoutes(app: FastifyInstance) {
  const auth = requireOperator(app);
  // Offline messages and missed chats are past conversations too; their inbox status lives beside them.
  await inboxRoutes(app);

  /** A whole conversation with events, or null when it is not in one of the operator's sites. */
  const loadTranscript = async (siteIds: string[], id: string): Promise<Transcript | null> => {
    const conv = await app.store.getConversation(id);
    if (!conv || !siteIds.includes(conv.siteId)) return null;
    const [messages, events] = await Promise.all([
      app.store.listMessages(conv.id, 0),
      app.store.listEvents(conv.id),
    ]);
    return {
      conversation: app.relay.view(conv),
      messages,
      events: events.map((e) => ({ type: e.type, at: e.at, operatorId: e.operatorId, data: e.data })),
    };
  };

  app.get<{ Querystring: TranscriptQuery }>(
    '/api/transcripts',
    { preHandler: auth, schema: { querystring: TranscriptQuery } },
    async (req) => {
      const rows = await app.store.searchTranscripts({ ...req.query, siteIds: req.siteScope! });
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
      const t = await loadTranscript(req.siteScope!, req.params.id);
      return t ?? refuse(reply, 'not_found', 'Conversation not found');
    },
  );

  app.get<{ Params: { id: string }; Querystring: { format?: 'txt' | 'json' } }>(
    '/api/transcripts/:id/export',
    {
      preHandler: auth,
      schema: {
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({
          format: Type.Optional(Type.Union([Type.Literal('txt'), Type.Literal('json')])),
        }),
      },
    },
    async (req, reply) => {
      const t = await loadTranscript(req.siteScope!, req.params.id);
      if (!t) return refuse(reply, 'not_found', 'Conversation not found');
      const conv = t.conversation;
      const format = req.query.format ?? 'txt';
      reply.header('content-disposition', `attachment; filename="conversation-${conv.id}.${format}"`);
      if (format === 'json') return reply.type('application/json').send(JSON.stringify(t, null, 2));
      const tz = app.relay.siteFor(conv.siteId)?.timezone ?? 'UTC';
      return reply.type('text/plain; charset=utf-8').send(transcriptText(t, tz));
    },
  );
}

/** Plain-text transcript an operator can paste into an email. */
export function transcriptText(t: Transcript, timeZone: string): string {
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'short', timeStyle: 'medium' });
  const head = [
    `Conversation ${t.conversation.id}`,
    `Visitor: ${t.conversation.visitorName ?? 'anonymous'}${t.conversation.visitorEmail ? ` <${t.conversation.visitorEmail}>` : ''}`,
    `Status: ${t.conversation.status}${t.conversation.rating ? ` · rated ${t.conversation.rating}` : ''}`,
    `Started: ${fmt.format(t.conversation.createdAt)} (${timeZone})`,
    '',
  ];
  const who = (m: Transcript['messages'][number]) =>
    m.author === 'visitor'
      ? (m.authorName ?? 'Visitor')
      : m.author === 'system'
        ? '—'
        : `${m.authorName ?? 'Operator'}${m.author === 'note' ? ' (internal note)' : ''}`;
  return [...head, ...t.messages.map((m) => `[${fmt.format(m.at)}] ${who(m)}: ${m.text}`)].join('\n');
}
