/**
 * Fills a SQLite store with realistic chat history for dashboards, tests and benchmarks:
 *
 *   tsx scripts/generate-data.ts --data-dir DIR --conversations 1000000 --days 365 --seed 1
 *       [--end YYYY-MM-DD] [--timezone Europe/Prague] [--operators N] [--capacity 3] [--no-messages]
 *
 * Operators work shifts (morning, midday, evening; fewer at weekends) with late starts, early leaves,
 * breaks and short disconnects, so coverage has gaps (nights always). Chats arrive by a daily profile
 * with busy afternoons, busier weekdays and growth over the year; the queue is simulated with real
 * capacity, so busy hours make visitors wait and some give up (missed). Nobody online → most visitors
 * leave a message. Ratings, comments, tags and transfers follow simple rates.
 *
 * Writes what the relay would have written (conversations, visitors, messages, events incl.
 * operator_status) straight into the store's tables in batched transactions, then the dashboard facts
 * by folding those same events with metrics/facts.ts, so a `rebuild()` from events gives the same rows.
 * Deterministic for a given --seed and --end. Importable: `generateData(opts)`.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MessageAuthor } from '@beseda/shared';
import { hashPassword } from '../server/src/auth/passwords.js';
import { DEFAULT_SITE } from '../server/src/http/site-defaults.js';
import { applyEvent, type ChatFact, newFact, responseTimes } from '../server/src/metrics/facts.js';
import { openBulkDatabase, SqliteMetrics } from '../server/src/metrics/sqlite-metrics.js';
import { calendarFor, formatDate, MINUTE, parseDate, weekdayOf } from '../server/src/metrics/tz.js';
import { openSqliteStore } from '../server/src/store/sqlite/sqlite-store.js';
import type { BusinessHours, ChatEventRecord, EventType } from '../server/src/store/types.js';

export interface GenerateOptions {
  /** Writes DIR/beseda.db, the file the server opens for DATA_DIR=DIR. */
  dataDir?: string;
  /** Or an explicit database file. */
  file?: string;
  conversations: number;
  days: number;
  seed?: number;
  /** Last local day of the history (YYYY-MM-DD); default: yesterday in the site's timezone. */
  end?: string;
  timezone?: string;
  /** Default: scales with the daily volume. */
  operators?: number;
  capacity?: number;
  /** Write messages (visitor, operator, system). Default true; response times come from them. */
  messages?: boolean;
  businessHours?: BusinessHours | null;
  siteKey?: string;
  ownerEmail?: string;
  ownerPassword?: string;
  log?: (line: string) => void;
}

export interface GenerateResult {
  file: string;
  siteId: string;
  operatorIds: string[];
  ownerEmail: string;
  from: string;
  to: string;
  conversations: number;
  missed: number;
  offline: number;
  events: number;
  messages: number;
  ms: number;
}

export const DEFAULT_BUSINESS_HOURS: BusinessHours = {
  days: [1, 2, 3, 4, 5].map((day) => ({ day, from: 8 * 60, to: 18 * 60 })),
};

// ---------- deterministic randomness ----------

