import { CannedBody } from '@beseda/shared';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { administers, isAdmin } from '../auth/roles.js';
import type { CannedRecord, Operator } from '../store/types.js';
import { refuse } from '../transport/refuse.js';
import { requireOperator } from './require-operator.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/**
 * Personal responses belong to one operator and are invisible to everybody else (another's answers
 * `not_found`, like an id that does not exist). Shared ones belong to a site's team, or — with no site — to the
 * whole installation: owners manage their sites' shared responses, only the installation admin the
 * installation-wide ones (an owner's text must never reach another tenant's operators).
 */
function visible(op: Operator, scope: readonly string[], item: CannedRecord): boolean {
  if (item.operatorId !== null) return item.operatorId === op.id;
  return item.siteId === null || scope.includes(item.siteId);
}

function mayManageShared(op: Operator, scope: readonly string[], siteId: string | null): boolean {
  if (isAdmin(op)) return siteId === null || scope.includes(siteId);
  return administers(op) && siteId !== null && scope.includes(siteId);
}

const mayEdit = (op: Operator, scope: readonly string[], item: CannedRecord): boolean =>
  item.operatorId === null ? mayManageShared(op, scope, item.siteId) : item.operatorId === op.id;

export async function cannedRoutes(app: FastifyInstance) {
  const auth = requireOperator(app);

  app.get('/api/canned', { preHandler: auth }, async (req) => ({
    items: await app.store.listCanned(req.operator!.id, req.siteScope!),
  }));

  app.post<{ Body: CannedBody }>(
    '/api/canned',
    { preHandler: auth, schema: { body: CannedBody } },
    async (req, reply) => {
      const op = req.operator!;
      const scope = req.siteScope!;
      const siteId = req.body.siteId ?? null;
      if (siteId && !scope.includes(siteId)) return refuse(reply, 'validation', 'Unknown site id');
      if (req.body.shared && !mayManageShared(op, scope, siteId))
        return refuse(
          reply,
          'forbidden',
          administers(op)
            ? 'Only the installation admin creates responses for every site: choose a site'
            : 'Only administrators create shared responses',
        );
      const item = await app.store.createCanned({
        shortcut: req.body.shortcut.toLowerCase(),
        text: req.body.text,
        operatorId: req.body.shared ? null : op.id,
        siteId,
        createdAt: app.clock.now(),
      });
      return reply.code(201).send({ item });
    },
  );

  app.patch<{ Params: { id: string }; Body: CannedBody }>(
    '/api/canned/:id',
    { preHandler: auth, schema: { params: IdParams, body: CannedBody } },
    async (req, reply) => {
      const op = req.operator!;
      const scope = req.siteScope!;
      const item = await app.store.getCanned(req.params.id);
      if (!item || !visible(op, scope, item)) return refuse(reply, 'not_found');
      if (!mayEdit(op, scope, item)) return refuse(reply, 'forbidden', 'You cannot edit this response');
      if (req.body.shared !== (item.operatorId === null) && !mayManageShared(op, scope, item.siteId))
        return refuse(reply, 'forbidden', 'You cannot share or unshare this response');
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
      if (!item || !visible(op, req.siteScope!, item)) return refuse(reply, 'not_found');
      if (!mayEdit(op, req.siteScope!, item))
        return refuse(reply, 'forbidden', 'You cannot delete this response');
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
      tags: await app.store.listTags(req.siteScope!, (req.query.q ?? '').trim().toLowerCase(), 20),
    }),
  );
}
