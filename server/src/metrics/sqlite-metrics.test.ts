import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateData } from '../../../scripts/generate-data.js';
import { DEFAULT_SITE } from '../http/site-defaults.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { ChatEventRecord, EventType, Site, Store } from '../store/types.js';
import * as dash from './dashboard.js';
import { rowToFact } from './fact-rows.js';
import { type ChatFact, newFact, relocate } from './facts.js';
import {
  factsFromEvents,
  intervalsFromStatusEvents,
  MemoryMetricsSource,
  type MetricsSource,
  teamIntervalsFromStatusEvents,
} from './source.js';
import {
  metricsForStore,
  openBulkDatabase,
  openDatabase,
  SqliteMetrics,
  sqliteDatabaseOf,
} from './sqlite-metrics.js';
import {
  chatFacts,
  chatRollup,
  metricHist,
  metricValues,
  operatorIntervals,
  teamIntervals,
  volumeRollup,
} from './sqlite-schema.js';
import { TeamMetricsSource } from './team-source.js';
import { FIXTURE_NOW, FIXTURE_TZ, fixtureRecords, local, seedFixture } from './test-fixture.js';
import { calendarFor, parseDate } from './tz.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beseda-metrics-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Endpoint = (ctx: dash.DashboardContext, q: dash.DashboardQuery) => Promise<unknown>;
const ENDPOINTS: [string, Endpoint][] = [
  ['overview', dash.overview],
  ['coverage', dash.coverage],
  ['wait', dash.wait],
  ['ratings', dash.ratings],
  ['volume', dash.volume],
  ['operators', dash.operators],
];

async function csv(ctx: dash.DashboardContext, q: dash.DashboardQuery): Promise<string> {
  let out = '';
  for await (const c of dash.chatsCsv(ctx, q)) out += c;
  return out;
}

async function expectSameAnswers(
  sqlite: MetricsSource,
  memory: MetricsSource,
  base: Omit<dash.DashboardContext, 'source'>,
  q: dash.DashboardQuery,
) {
  for (const [name, fn] of ENDPOINTS) {
    const a = await fn({ ...base, source: sqlite }, q);
    const b = await fn({ ...base, source: memory }, q);
    expect(a, name).toEqual(b);
  }
  expect(await csv({ ...base, source: sqlite }, q)).toBe(await csv({ ...base, source: memory }, q));
}

function dumpDerived(db: BetterSqlite3.Database) {
  return {
    facts: db.prepare('SELECT * FROM chat_facts ORDER BY conversation_id').all(),
    values: db
      .prepare('SELECT * FROM metric_values ORDER BY conversation_id, metric, value, operator_id')
      .all(),
    rollup: db.prepare('SELECT * FROM chat_rollup ORDER BY 1, 2, 3, 4').all(),
    hist: db.prepare('SELECT * FROM metric_hist WHERE n != 0 ORDER BY 1, 2, 3, 4, 5, 6').all(),
    volume: db.prepare('SELECT * FROM volume_rollup WHERE n != 0 ORDER BY 1, 2, 3, 4, 5, 6').all(),
    intervals: db
      .prepare('SELECT operator_id, site_id, from_ms, to_ms FROM operator_intervals ORDER BY 1, 2, 3')
      .all(),
    teamIntervals: db
      .prepare('SELECT operator_id, team_id, from_ms, to_ms FROM team_intervals ORDER BY 1, 2, 3')
      .all(),
  };
}

async function fixtureStore(name: string): Promise<{ store: Store; site: Site; ann: string; bob: string }> {
  const store = await openSqliteStore({ file: join(dir, name, 'beseda.db') });
  const site = await store.createSite({
    ...DEFAULT_SITE,
    key: name,
    name: 'Demo',
    timezone: FIXTURE_TZ,
    businessHours: null,
    slaSeconds: 30,
    // Before the fixture's first day: coverage is measured from the site's creation.
    createdAt: local('2026-02-01 00:00:00'),
    identitySecret: 'x',
  });
  const mk = (n: string) =>
    store.createOperator({
      email: `${n}@x.io`,
      name: n,
      role: 'operator',
      passwordHash: 'x',
      capacity: 3,
      siteIds: [site.id],
    });
  const ann = await mk('Ann');
  const bob = await mk('Bob');
  return { store, site, ann: ann.id, bob: bob.id };
}

