import type { SetupChecklist, SetupItem } from '@beseda/shared/types';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { installedOn, setupFacts } from '../metrics/setup-facts.js';
import { refuse } from '../transport/refuse.js';
import { requireOperator } from './require-operator.js';
import { DEFAULT_SITE } from './site-defaults.js';

const Query = Type.Object(
  { site: Type.String({ minLength: 1, maxLength: 64, description: 'site id' }) },
  { additionalProperties: false },
);

/**
 * The owner's first-run checklist (issue #12.10), every item derived from what is really there: the owner's
 * own answer to "do you answer chats?" (PATCH /api/me/profile), business
 * hours set, widget texts changed from the defaults, another operator invited, the widget seen on a page
 * that is neither this machine nor the Beseda server, a chat held. Nothing is ticked by hand.
 */
export async function setupRoutes(app: FastifyInstance) {
  app.get<{ Querystring: { site: string } }>(
    '/api/setup/checklist',
    {
      preHandler: requireOperator(app, 'owner'),
      schema: { querystring: Query },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const siteId = req.query.site;
      if (!(req.siteScope ?? []).includes(siteId)) return refuse(reply, 'forbidden', 'Not one of your sites');
      const site = await app.store.getSite(siteId);
      if (!site) return refuse(reply, 'not_found', 'Site not found');
      const facts = await setupFacts(app.store, site.id);
      if (!facts) return refuse(reply, 'invalid_state', 'This store cannot answer the checklist');
      const me = req.operator!;
      const colleagues = (await app.store.listOperators(site.id)).filter(
        (o) => o.active && o.id !== me.id,
      ).length;
      const page = installedOn(facts.recentPages, req.headers.host ?? null);
      const textsChanged =
        site.greeting !== DEFAULT_SITE.greeting ||
        site.launcherText !== DEFAULT_SITE.launcherText ||
        Object.keys(site.texts ?? {}).length > 0;
      const items: SetupItem[] = [
        { id: 'hours', done: site.businessHours !== null },
        { id: 'texts', done: textsChanged },
        { id: 'operators', done: colleagues > 0, count: colleagues },
        { id: 'embed', done: page !== null, ...(page ? { url: page.url } : {}) },
        { id: 'testChat', done: facts.conversations > 0, count: facts.conversations },
      ];
      const body: SetupChecklist = {
        siteId: site.id,
        items,
        done: items.filter((i) => i.done).length,
        total: items.length,
        // The owner is an operator too: whether chats are routed to them is their explicit choice.
        answersChats: me.answersChats,
      };
      return body;
    },
  );
}
