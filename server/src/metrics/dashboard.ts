import type {
  CoverageReport,
  DailyCounts,
  DurationStats,
  Envelope,
  OperatorFigures,
  OperatorRow,
  OverviewFigures,
  PeriodSummary,
  RangeInfo,
  RatingComment,
  RatingFigures,
  VolumeFigures,
  WaitFigures,
} from '@beseda/shared/types';
import type { Site } from '../store/types.js';
import { computeCoverage, onlineMsByOperator } from './coverage.js';
import { csvRow, minutes3, seconds } from './csv.js';
import { addTotals, type ChatTotals, emptyTotals, type MetricName, NO_OPERATOR } from './facts.js';
import type { Distribution, MetricsSource } from './source.js';
import {
  abandonmentPct,
  type Compared,
  compare,
  csatPct,
  type DayRange,
  mean,
  pct,
  percentileOf,
  previousRange,
  rangeDays,
} from './stats.js';
import { calendarFor, formatDate, MINUTE, parseDate, type TzCalendar, weekdayOf } from './tz.js';

/** Longest range a dashboard accepts (ten years). */
export const MAX_RANGE_DAYS = 3660;
export const DEFAULT_SLA_SECONDS = 30;
export const COMMENT_LIMIT = 100;

/** Wire shapes of the answers, declared once in shared/src/dashboard.ts. */
export type {
  DailyCounts,
  DurationStats,
  Envelope,
  OperatorFigures,
  OperatorRow,
  OverviewFigures,
  PeriodSummary,
  RangeInfo,
  RatingComment,
  RatingFigures,
  VolumeFigures,
  WaitFigures,
};

export interface DashboardContext {
  source: MetricsSource;
  now: number;
  site: Site;
  /** Names for the operators table and the CSV "handled by" column. */
  operators: readonly { id: string; name: string }[];
}

export interface DashboardQuery {
  range: DayRange;
  /** null = the whole team. */
  operatorId: string | null;
}

/**
 * Parses `from`/`to` (YYYY-MM-DD, local dates of the site). Missing `to` = today, missing `from` = six
 * days before `to` (a week). Returns an error message for a bad range.
 */
export function resolveRange(
  cal: TzCalendar,
  now: number,
  from: string | undefined,
  to: string | undefined,
): DayRange | { error: string } {
  const toDay = to === undefined ? cal.dayOf(now) : parseDate(to);
  if (toDay === null) return { error: `"to" is not a valid date (YYYY-MM-DD): ${to}` };
  const fromDay = from === undefined ? toDay - 6 : parseDate(from);
  if (fromDay === null) return { error: `"from" is not a valid date (YYYY-MM-DD): ${from}` };
  if (fromDay > toDay)
    return { error: `"from" (${formatDate(fromDay)}) is after "to" (${formatDate(toDay)})` };
  if (toDay - fromDay + 1 > MAX_RANGE_DAYS)
    return { error: `The range is longer than ${MAX_RANGE_DAYS} days` };
  return { from: fromDay, to: toDay };
}

// ---------- shared building blocks ----------

async function durationStats(dist: Distribution, sumMs: number): Promise<DurationStats> {
  return {
    count: dist.count,
    medianMs: await percentileOf(dist.count, 50, dist.valuesAt),
    p90Ms: await percentileOf(dist.count, 90, dist.valuesAt),
    maxMs: await dist.max(),
    averageMs: mean(sumMs, dist.count),
  };
}

function teamTotals(byOperator: Map<string, ChatTotals>, operatorId: string | null): ChatTotals {
  if (operatorId !== null) return byOperator.get(operatorId) ?? emptyTotals();
  const t = emptyTotals();
  for (const part of byOperator.values()) addTotals(t, part);
  return t;
}

const slaSecondsOf = (site: Site) => (site.slaSeconds > 0 ? site.slaSeconds : DEFAULT_SLA_SECONDS);