describe('SqliteMetrics on the hand-computed fixture, fed through the Store API', () => {
  it('answers exactly like the in-memory reference (whose numbers dashboard.test.ts checks by hand)', async () => {
    const { store, site, ann, bob } = await fixtureStore('fixture');
    try {
      await seedFixture(store, { siteId: site.id, ann, bob });
      const metrics = metricsForStore(store)!;
      expect(metrics).toBeInstanceOf(SqliteMetrics);
      expect(metricsForStore(store)).toBe(metrics);
      const rec = fixtureRecords({ siteId: site.id, ann, bob });
      const memory = new MemoryMetricsSource(
        factsFromEvents({ ...rec, timezoneOf: () => FIXTURE_TZ }),
        intervalsFromStatusEvents(rec.events),
      );
      const base = {
        now: local(FIXTURE_NOW),
        site,
        operators: [
          { id: ann, name: 'Ann' },
          { id: bob, name: 'Bob' },
        ],
      };
      const range = { from: parseDate('2026-03-10')!, to: parseDate('2026-03-11')! };
      for (const operatorId of [null, ann, bob])
        await expectSameAnswers(metrics, memory, base, { range, operatorId });
      const o = await dash.overview({ ...base, source: metrics }, { range, operatorId: null });
      expect(o.current.wait).toMatchObject({ medianMs: 20_000, p90Ms: 36_000, maxMs: 40_000, withinSla: 2 });
      expect(o.current.responseTime).toMatchObject({ medianMs: 60_000, p90Ms: 96_000 });
    } finally {
      await store.close();
    }
  });

  it('folds incrementally: events appended after a sync change exactly the affected rows; rebuild agrees', async () => {
    const { store, site, ann, bob } = await fixtureStore('incremental');
    try {
      const metrics = metricsForStore(store)!;
      await seedFixture(store, { siteId: site.id, ann, bob });
      await metrics.sync();
      // A late rating and a late transfer of c4, after its facts were folded.
      await store.appendEvent({
        siteId: site.id,
        conversationId: 'fx-c4',
        operatorId: ann,
        type: 'rated',
        at: local('2026-03-11 09:06:00'),
        data: { rating: 'good', comment: 'late' },
      });
      metrics.scheduleSync();
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      const db = sqliteDatabaseOf(store)!;
      const c4 = rowToFact(
        db.prepare("SELECT * FROM chat_facts WHERE conversation_id = 'fx-c4'").get() as never,
      );
      expect(c4).toMatchObject({ rating: 'good', ratingComment: 'late' });
      const before = dumpDerived(db);
      metrics.rebuild();
      expect(dumpDerived(db)).toEqual(before);
      expect(metrics.cursor()).toBe(db.prepare('SELECT max(id) FROM events').pluck().get());
    } finally {
      await store.close();
    }
  });
});

