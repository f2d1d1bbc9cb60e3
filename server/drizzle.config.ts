import { defineConfig } from 'drizzle-kit';

// One schema per dialect, each with its own migration history. SQLite is the default; generate the
// PostgreSQL migrations with `DRIZZLE_DIALECT=postgres npx drizzle-kit generate`.
const postgres = process.env.DRIZZLE_DIALECT === 'postgres';

export default postgres
  ? defineConfig({
      dialect: 'postgresql',
      schema: './src/store/postgres/schema.ts',
      out: './drizzle/postgres',
    })
  : defineConfig({
      dialect: 'sqlite',
      schema: './src/store/sqlite/schema.ts',
      out: './drizzle/sqlite',
    });