async function summary(
  ctx: DashboardContext,
  range: DayRange,
  operatorId: string | null,
): Promise<PeriodSummary> {
  const { source, site } = ctx;
  const t = teamTotals(await source.totals(site.id, range), operatorId);
  const dist = (m: MetricName) => source.distribution(site.id, m, range, operatorId);
  const waitDist = await dist('wait');
  const sla = slaSecondsOf(site);
  const withinSla = waitDist.count === 0 ? 0 : await waitDist.countAtMost(sla * 1000);
  return {
    conversations: t.started,
    assigned: t.assigned,
    missed: t.missed,
    offline: t.offline,
    ended: t.ended,
    abandonmentPct: abandonmentPct(t.missed, t.assigned),
    wait: {
      ...(await durationStats(waitDist, t.waitMs)),
      slaSeconds: sla,
      withinSla,
      withinSlaPct: pct(withinSla, waitDist.count),
    },
    frt: await durationStats(await dist('frt'), t.frtMs),
    responseTime: await durationStats(await dist('resp'), t.respMs),
    handling: { count: t.handled, averageMs: mean(t.handlingMs, t.handled) },
    csat: { good: t.good, bad: t.bad, rated: t.good + t.bad, csatPct: csatPct(t.good, t.bad) },
    transfers: t.transfers,
  };
}

async function coverageOf(
  ctx: DashboardContext,
  range: DayRange,
  operatorId: string | null,
): Promise<CoverageReport> {
  const cal = calendarFor(ctx.site.timezone);
  const from = cal.dayStart(range.from);
  const to = cal.dayStart(range.to + 1);
  const intervals = await ctx.source.intervals(ctx.site.id, from, to, operatorId);
  return computeCoverage({
    cal,
    fromDay: range.from,
    toDay: range.to,
    now: ctx.now,
    businessHours: ctx.site.businessHours,
    intervals,
    since: ctx.site.createdAt,
  });
}

const rangeInfo = (r: DayRange): RangeInfo => ({
  from: formatDate(r.from),
  to: formatDate(r.to),
  days: rangeDays(r),
});

async function envelope<T>(
  ctx: DashboardContext,
  q: DashboardQuery,
  compute: (range: DayRange) => Promise<T>,
  compareOn: (cur: T, prev: T) => Record<string, Compared>,
): Promise<Envelope<T>> {
  await ctx.source.sync();
  const prevRange = previousRange(q.range);
  const current = await compute(q.range);
  const previous = await compute(prevRange);
  return {
    site: { id: ctx.site.id, name: ctx.site.name, timezone: ctx.site.timezone },
    operatorId: q.operatorId,
    range: rangeInfo(q.range),
    previousRange: rangeInfo(prevRange),
    current,
    previous,
    comparison: compareOn(current, previous),
  };
}

// ---------- endpoints ----------

export function overview(ctx: DashboardContext, q: DashboardQuery): Promise<Envelope<OverviewFigures>> {
  return envelope(
    ctx,
    q,
    async (range) => {
      const cov = await coverageOf(ctx, range, q.operatorId);
      return { ...(await summary(ctx, range, q.operatorId)), coverage: { basis: cov.basis, ...cov.totals } };
    },
    (c, p) => ({
      conversations: compare(c.conversations, p.conversations),
      assigned: compare(c.assigned, p.assigned),
      missed: compare(c.missed, p.missed),
      abandonmentPct: compare(c.abandonmentPct, p.abandonmentPct),
      waitMedianMs: compare(c.wait.medianMs, p.wait.medianMs),
      waitP90Ms: compare(c.wait.p90Ms, p.wait.p90Ms),
      waitMaxMs: compare(c.wait.maxMs, p.wait.maxMs),
      withinSlaPct: compare(c.wait.withinSlaPct, p.wait.withinSlaPct),
      frtMedianMs: compare(c.frt.medianMs, p.frt.medianMs),
      frtP90Ms: compare(c.frt.p90Ms, p.frt.p90Ms),
      responseMedianMs: compare(c.responseTime.medianMs, p.responseTime.medianMs),
      responseP90Ms: compare(c.responseTime.p90Ms, p.responseTime.p90Ms),
      averageHandlingMs: compare(c.handling.averageMs, p.handling.averageMs),
      csatPct: compare(c.csat.csatPct, p.csat.csatPct),
      coveredMinutes: compare(c.coverage.coveredMinutes, p.coverage.coveredMinutes),
      coveragePct: compare(c.coverage.coveragePct, p.coverage.coveragePct),
    }),
  );
}