describe('SqliteMetrics by team (issue #12.8)', () => {
  it('folds team events incrementally like the reference, and a rebuild agrees', async () => {
    const { store, site, ann, bob } = await fixtureStore('teams');
    const teams = { sales: 'team-sales', support: 'team-support' };
    try {
      const metrics = metricsForStore(store)!;
      await seedFixture(store, { siteId: site.id, ann, bob, teams });
      await metrics.sync();
      // Later: fx-c4 (no team) is moved to Support, and Bob, online again, joins Sales too.
      const late: ChatEventRecord[] = [
        {
          siteId: site.id,
          conversationId: 'fx-c4',
          operatorId: ann,
          type: 'team_changed' as EventType,
          at: local('2026-03-11 09:04:00'),
          data: { from: null, to: teams.support, by: ann },
        },
        {
          siteId: null,
          conversationId: null,
          operatorId: bob,
          type: 'operator_status',
          at: local('2026-03-11 10:00:00'),
          data: { status: 'online', reason: 'chosen', siteIds: [site.id], teamIds: [teams.support] },
        },
        {
          siteId: null,
          conversationId: null,
          operatorId: bob,
          type: 'operator_status',
          at: local('2026-03-11 10:30:00'),
          data: {
            status: 'online',
            reason: 'teams',
            siteIds: [site.id],
            teamIds: [teams.support, teams.sales],
          },
        },
        {
          siteId: null,
          conversationId: null,
          operatorId: bob,
          type: 'operator_status',
          at: local('2026-03-11 11:00:00'),
          data: { status: 'offline', reason: 'chosen', siteIds: [site.id], teamIds: [] },
        },
      ];
      for (const e of late) await store.appendEvent(e);
      await metrics.sync();
      const rec = fixtureRecords({ siteId: site.id, ann, bob, teams });
      const events = [...rec.events, ...late];
      const memory = new MemoryMetricsSource(
        factsFromEvents({ ...rec, events, timezoneOf: () => FIXTURE_TZ }),
        intervalsFromStatusEvents(events),
        teamIntervalsFromStatusEvents(events),
      );
      const base = {
        now: local(FIXTURE_NOW),
        site,
        operators: [
          { id: ann, name: 'Ann' },
          { id: bob, name: 'Bob' },
        ],
      };
      const range = { from: parseDate('2026-03-10')!, to: parseDate('2026-03-11')! };
      for (const teamId of [teams.sales, teams.support])
        for (const operatorId of [null, ann, bob])
          await expectSameAnswers(
            new TeamMetricsSource(metrics, teamId),
            new TeamMetricsSource(memory, teamId),
            base,
            { range, operatorId },
          );
      const support = await dash.overview(
        { ...base, source: new TeamMetricsSource(metrics, teams.support) },
        { range, operatorId: null },
      );
      // fx-c3 and now fx-c4; Support coverage gains Bob 10:00–11:00 on the 11th (Ann is there 08–12).
      expect(support.current).toMatchObject({ conversations: 2, coverage: { coveredMinutes: 840 } });
      const sales = await dash.overview(
        { ...base, source: new TeamMetricsSource(metrics, teams.sales) },
        { range, operatorId: bob },
      );
      expect(sales.current.coverage.coveredMinutes).toBe(30); // Bob in Sales 10:30–11:00
      const db = sqliteDatabaseOf(store)!;
      const before = dumpDerived(db);
      metrics.rebuild();
      expect(dumpDerived(db)).toEqual(before);
    } finally {
      await store.close();
    }
  });
});

