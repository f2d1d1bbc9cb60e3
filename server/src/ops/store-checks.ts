import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';

// Same relative path from src/ops and dist/ops.
const DRIZZLE = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** The `when` of the newest migration this build ships (drizzle-kit's journal). */
export function latestMigration(kind: 'sqlite' | 'postgres'): number {
  const journal = JSON.parse(readFileSync(join(DRIZZLE, kind, 'meta/_journal.json'), 'utf8')) as {
    entries: { when: number }[];
  };
  return Math.max(...journal.entries.map((e) => e.when));
}

/** Compares the newest applied migration with this build's: older = not migrated, newer = a later release's data. */
export function compareMigration(applied: number | null, shipped: number): void {
  if (applied === null || applied < shipped)
    throw new Error(`database schema is behind this build (applied ${applied}, expected ${shipped})`);
  if (applied > shipped)
    throw new Error(
      `database schema is newer than this build (applied ${applied}, expected ${shipped}): upgrade this node`,
    );
}

/**
 * Registers `store` (a round trip to the database) and `migrations` (schema matches this build) on
 * `app.readiness`. The migrations check (for the store opened from config) reads drizzle's history table over its own small connection.
 */
export function registerStoreChecks(app: FastifyInstance, opts: { migrations: boolean }): void {
  app.readiness.register('store', () => app.store.ping());

  // An injected store (tests) may live in another schema or file than the config says: nothing to compare.
  if (!opts.migrations) return;
  const kind = app.store.kind;
  const shipped = latestMigration(kind);
  let applied: () => Promise<number | null>;
  let close: () => Promise<void>;
  if (kind === 'sqlite') {
    let db: Database.Database | null = null;
    applied = async () => {
      db ??= new Database(join(app.config.dataDir, 'beseda.db'), { readonly: true, fileMustExist: true });
      const row = db.prepare('select max(created_at) as at from __drizzle_migrations').get() as {
        at: number | null;
      };
      return row.at === null ? null : Number(row.at);
    };
    close = async () => {
      db?.close();
    };
  } else {
    let sql: import('postgres').Sql | null = null;
    applied = async () => {
      if (!sql) {
        const { default: postgres } = await import('postgres');
        sql = postgres(app.config.databaseUrl ?? '', { max: 1, idle_timeout: 30, onnotice: () => {} });
      }
      const [row] = await sql<
        { at: string | null }[]
      >`select max(created_at) as at from __drizzle_migrations`;
      return row?.at == null ? null : Number(row.at);
    };
    close = async () => {
      await sql?.end({ timeout: 1 });
    };
  }
  app.readiness.register('migrations', async () => compareMigration(await applied(), shipped));
  app.addHook('onClose', close);
}
