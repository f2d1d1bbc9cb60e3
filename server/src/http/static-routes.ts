import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { demoPage } from './demo-page.js';

const HASHED =
  /(?:^|[/\\])(?:chat\.[\w-]+\.js|widget-[0-9a-f]+\.js|lang-[a-z]+-[0-9a-f]+\.json)(?:\.br|\.gz)?$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=300';

/** Built widget and console from their dist folders, plus the demo host page at `/`. */
export async function staticRoutes(app: FastifyInstance) {
  const { widgetDist, consoleDist } = app.config;
  for (const [dir, what] of [
    [widgetDist, 'widget'],
    [consoleDist, 'console'],
  ] as const) {
    if (!existsSync(dir)) app.log.warn(`${what} is not built (${dir} missing): run \`pnpm build\``);
  }

  // Widget files: pre-compressed at build time (.br/.gz beside each file, chosen by Accept-Encoding), CORS
  // for everyone (the chat bundle and language packs are fetched cross-origin with SRI, which needs CORS).
  // Content-hashed names never change content: cached for a year. The manifest and anything unhashed: 5 min.
  await app.register(fastifyStatic, {
    root: widgetDist,
    prefix: '/widget/',
    decorateReply: true,
    preCompressed: true,
    cacheControl: false,
    setHeaders: (res, path) => {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('cache-control', HASHED.test(path) ? IMMUTABLE : SHORT);
    },
  });
  // The short-lived "latest" loader URL of the plain snippet; the SRI snippet names /widget/widget-<hash>.js.
  app.get('/widget.js', (_req, reply) => reply.sendFile('widget.js', widgetDist));

  await app.register(fastifyStatic, {
    root: consoleDist,
    prefix: '/console/',
    decorateReply: false,
    index: ['index.html'],
    wildcard: true,
  });
  app.get('/console', (_req, reply) => reply.redirect('/console/'));

  const page = (title: string, path: string) => async (req: FastifyRequest, reply: FastifyReply) => {
    const site = (await app.store.getSiteByKey('demo')) ?? (await app.store.listSites())[0];
    if (!site) return reply.code(404).send('No site is configured yet');
    return reply.type('text/html').send(demoPage(`${req.protocol}://${req.host}`, site.key, title, path));
  };
  app.get('/', page('Home', '/'));
  app.get('/demo/pricing', page('Pricing', '/demo/pricing'));
  app.get('/healthz', async () => ({ ok: true, ...app.relay.stats() }));
  app.get('/favicon.ico', (_req, reply) => reply.code(204).send());
}