describe('SqliteMetrics on generated history', () => {
  let file: string;
  let siteId: string;
  beforeAll(async () => {
    // 50 days around the 2026-03-29 DST change.
    const r = await generateData({
      dataDir: join(dir, 'generated'),
      conversations: 4000,
      days: 50,
      seed: 7,
      end: '2026-04-15',
      operators: 5,
    });
    file = r.file;
    siteId = r.siteId;
  }, 120_000);

  function load(db: BetterSqlite3.Database) {
    const site = db.prepare('SELECT * FROM sites WHERE id = ?').get(siteId) as Record<string, unknown>;
    const facts = (db.prepare('SELECT * FROM chat_facts').all() as never[]).map(rowToFact);
    const intervals = (
      db.prepare('SELECT operator_id, site_id, from_ms, to_ms FROM operator_intervals').all() as {
        operator_id: string;
        site_id: string;
        from_ms: number;
        to_ms: number | null;
      }[]
    ).map((r) => ({ operatorId: r.operator_id, siteId: r.site_id, from: r.from_ms, to: r.to_ms }));
    const operators = db.prepare('SELECT id, name FROM operators').all() as { id: string; name: string }[];
    return {
      facts,
      intervals,
      operators,
      site: {
        id: siteId,
        name: String(site.name),
        timezone: String(site.timezone),
        slaSeconds: Number(site.sla_seconds),
        businessHours: site.business_hours ? JSON.parse(String(site.business_hours)) : null,
      } as Site,
    };
  }

  it('the rollups, histograms and value drills answer any range exactly like full scans', async () => {
    const db = openDatabase(file);
    try {
      const metrics = new SqliteMetrics(db);
      const { facts, intervals, operators, site } = load(db);
      expect(facts.length).toBe(4000);
      const memory = new MemoryMetricsSource(facts, intervals);
      const first = parseDate('2026-02-25')!;
      const now = Date.parse('2026-04-20T00:00:00Z');
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: -10, max: 55 }),
          fc.integer({ min: 0, max: 60 }),
          fc.option(fc.constantFrom(...operators.map((o) => o.id)), { nil: null }),
          async (start, len, operatorId) => {
            const range = { from: first + start, to: first + start + len };
            await expectSameAnswers(metrics, memory, { now, site, operators }, { range, operatorId });
          },
        ),
        { numRuns: 12 },
      );
    } finally {
      db.close();
    }
  }, 120_000);

  it('a rebuild from the stored events reproduces what the generator wrote, row for row', () => {
    const db = openDatabase(file);
    try {
      const before = dumpDerived(db);
      new SqliteMetrics(db).rebuild();
      expect(dumpDerived(db)).toEqual(before);
    } finally {
      db.close();
    }
  }, 120_000);

  it('by team: the team rows of the rollups and the team drills answer like full scans of the team’s chats', async () => {
    const db = openDatabase(file);
    try {
      const metrics = new SqliteMetrics(db);
      // Two chats in three are moved to a team afterwards (as if transferred): t1, t2, none, t1, t2, none…
      const convs = db.prepare('SELECT id, site_id, created_at FROM conversations ORDER BY id').all() as {
        id: string;
        site_id: string;
        created_at: number;
      }[];
      const insert = db.prepare(
        "INSERT INTO events (site_id, conversation_id, operator_id, type, at, data) VALUES (?, ?, NULL, 'team_changed', ?, ?)",
      );
      db.transaction(() => {
        convs.forEach((c, i) => {
          if (i % 3 === 2) return;
          insert.run(
            c.site_id,
            c.id,
            c.created_at,
            JSON.stringify({ from: null, to: `t${(i % 3) + 1}`, by: null }),
          );
        });
      })();
      await metrics.sync();
      const { facts, intervals, operators, site } = load(db);
      expect(facts.filter((f) => f.teamId === 't1').length).toBe(Math.ceil(convs.length / 3));
      const memory = new MemoryMetricsSource(facts, intervals);
      const first = parseDate('2026-02-25')!;
      const now = Date.parse('2026-04-20T00:00:00Z');
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: -10, max: 55 }),
          fc.integer({ min: 0, max: 60 }),
          fc.option(fc.constantFrom(...operators.map((o) => o.id)), { nil: null }),
          fc.constantFrom('t1', 't2'),
          async (start, len, operatorId, team) => {
            const range = { from: first + start, to: first + start + len };
            await expectSameAnswers(
              new TeamMetricsSource(metrics, team),
              new TeamMetricsSource(memory, team),
              { now, site, operators },
              { range, operatorId },
            );
          },
        ),
        { numRuns: 12 },
      );
      // The site's own figures still count every chat once.
      await expectSameAnswers(
        metrics,
        memory,
        { now, site, operators },
        {
          range: { from: first, to: first + 50 },
          operatorId: null,
        },
      );
      const before = dumpDerived(db);
      metrics.rebuild();
      expect(dumpDerived(db)).toEqual(before);
    } finally {
      db.close();
    }
  }, 180_000);

  it('a timezone change places every chat on its new local day', async () => {
    const db = openDatabase(file);
    try {
      const metrics = new SqliteMetrics(db);
      const old = load(db).facts;
      db.prepare("UPDATE sites SET timezone = 'America/New_York' WHERE id = ?").run(siteId);
      await metrics.sync();
      const { facts, intervals, operators, site } = load(db);
      const cal = calendarFor('America/New_York');
      const byId = new Map(facts.map((f) => [f.conversationId, f]));
      for (const f of old) expect(byId.get(f.conversationId)).toEqual(relocate(f, cal));
      const range = { from: parseDate('2026-03-20')!, to: parseDate('2026-04-05')! };
      await expectSameAnswers(
        metrics,
        new MemoryMetricsSource(facts, intervals),
        { now: Date.parse('2026-04-20T00:00:00Z'), site, operators },
        { range, operatorId: null },
      );
      // The team rows are placed again too (the chats moved to teams by the test above).
      await expectSameAnswers(
        new TeamMetricsSource(metrics, 't1'),
        new TeamMetricsSource(new MemoryMetricsSource(facts, intervals), 't1'),
        { now: Date.parse('2026-04-20T00:00:00Z'), site, operators },
        { range, operatorId: null },
      );
    } finally {
      db.close();
    }
  }, 120_000);
});

