import { ERRORS } from '@beseda/shared';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import { type Clock, systemClock } from './core/clock.js';
import { BesedaError } from './core/errors.js';
import { adminRoutes } from './http/admin-routes.js';
import { authRoutes } from './http/auth-routes.js';
import { cannedRoutes } from './http/canned-routes.js';
import { dashboardRoutes } from './http/dashboard-routes.js';
import { inboxRoutes } from './http/inbox-routes.js';
import { profileRoutes } from './http/profile-routes.js';
import { setupRoutes } from './http/setup-routes.js';
import { staticRoutes } from './http/static-routes.js';
import { transcriptRoutes } from './http/transcript-routes.js';
import { visitorRoutes } from './http/visitor-routes.js';
import { widgetRoutes } from './http/widget-routes.js';
import type { Hub } from './hub/types.js';
import { channels } from './ops/channels.js';
import { loggerOptions } from './ops/logging.js';
import { metricsPlugin } from './ops/metrics.js';
import { readinessPlugin } from './ops/readiness.js';
import { registerStoreChecks } from './ops/store-checks.js';
import { coreServices } from './plugins/core-services.js';
import { metricsFolder } from './plugins/metrics-folder.js';
import { securityHeaders } from './plugins/security-headers.js';
import { websocketPlugin } from './plugins/websocket.js';
import type { Store } from './store/types.js';
import { operatorRoute } from './transport/operator-route.js';
import { visitorRoute } from './transport/visitor-route.js';

export interface BuildOptions {
  config: Config;
  clock?: Clock;
  /** Injected in tests; otherwise opened from config. */
  store?: Store;
  hub?: Hub;
  logger?: FastifyServerOptions['logger'];
}

/** External plugins, then the app's services, then routes. `server.ts` only listens. */
export async function buildApp(opts: BuildOptions) {
  const app = Fastify({
    // A cluster node on a busy machine may need more than the default 10 s to connect and rebuild.
    pluginTimeout: 60_000,
    logger: opts.logger ?? loggerOptions(opts.config.logLevel),
    // Only behind a reverse proxy may X-Forwarded-For be believed (per-IP limits depend on it).
    trustProxy: opts.config.trustProxy,
    bodyLimit: 64 * 1024,
  });

  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(securityHeaders, { publicUrl: opts.config.publicUrl });
  await app.register(websocketPlugin, { heartbeatMs: opts.config.heartbeatMs });
  // Before core services, so they (and the cluster code) can register checks: app.readiness.register('redis', …).
  await app.register(readinessPlugin);
  await app.register(coreServices, {
    config: opts.config,
    clock: opts.clock ?? systemClock,
    ...(opts.store ? { store: opts.store } : {}),
    ...(opts.hub ? { hub: opts.hub } : {}),
  });
  await app.register(metricsFolder);
  // The store is open now: its checks can be registered.
  registerStoreChecks(app, { migrations: !opts.store });
  await app.register(metricsPlugin, {
    liveStats: () => app.relay.liveStats(),
    token: opts.config.metricsToken,
    nodeId: opts.config.nodeId,
  });

  app.setErrorHandler((err: { validation?: unknown; statusCode?: number; message: string }, req, reply) => {
    const status = err.statusCode ?? 500;
    const code = err.validation
      ? 'validation'
      : err instanceof BesedaError
        ? err.code
        : status === 429
          ? 'rate_limited'
          : status >= 500
            ? 'internal'
            : 'validation';
    if (channels.transportError.hasSubscribers) channels.transportError.publish({ code, via: 'http' });
    if (err.validation) return reply.code(400).send({ error: 'validation', message: err.message });
    if (err instanceof BesedaError)
      return reply.code(ERRORS[err.code].http).send({ error: err.code, message: err.message });
    if (status === 429)
      return reply.code(429).send({ error: 'rate_limited', message: ERRORS.rate_limited.message });
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      return reply.code(status).send({ error: 'internal', message: ERRORS.internal.message });
    }
    return reply.code(status).send({ error: 'validation', message: err.message });
  });
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).send({ error: 'not_found', message: ERRORS.not_found.message }),
  );

  await app.register(visitorRoute);
  await app.register(operatorRoute);
  await app.register(authRoutes);
  await app.register(profileRoutes);
  await app.register(widgetRoutes);
  await app.register(transcriptRoutes);
  await app.register(inboxRoutes);
  await app.register(adminRoutes);
  await app.register(cannedRoutes);
  await app.register(visitorRoutes);
  await app.register(dashboardRoutes);
  await app.register(setupRoutes);
  await app.register(staticRoutes);
  return app;
}
