import { join } from 'node:path';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { type BootstrapResult, bootstrap } from '../bootstrap.js';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import { MemoryHub } from '../hub/memory-hub.js';
import { RedisHub } from '../hub/redis-hub.js';
import type { Hub } from '../hub/types.js';
import { Relay } from '../relay/relay.js';
import { MemoryRouting } from '../routing/memory-routing.js';
import type { RoutingPort } from '../routing/port.js';
import { StoreError } from '../store/errors.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import { ConnectionLimiter } from '../transport/connection-limiter.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    clock: Clock;
    store: Store;
    hub: Hub;
    routingState: RoutingPort;
    relay: Relay;
    connections: ConnectionLimiter;
    /** What the first start created (printed once by server.ts). */
    boot: BootstrapResult;
  }
}

/**
 * Store, hub, routing state and relay, opened in that order and closed in reverse. With REDIS_URL the hub
 * and the routing state live in Redis (a cluster node); otherwise both are in this process's memory.
 */
export const coreServices = fp<{ config: Config; clock: Clock; store?: Store; hub?: Hub }>(
  async (app, opts) => {
    const { config, clock } = opts;
    const store =
      opts.store ?? (await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
    let hub: Hub;
    let routing: RoutingPort;
    let redis: Redis | null = null;
    if (config.redisUrl) {
      redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
      await redis.connect();
      const client = redis;
      app.readiness.register('redis', async () => {
        await client.ping();
      });
      hub = opts.hub ?? (await RedisHub.connect(config.redisUrl, config.redisPrefix, {}, config.nodeId));
      // Loaded only for a cluster node: a single node never needs the Lua scripts.
      const { RedisRouting } = await import('../routing/redis-routing.js');
      routing = new RedisRouting({
        redis,
        prefix: config.redisPrefix,
        nodeId: config.nodeId,
        graceMs: config.operatorGraceMs,
        leaseMs: config.nodeLeaseMs,
      });
    } else {
      hub = opts.hub ?? new MemoryHub();
      routing = new MemoryRouting({ clock, nodeId: config.nodeId, graceMs: config.operatorGraceMs });
    }
    const relay = new Relay({
      store,
      hub,
      routing,
      clock,
      log: app.log,
      operatorGraceMs: config.operatorGraceMs,
      clustered: !!config.redisUrl,
      nodeHeartbeatMs: config.nodeHeartbeatMs,
      aliveFile: join(config.dataDir, 'alive'),
      presenceHeartbeatMs: config.presenceHeartbeatMs,
      ...(process.env.BESEDA_TEST_FAULT ? { fault: process.env.BESEDA_TEST_FAULT } : {}),
    });
    app.decorate('config', config);
    app.decorate('clock', clock);
    app.decorate('store', store);
    app.decorate('hub', hub);
    app.decorate('routingState', routing);
    app.decorate('relay', relay);
    app.decorate('connections', new ConnectionLimiter(config.maxConnectionsPerIp));
    app.decorate('boot', { created: false, email: config.ownerEmail, password: null, siteKey: 'demo' });
    app.addHook('onReady', async () => {
      const first = { ownerEmail: config.ownerEmail, ownerPassword: config.ownerPassword };
      // Several fresh nodes may start at once: whoever loses the race to create the first account or the demo
      // site reads what the winner created.
      app.boot = await bootstrap(store, first).catch((err) =>
        err instanceof StoreError && err.code === 'conflict' ? bootstrap(store, first) : Promise.reject(err),
      );
      await relay.start();
    });
    app.addHook('onClose', async () => {
      await relay.stop();
      await routing.close();
      await hub.close();
      // quit waits for replies still in flight (a tick, a heartbeat) instead of rejecting them.
      await redis?.quit().catch(() => redis?.disconnect());
      await store.close();
    });
  },
  { name: 'core-services' },
);
