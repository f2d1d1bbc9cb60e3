/**
 * Dashboard benchmark (DESIGN §6: any date range over 1M conversations ≤ 300 ms).
 *
 *   tsx scripts/bench/dashboard.ts [--data-dir DIR] [--conversations 1000000] [--days 365] [--seed 1]
 *       [--iterations 15] [--budget-ms 300] [--postgres URL [--schema NAME]]
 *
 * With --postgres the dashboards read PostgreSQL (PostgresMetrics) instead: the generated SQLite history is
 * copied into the schema once (dashboard-postgres.ts; default schema bench_dashboard, kept for reuse).
 *
 * Uses the generated history in DIR (generates it first when DIR has none, which takes minutes for 1M),
 * then times every dashboard endpoint's work — the query functions plus JSON serialisation, i.e. what a
 * request costs minus HTTP — for several ranges (a week, a month, a quarter, a whole year, an unaligned
 * range across DST changes) for the team and for one operator, and prints p50/p95 against the budget.
 * `runDashboardBench(opts)` is what scripts/bench/run.ts can call.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as dash from '../../server/src/metrics/dashboard.js';
import { openDatabase, SqliteMetrics } from '../../server/src/metrics/sqlite-metrics.js';
import { calendarFor, formatDate } from '../../server/src/metrics/tz.js';
import type { Site } from '../../server/src/store/types.js';
import { generateData } from '../generate-data.js';
import { postgresDashboardSource } from './dashboard-postgres.js';

export interface DashboardBenchOptions {
  /** Directory holding (or to receive) the generated store; default: a new temporary directory. */
  dataDir?: string;
  conversations?: number;
  days?: number;
  seed?: number;
  /** Last generated day (YYYY-MM-DD); default 2026-06-30 so runs are comparable. */
  end?: string;
  iterations?: number;
  budgetMs?: number;
  /** Read the dashboards from PostgreSQL at this URL (the history is copied there once). */
  postgresUrl?: string;
  schema?: string;
  log?: (line: string) => void;
}

export interface DashboardBenchRow {
  endpoint: string;
  scenario: string;
  /** Wall-clock time of the first (cold) call. */
  firstMs: number;
  /** Wall-clock times of the following calls. */
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** CPU time of this process per call (user + system): what a call costs when the machine is not shared. */
  cpuP50Ms: number;
  cpuP95Ms: number;
}

export interface DashboardBenchResult {
  file: string;
  conversations: number;
  generatedMs: number | null;
  rows: DashboardBenchRow[];
  worstP95Ms: number;
  worstCpuP95Ms: number;
  budgetMs: number;
  /** Wall-clock p95 of every endpoint and scenario within the budget. */
  pass: boolean;
}

const ENDPOINTS: [string, (ctx: dash.DashboardContext, q: dash.DashboardQuery) => Promise<unknown>][] = [
  ['overview', dash.overview],
  ['coverage', dash.coverage],
  ['wait', dash.wait],
  ['ratings', dash.ratings],
  ['volume', dash.volume],
  ['operators', dash.operators],
];

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

