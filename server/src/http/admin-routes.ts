import {
  NewOperatorBody,
  NewSiteBody,
  type OperatorAdmin,
  OperatorPatch,
  type Role,
  SITE_KEY_PATTERN,
  SitePatch,
} from '@beseda/shared';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { generatePassword, hashPassword } from '../auth/passwords.js';
import { isAdmin, mayGrantRole, mergeSiteIds, reachOver } from '../auth/roles.js';
import { newToken } from '../auth/tokens.js';
import { BesedaError } from '../core/errors.js';
import { checkTeamIds, mergeTeams } from '../core/teams.js';
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
function sitePatchFields(
  body: SitePatch,
  currentTeams: Site['teams'] = [],
): Partial<Omit<Site, 'id' | 'createdAt'>> {
  const { rotateIdentitySecret, teams: teamList, ...fields } = body;
  if (fields.key !== undefined && !SITE_KEY_PATTERN.test(fields.key)) {
    throw new BesedaError(
      'validation',
      'A site key is 3 to 40 characters: lower-case letters a–z, digits and dashes',
    );
  }
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
  return {
    ...fields,
    ...(teamList !== undefined ? { teams: mergeTeams(currentTeams, teamList) } : {}),
    ...(rotateIdentitySecret ? { identitySecret: newToken() } : {}),
  };
}

const RANK: Record<Role, number> = { operator: 0, owner: 1, admin: 2 };

/**
 * Administration, scoped (DESIGN §3 invariant 3, issue #9): the installation admin manages every site and
 * account; a site owner only their sites and the accounts that work only there; nobody grants a site or a
 * role above their own. Whatever lies outside the caller's scope answers `not_found`, exactly like an id
 * that does not exist, so ids of other tenants cannot even be probed. Operators read their sites' settings.
 */
