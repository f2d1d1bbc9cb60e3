import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { newSite, newVisitor, visitorMessage } from '../contract-fixtures.js';
import type { NewMessage } from '../types.js';
import { appendBatch } from './postgres-append-batch.js';
import { connectPostgres, openPostgresStore } from './postgres-store.js';
import { IN_CI, TEST_DATABASE_URL, unreachableReason } from './test-database.js';

// The batched append is an optimisation with a safety net: if its statement fails, the writer retries
// write by write, and every contract test still passes, only slowly. So the statement itself is tested
// here, directly: every parameter shape it is given must be accepted by PostgreSQL.

const problem = await unreachableReason();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const suite = problem === null ? describe : describe.skip;
if (problem !== null) {
  if (IN_CI) {
    it('reaches PostgreSQL', () => {
      throw new Error(`PostgreSQL is unreachable, and CI requires this suite: ${problem}`);
    });
  } else console.warn(`NOTICE: PostgreSQL not reachable (${problem}): the batched append test is skipped`);
}

suite('PostgreSQL batched append (one statement per group commit)', () => {
  it('stores plain and requireActive appends in one statement, refusing only the stale ones', async () => {
    const schema = `beseda_test_${randomBytes(6).toString('hex')}`;
    const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema, maxConnections: 2 });
    const sql = connectPostgres(TEST_DATABASE_URL, schema, 1);
    cleanup.push(async () => {
      await store.close();
      await sql`drop schema if exists ${sql(schema)} cascade`;
      await sql.end();
    });
    const site = await store.createSite(newSite());
    const open = async (status: 'active' | 'queued') => {
      const v = await store.createVisitor(newVisitor(site.id));
      const c = await store.createConversation({
        siteId: site.id,
        visitorId: v.id,
        status: 'queued',
        createdAt: 1,
        enqueuedAt: 1,
      });
      if (status === 'active') await store.updateConversation(c.id, { status: 'active' });
      return c.id;
    };
    const active = await open('active');
    const queued = await open('queued');
    const batch: NewMessage[] = [
      visitorMessage(active, 'plain'),
      { ...visitorMessage(active, 'guarded'), requireActive: {} },
      { ...visitorMessage(queued, 'guarded, but queued'), requireActive: {} },
      visitorMessage(queued, 'plain into the queued one'),
      { ...visitorMessage(active, 'not his'), requireActive: { operatorId: 'someone' } },
    ];
    const out = await sql.begin((tx) => appendBatch(tx, batch));
    expect(out.map((r) => r?.message.text ?? null)).toEqual([
      'plain',
      'guarded',
      null,
      'plain into the queued one',
      null,
    ]);
    expect(out.map((r) => r?.message.seq ?? null)).toEqual([1, 2, null, 1, null]);
  });
});
