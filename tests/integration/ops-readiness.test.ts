import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestMigration } from '../../server/src/ops/store-checks.js';
import { connectSqlite } from '../../server/src/store/sqlite/sqlite-store.js';
import { startServer, type TestServer } from '../helpers/start-server.js';

describe('/readyz', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(() => server.close());

  const readyz = async () => {
    const res = await fetch(`${server.origin}/readyz`);
    return { status: res.status, body: await res.json() };
  };

  it('is ready with the store reachable and the schema of this build', async () => {
    expect(await readyz()).toEqual({
      status: 200,
      body: { ready: true, draining: false, checks: { store: 'ok', migrations: 'ok' } },
    });
  });

  it('refuses traffic when the database holds a newer release’s schema (an old node in a rolling upgrade)', async () => {
    const { client } = await connectSqlite(join(server.dataDir, 'beseda.db'));
    try {
      const future = latestMigration('sqlite') + 1;
      client
        .prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)')
        .run('future', future);
      expect(await readyz()).toMatchObject({
        status: 503,
        body: { ready: false, checks: { migrations: 'failed' } },
      });
      client.prepare('delete from __drizzle_migrations where created_at = ?').run(future);
      expect((await readyz()).status).toBe(200);
    } finally {
      client.close();
    }
  });

  it('includes checks other plugins register (e.g. Redis), and answers 503 once draining', async () => {
    let redisUp = false;
    server.app.readiness.register('redis', () => {
      if (!redisUp) throw new Error('ECONNREFUSED');
    });
    expect(await readyz()).toMatchObject({ status: 503, body: { checks: { redis: 'failed', store: 'ok' } } });
    redisUp = true;
    expect((await readyz()).status).toBe(200);
    server.app.readiness.drain();
    expect(await readyz()).toMatchObject({ status: 503, body: { ready: false, draining: true } });
  });
});
