import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newSite, newVisitor, visitorMessage } from '../contract-fixtures.js';
import { openSqliteStore, sqliteClientOf } from './sqlite-store.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const size = async (file: string) => (await stat(file).catch(() => ({ size: 0 }))).size;

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!(await probe())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('WAL checkpoints off the event loop', () => {
  it('commits never checkpoint; the worker moves the WAL into the database and the WAL is reused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beseda-wal-'));
    dirs.push(dir);
    const file = join(dir, 'beseda.db');
    const store = await openSqliteStore({ file });
    try {
      expect(sqliteClientOf(store)?.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      const site = await store.createSite(newSite());
      const v = await store.createVisitor(newVisitor(site.id));
      const c = await store.createConversation({
        siteId: site.id,
        visitorId: v.id,
        status: 'queued',
        createdAt: 1,
        enqueuedAt: 1,
      });
      const burst = (tag: string) =>
        Promise.all(
          Array.from({ length: 3_000 }, (_, i) =>
            store.appendMessage(visitorMessage(c.id, `${tag} ${i} ${'x'.repeat(200)}`)),
          ),
        );
      const dbBefore = await size(file);
      await burst('first');
      // Only the worker checkpoints: the database file grows by the pages copied out of the WAL.
      await until('the worker to checkpoint', async () => (await size(file)) > dbBefore + 400_000);
      const walAfterFirst = await size(`${file}-wal`);
      await burst('second');
      await until('the second checkpoint', async () => (await size(file)) > dbBefore + 800_000);
      // After a complete checkpoint the writer starts the WAL over: it does not grow with every burst.
      expect(await size(`${file}-wal`)).toBeLessThan(walAfterFirst * 1.5);
      expect((await store.listMessages(c.id, 0)).length).toBe(6_000);
    } finally {
      await store.close();
    }
    // The last connection's close checkpointed everything and removed the WAL.
    expect(await size(`${file}-wal`)).toBe(0);
  });
});
