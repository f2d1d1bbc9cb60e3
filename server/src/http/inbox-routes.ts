import { type InboxItem, type InboxList, InboxQuery, InboxStatusBody } from '@beseda/shared';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { INBOX_PREVIEW_CHARS } from '../store/inbox-rows.js';
import type { InboxRows, InboxStatus } from '../store/types.js';
import { refuse } from '../transport/refuse.js';
import { requireOperator } from './require-operator.js';

const STATUS_FILTER: Record<NonNullable<InboxQuery['status']>, InboxStatus[]> = {
  open: ['open'],
  answered: ['answered'],
  closed: ['closed'],
  active: ['open', 'answered'],
  all: ['open', 'answered', 'closed'],
};

/**
 * The offline inbox (issue #12.7): offline messages and missed chats of the caller's sites, with a status
 * (open / answered / closed) stored on the server, so every operator of the site sees the same list and the
 * same badge whenever they come online. Anything outside the caller's sites answers `not_found`, exactly like
 * an id that does not exist (invariant 3). Beseda sends no email itself: "answered" is set by the operator
 * after replying from their own mail client (the console offers a mailto link).
 */
export async function inboxRoutes(app: FastifyInstance) {
  const auth = requireOperator(app);

  const itemOf = (row: InboxRows['items'][number]): InboxItem => {
    const by = row.inbox.changedBy;
    return {
      conversation: app.relay.view(row.conversation),
      preview: row.preview,
      status: row.inbox.status,
      changedAt: row.inbox.changedAt,
      changedBy: by ? { id: by, name: app.relay.directory.operatorName(by) ?? '' } : null,
    };
  };

  app.get<{ Querystring: InboxQuery }>(
    '/api/inbox',
    { preHandler: auth, schema: { querystring: InboxQuery } },
    async (req): Promise<InboxList> => {
      const rows = await app.store.listInbox({
        siteIds: req.siteScope!,
        statuses: STATUS_FILTER[req.query.status ?? 'open'],
        limit: req.query.limit ?? 50,
        ...(req.query.before !== undefined ? { before: req.query.before } : {}),
      });
      return { items: rows.items.map(itemOf), openCount: rows.openCount, nextBefore: rows.nextBefore };
    },
  );

  app.patch<{ Params: { id: string }; Body: InboxStatusBody }>(
    '/api/inbox/:id',
    {
      preHandler: auth,
      schema: {
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        body: InboxStatusBody,
      },
    },
    async (req, reply) => {
      const state = await app.store.getInboxState(req.params.id);
      if (!state || !req.siteScope!.includes(state.siteId))
        return refuse(reply, 'not_found', 'No offline message or missed chat with this id');
      const inbox = await app.store.setInboxStatus(state.conversationId, {
        status: req.body.status,
        at: app.clock.now(),
        operatorId: req.operator!.id,
      });
      const conversation = await app.store.getConversation(state.conversationId);
      if (!conversation) return refuse(reply, 'not_found', 'No offline message or missed chat with this id');
      const first = (await app.store.listMessages(conversation.id, 0, 20)).find(
        (m) => m.author === 'visitor',
      );
      const row = { conversation, inbox, preview: first?.text.slice(0, INBOX_PREVIEW_CHARS) ?? '' };
      return { item: itemOf(row) };
    },
  );
}