export async function adminRoutes(app: FastifyInstance) {
  const anyone = requireOperator(app);
  const administrator = requireOperator(app, 'owner');

  /** The account as this administrator may see it: memberships of sites outside their scope are hidden. */
  const operatorAdmin = (op: Operator, scope: readonly string[]): OperatorAdmin => {
    const live = app.relay.presenceOf(op.id);
    return {
      id: op.id,
      email: op.email,
      name: op.name,
      role: op.role,
      capacity: op.capacity,
      active: op.active,
      siteIds: op.siteIds.filter((id) => scope.includes(id)),
      teamIds: op.teamIds,
      status: live?.status ?? 'offline',
      activeChats: live?.activeChats ?? 0,
    };
  };

  /** Looks up the teams of the given sites once (for checking an operator's memberships). */
  const teamsOfSites = async (siteIds: readonly string[]) => {
    const sites = (await app.store.listSites()).filter((s) => siteIds.includes(s.id));
    return (siteId: string) => sites.find((s) => s.id === siteId)?.teams;
  };
  /**
   * An operator's new team list: what the caller asked for among the teams of the caller's sites (each must
   * be a team of a site the operator works for), plus the memberships the caller cannot see, unchanged.
   */
  const mergeTeamIds = async (
    op: Operator,
    sitesAfter: readonly string[],
    scope: readonly string[],
    requested: readonly string[],
  ): Promise<string[]> => {
    const teamsOf = await teamsOfSites(sitesAfter);
    const mine = sitesAfter.filter((s) => scope.includes(s));
    const chosen = checkTeamIds(requested, mine, teamsOf);
    const visible = new Set(mine.flatMap((s) => (teamsOf(s) ?? []).map((t) => t.id)));
    return [...new Set([...op.teamIds.filter((id) => !visible.has(id)), ...chosen])];
  };

  app.get('/api/sites', { preHandler: anyone }, async (req) => {
    const scope = req.siteScope!;
    const sites = (await app.store.listSites()).filter((s) => scope.includes(s.id));
    return { sites: sites.map(siteSettings) };
  });

  app.get('/api/admin/operators', { preHandler: administrator }, async (req) => {
    const me = req.operator!;
    const visible = (await app.store.listOperators()).filter((op) => reachOver(me, op) !== 'none');
    return { operators: visible.map((op) => operatorAdmin(op, req.siteScope!)) };
  });

  app.post<{ Body: NewOperatorBody }>(
    '/api/admin/operators',
    { preHandler: administrator, schema: { body: NewOperatorBody } },
    async (req, reply) => {
      const me = req.operator!;
      const scope = req.siteScope!;
      if (!mayGrantRole(me, req.body.role))
        return refuse(reply, 'forbidden', 'Only the installation admin creates admins');
      const siteIds = mergeSiteIds(scope, [], req.body.siteIds ?? scope);
      if (!siteIds) return refuse(reply, 'validation', 'Unknown site id');
      // An owner's account without any of their sites would at once fall out of their reach.
      if (!isAdmin(me) && siteIds.length === 0)
        return refuse(reply, 'validation', 'Choose at least one of your sites');
      const email = req.body.email.trim().toLowerCase();
      if (await app.store.getOperatorByEmail(email))
        return refuse(reply, 'conflict', 'An operator with this email exists');
      const teamIds = checkTeamIds(req.body.teamIds ?? [], siteIds, await teamsOfSites(siteIds));
      const password = req.body.password ?? generatePassword();
      const op = await app.store.createOperator({
        email,
        name: req.body.name.trim(),
        role: req.body.role,
        capacity: req.body.capacity,
        siteIds,
        teamIds,
        passwordHash: await hashPassword(password),
      });
      await app.store.updateOperator(op.id, { status: 'online' });
      await app.relay.refreshOperator(op.id);
      return reply
        .code(201)
        .send({ operator: operatorAdmin(op, scope), ...(req.body.password ? {} : { password }) });
    },
  );

  app.patch<{ Params: { id: string }; Body: OperatorPatch }>(
    '/api/admin/operators/:id',
    { preHandler: administrator, schema: { params: IdParams, body: OperatorPatch } },
    async (req, reply) => {
      const me = req.operator!;
      const scope = req.siteScope!;
      const op = await app.store.getOperator(req.params.id);
      const reach = op ? reachOver(me, op) : 'none';
      if (!op || reach === 'none') return refuse(reply, 'not_found', 'Operator not found');
      const { siteIds: requested, teamIds: requestedTeams, ...fields } = req.body;
      // The console's form sends every field: only actual changes count.
      const changes = Object.entries(fields).filter(
        ([k, v]) => v !== undefined && v !== op[k as keyof Operator],
      );
      if (reach === 'membership' && changes.length > 0)
        return refuse(reply, 'forbidden', 'This account also works for sites you do not administer');
      if (fields.role !== undefined && fields.role !== op.role && !mayGrantRole(me, fields.role))
        return refuse(reply, 'forbidden', 'Only the installation admin grants the admin role');
      const demoted = fields.role !== undefined && RANK[fields.role] < RANK[op.role];
      if (op.id === me.id && (fields.active === false || demoted))
        return refuse(reply, 'invalid_state', 'You cannot deactivate or demote yourself');
      const siteIds = requested === undefined ? undefined : mergeSiteIds(scope, op.siteIds, requested);
      if (siteIds === null) return refuse(reply, 'validation', 'Unknown site id');
      const sitesAfter = siteIds ?? op.siteIds;
      // Teams of the caller's sites are theirs to set; memberships in teams of other sites are kept as they are.
      const teamIds =
        requestedTeams === undefined ? undefined : await mergeTeamIds(op, sitesAfter, scope, requestedTeams);
      // An account that answered "do you answer chats?" keeps an answer that matches its new capacity.
      const answers =
        fields.capacity !== undefined && op.answersChats !== null
          ? { answersChats: fields.capacity > 0 }
          : {};
      const updated = await app.store.updateOperator(op.id, {
        ...fields,
        ...answers,
        ...(siteIds ? { siteIds } : {}),
        ...(teamIds ? { teamIds } : {}),
      });
      await app.relay.refreshOperator(op.id);
      if (fields.capacity !== undefined) await app.relay.setCapacity(op.id, fields.capacity);
      return { operator: operatorAdmin(updated, scope) };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/admin/operators/:id/reset-password',
    { preHandler: administrator, schema: { params: IdParams } },
    async (req, reply) => {
      const op = await app.store.getOperator(req.params.id);
      const reach = op ? reachOver(req.operator!, op) : 'none';
      if (!op || reach === 'none') return refuse(reply, 'not_found', 'Operator not found');
      // A new password is a way into the account, and so into every site it works for.
      if (reach !== 'full')
        return refuse(reply, 'forbidden', 'This account also works for sites you do not administer');
      const password = generatePassword();
      await app.store.updateOperator(op.id, { passwordHash: await hashPassword(password) });
      return { password };
    },
  );

  app.get('/api/admin/sites', { preHandler: administrator }, async (req) => ({
    sites: (await app.store.listSites()).filter((s) => req.siteScope!.includes(s.id)).map(siteAdmin),
  }));

  app.post<{ Body: NewSiteBody }>(
    '/api/admin/sites',
    { preHandler: administrator, schema: { body: NewSiteBody } },
    async (req, reply) => {
      // Sites are the installation's tenants: adding one is the installation admin's decision.
      if (!isAdmin(req.operator!))
        return refuse(reply, 'forbidden', 'Only the installation admin adds sites');
      const { operatorIds = [], ...body } = req.body;
      const key =
        body.key ??
        newToken()
          .slice(0, 10)
          .toLowerCase()
          .replace(/[^a-z0-9]/g, 'x');
      const fields = sitePatchFields(body);
      if (await app.store.getSiteByKey(key))
        return refuse(reply, 'conflict', `The site key "${key}" is already used by another site`);
      const me = req.operator!;
      // Checked before anything is created, so a typo in the list leaves no half-set-up site behind.
      const everyone = await app.store.listOperators();
      const chosen = [...new Set(operatorIds)].filter((id) => id !== me.id);
      const unknown = chosen.find((id) => !everyone.some((op) => op.id === id));
      if (unknown) return refuse(reply, 'validation', `Unknown operator id "${unknown}"`);
      const site = await app.store.createSite({
        ...DEFAULT_SITE,
        identitySecret: newToken(),
        ...fields,
        key,
        name: body.name,
      });
      await app.relay.refreshSite(site.id);
      // The creating admin belongs to the new site at once (chats of it reach them), and so do the operators
      // the admin ticked: a new site is not left to be added to each account one by one.
      for (const op of [me, ...everyone.filter((o) => chosen.includes(o.id))]) {
        await app.store.updateOperator(op.id, { siteIds: [...op.siteIds, site.id] });
        await app.relay.refreshOperator(op.id);
      }
      return reply.code(201).send({ site: siteAdmin(site), operatorIds: [me.id, ...chosen] });
    },
  );

  app.patch<{ Params: { id: string }; Body: SitePatch }>(
    '/api/admin/sites/:id',
    { preHandler: administrator, schema: { params: IdParams, body: SitePatch } },
    async (req, reply) => {
      const site = req.siteScope!.includes(req.params.id) ? await app.store.getSite(req.params.id) : null;
      if (!site) return refuse(reply, 'not_found', 'Site not found');
      const fields = sitePatchFields(req.body, site.teams);
      if (fields.key !== undefined && fields.key !== site.key) {
        const holder = await app.store.getSiteByKey(fields.key);
        if (holder)
          return refuse(reply, 'conflict', `The site key "${fields.key}" is already used by another site`);
      }
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