export function coverage(ctx: DashboardContext, q: DashboardQuery): Promise<Envelope<CoverageReport>> {
  return envelope(
    ctx,
    q,
    (range) => coverageOf(ctx, range, q.operatorId),
    (c, p) => ({
      coveredMinutes: compare(c.totals.coveredMinutes, p.totals.coveredMinutes),
      coveragePct: compare(c.totals.coveragePct, p.totals.coveragePct),
      gapCount: compare(c.totals.gapCount, p.totals.gapCount),
      gapMinutes: compare(c.totals.gapMinutes, p.totals.gapMinutes),
    }),
  );
}

async function daily(
  ctx: DashboardContext,
  range: DayRange,
  operatorId: string | null,
): Promise<DailyCounts[]> {
  const byDay = await ctx.source.dailyTotals(ctx.site.id, range, operatorId);
  const out: DailyCounts[] = [];
  for (let d = range.from; d <= range.to; d++) {
    const t = byDay.get(d) ?? emptyTotals();
    out.push({
      date: formatDate(d),
      conversations: t.started,
      assigned: t.assigned,
      missed: t.missed,
      offline: t.offline,
      averageWaitMs: mean(t.waitMs, t.waitCount),
    });
  }
  return out;
}

export function wait(ctx: DashboardContext, q: DashboardQuery): Promise<Envelope<WaitFigures>> {
  return envelope(
    ctx,
    q,
    async (range) => {
      const s = await summary(ctx, range, q.operatorId);
      return {
        assigned: s.assigned,
        missed: s.missed,
        abandonmentPct: s.abandonmentPct,
        wait: s.wait,
        daily: await daily(ctx, range, q.operatorId),
      };
    },
    (c, p) => ({
      medianMs: compare(c.wait.medianMs, p.wait.medianMs),
      p90Ms: compare(c.wait.p90Ms, p.wait.p90Ms),
      maxMs: compare(c.wait.maxMs, p.wait.maxMs),
      withinSlaPct: compare(c.wait.withinSlaPct, p.wait.withinSlaPct),
      missed: compare(c.missed, p.missed),
      abandonmentPct: compare(c.abandonmentPct, p.abandonmentPct),
    }),
  );
}

export function ratings(ctx: DashboardContext, q: DashboardQuery): Promise<Envelope<RatingFigures>> {
  const names = new Map(ctx.operators.map((o) => [o.id, o.name]));
  return envelope(
    ctx,
    q,
    async (range) => {
      const t = teamTotals(await ctx.source.totals(ctx.site.id, range), q.operatorId);
      const comments = await ctx.source.comments(ctx.site.id, range, COMMENT_LIMIT, q.operatorId);
      return {
        good: t.good,
        bad: t.bad,
        rated: t.good + t.bad,
        ended: t.ended,
        csatPct: csatPct(t.good, t.bad),
        ratedPct: pct(t.good + t.bad, t.ended),
        comments: comments.map((c) => ({
          ...c,
          operatorName: c.operatorId ? (names.get(c.operatorId) ?? null) : null,
        })),
      };
    },
    (c, p) => ({
      csatPct: compare(c.csatPct, p.csatPct),
      good: compare(c.good, p.good),
      bad: compare(c.bad, p.bad),
      ratedPct: compare(c.ratedPct, p.ratedPct),
    }),
  );
}

