import type { WidgetConfig } from '@beseda/shared';
import type { FastifyInstance } from 'fastify';
import { originAllowed } from '../transport/origin.js';
import { refuse } from '../transport/refuse.js';

/** Public widget settings, readable cross-origin only from the site's allowed origins. */
export async function widgetRoutes(app: FastifyInstance) {
  app.get<{ Querystring: { site?: string } }>('/api/widget/config', async (req, reply) => {
    const site = req.query.site ? await app.store.getSiteByKey(req.query.site) : null;
    if (!site) return refuse(reply, 'unknown_site');
    const origin = req.headers.origin;
    if (origin) {
      if (!originAllowed(origin, req.headers.host, site.allowedOrigins))
        return refuse(reply, 'origin_not_allowed');
      reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    }
    const body: WidgetConfig = {
      siteKey: site.key,
      name: site.name,
      color: site.color,
      position: site.position,
      launcherText: site.launcherText,
      greeting: site.greeting,
      operatorsOnline: app.relay.operatorsOnline(site.id),
      withinHours: app.relay.withinHours(site.id),
      prechat: site.prechat,
      typingPreview: site.typingPreview,
      lang: site.lang,
    };
    return body;
  });
}
