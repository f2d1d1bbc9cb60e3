import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSite } from '../contract-fixtures.js';
import { VISITOR_IDS_CAP } from '../transcript-filters.js';
import type { SearchPlan } from '../transcripts.js';
import type { TranscriptListRows } from '../types.js';
import { connectSqlite, openSqliteStore } from './sqlite-store.js';
import { searchSqliteTranscripts } from './sqlite-transcripts.js';

// The contract's data is small, so it only ever takes the rare-term plan; here both plans must agree.
describe('SQLite transcript search plans', () => {
  let dir: string;
  let file: string;
  let siteId: string;
  const finished: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beseda-fts-'));
    file = join(dir, 'beseda.db');
    const store = await openSqliteStore({ file });
    siteId = (await store.createSite(newSite())).id;
    for (let k = 0; k < 60; k++) {
      const visitor = await store.createVisitor({
        siteId,
        tokenHash: 'h',
        name: `Visitor ${k}`,
        email: null,
        lang: null,
        userAgent: null,
        createdAt: 1,
        lastSeenAt: 1,
      });
      // Some conversations share a createdAt, so the tie rule of the cursor is exercised too.
      const c = await store.createConversation({
        siteId,
        visitorId: visitor.id,
        status: 'queued',
        createdAt: 1_000 + Math.floor(k / 2),
        enqueuedAt: 1,
      });
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.appendMessage({
            conversationId: c.id,
            clientId: null,
            author: i % 2 === 0 ? 'visitor' : 'operator',
            operatorId: null,
            authorName: null,
            text: `common words ${k % 7 === 0 ? 'seventh' : 'plain'} message ${i}`,
            at: 1,
          }),
        ),
      );
      if (k % 3 !== 0) {
        await store.updateConversation(c.id, { status: 'ended' });
        finished.push(c.id);
      }
    }
    await store.close();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function allPages(plan: SearchPlan, q: string, limit: number, visitor?: string) {
    const { client, db } = await connectSqlite(file);
    try {
      const pages: TranscriptListRows[] = [];
      let before: number | undefined;
      do {
        const page = await searchSqliteTranscripts(
          db,
          { siteIds: [siteId], q, limit, before, visitor },
          plan,
        );
        pages.push(page);
        before = page.nextBefore ?? undefined;
      } while (before !== undefined && pages.length < 100);
      return pages;
    } finally {
      client.close();
    }
  }

  it.each([
    ['common', 7],
    ['seventh', 4],
    ['words seventh', 50],
    ['common', 50, 'visitor 4'],
  ])(
    'q=%s limit=%i visitor=%s: scanning conversations and collecting hits give the same pages',
    async (q, limit, visitor?: string) => {
      const scanning = await allPages('scan', q, limit, visitor);
      const collecting = await allPages('index', q, limit, visitor);
      expect(scanning).toEqual(collecting);
      expect(await allPages('auto', q, limit, visitor)).toEqual(collecting);
      expect(await allPages('walk', q, limit, visitor)).toEqual(collecting);
      const ids = scanning.flatMap((p) => p.items.map((i) => i.conversation.id));
      expect(new Set(ids).size).toBe(ids.length);
      if (q === 'common' && !visitor) expect([...ids].sort()).toEqual([...finished].sort());
    },
  );
});

// The visitor filter narrows through the trigram index (migration 0007) when a needle is rare and walks
// the newest conversations when it is common (more than VISITOR_IDS_CAP): both must give what the plain
// definition gives — a case-insensitive substring of any of the names and e-mails.
describe('SQLite visitor substring search', () => {
  let dir: string;
  let store: Awaited<ReturnType<typeof openSqliteStore>>;
  let siteId: string;
  const people: { id: string; createdAt: number; texts: string[] }[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beseda-trgm-'));
    store = await openSqliteStore({ file: join(dir, 'beseda.db') });
    siteId = (await store.createSite(newSite())).id;
    const syllables = ['no', 'vá', 'ko', 'Ва', 'ня', 'x_', 'ŘÍ', 'ma'];
    let seed = 7;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const word = () =>
      Array.from({ length: 2 + Math.floor(rand() * 3) }, () => syllables[Math.floor(rand() * 8)]).join('');
    for (let k = 0; k < VISITOR_IDS_CAP + 150; k++) {
      const name = `${word()} ${word()}`;
      // Every conversation's e-mail shares the domain: a needle more common than the cap.
      const email = `${word()}.${k}@common.example`;
      const copy = rand() < 0.3 ? word() : null;
      const v = await store.createVisitor({ ...visitorRow(siteId), name, email });
      const createdAt = 1_000 + Math.floor(k / 3);
      const c = await store.createConversation({
        siteId,
        visitorId: v.id,
        status: 'ended',
        createdAt,
        enqueuedAt: createdAt,
        visitorName: copy,
      });
      people.push({
        id: c.id,
        createdAt,
        texts: [name, email, copy ?? '', v.id].map((t) => t.toLowerCase()),
      });
    }
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    'common.example',
    'no',
    'vá',
    'nová',
    'ваня',
    'x_n',
    'ŘÍMA',
    '.12',
    '7@',
    'NOVÁKO',
    'kovano',
    'zzz',
  ])('visitor=%s: every page as the definition says', async (needle) => {
    const want = people
      .filter((p) => p.texts.some((t) => t.includes(needle.toLowerCase())))
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
      .map((p) => p.id);
    const got: string[] = [];
    let before: number | undefined;
    for (let page = 0; page < 100; page++) {
      const r = await store.searchTranscripts({ siteIds: [siteId], visitor: needle, limit: 40, before });
      got.push(...r.items.map((i) => i.conversation.id));
      if (r.nextBefore === null) break;
      before = r.nextBefore;
    }
    expect(got).toEqual(want);
  });
});