export function volume(ctx: DashboardContext, q: DashboardQuery): Promise<Envelope<VolumeFigures>> {
  return envelope(
    ctx,
    q,
    async (range) => {
      const heatmap = await ctx.source.volume(ctx.site.id, range, q.operatorId);
      const byHour = Array.from({ length: 24 }, (_, h) => heatmap.reduce((n, row) => n + row[h]!, 0));
      const byWeekday = heatmap.map((row) => row.reduce((n, x) => n + x, 0));
      return {
        conversations: byWeekday.reduce((n, x) => n + x, 0),
        heatmap,
        byHour,
        byWeekday,
        daily: await daily(ctx, range, q.operatorId),
      };
    },
    (c, p) => ({ conversations: compare(c.conversations, p.conversations) }),
  );
}

async function operatorRows(
  ctx: DashboardContext,
  range: DayRange,
  only: string | null,
): Promise<OperatorFigures> {
  const { source, site } = ctx;
  const cal = calendarFor(site.timezone);
  const window = { from: cal.dayStart(range.from), to: cal.dayStart(range.to + 1) };
  const totals = await source.totals(site.id, range);
  const online = onlineMsByOperator(
    await source.intervals(site.id, window.from, window.to, only),
    window,
    ctx.now,
  );
  const names = new Map(ctx.operators.map((o) => [o.id, o.name]));
  const ids = new Set<string>([...ctx.operators.map((o) => o.id), ...totals.keys(), ...online.keys()]);
  ids.delete(NO_OPERATOR);

  const row = async (
    operatorId: string | null,
    t: ChatTotals,
    onlineMinutes: number,
  ): Promise<OperatorRow> => {
    const frt = await source.distribution(site.id, 'frt', range, operatorId);
    return {
      operatorId,
      name: operatorId === null ? null : (names.get(operatorId) ?? null),
      chats: t.assigned,
      frtCount: frt.count,
      medianFrtMs: await percentileOf(frt.count, 50, frt.valuesAt),
      averageResponseMs: mean(t.respMs, t.respCount),
      handled: t.handled,
      averageHandlingMs: mean(t.handlingMs, t.handled),
      good: t.good,
      bad: t.bad,
      csatPct: csatPct(t.good, t.bad),
      transfers: t.transfers,
      onlineMinutes,
    };
  };

  const operators: OperatorRow[] = [];
  for (const id of ids) {
    if (only !== null && id !== only) continue;
    operators.push(await row(id, totals.get(id) ?? emptyTotals(), (online.get(id) ?? 0) / MINUTE));
  }
  operators.sort(
    (a, b) =>
      b.chats - a.chats ||
      (a.name ?? '').localeCompare(b.name ?? '') ||
      (a.operatorId! < b.operatorId! ? -1 : 1),
  );
  // Summed in integer ms, then converted: the same figure whatever order the intervals came in.
  const teamOnline = [...online.values()].reduce((n, ms) => n + ms, 0) / MINUTE;
  const team =
    only === null
      ? await row(null, teamTotals(totals, null), teamOnline)
      : (operators[0] ?? (await row(only, emptyTotals(), 0)));
  return { team, operators };
}

