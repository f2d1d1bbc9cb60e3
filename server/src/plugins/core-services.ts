import fp from 'fastify-plugin';
import { type BootstrapResult, bootstrap } from '../bootstrap.js';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import { MemoryHub } from '../hub/memory-hub.js';
import type { Hub } from '../hub/types.js';
import { Relay } from '../relay/relay.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import { ConnectionLimiter } from '../transport/connection-limiter.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    clock: Clock;
    store: Store;
    hub: Hub;
    relay: Relay;
    connections: ConnectionLimiter;
    /** What the first start created (printed once by server.ts). */
    boot: BootstrapResult;
  }
}

/** Store, hub and relay, opened in that order and closed in reverse when the server closes. */
export const coreServices = fp<{ config: Config; clock: Clock; store?: Store; hub?: Hub }>(
  async (app, opts) => {
    const store =
      opts.store ?? (await openStore({ databaseUrl: opts.config.databaseUrl, dataDir: opts.config.dataDir }));
    const hub = opts.hub ?? new MemoryHub();
    const relay = new Relay({
      store,
      hub,
      clock: opts.clock,
      log: app.log,
      operatorGraceMs: opts.config.operatorGraceMs,
    });
    app.decorate('config', opts.config);
    app.decorate('clock', opts.clock);
    app.decorate('store', store);
    app.decorate('hub', hub);
    app.decorate('relay', relay);
    app.decorate('connections', new ConnectionLimiter(opts.config.maxConnectionsPerIp));
    app.decorate('boot', { created: false, email: opts.config.ownerEmail, password: null, siteKey: 'demo' });
    app.addHook('onReady', async () => {
      app.boot = await bootstrap(store, {
        ownerEmail: opts.config.ownerEmail,
        ownerPassword: opts.config.ownerPassword,
      });
      await relay.start();
    });
    app.addHook('onClose', async () => {
      await relay.stop();
      await hub.close();
      await store.close();
    });
  },
  { name: 'core-services' },
);
