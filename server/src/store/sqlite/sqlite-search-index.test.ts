import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newSite, newVisitor, visitorMessage } from '../contract-fixtures.js';
import { connectSqlite, openSqliteStore } from './sqlite-store.js';

// Search indexing is off the write path (migration 0005): an append is acked before its words are
// indexed, a crash between the two loses nothing from search, and a search is always current.

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function freshFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'beseda-index-'));
  dirs.push(dir);
  return join(dir, 'beseda.db');
}

describe('deferred search indexing on SQLite', () => {
  it('acks before indexing, then indexes right after the commit', async () => {
    const file = await freshFile();
    const store = await openSqliteStore({ file });
    const probe = await connectSqlite(file);
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
      const indexed = () =>
        probe.client
          .prepare("select count(*) from messages_fts where messages_fts match 'zásilka'")
          .pluck()
          .get();
      await store.appendMessage(visitorMessage(c.id, 'Kde je moje zásilka?'));
      expect(indexed()).toBe(0);
      await vi.waitFor(() => expect(indexed()).toBe(1));
    } finally {
      probe.client.close();
      await store.close();
    }
  });

  it('indexes on start what a crash left unindexed, and a search never misses it', async () => {
    const file = await freshFile();
    const first = await openSqliteStore({ file });
    const site = await first.createSite(newSite());
    const v = await first.createVisitor(newVisitor(site.id));
    const c = await first.createConversation({
      siteId: site.id,
      visitorId: v.id,
      status: 'queued',
      createdAt: 1,
      enqueuedAt: 1,
    });
    await first.updateConversation(c.id, { status: 'ended', endedAt: 2 });
    await first.close();
    // The state a crash between commit and indexing leaves: committed messages, cursor behind them.
    const raw = await connectSqlite(file);
    raw.client
      .prepare(
        "insert into messages (conversation_id, seq, prev_public, author, text, at) values (?, 1, 0, 'visitor', 'Objednávka a doprava', 5)",
      )
      .run(c.id);
    raw.client.prepare('update conversations set last_seq = 1, last_public_seq = 1 where id = ?').run(c.id);
    expect(
      raw.client
        .prepare("select count(*) from messages_fts where messages_fts match 'doprava'")
        .pluck()
        .get(),
    ).toBe(0);
    raw.client.close();

    const again = await openSqliteStore({ file });
    const probe = await connectSqlite(file);
    try {
      await vi.waitFor(() =>
        expect(
          probe.client
            .prepare("select count(*) from messages_fts where messages_fts match 'doprava'")
            .pluck()
            .get(),
        ).toBe(1),
      );
      const hits = await again.searchTranscripts({ siteIds: [site.id], q: 'objedn' });
      expect(hits.items.map((i) => i.conversation.id)).toEqual([c.id]);
      // A message appended just now is found by a search issued in the same tick.
      await again.appendMessage(visitorMessage(c.id, 'Zasilka dorazila'));
      const fresh = await again.searchTranscripts({ siteIds: [site.id], q: 'zásilka' });
      expect(fresh.items.map((i) => i.conversation.id)).toEqual([c.id]);
    } finally {
      probe.client.close();
      await again.close();
    }
  });

  it('queues visitor identities on write and indexes them after a crash, before any search', async () => {
    const file = await freshFile();
    const first = await openSqliteStore({ file });
    const site = await first.createSite(newSite());
    const v = await first.createVisitor(newVisitor(site.id));
    const c = await first.createConversation({
      siteId: site.id,
      visitorId: v.id,
      status: 'ended',
      createdAt: 1,
      enqueuedAt: 1,
    });
    await first.close();
    // As if the process died before the indexer ran: the identity change is queued, the index stale.
    const raw = await connectSqlite(file);
    raw.client.exec('delete from visitor_search; delete from visitor_search_rows');
    raw.client.prepare("update visitors set name = 'Jana Nováková' where id = ?").run(v.id);
    const queued = () => raw.client.prepare('select count(*) from visitor_search_pending').pluck().get();
    expect(queued()).toBe(1);
    const again = await openSqliteStore({ file });
    try {
      const hits = await again.searchTranscripts({ siteIds: [site.id], visitor: 'NOVÁK' });
      expect(hits.items.map((i) => i.conversation.id)).toEqual([c.id]);
      expect(queued()).toBe(0);
      // A deleted conversation leaves no row behind.
      raw.client.prepare('delete from conversations where id = ?').run(c.id);
      expect((await again.searchTranscripts({ siteIds: [site.id], visitor: 'novák' })).items).toEqual([]);
      expect(raw.client.prepare('select count(*) from visitor_search_rows').pluck().get()).toBe(0);
      expect(raw.client.prepare('select count(*) from visitor_search').pluck().get()).toBe(0);
    } finally {
      raw.client.close();
      await again.close();
    }
  });
});
