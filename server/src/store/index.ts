import { join } from 'node:path';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './types.js';

/**
 * PostgreSQL when DATABASE_URL points at one (several nodes share it), else a SQLite file in the data dir.
 * Any other URL is refused rather than ignored: a node silently writing to a local file instead of the
 * shared database would split the cluster's history.
 */
export async function openStore(cfg: { databaseUrl?: string; dataDir: string }): Promise<Store> {
  const url = cfg.databaseUrl?.trim();
  if (!url) return openSqliteStore({ file: join(cfg.dataDir, 'beseda.db') });
  if (/^postgres(ql)?:\/\//i.test(url)) {
    // Loaded on demand so SQLite installs never load the PostgreSQL driver.
    const { openPostgresStore } = await import('./postgres/postgres-store.js');
    return openPostgresStore({ url });
  }
  throw new Error(`DATABASE_URL must be a postgres:// URL (got scheme "${url.split(':')[0]}")`);
}

export { StoreError } from './errors.js';
export type { Store } from './types.js';