const visitorRow = (siteId: string) => ({
  siteId,
  tokenHash: 'h',
  lang: null,
  userAgent: null,
  createdAt: 1,
  lastSeenAt: 1,
});

// Phrases are found by walking the index newest message first (transcripts.ts walkNewest). Message order is
// not conversation order: here conversations are created in a shuffled order of createdAt (with ties) and
// their messages are appended round-robin, so every conversation's messages interleave with the others'.
// The walk must give the pages the other ways give, also for е/ё spellings and with a filter.
describe('SQLite text search walking the index newest first', () => {
  let dir: string;
  let file: string;
  let siteId: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beseda-walk-'));
    file = join(dir, 'beseda.db');
    const store = await openSqliteStore({ file });
    siteId = (await store.createSite(newSite())).id;
    let seed = 11;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const words = ['doprava', 'zdarma', 'платёж', 'платеж', 'наложенный', 'kde', 'je', 'Doprava', 'ZDARMA'];
    const text = () =>
      Array.from({ length: 3 + Math.floor(rand() * 5) }, () => words[Math.floor(rand() * words.length)]).join(
        ' ',
      );
    const ids: string[] = [];
    for (let k = 0; k < 150; k++) {
      const visitor = await store.createVisitor({ ...visitorRow(siteId), name: `V ${k}`, email: null });
      const createdAt = 5_000 + Math.floor(rand() * 120);
      const c = await store.createConversation({
        siteId,
        visitorId: visitor.id,
        status: rand() < 0.8 ? 'ended' : 'missed',
        createdAt,
        enqueuedAt: createdAt,
      });
      ids.push(c.id);
    }
    for (let round = 0; round < 6; round++)
      for (const id of ids)
        if (rand() < 0.8)
          await store.appendMessage({
            conversationId: id,
            clientId: null,
            author: 'visitor',
            operatorId: null,
            authorName: null,
            text: text(),
            at: 1,
          });
    await store.close();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function allPages(plan: SearchPlan, q: string, limit: number, status?: 'missed') {
    const { client, db } = await connectSqlite(file);
    try {
      const ids: string[] = [];
      let before: number | undefined;
      for (let page = 0; page < 200; page++) {
        const r = await searchSqliteTranscripts(db, { siteIds: [siteId], q, limit, before, status }, plan);
        ids.push(...r.items.map((i) => i.conversation.id));
        if (r.nextBefore === null) break;
        before = r.nextBefore;
      }
      return ids;
    } finally {
      client.close();
    }
  }

  it.each([
    ['"doprava zdarma"', 3],
    ['"doprava zdarma"', 10],
    ['"zdarma doprava" kde', 4],
    ['"наложенный платеж"', 5],
    ['"наложенный платёж" "doprava zdarma"', 2],
    ['"je je je"', 3],
    ['"je doprava"', 7],
    // Words alone: the walk reads all of them (prefixes, е/ё spellings) when they are rare together.
    ['наложенный платеж', 4],
    ['zdarma kde je', 3],
    ['doprav zdar', 6],
  ])('q=%s limit=%i: the walk gives the pages of the other ways', async (q, limit) => {
    const scanned = await allPages('scan', q, limit);
    expect(scanned.length).toBeGreaterThan(0);
    expect(await allPages('walk', q, limit)).toEqual(scanned);
    expect(await allPages('auto', q, limit)).toEqual(scanned);
    expect(await allPages('walk', q, limit, 'missed')).toEqual(await allPages('scan', q, limit, 'missed'));
  });
});
