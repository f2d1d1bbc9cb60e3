import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Rating } from '@beseda/shared';
import BetterSqlite3 from 'better-sqlite3';
import { sqliteClientOf } from '../store/sqlite/sqlite-store.js';
import type { ChatEventRecord, EventType, Store } from '../store/types.js';
import { bucketOf, decomposeDays } from './buckets.js';
import type { OperatorInterval } from './coverage.js';
import { FACT_COLUMNS, type FactRow, factToRow, rowToFact } from './fact-rows.js';
import {
  type ChatFact,
  type ChatTotals,
  type Contribution,
  contributionOf,
  emptyTotals,
  type MetricName,
  relocate,
  TOTAL_KEYS,
} from './facts.js';
import { conversationsOf, foldFacts, type MessageTiming, statusChange, teamStatusChange } from './fold.js';
import { ALL_TEAMS, RollupAccumulator, TEAM } from './rollup-accumulator.js';
import type { Distribution, MetricsSource, RatingComment } from './source.js';
import { emptyVolume } from './source.js';
import { COUNTER_COLUMNS, METRICS_DDL, METRICS_SCHEMA_VERSION, METRICS_TABLES } from './sqlite-schema.js';
import type { DayRange } from './stats.js';
import type { TeamFactsReader } from './team-source.js';
import { calendarFor } from './tz.js';

type Db = BetterSqlite3.Database;

const EVENT_BATCH = 20_000;
/** Events folded per event-loop turn by the relay hook. */
const HOOK_BATCH = 2_000;
const FLUSH_EVERY = 50_000;
const INGEST_FLUSH_ENTRIES = 400_000;

export interface FactIngest {
  add(f: ChatFact): void;
  interval(i: { operatorId: string; siteId: string; from: number; to: number | null }): void;
  /** Writes the summed rollup deltas so far (call inside a transaction). */
  flush(): void;
  finish(cursor?: number): void;
}

interface EventRow {
  id: number;
  site_id: string | null;
  conversation_id: string | null;
  operator_id: string | null;
  type: string;
  at: number;
  data: string | null;
}

/**
 * A connection for bulk loading (data generator, benchmarks) to a store file that already exists or is
 * created by openSqliteStore: WAL, no fsync per commit, no foreign-key checks, a large page cache.
 */
export function openBulkDatabase(file: string): Db {
  mkdirSync(dirname(file), { recursive: true });
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -262144');
  db.pragma('temp_store = MEMORY');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** A read/write connection to an existing store file with the store's own settings. */
export function openDatabase(file: string): Db {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

function hasColumn(db: Db, table: string, column: string): boolean {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).some(
    (c) => c.name === column,
  );
}

function parseTags(json: string | null | undefined): string[] | null {
  if (typeof json !== 'string') return null;
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : null;
  } catch {
    return null;
  }
}

/** The better-sqlite3 handle behind a SQLite store. */
export function sqliteDatabaseOf(store: Store): Db | null {
  return sqliteClientOf(store);
}

const instances = new WeakMap<object, SqliteMetrics>();

/** The metrics layer of a store (one per store), or null when the store is not SQLite. */
export function metricsForStore(store: Store): SqliteMetrics | null {
  const cached = instances.get(store);
  if (cached) return cached;
  const db = sqliteDatabaseOf(store);
  if (!db) return null;
  const m = new SqliteMetrics(db);
  instances.set(store, m);
  return m;
}

/**
 * Dashboard facts and rollups in the store's SQLite database (tables: sqlite-schema.ts), maintained
 * incrementally from the `events` table: `sync()` folds every event after a persisted cursor, so it is
 * idempotent, survives crashes (a fold commits together with its cursor) and can always `rebuild()`.
 */
export class SqliteMetrics implements MetricsSource, TeamFactsReader {
  private readonly st;
  private readonly drills = new Map<string, BetterSqlite3.Statement>();
  private scheduled = false;
  private readonly sitesTz = new Map<string, string>();

