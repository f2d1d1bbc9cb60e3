import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { backupSqlite, restoreSqlite } from './backup.js';

/**
 *   pnpm backup FILE    consistent online backup of the SQLite database while the server runs
 *   pnpm restore FILE   integrity check, then restore into an empty DATA_DIR
 * Uses the same configuration (DATA_DIR, DATABASE_URL) as the server.
 */
const [command, file] = process.argv.slice(2);
if ((command !== 'backup' && command !== 'restore') || !file) {
  console.error('usage: pnpm backup FILE | pnpm restore FILE');
  process.exit(2);
}
try {
  const config = loadConfig();
  if (config.databaseUrl) {
    console.error(
      'DATABASE_URL is PostgreSQL: use pg_dump / pg_restore (see docs/deploy.md, "Backups"); this command is for SQLite.',
    );
    process.exit(2);
  }
  // pnpm runs scripts from the workspace root; a relative FILE means relative to where the user typed it.
  const target = resolve(process.env.INIT_CWD ?? process.cwd(), file);
  if (command === 'backup') {
    const { bytes, ms } = await backupSqlite(config.dataDir, target);
    console.log(`backup: ${target} (${(bytes / 1048576).toFixed(1)} MiB in ${ms} ms), integrity ok`);
  } else {
    await restoreSqlite(target, config.dataDir);
    console.log(`restore: ${target} → ${config.dataDir}, integrity ok; start the server to use it`);
  }
} catch (err) {
  if (err instanceof ConfigError) for (const p of err.problems) console.error(`config: ${p}`);
  else console.error(`${command}: ${(err as Error).message}`);
  process.exit(1);
}
