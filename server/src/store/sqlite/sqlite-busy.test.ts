import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { newSite, newVisitor, rejectionCode, visitorMessage } from '../contract-fixtures.js';
import { isRetryable } from '../errors.js';
import { openSqliteStore } from './sqlite-store.js';

// A lock held by another process must not freeze the node: writes are refused quickly with a retryable
// error (nothing stored, no false ack), and succeed once the lock is gone.

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('SQLite under a foreign write lock', () => {
  it('refuses writes within milliseconds with a retryable error, then works again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beseda-busy-'));
    dirs.push(dir);
    const file = join(dir, 'beseda.db');
    const store = await openSqliteStore({ file });
    const other = new Database(file);
    try {
      const site = await store.createSite(newSite());
      const v = await store.createVisitor(newVisitor(site.id));
      const c = await store.createConversation({
        siteId: site.id,
        visitorId: v.id,
        status: 'queued',
        createdAt: 1,
        enqueuedAt: 1,
      });
      other.exec('BEGIN IMMEDIATE');
      const started = performance.now();
      const refused = store.appendMessage(visitorMessage(c.id, 'blocked'));
      const error = await refused.catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(isRetryable(error)).toBe(true);
      expect(await rejectionCode(store.commit({ messages: [visitorMessage(c.id, 'unit')] }))).toBe(
        'rate_limited',
      );
      other.exec('ROLLBACK');
      const ok = await store.appendMessage(visitorMessage(c.id, 'after'));
      expect(ok.message.seq).toBe(1);
      expect((await store.listMessages(c.id, 0)).map((m) => m.text)).toEqual(['after']);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await store.close();
    }
  });
});
