import type Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';

/** How long a starting process waits for another one that is migrating the same file. */
export const MIGRATION_BUSY_TIMEOUT_MS = 30_000;

/**
 * Applies the drizzle-kit migrations with the check and the apply in one IMMEDIATE transaction.
 * drizzle's own migrator reads the applied migrations before it begins its transaction, so two
 * processes starting on one fresh data directory both found none and the second failed on "table
 * already exists". Here the second waits for the write lock (up to MIGRATION_BUSY_TIMEOUT_MS, set by
 * the caller on the connection), then finds everything applied. The history table is drizzle's.
 */
export function migrateSqlite(client: Database.Database, migrationsFolder: string): void {
  const migrations = readMigrationFiles({ migrationsFolder });
  client
    .transaction(() => {
      client.exec(`create table if not exists "__drizzle_migrations" (
        id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
      const last = client
        .prepare<[], number>('select created_at from "__drizzle_migrations" order by created_at desc limit 1')
        .pluck()
        .get();
      const record = client.prepare<[string, number]>(
        'insert into "__drizzle_migrations" ("hash", "created_at") values (?, ?)',
      );
      for (const migration of migrations) {
        if (last !== undefined && Number(last) >= migration.folderMillis) continue;
        for (const statement of migration.sql) if (statement.trim() !== '') client.exec(statement);
        record.run(migration.hash, migration.folderMillis);
      }
    })
    .immediate();
}

/**
 * Starting beside another process that is creating or migrating the same file: SQLite does not always call
 * the busy handler (switching a fresh file to WAL, or while the other connection sets up the WAL index), so
 * a `database is locked` can come at once. Try again shortly, up to the migration timeout.
 */
export async function whileBusy<T>(step: () => T): Promise<T> {
  const deadline = Date.now() + MIGRATION_BUSY_TIMEOUT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return step();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const busy = typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED');
      if (!busy || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, Math.min(500, 20 * 2 ** attempt)));
    }
  }
}
