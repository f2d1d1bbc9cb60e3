import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '@beseda/server';
import { hashPassword } from '../../server/src/auth/passwords.js';
import { type Config, loadConfig } from '../../server/src/config.js';
import type { Clock } from '../../server/src/core/clock.js';
import type { Operator } from '../../server/src/store/types.js';

export const OWNER_EMAIL = 'owner@test.local';
export const OWNER_PASSWORD = 'owner-password';

export type TestServer = Awaited<ReturnType<typeof startServer>>;

/**
 * A real server on an ephemeral port with its own data directory (a real SQLite file), torn down by
 * `close()`. `restart()` closes it and opens a new one on the same data, as a process restart would.
 */
export async function startServer(
  overrides: Partial<Config> = {},
  opts: { dataDir?: string; clock?: Clock } = {},
) {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'beseda-test-')));
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      ownerEmail: OWNER_EMAIL,
      ownerPassword: OWNER_PASSWORD,
      logLevel: 'silent',
      operatorGraceMs: 200,
      heartbeatMs: 5_000,
      ...overrides,
    },
  );
  const app = await buildApp({ config, logger: false, ...(opts.clock ? { clock: opts.clock } : {}) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  const origin = `http://127.0.0.1:${addr.port}`;
  const site = (await app.store.getSiteByKey('demo'))!;

  const server = {
    app,
    origin,
    wsUrl: origin.replace('http', 'ws'),
    dataDir,
    site,
    /** Logs in over REST and returns the session cookie. */
    async login(email = OWNER_EMAIL, password = OWNER_PASSWORD): Promise<string> {
      const res = await fetch(`${origin}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
      const cookie = res.headers.get('set-cookie');
      if (!cookie) throw new Error('no cookie');
      return cookie.split(';')[0]!;
    },
    /** Creates an operator of the demo site directly in the store and tells the relay. */
    async createOperator(
      name: string,
      capacity = 1,
      role: 'owner' | 'operator' = 'operator',
    ): Promise<Operator & { password: string }> {
      const password = `pw-${name}`;
      const op = await app.store.createOperator({
        email: `${name.toLowerCase()}@test.local`,
        name,
        role,
        passwordHash: await hashPassword(password),
        capacity,
        siteIds: [site.id],
      });
      await app.store.updateOperator(op.id, { status: 'online' });
      await app.relay.refreshOperator(op.id);
      return { ...op, status: 'online', password };
    },
    async close(keepData = false) {
      await app.close();
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
    async restart() {
      await app.close();
      return startServer(overrides, { ...opts, dataDir });
    },
  };
  return server;
}