describe('exact percentiles at bucket edges', () => {
  it('property: drills through the histogram equal the array percentiles', async () => {
    const store = await openSqliteStore({ file: join(dir, 'edges', 'beseda.db') });
    await store.createSite({
      ...DEFAULT_SITE,
      id: 'edge',
      key: 'edge',
      name: 'e',
      timezone: 'UTC',
      identitySecret: 'x',
    });
    await store.close();
    const db = openBulkDatabase(join(dir, 'edges', 'beseda.db'));
    const metrics = new SqliteMetrics(db);
    const cal = calendarFor('UTC');
    // Values on and around bucket boundaries (powers of two and their neighbours), with duplicates.
    const edgy = fc.oneof(
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 5, max: 20 }).chain((e) => fc.integer({ min: -1, max: 1 }).map((d) => 2 ** e + d)),
      fc.integer({ min: 0, max: 600_000 }),
    );
    let n = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(edgy, { minLength: 1, maxLength: 40 }),
          fc.integer({ min: 0, max: 100 }),
          async (values, p) => {
            db.exec(
              'DELETE FROM chat_facts; DELETE FROM metric_values; DELETE FROM chat_rollup; DELETE FROM metric_hist; DELETE FROM volume_rollup',
            );
            const ingest = metrics.beginIngest();
            db.transaction(() => {
              values.forEach((v, i) => {
                const f: ChatFact = {
                  ...newFact(
                    { id: `e${n++}`, siteId: 'edge', createdAt: Date.UTC(2026, 0, 1 + (i % 3)) },
                    cal,
                  ),
                  assignedAt: 1,
                  firstOperatorId: 'op',
                  operatorId: 'op',
                  waitMs: v,
                };
                ingest.add(f);
              });
              ingest.finish();
            })();
            const range = { from: parseDate('2026-01-01')!, to: parseDate('2026-01-03')! };
            const d = await metrics.distribution('edge', 'wait', range, null);
            const { percentile, percentileOf } = await import('./stats.js');
            expect(await percentileOf(d.count, p, d.valuesAt)).toBe(percentile(values, p));
            expect(await d.max()).toBe(Math.max(...values));
            for (const sla of [30_000, values[0]!, values[0]! - 1]) {
              expect(await d.countAtMost(sla)).toBe(values.filter((v) => v <= sla).length);
            }
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      db.close();
    }
  }, 60_000);
});

describe('schema', () => {
  it('the drizzle definitions match the tables the DDL creates', async () => {
    const db = openDatabase(join(dir, 'fixture', 'beseda.db'));
    try {
      for (const t of [
        chatFacts,
        metricValues,
        chatRollup,
        metricHist,
        volumeRollup,
        operatorIntervals,
        teamIntervals,
      ]) {
        const cfg = getTableConfig(t);
        const cols = (
          db.prepare(`PRAGMA table_info(${cfg.name})`).all() as { name: string; notnull: number }[]
        ).map((c) => [c.name, c.notnull === 1]);
        expect(cols, cfg.name).toEqual(cfg.columns.map((c) => [c.name, c.notNull || c.primary]));
        for (const idx of cfg.indexes) {
          const name = idx.config.name;
          expect(
            db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").get(name),
            name,
          ).toBeTruthy();
        }
      }
    } finally {
      db.close();
    }
  });
});
