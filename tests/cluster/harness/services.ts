import { describe, it } from 'vitest';
import { postgres, Redis } from './deps.js';

export const REDIS_URL = process.env.BESEDA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Admin connection: CREATE/DROP DATABASE for each test's own database. */
export const PG_ADMIN_URL = process.env.BESEDA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function redisReachable(): Promise<string | null> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (err) {
    return `Redis at ${REDIS_URL}: ${(err as Error).message}`;
  } finally {
    redis.disconnect();
  }
}

async function postgresReachable(): Promise<string | null> {
  const sql = postgres(PG_ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return null;
  } catch (err) {
    return `PostgreSQL at ${PG_ADMIN_URL}: ${(err as Error).message}`;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

let probed: Promise<string[]> | null = null;
/** What is missing (empty when Redis and PostgreSQL both answer); probed once per test file. */
export function missingServices(): Promise<string[]> {
  probed ??= Promise.all([redisReachable(), postgresReachable()]).then((r) =>
    r.filter((x): x is string => x !== null),
  );
  return probed;
}

/**
 * A describe block that needs Redis and PostgreSQL. Without them: in CI (CI set) one failing test says
 * what is missing — these tests must run for real there; elsewhere the block is skipped with a visible
 * notice, as the other Redis/PostgreSQL tests do.
 */
export async function clusterDescribe(name: string, body: () => void): Promise<void> {
  const missing = await missingServices();
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  if (process.env.CI) {
    describe(name, () => {
      it('needs Redis and PostgreSQL', () => {
        throw new Error(`cluster tests cannot run: ${missing.join('; ')}`);
      });
    });
    return;
  }
  console.warn(`NOTICE cluster test "${name}" skipped: ${missing.join('; ')}`);
  describe.skip(name, body);
}
