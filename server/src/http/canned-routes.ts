import { CannedBody } from '@beseda/shared';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { CannedRecord, Operator } from '../store/types.js';
import { refuse } from '../transport/refuse.js';
import { requireOperator } from './require-operator.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** Shared responses are the team's (owners edit them); personal ones belong to one operator. */
function mayEdit(op: Operator, item: CannedRecord): boolean {
  return item.operatorId === null ? op.role === 'owner' : item.operatorId === op.id;
}

export async function cannedRoutes(app: FastifyInstance) {
  const auth = requireOperator(app);

  app.get('/api/canned', { preHandler: auth }, async (req) => {
    const op = req.operator!;
    return { items: await app.store.listCanned(op.id, op.siteIds) };
  });

  app.post<{ Body: CannedBody }>(
    '/api/canned',
    { preHandler: auth, schema: { body: CannedBody } },
    async (req, reply) => {
      const op = req.operator!;
      if (req.body.shared && op.role !== 'owner')
        return refuse(reply, 'forbidden', 'Only owners create shared responses');
      const siteId = req.body.siteId ?? null;
      if (siteId && !op.siteIds.includes(siteId)) return refuse(reply, 'forbidden', 'Not your site');
      const item = await app.store.createCanned({
        shortcut: req.body.shortcut.toLowerCase(),
        text: req.body.text,
        operatorId: req.body.shared ? null : op.id,
        siteId,
        createdAt: Date.now(),
      });
      return reply.code(201).send({ item });
    },
  );

  app.patch<{ Params: { id: string }; Body: CannedBody }>(
    '/api/canned/:id',
    { preHandler: auth, schema: { params: IdParams, body: CannedBody } },
    async (req, reply) => {
      const op = req.operator!;
      const item = await app.store.getCanned(req.params.id);
      if (!item || (item.siteId && !op.siteIds.includes(item.siteId))) return refuse(reply, 'not_found');
      if (!mayEdit(op, item)) return refuse(reply, 'forbidden', 'You cannot edit this response');
      if (req.body.shared !== (item.operatorId === null) && op.role !== 'owner')
        return refuse(reply, 'forbidden');
      const updated = await app.store.updateCanned(item.id, {
        shortcut: req.body.shortcut.toLowerCase(),
        text: req.body.text,
        operatorId: req.body.shared ? null : (item.operatorId ?? op.id),
      });
      return { item: updated };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/canned/:id',
    { preHandler: auth, schema: { params: IdParams } },
    async (req, reply) => {
      const op = req.operator!;
      const item = await app.store.getCanned(req.params.id);
      if (!item || (item.siteId && !op.siteIds.includes(item.siteId))) return refuse(reply, 'not_found');
      if (!mayEdit(op, item)) return refuse(reply, 'forbidden', 'You cannot delete this response');
      await app.store.deleteCanned(item.id);
      return { ok: true };
    },
  );

  app.get<{ Querystring: { q?: string } }>(
    '/api/tags',
    {
      preHandler: auth,
      schema: { querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 40 })) }) },
    },
    async (req) => ({
      tags: await app.store.listTags(req.operator!.siteIds, (req.query.q ?? '').trim().toLowerCase(), 20),
    }),
  );
}
