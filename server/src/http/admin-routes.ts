import { NewOperatorBody, NewSiteBody, type OperatorAdmin, OperatorPatch, SitePatch } from '@beseda/shared';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { generatePassword, hashPassword } from '../auth/passwords.js';
import { newToken } from '../auth/tokens.js';
import { BesedaError } from '../core/errors.js';
import type { Operator, Site } from '../store/types.js';
import { refuse } from '../transport/refuse.js';
import { requireOperator } from './require-operator.js';
import { DEFAULT_SITE } from './site-defaults.js';
import { siteAdmin, siteSettings } from './site-views.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Turns a validated SitePatch into store fields, rejecting what a schema cannot check. */
function sitePatchFields(body: SitePatch): Partial<Omit<Site, 'id' | 'createdAt'>> {
  const { rotateIdentitySecret, ...fields } = body;
  if (fields.timezone !== undefined && !validTimezone(fields.timezone)) {
    throw new BesedaError('validation', `Unknown timezone "${fields.timezone}"`);
  }
  if (
    fields.amberAfterSeconds !== undefined &&
    fields.alertAfterSeconds !== undefined &&
    fields.amberAfterSeconds >= fields.alertAfterSeconds
  ) {
    throw new BesedaError('validation', 'The amber threshold must be below the alert threshold');
  }
  return { ...fields, ...(rotateIdentitySecret ? { identitySecret: newToken() } : {}) };
}

/** Owners manage operators and sites; operators only read their sites' settings. */
export async function adminRoutes(app: FastifyInstance) {
  const anyone = requireOperator(app);
  const owner = requireOperator(app, 'owner');

  const operatorAdmin = (op: Operator): OperatorAdmin => {
    const live = app.relay.presenceOf(op.id);
    return {
      id: op.id,
      email: op.email,
      name: op.name,
      role: op.role,
      capacity: op.capacity,
      active: op.active,
      siteIds: op.siteIds,
      status: live?.status ?? 'offline',
      activeChats: live?.activeChats ?? 0,
    };
  };

  app.get('/api/sites', { preHandler: anyone }, async (req) => {
    const op = req.operator!;
    const sites = (await app.store.listSites()).filter((s) => op.siteIds.includes(s.id));
    return { sites: sites.map(siteSettings) };
  });

  app.get('/api/admin/operators', { preHandler: owner }, async () => ({
    operators: (await app.store.listOperators()).map(operatorAdmin),
  }));

  app.post<{ Body: NewOperatorBody }>(
    '/api/admin/operators',
    { preHandler: owner, schema: { body: NewOperatorBody } },
    async (req, reply) => {
      const email = req.body.email.trim().toLowerCase();
      if (await app.store.getOperatorByEmail(email))
        return refuse(reply, 'conflict', 'An operator with this email exists');
      const sites = await app.store.listSites();
      const siteIds = req.body.siteIds ?? sites.map((s) => s.id);
      if (siteIds.some((id) => !sites.some((s) => s.id === id)))
        return refuse(reply, 'validation', 'Unknown site id');
      const password = req.body.password ?? generatePassword();
      const op = await app.store.createOperator({
        email,
        name: req.body.name.trim(),
        role: req.body.role,
        capacity: req.body.capacity,
        siteIds,
        passwordHash: await hashPassword(password),
      });
      await app.store.updateOperator(op.id, { status: 'online' });
      await app.relay.refreshOperator(op.id);
      return reply
        .code(201)
        .send({ operator: operatorAdmin(op), ...(req.body.password ? {} : { password }) });
    },
  );

  app.patch<{ Params: { id: string }; Body: OperatorPatch }>(
    '/api/admin/operators/:id',
    { preHandler: owner, schema: { params: IdParams, body: OperatorPatch } },
    async (req, reply) => {
      const op = await app.store.getOperator(req.params.id);
      if (!op) return refuse(reply, 'not_found', 'Operator not found');
      if (op.id === req.operator!.id && (req.body.active === false || req.body.role === 'operator')) {
        return refuse(reply, 'invalid_state', 'You cannot deactivate or demote yourself');
      }
      const updated = await app.store.updateOperator(op.id, req.body);
      await app.relay.refreshOperator(op.id);
      if (req.body.capacity !== undefined) await app.relay.setCapacity(op.id, req.body.capacity);
      return { operator: operatorAdmin(updated) };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/admin/operators/:id/reset-password',
    { preHandler: owner, schema: { params: IdParams } },
    async (req, reply) => {
      const op = await app.store.getOperator(req.params.id);
      if (!op) return refuse(reply, 'not_found', 'Operator not found');
      const password = generatePassword();
      await app.store.updateOperator(op.id, { passwordHash: await hashPassword(password) });
      return { password };
    },
  );

  app.get('/api/admin/sites', { preHandler: owner }, async () => ({
    sites: (await app.store.listSites()).map(siteAdmin),
  }));

  app.post<{ Body: NewSiteBody }>(
    '/api/admin/sites',
    { preHandler: owner, schema: { body: NewSiteBody } },
    async (req, reply) => {
      const key =
        req.body.key ??
        newToken()
          .slice(0, 10)
          .toLowerCase()
          .replace(/[^a-z0-9]/g, 'x');
      if (await app.store.getSiteByKey(key)) return refuse(reply, 'conflict', 'A site with this key exists');
      const site = await app.store.createSite({
        ...DEFAULT_SITE,
        identitySecret: newToken(),
        ...sitePatchFields(req.body),
        key,
        name: req.body.name,
      });
      // The creating owner belongs to the new site at once.
      const me = req.operator!;
      await app.store.updateOperator(me.id, { siteIds: [...me.siteIds, site.id] });
      await app.relay.refreshSite(site.id);
      await app.relay.refreshOperator(me.id);
      return reply.code(201).send({ site: siteAdmin(site) });
    },
  );

  app.patch<{ Params: { id: string }; Body: SitePatch }>(
    '/api/admin/sites/:id',
    { preHandler: owner, schema: { params: IdParams, body: SitePatch } },
    async (req, reply) => {
      const site = await app.store.getSite(req.params.id);
      if (!site) return refuse(reply, 'not_found', 'Site not found');
      const fields = sitePatchFields(req.body);
      const amber = fields.amberAfterSeconds ?? site.amberAfterSeconds;
      const alert = fields.alertAfterSeconds ?? site.alertAfterSeconds;
      if (amber >= alert)
        return refuse(reply, 'validation', 'The amber threshold must be below the alert threshold');
      const updated = await app.store.updateSite(site.id, fields);
      await app.relay.refreshSite(site.id);
      return { site: siteAdmin(updated) };
    },
  );
}
