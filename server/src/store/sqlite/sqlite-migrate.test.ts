import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

// Two processes starting on one fresh data directory at once (two nodes, or a server and a CLI tool) both
// migrate it: the second waits for the first's lock and finds the schema applied, nothing runs twice.

const STORE = pathToFileURL(fileURLToPath(new URL('./sqlite-store.ts', import.meta.url))).href;
const MIGRATIONS = fileURLToPath(new URL('../../../drizzle/sqlite', import.meta.url));
const SERVER = fileURLToPath(new URL('../../..', import.meta.url));

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

/**
 * A child that has loaded the store and then opens (and so migrates) each file named on its stdin,
 * answering `ok` or the error: both children are ready before a file is named, so they start together.
 */
async function migrator(script: string): Promise<(file: string) => Promise<string>> {
  // tsx from the server package, so the child loads the TypeScript store like the server does.
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: SERVER,
  });
  cleanup.push(() => {
    child.kill();
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`migrator exited: ${stderr}`);
    return line.value;
  };
  expect(await next()).toBe('ready');
  return async (file) => {
    child.stdin.write(`${file}\n`);
    return next();
  };
}

describe('SQLite migrations under a lock', () => {
  it('two processes migrating one fresh file at once both succeed and apply each migration once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beseda-migrate-race-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const script = join(dir, 'migrator.mts');
    await writeFile(
      script,
      `import { createInterface } from 'node:readline';
       const { connectSqlite } = await import(${JSON.stringify(STORE)});
       console.log('ready');
       for await (const file of createInterface({ input: process.stdin })) {
         try {
           const { client } = await connectSqlite(file);
           client.close();
           console.log('ok');
         } catch (err) {
           console.log(String(err).replaceAll('\\n', ' '));
         }
       }`,
    );
    const expected = (await readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql')).length;
    const [a, b] = await Promise.all([migrator(script), migrator(script)]);
    for (let round = 0; round < 10; round++) {
      const file = join(dir, `beseda-${round}.db`);
      expect(await Promise.all([a(file), b(file)])).toEqual(['ok', 'ok']);
      const db = new Database(file, { readonly: true });
      try {
        expect(db.prepare('select count(*) from __drizzle_migrations').pluck().get()).toBe(expected);
        const fts = db.prepare("select count(*) from sqlite_master where name = 'messages_fts'");
        expect(fts.pluck().get()).toBe(1);
      } finally {
        db.close();
      }
    }
  }, 60_000);
});
