import { readMigrationFiles } from 'drizzle-orm/migrator';
import type postgres from 'postgres';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid PostgreSQL schema name: ${schema}`);
}

/**
 * Applies the drizzle-kit migrations to one schema. drizzle's own migrator cannot do that: drizzle-kit
 * writes foreign keys as REFERENCES "public"."table", so those are redirected to the target schema, and
 * the history table lives in the same schema so every schema migrates on its own. An advisory lock
 * serialises nodes that start together; the one that waited finds the migrations applied.
 */
export async function migratePostgres(
  client: postgres.Sql,
  schema: string,
  migrationsFolder: string,
): Promise<void> {
  assertSchemaName(schema);
  const migrations = readMigrationFiles({ migrationsFolder });
  await client.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${`beseda:migrate:${schema}`}))`;
    await tx`create schema if not exists ${tx(schema)}`;
    await tx`create table if not exists ${tx(schema)}.__drizzle_migrations (
      id serial primary key, hash text not null, created_at bigint)`;
    const [last] = await tx<{ created_at: string }[]>`
      select created_at from ${tx(schema)}.__drizzle_migrations order by created_at desc limit 1`;
    for (const migration of migrations) {
      if (last && Number(last.created_at) >= migration.folderMillis) continue;
      for (const statement of migration.sql) {
        if (statement.trim() === '') continue;
        await tx.unsafe(statement.replaceAll('"public".', `"${schema}".`));
      }
      await tx`insert into ${tx(schema)}.__drizzle_migrations (hash, created_at)
        values (${migration.hash}, ${migration.folderMillis})`;
    }
  });
}

/** Drops a schema with everything in it (temporary schemas of tests and benchmarks). */
export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  assertSchemaName(schema);
  const { default: connect } = await import('postgres');
  const sql = connect(url, { max: 1, onnotice: () => {} });
  try {
    await sql`drop schema if exists ${sql(schema)} cascade`;
  } finally {
    await sql.end();
  }
}
