import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { demoPage } from './demo-page.js';

/** Built widget and console from their dist folders, plus the demo host page at `/`. */
export async function staticRoutes(app: FastifyInstance) {
  const { widgetDist, consoleDist } = app.config;
  for (const [dir, what] of [
    [widgetDist, 'widget'],
    [consoleDist, 'console'],
  ] as const) {
    if (!existsSync(dir)) app.log.warn(`${what} is not built (${dir} missing): run \`pnpm build\``);
  }

  // The chat UI is imported cross-origin by the loader on customer sites: module imports need CORS.
  await app.register(fastifyStatic, {
    root: widgetDist,
    prefix: '/widget/',
    decorateReply: true,
    maxAge: '5m',
    setHeaders: (res) => res.setHeader('access-control-allow-origin', '*'),
  });
  app.get('/widget.js', (_req, reply) =>
    reply.header('cache-control', 'public, max-age=300').sendFile('widget.js', widgetDist),
  );

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
