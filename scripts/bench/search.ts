/**
 * Transcript search benchmark (issue #10, DESIGN §6: p95 ≤ 50 ms at 1M messages / 100k conversations).
 *
 *   npx tsx scripts/bench/search.ts --db sqlite|postgres [--messages 1000000] [--days 365] [--seed 1]
 *       [--iterations 30] [--file PATH] [--postgres URL] [--schema NAME] [--keep]
 *
 * Generates multilingual chat history (search-data.ts: Czech, Russian and English, Zipf word frequencies,
 * diacritics, ё, rare words, ~10 messages per conversation), bulk-loads it (search-load.ts), lets the
 * store's deferred search indexer catch up (timed), then runs each query shape `iterations` times through
 * `Store.searchTranscripts` — what GET /api/transcripts costs minus HTTP — and prints p50/p95/max per shape.
 * SQLite uses a temporary file unless `--file` names one; with `--keep` (or an existing `--file` / `--schema`
 * holding data) the history is reused and not generated again.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TranscriptQuery } from '@beseda/shared';
import { dropPostgresSchema } from '../../server/src/store/postgres/migrate.js';
import { connectPostgres, openPostgresStore } from '../../server/src/store/postgres/postgres-store.js';
import { openSqliteStore, sqliteClientOf } from '../../server/src/store/sqlite/sqlite-store.js';
import type { Store } from '../../server/src/store/types.js';
import { DAY, END, type GenBatch, generateHistory } from './search-data.js';
import { postgresLoader, seedSite, sqliteLoader } from './search-load.js';

export interface SearchBenchOptions {
  db: 'sqlite' | 'postgres';
  messages?: number;
  days?: number;
  seed?: number;
  iterations?: number;
  file?: string;
  postgresUrl?: string;
  schema?: string;
  keep?: boolean;
  log?: (line: string) => void;
}

export interface ShapeResult {
  shape: string;
  rows: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** CPU time of this process per call: what a call costs on a machine not shared with others. */
  cpuP50Ms: number;
  cpuP95Ms: number;
}

type Query = TranscriptQuery & { siteIds: string[] };

interface Context {
  siteId: string;
  operatorIds: string[];
}

/** The query shapes of the issue; `i` varies the parameters between iterations where that is natural. */
function shapes(ctx: Context): { name: string; query: (i: number) => Query }[] {
  const base = { siteIds: [ctx.siteId], limit: 50 };
  const op = (i: number) => ctx.operatorIds[i % ctx.operatorIds.length] ?? '';
  const week = (i: number) => {
    const to = END - (i % 50) * 7 * DAY;
    return { from: to - 7 * DAY, to };
  };
  const pick = <T>(list: T[], i: number) => list[i % list.length] as T;
  return [
    { name: 'newest, no filter', query: () => base },
    {
      name: 'common word (cs)',
      query: (i) => ({ ...base, q: pick(['doprava', 'zásilka', 'objednávka'], i) }),
    },
    { name: 'common word (ru)', query: (i) => ({ ...base, q: pick(['доставка', 'заказ', 'спасибо'], i) }) },
    { name: 'rare word', query: (i) => ({ ...base, q: pick(['vodomer', 'самовар', 'kaleidoscope'], i) }) },
    { name: 'prefix', query: (i) => ({ ...base, q: pick(['objedn', 'dorazi', 'достав', 'refu'], i) }) },
    {
      name: 'phrase',
      query: (i) => ({ ...base, q: pick(['"doprava zdarma"', '"dobrý den"', '"наложенный платёж"'], i) }),
    },
    {
      name: 'two words',
      query: (i) => ({ ...base, q: pick(['zasilka dorazi', 'заказ ёлка', 'refund card'], i) }),
    },
    { name: 'no match', query: (i) => ({ ...base, q: `qqxz${i}` }) },
    { name: 'date range (week)', query: (i) => ({ ...base, ...week(i) }) },
    {
      name: 'visitor name (common)',
      query: (i) => ({ ...base, visitor: pick(['novák', 'smith', 'иванов'], i) }),
    },
    {
      // Rare substrings of e-mails and names, and one that is in none: the trigram indexes' case.
      name: 'visitor substring (rare)',
      query: (i) => ({ ...base, visitor: pick(['visitor123', '4567@', 'r9999@ex', 'nobody such'], i) }),
    },
    { name: 'operator', query: (i) => ({ ...base, operatorId: op(i) }) },
    { name: 'tag + rating', query: (i) => ({ ...base, tag: pick(['reklamace', 'vip'], i), rating: 'bad' }) },
    {
      name: 'combined: word + operator + month',
      query: (i) => ({
        ...base,
        q: 'doprava',
        operatorId: op(i),
        from: week(i).from - 21 * DAY,
        to: week(i).to,
      }),
    },
    { name: 'combined: rare word + week', query: (i) => ({ ...base, q: 'vodomer', ...week(i) }) },
  ];
}