export class Rand {
  private s: number;
  constructor(seed: number) {
    this.s = (seed ^ 0x9e3779b9) >>> 0;
  }
  /** mulberry32: uniform [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** Log-normal with the given median and log-sd. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
  exp(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }
}

// ---------- the model ----------

/** Relative chat arrivals per local hour: quiet nights, a morning ramp, busy afternoons. */
const HOURLY = [
  0.25, 0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.8, 1.1, 1.25, 1.3, 1.3, 1.45, 1.6, 1.65, 1.55, 1.35, 1.1,
  0.95, 0.85, 0.7, 0.55, 0.4,
];
/** Sunday … Saturday. */
const WEEKDAY = [0.5, 1.15, 1.1, 1.05, 1.0, 0.9, 0.55];
/** Shift templates in local minutes: morning, midday, evening. */
const SHIFTS = [
  { from: 7 * 60, to: 15 * 60 + 30 },
  { from: 10 * 60 + 30, to: 19 * 60 },
  { from: 15 * 60, to: 23 * 60 },
];
const FIRST_NAMES = [
  'Anna',
  'Petr',
  'Jana',
  'Tomáš',
  'Eva',
  'Martin',
  'Lucie',
  'Jakub',
  'Tereza',
  'David',
  'Klára',
  'Ondřej',
];
const VISITOR_LINES = [
  'Hi, where is my order?',
  'Do you ship to Slovakia?',
  'I was charged twice for my invoice',
  'How do I return a damaged item?',
  'Can I change my delivery address?',
  'Is this available in size M?',
  'My discount code does not work',
  'I cannot log in to my account',
];
const FOLLOW_UPS = [
  'ok, thanks',
  'and how long will it take?',
  'order number is 48213',
  'yes please',
  'that worked!',
  'hmm, still nothing',
];
const OPERATOR_LINES = [
  'Hello! Let me check that for you.',
  'Thanks for waiting, I can see your order.',
  'I have sent you a new link.',
  'It should arrive within two days.',
  'I refunded the duplicate payment.',
  'Anything else I can help with?',
];
const GOOD_COMMENTS = ['Fast and friendly, thanks!', 'Solved in a minute', 'Very helpful', 'Great service'];
const BAD_COMMENTS = [
  'Waited too long',
  'Did not solve my problem',
  'Answers were vague',
  'Had to repeat myself',
];
const TAGS = ['billing', 'shipping', 'returns', 'technical', 'sales', 'account'];

interface Shift {
  operator: number;
  /** Online stretches (between breaks and blips). */
  online: { from: number; to: number }[];
  events: { at: number; status: 'online' | 'away' | 'offline'; reason: string }[];
}

function planShifts(
  rand: Rand,
  cal: ReturnType<typeof calendarFor>,
  day: number,
  operators: number,
): Shift[] {
  const out: Shift[] = [];
  const weekend = weekdayOf(day) === 0 || weekdayOf(day) === 6;
  for (let k = 0; k < operators; k++) {
    const works = weekend ? rand.chance(0.3) : rand.chance(0.86);
    if (!works) continue;
    const t = SHIFTS[k % SHIFTS.length]!;
    let start = t.from + Math.round(rand.normal() * 8);
    let end = t.to + Math.round(rand.normal() * 10);
    if (rand.chance(0.08)) start += rand.int(30, 90); // late
    if (rand.chance(0.05)) end -= rand.int(30, 120); // leaves early
    end = Math.min(end, 23 * 60 + 55);
    if (end - start < 60) continue;
    const at = (m: number) => cal.wallTime(day, m) + rand.int(0, 59) * 1000;
    const events: Shift['events'] = [{ at: at(start), status: 'online', reason: 'chosen' }];
    if (rand.chance(0.7)) {
      const mid = Math.round((start + end) / 2) + rand.int(-60, 60);
      const len = rand.int(20, 45);
      if (mid > start + 30 && mid + len < end - 30) {
        events.push({ at: at(mid), status: 'away', reason: 'chosen' });
        events.push({ at: at(mid + len), status: 'online', reason: 'chosen' });
      }
    }
    if (rand.chance(0.04)) {
      const blip = rand.int(start + 20, end - 20);
      const len = rand.int(1, 5);
      const from = at(blip);
      if (!events.some((e) => Math.abs(e.at - from) < 60 * MINUTE)) {
        events.push({ at: from, status: 'offline', reason: 'disconnected' });
        events.push({ at: at(blip + len), status: 'online', reason: 'connected' });
      }
    }
    events.push({ at: at(end), status: 'offline', reason: 'chosen' });
    events.sort((a, b) => a.at - b.at);
    const online: Shift['online'] = [];
    let since: number | null = null;
    for (const e of events) {
      if (e.status === 'online') since ??= e.at;
      else if (since !== null) {
        online.push({ from: since, to: e.at });
        since = null;
      }
    }
    out.push({ operator: k, online, events });
  }
  return out;
}

/** Exactly `total` arrivals over the slots, proportional to weights (largest remainder, deterministic). */
function allocate(weights: number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum === 0 ? 0 : (w / sum) * total));
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let i = 0; left > 0 && i < order.length; i++, left--) counts[order[i]![1]]! += 1;
  return counts;
}

interface Msg {
  author: MessageAuthor;
  operatorId: string | null;
  authorName: string | null;
  text: string;
  at: number;
  clientId: string | null;
}

