import { existsSync, readFileSync } from 'node:fs';
import type { WidgetEmbed, WidgetManifest } from '@beseda/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { originAllowed } from '../transport/origin.js';
import { refuse } from '../transport/refuse.js';
import { widgetConfig } from './widget-config.js';

/**
 * Public widget endpoints.
 * - `GET /api/widget/config?site=KEY&lang=sk-SK,cs`: the site's look and texts in the visitor's language,
 *   readable cross-origin only from the site's allowed origins. Refusals (unknown site, origin not allowed)
 *   carry CORS headers too, so the widget can read *why* and stop, instead of seeing a network error and
 *   retrying forever.
 * - `GET /api/widget/embed?site=KEY`: the embed snippet for Admin → Sites, pinned to this build's loader by
 *   Subresource Integrity (`{ html, src, integrity }`).
 */
export async function widgetRoutes(app: FastifyInstance) {
  app.get<{ Querystring: { site?: string; lang?: string } }>('/api/widget/config', async (req, reply) => {
    const origin = req.headers.origin;
    if (origin) reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    // Short-lived in caches: it says who is online.
    reply.header('cache-control', 'no-store');
    const site = req.query.site ? await app.store.getSiteByKey(req.query.site) : null;
    if (!site) return refuse(reply, 'unknown_site');
    if (origin && !originAllowed(origin, req.headers.host, site.allowedOrigins))
      return refuse(reply, 'origin_not_allowed');
    return widgetConfig(site, req.query.lang, {
      operatorsOnline: app.relay.operatorsOnline(site.id),
      withinHours: app.relay.withinHours(site.id),
      teams: app.relay.teamsOnline(site.id),
    });
  });

  let manifest: WidgetManifest | null = null;
  const readManifest = (): WidgetManifest | null => {
    const path = `${app.config.widgetDist}/manifest.json`;
    if (!manifest && existsSync(path)) manifest = JSON.parse(readFileSync(path, 'utf8')) as WidgetManifest;
    return manifest;
  };

  app.get<{ Querystring: { site?: string } }>(
    '/api/widget/embed',
    async (req: FastifyRequest<{ Querystring: { site?: string } }>, reply: FastifyReply) => {
      const site = req.query.site ? await app.store.getSiteByKey(req.query.site) : null;
      if (!site) return refuse(reply, 'unknown_site');
      const m = readManifest();
      if (!m) return refuse(reply, 'not_found', 'The widget is not built on this server (run `pnpm build`)');
      const base = (app.config.publicUrl ?? `${req.protocol}://${req.host}`).replace(/\/+$/, '');
      const src = `${base}/widget/${m.loader.file}`;
      const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      const body: WidgetEmbed = {
        src,
        integrity: m.loader.integrity,
        html: `<script src="${attr(src)}" integrity="${m.loader.integrity}" crossorigin="anonymous" data-site="${attr(site.key)}" async></script>`,
      };
      return body;
    },
  );
}