export async function runDashboardBench(opts: DashboardBenchOptions = {}): Promise<DashboardBenchResult> {
  const log = opts.log ?? console.log;
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'beseda-dash-bench-')));
  const file = join(dataDir, 'beseda.db');
  const budgetMs = opts.budgetMs ?? 300;
  const iterations = opts.iterations ?? 15;
  let generatedMs: number | null = null;
  if (!existsSync(file)) {
    const n = opts.conversations ?? 1_000_000;
    log(`generating ${n} conversations into ${dataDir} (once)…`);
    const g = await generateData({
      dataDir,
      conversations: n,
      days: opts.days ?? 365,
      seed: opts.seed ?? 1,
      end: opts.end ?? '2026-06-30',
      // Dashboards read events and facts only; skipping messages (and their full-text index) saves minutes.
      messages: false,
      log,
    });
    generatedMs = g.ms;
    log(`generated in ${(g.ms / 1000).toFixed(1)} s`);
  }

  const db = openDatabase(file);
  let closeSource = async () => {};
  try {
    const sqliteSource = new SqliteMetrics(db);
    await sqliteSource.sync();
    const row = db.prepare('SELECT * FROM sites ORDER BY created_at LIMIT 1').get() as Record<
      string,
      unknown
    >;
    const site = {
      id: String(row.id),
      name: String(row.name),
      timezone: String(row.timezone),
      slaSeconds: Number(row.sla_seconds),
      businessHours: row.business_hours ? JSON.parse(String(row.business_hours)) : null,
    } as Site;
    const operators = db.prepare('SELECT id, name FROM operators').all() as { id: string; name: string }[];
    const conversations = db
      .prepare('SELECT count(*) FROM chat_facts WHERE site_id = ?')
      .pluck()
      .get(site.id) as number;
    const bounds = db
      .prepare(
        'SELECT min(block) AS first, max(block) AS last FROM chat_rollup WHERE site_id = ? AND level = 0',
      )
      .get(site.id) as { first: number; last: number };
    const busiest = db
      .prepare(
        "SELECT operator_id FROM chat_rollup WHERE site_id = ? AND level = 3 AND operator_id != '' GROUP BY operator_id ORDER BY sum(assigned) DESC LIMIT 1",
      )
      .pluck()
      .get(site.id) as string | undefined;
    const last = bounds.last;
    const cal = calendarFor(site.timezone);
    const now = cal.dayStart(last + 1) + 12 * 3_600_000;
    const scenarios: [string, dash.DashboardQuery][] = [
      ['7 days', { range: { from: last - 6, to: last }, operatorId: null }],
      ['30 days', { range: { from: last - 29, to: last }, operatorId: null }],
      ['90 days', { range: { from: last - 89, to: last }, operatorId: null }],
      ['365 days', { range: { from: last - 364, to: last }, operatorId: null }],
      // Unaligned, across both DST changes of the year.
      ['unaligned 213 days', { range: { from: last - 300, to: last - 88 }, operatorId: null }],
      ['365 days, one operator', { range: { from: last - 364, to: last }, operatorId: busiest ?? null }],
    ];
    let source: dash.DashboardContext['source'] = sqliteSource;
    if (opts.postgresUrl) {
      const pg = await postgresDashboardSource({
        sqlite: db,
        site,
        url: opts.postgresUrl,
        schema: opts.schema ?? 'bench_dashboard',
        log,
      });
      source = pg.source;
      closeSource = pg.close;
    }
    const ctx: dash.DashboardContext = { source, now, site, operators };
    log(
      `${opts.postgresUrl ? 'PostgreSQL' : 'SQLite'}: dashboards over ${conversations} conversations (${formatDate(bounds.first)} … ${formatDate(last)}), ` +
        `${operators.length} operators, ${iterations} runs each, budget ${budgetMs} ms`,
    );
    const rows: DashboardBenchRow[] = [];
    for (const [scenario, q] of scenarios) {
      for (const [endpoint, fn] of ENDPOINTS) {
        const times: number[] = [];
        const cpu: number[] = [];
        for (let i = 0; i <= iterations; i++) {
          const c = process.cpuUsage();
          const t = performance.now();
          JSON.stringify(await fn(ctx, q));
          times.push(performance.now() - t);
          const used = process.cpuUsage(c);
          cpu.push((used.user + used.system) / 1000);
        }
        const first = times.shift()!;
        cpu.shift();
        times.sort((a, b) => a - b);
        cpu.sort((a, b) => a - b);
        const r: DashboardBenchRow = {
          endpoint,
          scenario,
          firstMs: first,
          p50Ms: quantile(times, 0.5),
          p95Ms: quantile(times, 0.95),
          maxMs: times[times.length - 1]!,
          cpuP50Ms: quantile(cpu, 0.5),
          cpuP95Ms: quantile(cpu, 0.95),
        };
        rows.push(r);
        const f = (x: number) => x.toFixed(1).padStart(6);
        log(
          `  ${endpoint.padEnd(10)} ${scenario.padEnd(23)} first ${f(r.firstMs)}  p50 ${f(r.p50Ms)}  p95 ${f(r.p95Ms)} ms` +
            `   cpu p50 ${f(r.cpuP50Ms)}  p95 ${f(r.cpuP95Ms)} ms${r.p95Ms > budgetMs ? '  OVER BUDGET' : ''}`,
        );
      }
    }
    const worstP95Ms = Math.max(...rows.map((r) => r.p95Ms));
    const worstCpuP95Ms = Math.max(...rows.map((r) => r.cpuP95Ms));
    const load = loadavg()[0]!;
    const busy = load > cpus().length;
    log(
      `worst p95 ${worstP95Ms.toFixed(1)} ms wall, ${worstCpuP95Ms.toFixed(1)} ms cpu (budget ${budgetMs} ms): ` +
        `${worstP95Ms <= budgetMs ? 'PASS' : 'FAIL'}` +
        (busy
          ? ` (load average ${load.toFixed(1)} on ${cpus().length} cores: wall times include waiting for a CPU)`
          : ''),
    );
    return {
      file,
      conversations,
      generatedMs,
      rows,
      worstP95Ms,
      worstCpuP95Ms,
      budgetMs,
      pass: worstP95Ms <= budgetMs,
    };
  } finally {
    await closeSource();
    db.close();
  }
}

function parseArgs(argv: readonly string[]): DashboardBenchOptions {
  const out: DashboardBenchOptions = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, v] = [argv[i], argv[i + 1]];
    const n = Number(v);
    switch (flag) {
      case '--data-dir':
        out.dataDir = v;
        break;
      case '--conversations':
        out.conversations = n;
        break;
      case '--days':
        out.days = n;
        break;
      case '--seed':
        out.seed = n;
        break;
      case '--end':
        out.end = v;
        break;
      case '--iterations':
        out.iterations = n;
        break;
      case '--budget-ms':
        out.budgetMs = n;
        break;
      case '--postgres':
        out.postgresUrl = v;
        break;
      case '--schema':
        out.schema = v;
        break;
      default:
        throw new Error(`unknown flag ${flag}`);
    }
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await runDashboardBench(parseArgs(process.argv.slice(2)));
  process.exitCode = r.pass ? 0 : 1;
}