async function timeShape(
  store: Store,
  query: (i: number) => Query,
  iterations: number,
): Promise<Omit<ShapeResult, 'shape'>> {
  // Warm-up (statement caches, pages in memory), then the timed calls.
  for (let i = 0; i < 2; i++) await store.searchTranscripts(query(i));
  const times: number[] = [];
  const cpus: number[] = [];
  const timed = async (q: Query) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const page = await store.searchTranscripts(q);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
    return page;
  };
  let rows = 0;
  for (let i = 0; i < iterations; i++) {
    const q = query(i);
    const page = await timed(q);
    rows += page.items.length;
    // Keyset pagination: the following page of the same query, timed as its own call.
    if (page.nextBefore !== null && i % 2 === 1) await timed({ ...q, before: page.nextBefore });
  }
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  const percentile = (list: number[], p: number) =>
    list[Math.min(list.length - 1, Math.ceil((p / 100) * list.length) - 1)] ?? 0;
  return {
    rows: Math.round(rows / iterations),
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    maxMs: times[times.length - 1] ?? 0,
    cpuP50Ms: percentile(cpus, 50),
    cpuP95Ms: percentile(cpus, 95),
  };
}

interface Target {
  store: Store;
  /** Site and operators of data loaded earlier, or null when the store holds none yet. */
  existing: () => Promise<Context | null>;
  load: (batch: GenBatch) => Promise<void> | void;
  /** After loading: statistics the database would have gathered by itself. */
  analyze: () => Promise<void>;
  close: () => Promise<void>;
}

