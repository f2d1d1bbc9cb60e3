import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

export const DB_FILE = 'beseda.db';

/**
 * A consistent copy of a live SQLite database, taken with SQLite's online backup API over a second
 * connection while the server keeps writing. All pages are copied in one step, i.e. inside one read
 * transaction: a step-wise copy restarts whenever another connection writes, and may never finish under load.
 * The copy is written next to `file` and renamed into place, so a crash never leaves a half backup.
 */
export async function backupSqlite(dataDir: string, file: string): Promise<{ bytes: number; ms: number }> {
  const source = join(dataDir, DB_FILE);
  if (!existsSync(source)) throw new Error(`no database at ${source} (is DATA_DIR right?)`);
  if (existsSync(file)) throw new Error(`${file} already exists; choose a new backup file name`);
  await mkdir(dirname(file), { recursive: true });
  const started = performance.now();
  const tmp = `${file}.partial`;
  await rm(tmp, { force: true });
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(tmp, { progress: ({ remainingPages }) => Math.max(remainingPages, 1) });
  } finally {
    db.close();
  }
  await checkIntegrity(tmp);
  await rename(tmp, file);
  return { bytes: (await stat(file)).size, ms: Math.round(performance.now() - started) };
}

/** Throws unless `file` is an intact SQLite database written by Beseda. */
export async function checkIntegrity(file: string): Promise<void> {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new Error(`${file} cannot be opened as a SQLite database: ${(err as Error).message}`);
  }
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    if (problems.length > 0)
      throw new Error(`${file} failed the integrity check: ${problems.slice(0, 5).join('; ')}`);
    const history = db
      .prepare(
        "select count(*) as n from sqlite_master where type = 'table' and name = '__drizzle_migrations'",
      )
      .get() as { n: number };
    if (history.n === 0)
      throw new Error(`${file} is a SQLite database but not a Beseda one (no migration history)`);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith(file)) throw err;
    throw new Error(`${file} failed the integrity check: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

/**
 * Restores a backup into an empty data dir (a missing one is created). Refuses a dir that already holds a
 * database: restoring over live data is never what one wants at 3 a.m. The server migrates the restored
 * database forward on its next start if the backup came from an older release.
 */
export async function restoreSqlite(file: string, dataDir: string): Promise<void> {
  if (!existsSync(file)) throw new Error(`no backup at ${file}`);
  if (existsSync(dataDir) && readdirSync(dataDir).some((f) => f.startsWith(DB_FILE)))
    throw new Error(`${dataDir} already holds a database; restore into an empty DATA_DIR`);
  await checkIntegrity(file);
  await mkdir(dataDir, { recursive: true });
  const target = join(dataDir, DB_FILE);
  await copyFile(file, `${target}.partial`);
  await rename(`${target}.partial`, target);
}
