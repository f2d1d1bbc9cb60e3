/**
 * Store write benchmark (DESIGN §6: ≥ 20,000 stored messages/s on SQLite, ≥ 10,000 on PostgreSQL).
 *
 *   tsx scripts/bench/store-write.ts [--seconds 5] [--conversations 2000] [--in-flight 2000]
 *       [--postgres postgres://postgres@127.0.0.1:5432/test] [--no-postgres]
 *
 * Appends messages through the `Store` interface (group commit, each promise resolving only after its
 * transaction committed), keeping `in-flight` appends outstanding over `conversations` conversations,
 * as a relay with that many busy chats would. SQLite goes to a temporary file; PostgreSQL to a temporary
 * schema that is dropped afterwards. Prints messages/s per database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dropPostgresSchema } from '../../server/src/store/postgres/migrate.js';
import { openPostgresStore } from '../../server/src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../server/src/store/sqlite/sqlite-store.js';
import type { NewSite, Store } from '../../server/src/store/types.js';

export interface WriteBenchResult {
  database: 'sqlite' | 'postgres';
  messages: number;
  seconds: number;
  perSecond: number;
  /**
   * Messages per CPU-second of this process: what one free core would sustain. On a shared, loaded
   * machine wall-clock rates understate it; for PostgreSQL the server's own CPU is not included.
   */
  perCpuSecond: number;
  /** Appends that failed (must be 0: every failure would be an explicit error to the sender). */
  failed: number;
}

/** A site for benchmarks: defaults of no consequence to what is measured. */
export function benchSite(key: string): NewSite {
  return {
    key,
    name: 'Bench',
    allowedOrigins: [],
    timezone: 'UTC',
    color: '#000',
    position: 'right',
    launcherText: 'Chat',
    greeting: 'Hi',
    businessHours: null,
    alertAfterSeconds: 60,
    slaSeconds: 30,
    identitySecret: 'x',
    lang: 'en',
    amberAfterSeconds: 30,
    ringTimeoutSeconds: 0,
    autoAwayMinutes: 0,
    typingPreview: false,
    prechat: { enabled: false, requireEmail: false, topics: [] },
  };
}

async function seedConversations(store: Store, n: number): Promise<string[]> {
  const site = await store.createSite(benchSite(`bench-${randomBytes(4).toString('hex')}`));
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const visitor = await store.createVisitor({
      siteId: site.id,
      tokenHash: 'x',
      name: null,
      email: null,
      lang: null,
      userAgent: null,
      createdAt: i,
      lastSeenAt: i,
    });
    const c = await store.createConversation({
      siteId: site.id,
      visitorId: visitor.id,
      status: 'active',
      createdAt: i,
      enqueuedAt: i,
    });
    ids.push(c.id);
  }
  return ids;
}

export async function measureWrites(
  store: Store,
  opts: { seconds: number; conversations: number; inFlight: number },
): Promise<Omit<WriteBenchResult, 'database'>> {
  const ids = await seedConversations(store, opts.conversations);
  // Warm-up: prepares statements and fills caches.
  await Promise.all(ids.slice(0, 200).map((id, i) => store.appendMessage(message(id, i))));
  let done = 0;
  let failed = 0;
  let next = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  const deadline = start + opts.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const n = next++;
      try {
        await store.appendMessage(message(ids[n % ids.length]!, n));
        done++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.inFlight }, worker));
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { messages: done, seconds, perSecond: done / seconds, perCpuSecond: done / cpuSeconds, failed };
}

const message = (conversationId: string, n: number) => ({
  conversationId,
  clientId: `bench-${n}`,
  author: n % 2 ? ('operator' as const) : ('visitor' as const),
  operatorId: null,
  authorName: null,
  text: `Dobrý den, zásilka ${n} je na cestě, objednávka číslo ${n * 7} — doprava zdarma`,
  at: 1_700_000_000_000 + n,
});

const line = (r: WriteBenchResult) =>
  `${r.database.padEnd(9)} ${Math.round(r.perSecond).toLocaleString('en')} msg/s wall, ` +
  `${Math.round(r.perCpuSecond).toLocaleString('en')} msg per CPU-second of Node ` +
  `(${r.messages} in ${r.seconds.toFixed(1)} s, ${r.failed} failed)`;

export async function runStoreWriteBench(opts: {
  seconds?: number;
  conversations?: number;
  inFlight?: number;
  postgresUrl?: string | null;
  log?: (line: string) => void;
}): Promise<WriteBenchResult[]> {
  const log = opts.log ?? console.log;
  const params = {
    seconds: opts.seconds ?? 5,
    conversations: opts.conversations ?? 2000,
    inFlight: opts.inFlight ?? 2000,
  };
  const results: WriteBenchResult[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'beseda-bench-store-'));
  try {
    const store = await openSqliteStore({ file: join(dir, 'beseda.db') });
    try {
      const r = { database: 'sqlite' as const, ...(await measureWrites(store, params)) };
      results.push(r);
      log(line(r));
    } finally {
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (opts.postgresUrl) {
    const schema = `beseda_bench_${randomBytes(6).toString('hex')}`;
    const store = await openPostgresStore({ url: opts.postgresUrl, schema, maxConnections: 4 });
    try {
      const r = { database: 'postgres' as const, ...(await measureWrites(store, params)) };
      results.push(r);
      log(line(r));
    } finally {
      await store.close();
      await dropPostgresSchema(opts.postgresUrl, schema);
    }
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i < 0 ? undefined : process.argv[i + 1];
  };
  const num = (name: string) => (arg(name) === undefined ? undefined : Number(arg(name)));
  await runStoreWriteBench({
    seconds: num('seconds'),
    conversations: num('conversations'),
    inFlight: num('in-flight'),
    postgresUrl: process.argv.includes('--no-postgres')
      ? null
      : (arg('postgres') ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'),
  });
}