export function operators(ctx: DashboardContext, q: DashboardQuery): Promise<Envelope<OperatorFigures>> {
  return envelope(
    ctx,
    q,
    (range) => operatorRows(ctx, range, q.operatorId),
    (c, p) => {
      const out: Record<string, Compared> = {
        chats: compare(c.team.chats, p.team.chats),
        medianFrtMs: compare(c.team.medianFrtMs, p.team.medianFrtMs),
        averageHandlingMs: compare(c.team.averageHandlingMs, p.team.averageHandlingMs),
        csatPct: compare(c.team.csatPct, p.team.csatPct),
        onlineMinutes: compare(c.team.onlineMinutes, p.team.onlineMinutes),
      };
      const prev = new Map(p.operators.map((r) => [r.operatorId, r]));
      for (const r of c.operators) {
        const before = prev.get(r.operatorId);
        out[`${r.operatorId}.chats`] = compare(r.chats, before?.chats ?? 0);
        out[`${r.operatorId}.medianFrtMs`] = compare(r.medianFrtMs, before?.medianFrtMs ?? null);
        out[`${r.operatorId}.averageHandlingMs`] = compare(
          r.averageHandlingMs,
          before?.averageHandlingMs ?? null,
        );
        out[`${r.operatorId}.csatPct`] = compare(r.csatPct, before?.csatPct ?? null);
        out[`${r.operatorId}.onlineMinutes`] = compare(r.onlineMinutes, before?.onlineMinutes ?? 0);
      }
      return out;
    },
  );
}

// ---------- CSV ----------

export const CHATS_CSV_HEADER = [
  'conversation_id',
  'started',
  'status',
  'queue_wait_s',
  'first_response_s',
  'handled_by',
  'transfers',
  'ended',
  'rating',
  'rating_comment',
  'tags',
] as const;

/** One row per chat created in the range, oldest first; times in the site's timezone with offset. */
export async function* chatsCsv(ctx: DashboardContext, q: DashboardQuery): AsyncGenerator<string> {
  await ctx.source.sync();
  const cal = calendarFor(ctx.site.timezone);
  const names = new Map(ctx.operators.map((o) => [o.id, o.name]));
  yield csvRow(CHATS_CSV_HEADER);
  let chunk = '';
  for await (const f of ctx.source.chats(ctx.site.id, q.range)) {
    if (q.operatorId !== null && (f.operatorId ?? NO_OPERATOR) !== q.operatorId) continue;
    chunk += csvRow([
      f.conversationId,
      cal.formatInstant(f.createdAt),
      f.missed ? 'missed' : f.status,
      seconds(f.waitMs),
      seconds(f.frtMs),
      f.operatorId === null ? null : (names.get(f.operatorId) ?? f.operatorId),
      f.transfers,
      f.endedAt === null ? null : cal.formatInstant(f.endedAt),
      f.rating,
      f.ratingComment,
      f.tags.join('; '),
    ]);
    if (chunk.length >= 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

export const COVERAGE_CSV_HEADER = [
  'date',
  'weekday',
  'day_minutes',
  'elapsed_minutes',
  'covered_minutes',
  'business_minutes',
  'covered_business_minutes',
  'coverage_pct',
  'gaps',
  'gap_minutes',
  'gap_list',
  'operators_online',
  'operators',
] as const;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** One row per local day of the range. */
export async function coverageCsv(ctx: DashboardContext, q: DashboardQuery): Promise<string> {
  await ctx.source.sync();
  const report = await coverageOf(ctx, q.range, q.operatorId);
  const names = new Map(ctx.operators.map((o) => [o.id, o.name]));
  let out = csvRow(COVERAGE_CSV_HEADER);
  report.days.forEach((d, i) => {
    out += csvRow([
      d.date,
      WEEKDAYS[weekdayOf(q.range.from + i)],
      minutes3(d.dayMinutes),
      minutes3(d.elapsedMinutes),
      minutes3(d.coveredMinutes),
      minutes3(d.businessMinutes),
      minutes3(d.coveredBusinessMinutes),
      d.coveragePct,
      d.gaps.length,
      minutes3(d.gaps.reduce((n, g) => n + g.minutes, 0)),
      d.gaps.map((g) => `${g.fromLocal}-${g.toLocal}`).join('; '),
      d.operatorsOnline,
      d.operatorIds
        .map((id) => names.get(id) ?? id)
        .sort()
        .join('; '),
    ]);
  });
  return out;
}
