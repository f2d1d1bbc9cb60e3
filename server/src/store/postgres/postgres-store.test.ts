import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { describe, it } from 'vitest';
import { storeContract } from '../contract.js';
import { openPostgresStore } from './postgres-store.js';
import { IN_CI, shownUrl, TEST_DATABASE_URL, unreachableReason } from './test-database.js';

const url = TEST_DATABASE_URL;
const inCi = IN_CI;
const shown = shownUrl;

const problem = await unreachableReason();

if (problem === null) {
  // Each test gets its own schema in the shared database, dropped afterwards.
  storeContract('postgres', async () => {
    const schema = `beseda_test_${randomBytes(6).toString('hex')}`;
    return {
      open: () => openPostgresStore({ url, schema, maxConnections: 4 }),
      dispose: async () => {
        const sql = postgres(url, { max: 1, onnotice: () => {} });
        await sql`drop schema if exists ${sql(schema)} cascade`;
        await sql.end();
      },
    };
  });
} else if (inCi) {
  describe('Store contract: postgres', () => {
    it('reaches PostgreSQL', () => {
      throw new Error(`PostgreSQL at ${shown(url)} is unreachable, and CI requires this suite: ${problem}`);
    });
  });
} else {
  console.warn(
    `⚠ Skipping the PostgreSQL store contract: ${shown(url)} is unreachable (${problem}). ` +
      'Set TEST_DATABASE_URL or DATABASE_URL to run it; under CI=1 this is a failure.',
  );
  it.skip(`Store contract: postgres (skipped, ${shown(url)} unreachable)`, () => {});
}