async function openTarget(opts: SearchBenchOptions): Promise<Target> {
  if (opts.db === 'sqlite') {
    const dir = opts.file ? null : await mkdtemp(join(tmpdir(), 'beseda-bench-search-'));
    const file = opts.file ?? join(dir ?? '', 'beseda.db');
    const store = await openSqliteStore({ file });
    const client = sqliteClientOf(store);
    if (!client) throw new Error('not a SQLite store');
    let load: ((b: GenBatch) => void) | null = null;
    return {
      store,
      existing: async () => existingContext(store),
      load: (batch) => {
        load ??= sqliteLoader(client, batch.conversations[0] ? siteOf(batch) : '');
        load(batch);
      },
      analyze: async () => {
        client.exec('analyze');
      },
      close: async () => {
        await store.close();
        if (dir && !opts.keep) await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const url = opts.postgresUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = opts.schema ?? `beseda_bench_search_${process.pid}`;
  const store = await openPostgresStore({ url, schema, maxConnections: 4 });
  const sql = connectPostgres(url, schema, 1);
  let load: ((b: GenBatch) => Promise<void>) | null = null;
  return {
    store,
    existing: async () => existingContext(store),
    load: async (batch) => {
      load ??= postgresLoader(sql, siteOf(batch));
      await load(batch);
    },
    analyze: async () => {
      await sql`vacuum analyze`;
    },
    close: async () => {
      await store.close();
      await sql.end();
      if (!opts.keep && !opts.schema) await dropPostgresSchema(url, schema);
    },
  };
}

// The loaders need the site id; it travels on the batch to keep Target's signature small.
const SITE = Symbol('site');
const siteOf = (batch: GenBatch) => (batch as GenBatch & { [SITE]: string })[SITE];

async function existingContext(store: Store): Promise<Context | null> {
  const site = (await store.listSites()).find((s) => s.key.startsWith('bench-search-'));
  if (!site) return null;
  const ops = await store.listOperators(site.id);
  const probe = await store.searchTranscripts({ siteIds: [site.id], limit: 1 });
  return probe.items.length > 0 ? { siteId: site.id, operatorIds: ops.map((o) => o.id) } : null;
}

export async function runSearchBench(opts: SearchBenchOptions): Promise<ShapeResult[]> {
  const log = opts.log ?? console.log;
  const messages = opts.messages ?? 1_000_000;
  const target = await openTarget(opts);
  try {
    let ctx = await target.existing();
    if (ctx) log(`${opts.db}: reusing the history already in the store`);
    else {
      ctx = await seedSite(target.store, 20);
      const t0 = performance.now();
      let n = 0;
      for (const batch of generateHistory({
        messages,
        days: opts.days ?? 365,
        operatorIds: ctx.operatorIds,
        seed: opts.seed ?? 1,
      })) {
        (batch as GenBatch & { [SITE]: string })[SITE] = ctx.siteId;
        await target.load(batch);
        n += batch.messages.length;
      }
      const loadS = (performance.now() - t0) / 1000;
      log(`${opts.db}: generated and loaded ${n.toLocaleString('en')} messages in ${loadS.toFixed(1)} s`);
      await target.analyze();
      // The first search indexes everything pending (the deferred indexer's catch-up after an import).
      const t1 = performance.now();
      await target.store.searchTranscripts({ siteIds: [ctx.siteId], q: 'doprava', limit: 1 });
      log(`${opts.db}: search index caught up in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
      await target.analyze();
    }
    log(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    const results: ShapeResult[] = [];
    for (const shape of shapes(ctx)) {
      const r = { shape: shape.name, ...(await timeShape(target.store, shape.query, opts.iterations ?? 30)) };
      results.push(r);
      log(
        `${opts.db.padEnd(8)} ${r.shape.padEnd(36)} p50 ${r.p50Ms.toFixed(1).padStart(7)} ms  ` +
          `p95 ${r.p95Ms.toFixed(1).padStart(7)} ms  max ${r.maxMs.toFixed(1).padStart(7)} ms  ` +
          `cpu p50 ${r.cpuP50Ms.toFixed(1).padStart(6)} p95 ${r.cpuP95Ms.toFixed(1).padStart(6)} ms  rows ${r.rows}`,
      );
    }
    return results;
  } finally {
    await target.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i < 0 ? undefined : process.argv[i + 1];
  };
  const num = (name: string) => (arg(name) === undefined ? undefined : Number(arg(name)));
  const db = arg('db') ?? 'sqlite';
  if (db !== 'sqlite' && db !== 'postgres') throw new Error('--db sqlite|postgres');
  const file = arg('file');
  const results = await runSearchBench({
    db,
    messages: num('messages'),
    days: num('days'),
    seed: num('seed'),
    iterations: num('iterations'),
    file,
    postgresUrl: arg('postgres'),
    schema: arg('schema'),
    keep: process.argv.includes('--keep') || (file !== undefined && existsSync(file)),
  });
  const worst = Math.max(...results.map((r) => r.p95Ms));
  console.log(`worst p95 ${worst.toFixed(1)} ms (budget 50 ms): ${worst <= 50 ? 'within' : 'OVER'} budget`);
}