// ---------- the generator ----------

/**
 * Drops the secondary indexes and triggers of `tables` and returns a function that recreates them from the
 * SQL SQLite kept for them, then rebuilds the messages full-text index (its triggers were off meanwhile).
 */
export function deferIndexes(db: ReturnType<typeof openBulkDatabase>, tables: string[]): () => void {
  const saved = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL
       AND tbl_name IN (${tables.map(() => '?').join(', ')})`,
    )
    .all(...tables) as { type: 'index' | 'trigger'; name: string; sql: string }[];
  for (const o of saved) db.exec(`DROP ${o.type.toUpperCase()} IF EXISTS "${o.name}"`);
  return () => {
    for (const o of saved) db.exec(o.sql);
    const fts = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'messages_fts'").get();
    if (fts) db.exec("INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')");
  };
}

export async function generateData(opts: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const file = opts.file ?? join(opts.dataDir ?? 'data', 'beseda.db');
  const seed = opts.seed ?? 1;
  const rand = new Rand(seed);
  const timezone = opts.timezone ?? 'Europe/Prague';
  const cal = calendarFor(timezone);
  const lastDay = opts.end ? parseDate(opts.end) : cal.dayOf(Date.now()) - 1;
  if (lastDay === null) throw new Error(`--end must be YYYY-MM-DD, got ${opts.end}`);
  const firstDay = lastDay - opts.days + 1;
  const perDay = opts.conversations / Math.max(1, opts.days);
  const operatorCount = opts.operators ?? Math.max(4, Math.ceil(perDay / 100));
  const capacity = opts.capacity ?? 3;
  const withMessages = opts.messages ?? true;
  const ownerEmail = (opts.ownerEmail ?? 'owner@beseda.local').toLowerCase();

  // Accounts through the store API (runs the migrations too).
  const store = await openSqliteStore({ file });
  let siteId: string;
  const operatorIds: string[] = [];
  const operatorNames: string[] = [];
  try {
    const key = opts.siteKey ?? 'demo';
    const existing = await store.getSiteByKey(key);
    const siteFields = {
      timezone,
      businessHours: opts.businessHours === undefined ? DEFAULT_BUSINESS_HOURS : opts.businessHours,
      slaSeconds: 30,
    };
    const site = existing
      ? await store.updateSite(existing.id, siteFields)
      : await store.createSite({
          ...DEFAULT_SITE,
          id: `site-${seed}`,
          key,
          name: 'Demo shop',
          identitySecret: `secret-${seed}`,
          createdAt: cal.dayStart(firstDay),
          ...siteFields,
        });
    siteId = site.id;
    const operatorHash = await hashPassword('operator');
    for (let k = 0; k < operatorCount; k++) {
      const email = `op${k + 1}@gen.local`;
      const name = `${FIRST_NAMES[k % FIRST_NAMES.length]}${k >= FIRST_NAMES.length ? ` ${Math.floor(k / FIRST_NAMES.length) + 1}` : ''}`;
      const op =
        (await store.getOperatorByEmail(email)) ??
        (await store.createOperator({
          id: `op-${seed}-${k + 1}`,
          email,
          name,
          role: 'operator',
          passwordHash: operatorHash,
          capacity,
          siteIds: [siteId],
        }));
      operatorIds.push(op.id);
      operatorNames.push(op.name);
    }
    if (!(await store.listOperators()).some((o) => o.role === 'owner')) {
      await store.createOperator({
        email: ownerEmail,
        name: 'Owner',
        role: 'owner',
        passwordHash: await hashPassword(opts.ownerPassword ?? 'owner'),
        capacity: 3,
        siteIds: [siteId],
      });
    }
  } finally {
    await store.close();
  }

  const db = openBulkDatabase(file);
  const already = db
    .prepare('SELECT count(*) FROM conversations WHERE site_id = ?')
    .pluck()
    .get(siteId) as number;
  if (already > 0) {
    db.close();
    throw new Error(`Site ${siteId} already has ${already} conversations; generate into a fresh --data-dir`);
  }
  const metrics = new SqliteMetrics(db);
  const ingest = metrics.beginIngest();
  // Secondary indexes and triggers (FTS) are rebuilt once at the end: sorting once beats updating
  // b-trees row by row. Restored from their own SQL, so the store's schema stays exactly as migrated.
  const restore = deferIndexes(db, [
    'visitors',
    'conversations',
    'conversation_tags',
    'messages',
    'events',
    'chat_facts',
    'metric_values',
  ]);

  const hasTags = (db.prepare('PRAGMA table_info(conversations)').all() as { name: string }[]).some(
    (c) => c.name === 'tags',
  );
  const hasTagIndex =
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'conversation_tags'").get() !==
    undefined;
  const ins = {
    visitor: db.prepare(
      `INSERT INTO visitors (id, site_id, token_hash, name, email, lang, user_agent, created_at, last_seen_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    visitorSeen: db.prepare('UPDATE visitors SET last_seen_at = ? WHERE id = ?'),
    // Newer store schemas keep tags on the conversation and index them per site.
    conversation: db.prepare(
      `INSERT INTO conversations (id, site_id, visitor_id, status, operator_id, created_at, enqueued_at, assigned_at,
         ended_at, last_seq, rating, rating_comment, visitor_name, visitor_email${hasTags ? ', tags' : ''})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?${hasTags ? ', ?' : ''})`,
    ),
    tag: hasTagIndex
      ? db.prepare('INSERT INTO conversation_tags (conversation_id, site_id, tag) VALUES (?, ?, ?)')
      : null,
    message: db.prepare(
      `INSERT INTO messages (conversation_id, seq, client_id, author, operator_id, author_name, text, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    event: db.prepare(
      'INSERT INTO events (site_id, conversation_id, operator_id, type, at, data) VALUES (?, ?, ?, ?, ?, ?)',
    ),
  };

  // Arrivals: exactly `conversations` over all local hours of the range.
  const weights: number[] = [];
  for (let d = firstDay; d <= lastDay; d++) {
    const trend = 0.8 + (0.4 * (d - firstDay)) / Math.max(1, opts.days - 1);
    const noise = 0.9 + 0.2 * rand.next();
    for (let h = 0; h < 24; h++) {
      const len = cal.wallTime(d, h * 60 + 60) - cal.wallTime(d, h * 60);
      weights.push(HOURLY[h]! * WEEKDAY[weekdayOf(d)]! * trend * noise * (len / 3_600_000));
    }
  }
  const perSlot = allocate(weights, opts.conversations);

  const active: number[][] = Array.from({ length: operatorCount }, () => []);
  const visitors: string[] = [];
  let conversationNo = 0;
  let visitorNo = 0;
  let eventCount = 0;
  let messageCount = 0;
  let missed = 0;
  let offline = 0;

  for (let d = firstDay; d <= lastDay; d++) {
    const shifts = planShifts(rand, cal, d, operatorCount);
    const onlineAt = (t: number) =>
      shifts.filter((s) => s.online.some((o) => o.from <= t && t < o.to)).map((s) => s.operator);
    // Who is online, kept up to date as the (sorted) arrivals advance: boundaries in time order.
    const boundaries = shifts
      .flatMap((s) =>
        s.online.flatMap((o) => [[o.from, s.operator, 1] as const, [o.to, s.operator, 0] as const]),
      )
      .sort((a, b) => a[0] - b[0] || a[2] - b[2]);
    const isOnline = new Array<boolean>(operatorCount).fill(false);
    let nextBoundary = 0;
    const onlineNow = (t: number): number[] => {
      while (nextBoundary < boundaries.length && boundaries[nextBoundary]![0] <= t) {
        const [, k, on] = boundaries[nextBoundary++]!;
        isOnline[k] = on === 1;
      }
      const out: number[] = [];
      for (let k = 0; k < operatorCount; k++) if (isOnline[k]) out.push(k);
      return out;
    };
    const dayEvents: (ChatEventRecord & { seq: number })[] = [];
    let seq = 0;
    const event = (e: Omit<ChatEventRecord, 'siteId'>) => {
      dayEvents.push({ ...e, siteId: e.type === 'operator_status' ? null : siteId, seq: seq++ });
    };
    for (const s of shifts) {
      for (const e of s.events) {
        event({
          conversationId: null,
          operatorId: operatorIds[s.operator]!,
          type: 'operator_status',
          at: e.at,
          data: { status: e.status, reason: e.reason, siteIds: [siteId] },
        });
      }
      for (const o of s.online)
        ingest.interval({ operatorId: operatorIds[s.operator]!, siteId, from: o.from, to: o.to });
    }

    const facts: ChatFact[] = [];
    const arrivals: number[] = [];
    for (let h = 0; h < 24; h++) {
      const n = perSlot[(d - firstDay) * 24 + h]!;
      const from = cal.wallTime(d, h * 60);
      const to = cal.wallTime(d, h * 60 + 60);
      for (let i = 0; i < n; i++) arrivals.push(from + Math.floor(rand.next() * (to - from)));
    }
    arrivals.sort((a, b) => a - b);

    db.transaction(() => {
      for (const t of arrivals) {
        const id = `c-${seed}-${(conversationNo++).toString(36)}`;
        // Visitor: a third come back.
        let visitorId: string;
        let visitorName: string | null = null;
        let visitorEmail: string | null = null;
        if (visitors.length > 0 && rand.chance(0.3)) {
          visitorId = rand.pick(visitors);
          ins.visitorSeen.run(t, visitorId);
        } else {
          visitorId = `v-${seed}-${(visitorNo++).toString(36)}`;
          if (rand.chance(0.25)) visitorName = rand.pick(FIRST_NAMES);
          ins.visitor.run(visitorId, siteId, `h${visitorNo}`, visitorName, null, 'cs', 'Mozilla/5.0', t, t);
          visitors.push(visitorId);
        }
        const chatEvents: ChatEventRecord[] = [];
        const ev = (
          type: EventType,
          at: number,
          operatorId: string | null,
          data: Record<string, unknown> | null,
        ) => {
          const e = { siteId, conversationId: id, operatorId, type, at, data };
          chatEvents.push(e);
          event(e);
        };
        const msgs: Msg[] = [];
        let clientNo = 0;
        const say = (author: MessageAuthor, at: number, text: string, op: number | null) =>
          msgs.push({
            author,
            operatorId: op === null ? null : operatorIds[op]!,
            authorName: author === 'visitor' ? visitorName : op === null ? null : operatorNames[op]!,
            text,
            at,
            clientId:
              withMessages && (author === 'visitor' || author === 'operator') ? `g${clientNo++}x${id}` : null,
          });

        let status: 'ended' | 'missed' | 'offline' = 'ended';
        let operator: number | null = null;
        let assignedAt: number | null = null;
        let endedAt: number | null = null;
        let enqueuedAt: number | null = t;
        let rating: 'good' | 'bad' | null = null;
        let comment: string | null = null;
        let chatTags: string[] | null = null;

        say('visitor', t, rand.pick(VISITOR_LINES), null);
        const online = onlineNow(t);
        for (const k of online) {
          // Drop finished chats in place (at most `capacity` entries).
          const list = active[k]!;
          let w = 0;
          for (const end of list) if (end > t) list[w++] = end;
          list.length = w;
        }
        const patience = Math.max(15_000, Math.round(rand.exp(100_000)));

        if (online.length === 0 && rand.chance(0.65)) {
          // Nobody there: the widget offers the message form.
          status = 'offline';
          enqueuedAt = null;
          visitorEmail = `visitor${visitorNo}@example.com`;
          ev('offline_message', t + 1000, null, { email: visitorEmail });
          offline++;
        } else {
          ev('enqueued', t, null, null);
          let pickAt: number | null = null;
          const free = online.filter((k) => active[k]!.length < capacity);
          if (free.length > 0) {
            free.sort((a, b) => active[a]!.length - active[b]!.length || a - b);
            operator = free[0]!;
            pickAt = t + rand.int(150, 2500);
          } else if (online.length > 0) {
            let best: number | null = null;
            let bestAt = Number.POSITIVE_INFINITY;
            for (const k of online) {
              const soonest = Math.min(...active[k]!);
              if (soonest < bestAt) {
                bestAt = soonest;
                best = k;
              }
            }
            if (best !== null && bestAt - t <= patience) {
              operator = best;
              const i = active[best]!.indexOf(bestAt);
              active[best]!.splice(i, 1);
              pickAt = bestAt + rand.int(50, 800);
            }
          }
          if (operator === null || pickAt === null) {
            status = 'missed';
            endedAt = t + patience;
            if (rand.chance(0.3)) say('visitor', t + Math.round(patience / 2), 'hello?', null);
            say('system', endedAt, 'The visitor ended the chat', null);
            ev('missed', endedAt, null, { by: 'visitor' });
            missed++;
          } else {
            assignedAt = pickAt;
            const op = operator;
            if (pickAt - t > 8000 && rand.chance(0.3))
              say('visitor', t + Math.round((pickAt - t) / 2), 'is anyone there?', null);
            ev('assigned', pickAt, operatorIds[op]!, { waitMs: pickAt - t });
            say('system', pickAt, `${operatorNames[op]} joined the chat`, op);
            const handling = Math.min(
              75 * MINUTE,
              Math.max(40_000, Math.round(rand.lognormal(6 * MINUTE, 0.7))),
            );
            let end = pickAt + handling;
            const firstReply =
              pickAt + Math.min(180_000, Math.max(2500, Math.round(rand.lognormal(18_000, 0.8))));
            end = Math.max(end, firstReply + 20_000);
            say('operator', firstReply, rand.pick(OPERATOR_LINES), op);
            ev('first_reply', firstReply, operatorIds[op]!, { frtMs: firstReply - t });
            let handler = op;
            const transferAt = rand.chance(0.03) ? Math.round((firstReply + end) / 2) : null;
            let cursor = firstReply;
            const exchanges = Math.min(8, Math.floor(rand.exp(2)));
            for (let x = 0; x < exchanges; x++) {
              const vAt = cursor + rand.int(8_000, 90_000);
              const oAt = vAt + Math.max(2000, Math.round(rand.lognormal(30_000, 0.8)));
              if (oAt >= end - 3000) break;
              if (transferAt !== null && handler === op && vAt > transferAt) {
                // Between the last reply and the visitor's next message, so every event keeps its order.
                const at = cursor + 1000;
                const others = onlineAt(at).filter((k) => k !== op);
                if (others.length > 0) {
                  handler = rand.pick(others);
                  ev('transferred', at, operatorIds[handler]!, {
                    from: operatorIds[op]!,
                    to: operatorIds[handler]!,
                  });
                  say('system', at, `Transferred to ${operatorNames[handler]}`, handler);
                }
              }
              say('visitor', vAt, rand.pick(FOLLOW_UPS), null);
              say('operator', oAt, rand.pick(OPERATOR_LINES), handler);
              cursor = oAt;
            }
            endedAt = end;
            operator = handler;
            active[op]!.push(end);
            const byOperator = rand.chance(0.6);
            say(
              'system',
              end,
              byOperator ? `${operatorNames[handler]} ended the chat` : 'The visitor ended the chat',
              byOperator ? handler : null,
            );
            const tags = rand.chance(0.4)
              ? [...new Set([rand.pick(TAGS), rand.pick(TAGS)])].slice(0, rand.int(1, 2)).sort()
              : null;
            chatTags = tags;
            ev('ended', end, byOperator ? operatorIds[handler]! : null, {
              by: byOperator ? 'operator' : 'visitor',
              ...(tags ? { tags } : {}),
            });
            if (rand.chance(0.35)) {
              const wait = pickAt - t;
              const pGood = 0.92 - (wait > 60_000 ? 0.25 : 0) - (firstReply - pickAt > 60_000 ? 0.1 : 0);
              rating = rand.chance(pGood) ? 'good' : 'bad';
              comment = rand.chance(0.25)
                ? rand.pick(rating === 'good' ? GOOD_COMMENTS : BAD_COMMENTS)
                : null;
              ev('rated', end + rand.int(3000, 60_000), operatorIds[handler]!, { rating, comment });
            }
          }
        }

        msgs.sort((a, b) => a.at - b.at);
        if (withMessages) {
          msgs.forEach((m, i) => {
            ins.message.run(id, i + 1, m.clientId, m.author, m.operatorId, m.authorName, m.text, m.at);
          });
          messageCount += msgs.length;
        }
        ins.conversation.run(
          id,
          siteId,
          visitorId,
          status,
          operator === null ? null : operatorIds[operator]!,
          t,
          enqueuedAt,
          assignedAt,
          endedAt,
          withMessages ? msgs.length : 0,
          rating,
          comment,
          visitorName,
          visitorEmail,
          ...(hasTags ? [JSON.stringify(chatTags ?? [])] : []),
        );
        for (const tag of chatTags ?? []) ins.tag?.run(id, siteId, tag);

        // The dashboard fact, folded exactly like SqliteMetrics.sync() folds the stored events.
        let fact = newFact({ id, siteId, createdAt: t }, cal);
        for (const e of chatEvents) {
          fact = applyEvent(fact, e);
          if (e.type === 'ended') fact = { ...fact, responseTimes: withMessages ? responseTimes(msgs) : [] };
        }
        facts.push(fact);
      }

      dayEvents.sort((a, b) => a.at - b.at || a.seq - b.seq);
      for (const e of dayEvents) {
        ins.event.run(
          e.siteId,
          e.conversationId,
          e.operatorId,
          e.type,
          e.at,
          e.data === null ? null : JSON.stringify(e.data),
        );
      }
      eventCount += dayEvents.length;
      for (const f of facts) ingest.add(f);
    })();
    if ((d - firstDay) % 30 === 29) log(`  ${formatDate(d)}: ${conversationNo} conversations`);
  }

  db.transaction(() => ingest.finish(metrics.maxEventId()))();
  const indexStart = performance.now();
  log('  rebuilding indexes…');
  restore();
  log(`  indexes rebuilt in ${((performance.now() - indexStart) / 1000).toFixed(1)} s`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return {
    file,
    siteId,
    operatorIds,
    ownerEmail,
    from: formatDate(firstDay),
    to: formatDate(lastDay),
    conversations: conversationNo,
    missed,
    offline,
    events: eventCount,
    messages: messageCount,
    ms: Math.round(performance.now() - started),
  };
}

// ---------- CLI ----------

const USAGE = `usage: tsx scripts/generate-data.ts --data-dir DIR [--conversations 1000000] [--days 365] [--seed 1]
       [--end YYYY-MM-DD] [--timezone Europe/Prague] [--operators N] [--capacity 3] [--no-messages]`;

export function parseGenerateArgs(argv: readonly string[]): GenerateOptions {
  const opts: GenerateOptions = { conversations: 1_000_000, days: 365, seed: 1 };
  const num = (flag: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const v = argv[i + 1];
    switch (flag) {
      case '--data-dir':
        opts.dataDir = v;
        i++;
        break;
      case '--file':
        opts.file = v;
        i++;
        break;
      case '--conversations':
        opts.conversations = num(flag, v);
        i++;
        break;
      case '--days':
        opts.days = Math.max(1, num(flag, v));
        i++;
        break;
      case '--seed':
        opts.seed = num(flag, v);
        i++;
        break;
      case '--end':
        opts.end = v;
        i++;
        break;
      case '--timezone':
        opts.timezone = v;
        i++;
        break;
      case '--operators':
        opts.operators = Math.max(1, num(flag, v));
        i++;
        break;
      case '--capacity':
        opts.capacity = Math.max(1, num(flag, v));
        i++;
        break;
      case '--no-messages':
        opts.messages = false;
        break;
      case '--no-business-hours':
        opts.businessHours = null;
        break;
      default:
        throw new Error(`unknown flag ${flag}\n${USAGE}`);
    }
  }
  if (!opts.dataDir && !opts.file) throw new Error(`--data-dir is required\n${USAGE}`);
  return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const opts = parseGenerateArgs(process.argv.slice(2));
    console.log(`generating ${opts.conversations} conversations over ${opts.days} days (seed ${opts.seed})…`);
    const r = await generateData({ ...opts, log: console.log });
    console.log(
      `done in ${(r.ms / 1000).toFixed(1)} s: ${r.conversations} conversations (${r.missed} missed, ${r.offline} offline messages), ` +
        `${r.events} events, ${r.messages} messages, ${r.operatorIds.length} operators, ${r.from} … ${r.to}\n` +
        `database: ${r.file}\nowner login: ${r.ownerEmail} / ${opts.ownerPassword ?? 'owner'} (if it was created), operators: op1@gen.local … / operator`,
    );
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
