import { hashPassword } from '../../server/src/auth/passwords.js';
import { FIXTURE_TZ, seedFixture } from '../../server/src/metrics/test-fixture.js';
import type { TestServer } from './start-server.js';

/**
 * Seeds the hand-computed dashboard fixture (server/src/metrics/test-fixture.ts, worked out in
 * docs/metrics.md) into a test server: the fixture's timezone and SLA, operators Ann and Bob.
 */
export async function seedDashboardFixture(server: TestServer) {
  const { app, site } = server;
  await app.store.updateSite(site.id, { timezone: FIXTURE_TZ, slaSeconds: 30, businessHours: null });
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