  constructor(private readonly db: Db) {
    this.ensureSchema();
    const p = (s: string) => db.prepare(s);
    const counterCols = COUNTER_COLUMNS.map((c) => `\`${c}\``).join(', ');
    this.st = {
      getMeta: p('SELECT value FROM metrics_meta WHERE key = ?').pluck(),
      setMeta: p(
        'INSERT INTO metrics_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
      sites: p('SELECT id, timezone FROM sites'),
      placedSites: p('SELECT site_id, timezone FROM metrics_sites'),
      placeSite: p(
        'INSERT INTO metrics_sites (site_id, timezone) VALUES (?, ?) ON CONFLICT(site_id) DO UPDATE SET timezone = excluded.timezone',
      ),
      eventsAfter: p(
        'SELECT id, site_id, conversation_id, operator_id, type, at, data FROM events WHERE id > ? ORDER BY id LIMIT ?',
      ),
      maxEventId: p('SELECT coalesce(max(id), 0) FROM events').pluck(),
      conversation: p(
        'SELECT id, site_id AS siteId, created_at AS createdAt FROM conversations WHERE id = ?',
      ),
      fact: p('SELECT * FROM chat_facts WHERE conversation_id = ?'),
      saveFact: p(
        `INSERT OR REPLACE INTO chat_facts (${FACT_COLUMNS.join(', ')}) VALUES (${FACT_COLUMNS.map(() => '?').join(', ')})`,
      ),
      deleteValues: p('DELETE FROM metric_values WHERE conversation_id = ?'),
      insertValue: p(
        'INSERT INTO metric_values (conversation_id, site_id, team_id, metric, operator_id, bucket, day, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      messages: p(
        'SELECT author, operator_id AS operatorId, at FROM messages WHERE conversation_id = ? ORDER BY seq',
      ),
      openIntervals: p(
        'SELECT id, site_id, from_ms FROM operator_intervals WHERE operator_id = ? AND to_ms IS NULL',
      ),
      openInterval: p(
        'INSERT INTO operator_intervals (operator_id, site_id, from_ms, to_ms) SELECT ?, id, ?, NULL FROM sites WHERE id = ?',
      ),
      closeInterval: p('UPDATE operator_intervals SET to_ms = max(from_ms, ?) WHERE id = ?'),
      openTeamIntervals: p('SELECT id, team_id FROM team_intervals WHERE operator_id = ? AND to_ms IS NULL'),
      openTeamInterval: p(
        'INSERT INTO team_intervals (operator_id, team_id, from_ms, to_ms) VALUES (?, ?, ?, NULL)',
      ),
      closeTeamInterval: p('UPDATE team_intervals SET to_ms = max(from_ms, ?) WHERE id = ?'),
      teamIntervals: p(
        `SELECT operator_id, from_ms, to_ms FROM team_intervals WHERE team_id = ? AND to_ms > ? AND from_ms < ?
         UNION ALL SELECT operator_id, from_ms, to_ms FROM team_intervals WHERE team_id = ? AND to_ms IS NULL AND from_ms < ?`,
      ).raw(),
      upsertRollup: p(
        `INSERT INTO chat_rollup (site_id, team_id, level, block, operator_id, ${counterCols}) VALUES (?, ?, ?, ?, ?, ${COUNTER_COLUMNS.map(() => '?').join(', ')})
         ON CONFLICT (site_id, team_id, level, block, operator_id) DO UPDATE SET ${COUNTER_COLUMNS.map((c) => `\`${c}\` = \`${c}\` + excluded.\`${c}\``).join(', ')}`,
      ),
      upsertHist: p(
        `INSERT INTO metric_hist (site_id, team_id, metric, operator_id, level, block, bucket, n) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (site_id, team_id, metric, operator_id, level, block, bucket) DO UPDATE SET n = n + excluded.n`,
      ),
      dropEmptyHist: p(
        'DELETE FROM metric_hist WHERE site_id = ? AND team_id = ? AND metric = ? AND operator_id = ? AND level = ? AND block = ? AND bucket = ? AND n = 0',
      ),
      upsertVolume: p(
        `INSERT INTO volume_rollup (site_id, team_id, operator_id, level, block, weekday, hour, n) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (site_id, team_id, operator_id, level, block, weekday, hour) DO UPDATE SET n = n + excluded.n`,
      ),
      dropEmptyVolume: p(
        'DELETE FROM volume_rollup WHERE site_id = ? AND team_id = ? AND operator_id = ? AND level = ? AND block = ? AND weekday = ? AND hour = ? AND n = 0',
      ),
      siteFacts: p(
        'SELECT * FROM chat_facts WHERE site_id = ? AND conversation_id > ? ORDER BY conversation_id LIMIT ?',
      ),
      updatePlacement: p('UPDATE chat_facts SET day = ?, hour = ?, weekday = ? WHERE conversation_id = ?'),
      updateValueDays: p('UPDATE metric_values SET day = ? WHERE conversation_id = ?'),
      dailyRange: p(
        `SELECT block, ${COUNTER_COLUMNS.map((c) => `sum(\`${c}\`) AS \`${c}\``).join(', ')} FROM chat_rollup
         WHERE site_id = ? AND team_id = ? AND level = 0 AND block BETWEEN ? AND ? GROUP BY block`,
      ),
      dailyRangeOf: p(
        `SELECT block, ${counterCols} FROM chat_rollup
         WHERE site_id = ? AND team_id = ? AND level = 0 AND block BETWEEN ? AND ? AND operator_id = ?`,
      ),
      intervalsClosed: p(
        'SELECT operator_id, from_ms, to_ms FROM operator_intervals WHERE site_id = ? AND to_ms > ? AND from_ms < ?',
      ).raw(),
      intervalsOpen: p(
        'SELECT operator_id, from_ms, to_ms FROM operator_intervals WHERE site_id = ? AND to_ms IS NULL AND from_ms < ?',
      ).raw(),
      comments: p(
        `SELECT conversation_id, created_at, rated_at, rating, rating_comment, operator_id FROM chat_facts
         WHERE site_id = ? AND rating_comment IS NOT NULL AND created_at >= ? AND created_at < ? AND rating IS NOT NULL
         ORDER BY created_at DESC, conversation_id DESC LIMIT ?`,
      ),
      commentsOf: p(
        `SELECT conversation_id, created_at, rated_at, rating, rating_comment, operator_id FROM chat_facts
         WHERE site_id = ? AND rating_comment IS NOT NULL AND created_at >= ? AND created_at < ? AND rating IS NOT NULL
           AND coalesce(operator_id, '') = ?
         ORDER BY created_at DESC, conversation_id DESC LIMIT ?`,
      ),
      // Tags change without an event (relay.operatorTags), so the export reads the conversation's own.
      chatsPage: p(
        hasColumn(db, 'conversations', 'tags')
          ? `SELECT f.*, c.tags AS conversation_tags FROM chat_facts f LEFT JOIN conversations c ON c.id = f.conversation_id
             WHERE f.site_id = ? AND f.created_at >= ? AND f.created_at < ? AND (f.created_at, f.conversation_id) > (?, ?)
             ORDER BY f.created_at, f.conversation_id LIMIT ?`
          : `SELECT * FROM chat_facts WHERE site_id = ? AND created_at >= ? AND created_at < ? AND (created_at, conversation_id) > (?, ?)
             ORDER BY created_at, conversation_id LIMIT ?`,
      ),
      teamChatsPage: p(
        `SELECT f.*, c.tags AS conversation_tags FROM chat_facts f LEFT JOIN conversations c ON c.id = f.conversation_id
         WHERE f.site_id = ? AND f.team_id = ? AND f.created_at >= ? AND f.created_at < ? AND (f.created_at, f.conversation_id) > (?, ?)
         ORDER BY f.created_at, f.conversation_id LIMIT ?`,
      ),
    };
  }

  // ---------- schema ----------

  private ensureSchema(): void {
    const db = this.db;
    db.transaction(() => {
      const hasMeta = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'metrics_meta'")
        .get();
      const version = hasMeta
        ? db.prepare("SELECT value FROM metrics_meta WHERE key = 'schema_version'").pluck().get()
        : undefined;
      if (version !== undefined && version !== String(METRICS_SCHEMA_VERSION)) {
        for (const t of METRICS_TABLES) db.exec(`DROP TABLE IF EXISTS \`${t}\``);
      }
      db.exec(METRICS_DDL);
      db.prepare(
        "INSERT INTO metrics_meta (key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      ).run(String(METRICS_SCHEMA_VERSION));
      db.prepare("INSERT OR IGNORE INTO metrics_meta (key, value) VALUES ('cursor', '0')").run();
    }).immediate();
  }

  /** Id of the last event folded into the facts. */
  cursor(): number {
    return Number(this.st.getMeta.get('cursor') ?? 0);
  }

  // ---------- maintenance ----------

  /** Coalesces sync requests made in one tick into one sync on the next turn of the event loop. */
  scheduleSync(onError?: (err: unknown) => void): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      try {
        // One small batch per turn, so a backlog (first start on an old database) never stalls the relay.
        if (this.db.open && this.syncNow(1, HOOK_BATCH) === HOOK_BATCH) this.scheduleSync(onError);
      } catch (err) {
        onError?.(err);
      }
    });
  }

  async sync(): Promise<void> {
    this.syncNow();
  }

  /**
   * Folds all events recorded after the cursor, in batches; each batch commits with its cursor. The
   * cursor is read inside the write transaction, so two connections syncing cannot fold an event twice.
   */
  syncNow(maxBatches = Number.POSITIVE_INFINITY, batchSize = EVENT_BATCH): number {
    let folded = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      // Nothing new (the common case for a dashboard request): no write transaction at all.
      if (Number(this.st.maxEventId.get()) <= this.cursor() && !this.sitesMoved()) return folded;
      const n = this.db
        .transaction(() => {
          this.placeSites();
          const cursor = this.cursor();
          const rows = this.st.eventsAfter.all(cursor, batchSize) as EventRow[];
          if (rows.length === 0) return 0;
          this.fold(rows);
          this.st.setMeta.run('cursor', String(rows[rows.length - 1]!.id));
          return rows.length;
        })
        .immediate();
      folded += n;
      if (n < batchSize) return folded;
    }
    return folded;
  }

  /** A site is new or its timezone changed since its facts were placed. */
  private sitesMoved(): boolean {
    const placed = new Map(
      (this.st.placedSites.all() as { site_id: string; timezone: string }[]).map((r) => [
        r.site_id,
        r.timezone,
      ]),
    );
    return (this.st.sites.all() as { id: string; timezone: string }[]).some(
      (s) => placed.get(s.id) !== calendarFor(s.timezone).timeZone,
    );
  }

  /** Drops every derived row and folds all events again (also picks up changed definitions). */
  rebuild(): number {
    this.db
      .transaction(() => {
        for (const t of [
          'team_intervals',
          'operator_intervals',
          'volume_rollup',
          'metric_hist',
          'chat_rollup',
          'metric_values',
          'chat_facts',
          'metrics_sites',
        ]) {
          this.db.exec(`DELETE FROM \`${t}\``);
        }
        this.st.setMeta.run('cursor', '0');
      })
      .immediate();
    this.sitesTz.clear();
    return this.syncNow();
  }

  private fold(rows: EventRow[]): void {
    const events = rows.map(
      (row): ChatEventRecord => ({
        id: row.id,
        siteId: row.site_id,
        conversationId: row.conversation_id,
        operatorId: row.operator_id,
        type: row.type as EventType,
        at: row.at,
        data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
      }),
    );
    for (const e of events) if (e.type === 'operator_status') this.applyStatus(e);
    const { all, ended } = conversationsOf(events);
    const facts = new Map<string, ChatFact>();
    const conversations = new Map<string, { id: string; siteId: string; createdAt: number }>();
    for (const id of all) {
      const stored = this.st.fact.get(id) as FactRow | undefined;
      if (stored) facts.set(id, rowToFact(stored));
      else {
        const conv = this.st.conversation.get(id) as
          | { id: string; siteId: string; createdAt: number }
          | undefined;
        if (conv) conversations.set(id, conv);
      }
    }
    const messages = new Map(ended.map((id) => [id, this.st.messages.all(id) as MessageTiming[]]));
    const changes = foldFacts({
      events,
      facts,
      conversations,
      messages,
      timezoneOf: (id) => this.timezoneOf(id),
    });
    const acc = new RollupAccumulator();
    for (const { before, after } of changes) {
      if (before) acc.add(before, -1);
      acc.add(after, 1);
      this.writeFact(after, before !== null);
    }
    this.flush(acc);
  }

  private writeFact(f: ChatFact, replaceValues: boolean, c: Contribution = contributionOf(f)): void {
    const row = factToRow(f);
    this.st.saveFact.run(FACT_COLUMNS.map((k) => row[k]));
    if (replaceValues) this.st.deleteValues.run(f.conversationId);
    for (const v of c.values) {
      this.st.insertValue.run(
        f.conversationId,
        f.siteId,
        f.teamId,
        v.metric,
        v.operatorId,
        bucketOf(v.value),
        f.day,
        v.value,
      );
    }
  }

  private applyStatus(e: ChatEventRecord): void {
    if (!e.operatorId) return;
    const open = this.st.openIntervals.all(e.operatorId) as { id: number; site_id: string }[];
    const change = statusChange(
      e,
      open.map((o) => o.site_id),
    );
    for (const o of open) if (change.close.includes(o.site_id)) this.st.closeInterval.run(e.at, o.id);
    for (const siteId of change.open) this.st.openInterval.run(e.operatorId, e.at, siteId);
    const teams = this.st.openTeamIntervals.all(e.operatorId) as { id: number; team_id: string }[];
    const teamChange = teamStatusChange(
      e,
      teams.map((o) => o.team_id),
    );
    for (const o of teams)
      if (teamChange.close.includes(o.team_id)) this.st.closeTeamInterval.run(e.at, o.id);
    for (const teamId of teamChange.open) this.st.openTeamInterval.run(e.operatorId, teamId, e.at);
  }

  /** Writes accumulated deltas (no-op deltas are skipped; histogram rows that reach 0 are removed). */
  flush(acc: RollupAccumulator): void {
    const rows = acc.rows();
    for (const { key, t } of rows.rollup) {
      if (TOTAL_KEYS.every((k) => t[k] === 0)) continue;
      this.st.upsertRollup.run(...key, ...TOTAL_KEYS.map((k) => t[k]));
    }
    for (const { key, n } of rows.hist) {
      if (n === 0) continue;
      this.st.upsertHist.run(...key, n);
      if (n < 0) this.st.dropEmptyHist.run(...key);
    }
    for (const { key, n } of rows.volume) {
      if (n === 0) continue;
      this.st.upsertVolume.run(...key, n);
      if (n < 0) this.st.dropEmptyVolume.run(...key);
    }
    acc.clear();
  }

  /**
   * Bulk load for the data generator: facts of conversations that have none yet and online intervals,
   * written inside the caller's transactions; rollup deltas are summed in memory and flushed in large
   * batches. `finish(cursor)` flushes and marks events up to `cursor` as folded (the facts reflect them).
   */
  beginIngest(): FactIngest {
    this.placeSites();
    const acc = new RollupAccumulator();
    const insertInterval = this.db.prepare(
      'INSERT INTO operator_intervals (operator_id, site_id, from_ms, to_ms) VALUES (?, ?, ?, ?)',
    );
    return {
      add: (f) => {
        const c = contributionOf(f);
        acc.add(f, 1, c);
        this.writeFact(f, false, c);
        if (acc.size > INGEST_FLUSH_ENTRIES) this.flush(acc);
      },
      interval: (i) => {
        insertInterval.run(i.operatorId, i.siteId, i.from, i.to);
      },
      flush: () => this.flush(acc),
      finish: (cursor) => {
        this.flush(acc);
        if (cursor !== undefined) this.st.setMeta.run('cursor', String(cursor));
      },
    };
  }

  /** Id of the newest recorded event. */
  maxEventId(): number {
    return Number(this.st.maxEventId.get());
  }

  /** The timezone the site's facts are placed in (what its day numbers mean). */
  private timezoneOf(siteId: string): string {
    let tz = this.sitesTz.get(siteId);
    if (tz === undefined) {
      const placed = (this.st.placedSites.all() as { site_id: string; timezone: string }[]).find(
        (r) => r.site_id === siteId,
      );
      const site = (this.st.sites.all() as { id: string; timezone: string }[]).find((r) => r.id === siteId);
      tz = placed?.timezone ?? calendarFor(site?.timezone ?? 'UTC').timeZone;
      this.sitesTz.set(siteId, tz);
    }
    return tz;
  }

  /**
   * Facts are placed on local days with the site's timezone; when it changes, every fact of the site is
   * placed again and the site's rollups rebuilt (runs once, inside the sync transaction).
   */
  private placeSites(): void {
    const placed = new Map(
      (this.st.placedSites.all() as { site_id: string; timezone: string }[]).map((r) => [
        r.site_id,
        r.timezone,
      ]),
    );
    for (const s of this.st.sites.all() as { id: string; timezone: string }[]) {
      const tz = calendarFor(s.timezone).timeZone;
      this.sitesTz.set(s.id, tz);
      const was = placed.get(s.id);
      if (was === tz) continue;
      if (was !== undefined) this.replaceSite(s.id, tz);
      this.st.placeSite.run(s.id, tz);
    }
  }

  private replaceSite(siteId: string, timezone: string): void {
    const cal = calendarFor(timezone);
    for (const t of ['chat_rollup', 'metric_hist', 'volume_rollup'])
      this.db.prepare(`DELETE FROM ${t} WHERE site_id = ?`).run(siteId);
    const acc = new RollupAccumulator();
    let after = '';
    for (;;) {
      const rows = this.st.siteFacts.all(siteId, after, 10_000) as FactRow[];
      if (rows.length === 0) break;
      for (const r of rows) {
        const f = relocate(rowToFact(r), cal);
        this.st.updatePlacement.run(f.day, f.hour, f.weekday, f.conversationId);
        this.st.updateValueDays.run(f.day, f.conversationId);
        acc.add(f, 1);
      }
      after = rows[rows.length - 1]!.conversation_id;
      if (acc.size > FLUSH_EVERY) this.flush(acc);
    }
    this.flush(acc);
  }

  // ---------- MetricsSource ----------

  private rowTotals(r: Record<string, number>): ChatTotals {
    const t = emptyTotals();
    TOTAL_KEYS.forEach((k, i) => {
      t[k] = r[COUNTER_COLUMNS[i]!] ?? 0;
    });
    return t;
  }

  /**
   * A statement over the block ranges of a day range in one round trip: the ranges are a VALUES table
   * joined (as the outer loop) to the rollup's primary key, and SQLite sums. Returns the statement and the
   * leading parameters.
   */
  private overBlocks(range: DayRange, sql: (cte: string) => string): [BetterSqlite3.Statement, number[]] {
    const blocks = decomposeDays(range.from, range.to);
    const cte = `WITH r(level, lo, hi) AS (VALUES ${blocks.map(() => '(?, ?, ?)').join(', ')})`;
    return [this.prepared(sql(cte)), blocks.flatMap((b) => [b.level, b.from, b.to])];
  }

  async totals(
    siteId: string,
    range: DayRange,
    teamId: string | null = null,
  ): Promise<Map<string, ChatTotals>> {
    const sums = COUNTER_COLUMNS.map((c) => `sum(c.\`${c}\`) AS \`${c}\``).join(', ');
    const [st, params] = this.overBlocks(
      range,
      (cte) => `${cte} SELECT c.operator_id AS operator_id, ${sums} FROM r CROSS JOIN chat_rollup c
        ON c.site_id = ? AND c.team_id = ? AND c.level = r.level AND c.block BETWEEN r.lo AND r.hi GROUP BY c.operator_id`,
    );
    const out = new Map<string, ChatTotals>();
    for (const r of st.all(...params, siteId, teamId ?? ALL_TEAMS) as (Record<string, number> & {
      operator_id: string;
    })[]) {
      out.set(r.operator_id, this.rowTotals(r));
    }
    return out;
  }

  async dailyTotals(
    siteId: string,
    range: DayRange,
    operatorId: string | null,
    teamId: string | null = null,
  ): Promise<Map<number, ChatTotals>> {
    const out = new Map<number, ChatTotals>();
    const team = teamId ?? ALL_TEAMS;
    const rows = (
      operatorId === null
        ? this.st.dailyRange.all(siteId, team, range.from, range.to)
        : this.st.dailyRangeOf.all(siteId, team, range.from, range.to, operatorId)
    ) as (Record<string, number> & { block: number })[];
    for (const r of rows) out.set(r.block, this.rowTotals(r));
    return out;
  }

  async distribution(
    siteId: string,
    metric: MetricName,
    range: DayRange,
    operatorId: string | null,
    teamId: string | null = null,
  ): Promise<Distribution> {
    const [histSt, histParams] = this.overBlocks(
      range,
      (cte) => `${cte} SELECT h.bucket, sum(h.n) FROM r CROSS JOIN metric_hist h
        ON h.site_id = ? AND h.team_id = ? AND h.metric = ? AND h.operator_id = ? AND h.level = r.level AND h.block BETWEEN r.lo AND r.hi
        GROUP BY h.bucket HAVING sum(h.n) > 0 ORDER BY h.bucket`,
    );
    const hist = histSt.raw().all(...histParams, siteId, teamId ?? ALL_TEAMS, metric, operatorId ?? TEAM) as [
      number,
      number,
    ][];
    const count = hist.reduce((n, [, c]) => n + c, 0);
    // Team: the rank index holds each bucket's values in order, so OFFSET walks it without sorting.
    // One operator: that operator's bucket is small; sorting it is cheap.
    const [where, base] =
      operatorId === null
        ? [
            'site_id = ? AND metric = ? AND bucket = ? AND day BETWEEN ? AND ?',
            (bucket: number) => [siteId, metric, bucket, range.from, range.to],
          ]
        : [
            'site_id = ? AND metric = ? AND operator_id = ? AND bucket = ? AND day BETWEEN ? AND ?',
            (bucket: number) => [siteId, metric, operatorId, bucket, range.from, range.to],
          ];
    const [index, teamWhere, teamBase] =
      teamId === null
        ? [operatorId === null ? 'metric_values_rank_idx' : 'metric_values_lookup_idx', where, base]
        : // A team's bucket in value order (its own index); one operator's rows are filtered from it.
          [
            'metric_values_team_idx',
            `team_id = ? AND ${where}`,
            (bucket: number) => [teamId, ...base(bucket)],
          ];
    const from = `FROM metric_values INDEXED BY ${index} WHERE ${teamWhere}`;
    const drill = this.drill(`SELECT value ${from} ORDER BY value LIMIT ? OFFSET ?`);
    const countIn = this.drill(`SELECT count(*) ${from} AND value <= ?`);
    const maxIn = this.drill(`SELECT max(value) ${from}`);

    const valuesAt = async (rank: number, want: 1 | 2): Promise<number[]> => {
      const out: number[] = [];
      let before = 0;
      for (const [bucket, n] of hist) {
        if (out.length === 0 && rank >= before + n) {
          before += n;
          continue;
        }
        const offset = out.length === 0 ? rank - before : 0;
        const got = drill.all(...teamBase(bucket), want - out.length, offset) as number[];
        out.push(...got);
        if (out.length >= want) break;
        before += n;
      }
      return out;
    };
    return {
      count,
      valuesAt,
      countAtMost: async (v) => {
        const b = bucketOf(v);
        let n = 0;
        for (const [bucket, c] of hist) {
          if (bucket < b) n += c;
          else if (bucket === b) n += Number(countIn.get(...teamBase(bucket), v));
        }
        return n;
      },
      max: async () => {
        const top = hist[hist.length - 1];
        return top ? (maxIn.get(...teamBase(top[0])) as number) : null;
      },
    };
  }

  private drill(sql: string): BetterSqlite3.Statement {
    return this.prepared(sql).pluck();
  }

  /** Statements built at query time (their shape depends on the range), prepared once each. */
  private prepared(sql: string): BetterSqlite3.Statement {
    let s = this.drills.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.drills.size > 500) this.drills.clear();
      this.drills.set(sql, s);
    }
    return s;
  }

  async volume(
    siteId: string,
    range: DayRange,
    operatorId: string | null,
    teamId: string | null = null,
  ): Promise<number[][]> {
    const [st, params] = this.overBlocks(
      range,
      (cte) => `${cte} SELECT v.weekday, v.hour, sum(v.n) FROM r CROSS JOIN volume_rollup v
        ON v.site_id = ? AND v.team_id = ? AND v.operator_id = ? AND v.level = r.level AND v.block BETWEEN r.lo AND r.hi
        GROUP BY v.weekday, v.hour`,
    );
    const out = emptyVolume();
    for (const [weekday, hour, n] of st
      .raw()
      .all(...params, siteId, teamId ?? ALL_TEAMS, operatorId ?? TEAM) as [number, number, number][]) {
      out[weekday]![hour]! += n;
    }
    return out;
  }

  async intervals(
    siteId: string,
    from: number,
    to: number,
    operatorId: string | null,
  ): Promise<OperatorInterval[]> {
    type Row = [string, number, number | null];
    const rows = [
      ...(this.st.intervalsClosed.all(siteId, from, to) as Row[]),
      ...(this.st.intervalsOpen.all(siteId, to) as Row[]),
    ];
    const out: OperatorInterval[] = [];
    for (const [op, a, b] of rows)
      if (operatorId === null || op === operatorId) out.push({ operatorId: op, from: a, to: b });
    return out;
  }

  private msWindow(siteId: string, range: DayRange): [number, number] {
    const cal = calendarFor(this.timezoneOf(siteId));
    return [cal.dayStart(range.from), cal.dayStart(range.to + 1)];
  }

  async comments(
    siteId: string,
    range: DayRange,
    limit: number,
    operatorId: string | null,
    teamId: string | null = null,
  ): Promise<RatingComment[]> {
    const [from, to] = this.msWindow(siteId, range);
    const rows = (
      teamId !== null
        ? this.prepared(
            `SELECT conversation_id, created_at, rated_at, rating, rating_comment, operator_id FROM chat_facts
             WHERE site_id = ? AND team_id = ? AND rating_comment IS NOT NULL AND created_at >= ? AND created_at < ?
               AND rating IS NOT NULL ${operatorId === null ? '' : "AND coalesce(operator_id, '') = ?"}
             ORDER BY created_at DESC, conversation_id DESC LIMIT ?`,
          ).all(siteId, teamId, from, to, ...(operatorId === null ? [] : [operatorId]), limit)
        : operatorId === null
          ? this.st.comments.all(siteId, from, to, limit)
          : this.st.commentsOf.all(siteId, from, to, operatorId, limit)
    ) as {
      conversation_id: string;
      created_at: number;
      rated_at: number | null;
      rating: Rating;
      rating_comment: string;
      operator_id: string | null;
    }[];
    return rows.map((r) => ({
      conversationId: r.conversation_id,
      createdAt: r.created_at,
      ratedAt: r.rated_at,
      rating: r.rating,
      comment: r.rating_comment,
      operatorId: r.operator_id,
    }));
  }

  chats(siteId: string, range: DayRange): AsyncIterable<ChatFact> {
    const [from, to] = this.msWindow(siteId, range);
    return this.pages(this.st.chatsPage, [siteId, from, to]);
  }

  // ---------- TeamFactsReader (team-source.ts) ----------

  teamChats(siteId: string, teamId: string, range: DayRange): AsyncIterable<ChatFact> {
    const [from, to] = this.msWindow(siteId, range);
    return this.pages(this.st.teamChatsPage, [siteId, teamId, from, to]);
  }

  async teamIntervals(teamId: string, from: number, to: number): Promise<OperatorInterval[]> {
    const rows = this.st.teamIntervals.all(teamId, from, to, teamId, to) as [string, number, number | null][];
    return rows.map(([operatorId, a, b]) => ({ operatorId, from: a, to: b }));
  }

  /** Facts in creation order, a page at a time: `st` takes `params`, then the last (created_at, id) and a limit. */
  private async *pages(st: BetterSqlite3.Statement, params: unknown[]): AsyncIterable<ChatFact> {
    let lastAt = Number.MIN_SAFE_INTEGER;
    let lastId = '';
    for (;;) {
      const rows = st.all(...params, lastAt, lastId, 2000) as (FactRow & {
        conversation_tags?: string | null;
      })[];
      if (rows.length === 0) return;
      for (const r of rows) {
        const f = rowToFact(r);
        const tags = parseTags(r.conversation_tags);
        yield tags ? { ...f, tags } : f;
      }
      const last = rows[rows.length - 1]!;
      lastAt = last.created_at;
      lastId = last.conversation_id;
    }
  }
}
