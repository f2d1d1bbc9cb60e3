/**
 * The dashboard benchmark's history on PostgreSQL (scripts/bench/dashboard.ts --postgres URL): the same
 * generated store as the SQLite run, copied into a PostgreSQL schema — the site and every conversation
 * (the facts reference them, and the overview counts them), then the folded metrics tables row for row
 * (facts, per-chat values, rollups, histograms, operator intervals) — so both databases answer the same
 * dashboards over the same figures. Folding 4M events again on PostgreSQL would measure the fold, which is
 * not what the dashboard budget is about. Copied once; an existing schema holding the facts is reused. The
 * copy switches foreign-key triggers off for its transaction (session_replication_role): it needs a
 * superuser, as the test database's `postgres` is.
 */
import { connectMetrics, PostgresMetrics } from '../../server/src/metrics/postgres-metrics.js';
import type { openDatabase } from '../../server/src/metrics/sqlite-metrics.js';
import { connectPostgres, openPostgresStore } from '../../server/src/store/postgres/postgres-store.js';
import type { Site } from '../../server/src/store/types.js';

/** Tables copied after the site, in an order their foreign keys accept. */
const TABLES = [
  'conversations',
  'chat_facts',
  'metric_values',
  'chat_rollup',
  'metric_hist',
  'volume_rollup',
  'operator_intervals',
] as const;
const BATCH = 20_000;

type SqliteDb = ReturnType<typeof openDatabase>;

/** COPY's text format: backslash, tab, newline and carriage return escaped; null is \N. */
function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  return String(v).replace(
    /[\\\t\n\r]/g,
    (ch) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[ch] ?? ch,
  );
}

const sqliteColumns = (db: SqliteDb, table: string) =>
  new Set((db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name));

export async function postgresDashboardSource(opts: {
  sqlite: SqliteDb;
  site: Site;
  url: string;
  schema: string;
  log: (line: string) => void;
}): Promise<{ source: PostgresMetrics; close: () => Promise<void> }> {
  const { sqlite, site, url, schema, log } = opts;
  const store = await openPostgresStore({ url, schema, maxConnections: 2 });
  const sql = connectPostgres(url, schema, 1);
  const metricsSql = connectMetrics(url, schema);
  const source = new PostgresMetrics(metricsSql, schema);
  const close = async () => {
    await source.close();
    await sql.end();
    await store.close();
  };
  try {
    // Creates the metrics tables and places the site on its timezone (no events: nothing to fold).
    if ((await store.listSites()).every((s) => s.id !== site.id)) {
      const row = sqlite.prepare('SELECT * FROM sites WHERE id = ?').get(site.id) as Record<string, unknown>;
      await store.createSite({
        id: site.id,
        key: String(row.key),
        name: site.name,
        allowedOrigins: [],
        timezone: site.timezone,
        color: '#0055ff',
        position: 'right',
        launcherText: 'Chat',
        greeting: 'Hi',
        businessHours: site.businessHours,
        alertAfterSeconds: 60,
        slaSeconds: site.slaSeconds,
        identitySecret: 'bench',
        lang: 'cs',
        amberAfterSeconds: 45,
        ringTimeoutSeconds: 20,
        autoAwayMinutes: 5,
        typingPreview: false,
        prechat: { enabled: false, requireEmail: false, topics: [] },
      });
    }
    await source.sync();
    const [{ n } = { n: 0 }] = await sql<{ n: number }[]>`select count(*)::int as n from chat_facts`;
    if (n > 0) {
      log(`postgres: reusing the ${n} facts already in schema ${schema}`);
      return { source, close };
    }
    const t0 = performance.now();
    await sql.begin(async (tx) => {
      // Visitors and operators are not copied: their foreign keys are not what is measured.
      await tx`set local session_replication_role = replica`;
      for (const table of TABLES) {
        const columns = (
          await tx<{ column_name: string }[]>`select column_name from information_schema.columns
            where table_schema = ${schema} and table_name = ${table} and is_generated = 'NEVER'
              and is_identity = 'NO'`
        )
          .map((c) => c.column_name)
          .filter((c) => sqliteColumns(sqlite, table).has(c));
        const rows = sqlite
          .prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}"`)
          .raw();
        let batch: string[] = [];
        let copied = 0;
        const flush = async () => {
          if (batch.length === 0) return;
          const stream = await tx
            .unsafe(`copy "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) from stdin`)
            .writable();
          await new Promise<void>((resolve, reject) => {
            stream.on('error', reject);
            stream.on('finish', resolve);
            stream.end(`${batch.join('\n')}\n`);
          });
          copied += batch.length;
          batch = [];
        };
        for (const r of rows.iterate() as Iterable<unknown[]>) {
          batch.push(r.map(field).join('\t'));
          if (batch.length >= BATCH) await flush();
        }
        await flush();
        log(`postgres: copied ${copied} rows of ${table}`);
      }
    });
    await sql`vacuum analyze`;
    log(`postgres: copied in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return { source, close };
  } catch (err) {
    await close();
    throw err;
  }
}
