import { hashPassword } from '../../server/src/auth/passwords.js';
import { FIXTURE_TZ, local, seedFixture } from '../../server/src/metrics/test-fixture.js';
import { sqliteClientOf } from '../../server/src/store/sqlite/sqlite-store.js';
import type { TestServer } from './start-server.js';

/**
 * Seeds the hand-computed dashboard fixture (server/src/metrics/test-fixture.ts, worked out in
 * docs/metrics.md) into a test server: the fixture's timezone and SLA, operators Ann and Bob.
 */
export async function seedDashboardFixture(server: TestServer) {
  const { app, site } = server;
  await app.store.updateSite(site.id, { timezone: FIXTURE_TZ, slaSeconds: 30, businessHours: null });
  // Coverage is measured from the site's creation (issue #12.9): the fixture's site existed before its
  // first day. The Store interface keeps `createdAt` immutable, so the test sets it in the file itself.
  const db = sqliteClientOf(app.store);
  if (!db) throw new Error('the dashboard fixture needs the SQLite store');
  db.prepare('UPDATE sites SET created_at = ? WHERE id = ?').run(local('2026-03-01 00:00:00'), site.id);
  await app.relay.refreshSite(site.id);
  const operator = async (name: string) => {
    const op = await app.store.createOperator({
      email: `${name.toLowerCase()}@test.local`,
      name,
      role: 'operator',
      passwordHash: await hashPassword(`pw-${name}`),
      capacity: 2,
      siteIds: [site.id],
    });
    await app.relay.refreshOperator(op.id);
    return op;
  };
  const ann = await operator('Ann');
  const bob = await operator('Bob');
  await seedFixture(app.store, { siteId: site.id, ann: ann.id, bob: bob.id });
  return { ann, bob };
}
