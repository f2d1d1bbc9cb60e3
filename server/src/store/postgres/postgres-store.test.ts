import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { describe, it } from 'vitest';
import { storeContract } from '../contract.js';
import { openPostgresStore } from './postgres-store.js';

const url =
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';

/** The URL for messages, without its password. */
function shown(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

async function unreachableReason(): Promise<string | null> {
  const sql = postgres(url, { max: 1, connect_timeout: 3 });
  try {
    await sql`select 1`;
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

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
