/** Pure helpers of the dashboards: number formatting, date ranges, chart series, coverage bars. */

import '../i18n/pages.js';
import { formatNumber, locale, t } from '../i18n/index.js';
import type { Compared, DailyCounts, DayCoverage } from './types.js';

const DASH = '—';

/** 20_000 → "20 s", 700_000 → "11 min 40 s", 5_400_000 → "1 h 30 min"; null → "—". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  const totalS = Math.round(ms / 1000);
  const sec = (n: number) => t('unit.s', { n });
  const min = (n: number) => t('unit.min', { n });
  const hrs = (n: number) => t('unit.h', { n });
  if (totalS < 60) return sec(totalS);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  if (h > 0) return m > 0 ? `${hrs(h)} ${min(m)}` : hrs(h);
  return s > 0 ? `${min(m)} ${sec(s)}` : min(m);
}

/** 31.25 → "31.25 %", 50 → "50 %", 66.666 → "66.67 %"; null → "—". */
export function formatPct(pct: number | null | undefined): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return DASH;
  return t('unit.pct', { n: Math.round(pct * 100) / 100 });
}

/** 900 → "15 h", 690 → "11 h 30 min", 45 → "45 min", 0.5 → "0.5 min". */
export function formatMinutes(min: number | null | undefined): string {
  if (min === null || min === undefined || !Number.isFinite(min)) return DASH;
  if (min < 60) return t('unit.min', { n: Math.round(min * 10) / 10 });
  const h = Math.floor(min / 60);
  const m = Math.round(min - h * 60);
  return m > 0 ? `${t('unit.h', { n: h })} ${t('unit.min', { n: m })}` : t('unit.h', { n: h });
}

export type FigureKind = 'count' | 'pct' | 'ms' | 'minutes';

export function formatFigure(value: number | null | undefined, kind: FigureKind): string {
  switch (kind) {
    case 'pct':
      return formatPct(value);
    case 'ms':
      return formatMs(value);
    case 'minutes':
      return formatMinutes(value);
    case 'count':
      return value === null || value === undefined ? DASH : formatNumber(Math.round(value * 100) / 100);
  }
}

export type Trend = 'better' | 'worse' | 'same' | 'none';

/**
 * The change against the previous period as a short text and whether it is good news. `higherIsBetter`
 * decides the colour: more coverage is better, a longer wait is worse, more chats is neutral (null).
 */
export function describeChange(
  c: Compared | undefined,
  kind: FigureKind,
  higherIsBetter: boolean | null,
): { text: string; trend: Trend } {
  if (!c || c.delta === null) return { text: t('dash.noPrevious'), trend: 'none' };
  if (c.delta === 0) return { text: t('dash.same'), trend: 'same' };
  const sign = c.delta > 0 ? '+' : '−';
  const abs = Math.abs(c.delta);
  const amount = kind === 'pct' ? t('dash.pp', { n: Math.round(abs * 100) / 100 }) : formatFigure(abs, kind);
  const rel =
    kind !== 'pct' && c.deltaPct !== null ? ` (${sign}${t('unit.pct', { n: Math.abs(c.deltaPct) })})` : '';
  const trend: Trend = higherIsBetter === null ? 'same' : c.delta > 0 === higherIsBetter ? 'better' : 'worse';
  return { text: t('dash.vsPrevious', { change: `${sign}${amount}${rel}` }), trend };
}

// ---------- dates ----------

const DAY_MS = 86_400_000;

/** Today's date (YYYY-MM-DD) in a timezone. */
export function todayIn(timezone: string, now: number = Date.now()): string {
  try {
    // en-CA formats as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  } catch {
    return new Date(now).toISOString().slice(0, 10);
  }
}

/** '2026-03-10' + 1 → '2026-03-11' (calendar arithmetic, no timezone involved). */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  return new Date(t + days * DAY_MS).toISOString().slice(0, 10);
}

export type Preset = 'today' | '7d' | '30d' | 'custom';

export interface DateRange {
  from: string;
  to: string;
}

export function presetRange(preset: Exclude<Preset, 'custom'>, today: string): DateRange {
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
  }
}

/** Which preset a range is, so the picker shows it selected; anything else is custom. */
export function presetOf(range: DateRange, today: string): Preset {
  for (const p of ['today', '7d', '30d'] as const) {
    const r = presetRange(p, today);
    if (r.from === range.from && r.to === range.to) return p;
  }
  return 'custom';
}

/** Live refresh only matters while the range reaches today (or later). */
export function includesToday(range: DateRange, today: string): boolean {
  return range.from <= today && range.to >= today;
}

/** '2026-03-10' → 'Tue 10 Mar' (in English; the console's language and the browser's variant of it). */
export function dayLabel(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return new Intl.DateTimeFormat(locale() === 'en' ? 'en-GB' : locale(), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  })
    .format(d)
    .replace(',', '');
}

// ---------- chart series ----------

/** Midnight UTC of a date in seconds: uPlot's x values for day series (axes are drawn in UTC). */
export function dayToSeconds(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 1000;
}

/**
 * X-axis ticks for a day series: whole days only (uPlot would otherwise put several ticks inside one day),
 * every n-th day so that at most `maxTicks` labels show.
 */
export function daySplits(minS: number, maxS: number, maxTicks: number): number[] {
  const DAY_S = 86_400;
  const first = Math.ceil(minS / DAY_S) * DAY_S;
  const days = Math.floor((maxS - first) / DAY_S) + 1;
  if (days <= 0) return [];
  const step = Math.max(1, Math.ceil(days / Math.max(1, maxTicks)));
  const out: number[] = [];
  for (let t = first; t <= maxS; t += step * DAY_S) out.push(t);
  return out;
}

/**
 * uPlot data for the wait trend: x = days, average wait of the day in seconds and the SLA line. Days
 * without an answered chat are gaps (null), not zeros.
 */
export function waitTrendSeries(
  daily: readonly DailyCounts[],
  slaSeconds: number,
): [number[], ...(number | null)[][]] {
  return [
    daily.map((d) => dayToSeconds(d.date)),
    daily.map((d) => (d.averageWaitMs === null ? null : Math.round(d.averageWaitMs / 100) / 10)),
    daily.map(() => slaSeconds),
  ];
}

/** uPlot data for chats per day: answered (assigned), missed and offline messages. */
export function volumeSeries(daily: readonly DailyCounts[]): [number[], ...number[][]] {
  return [
    daily.map((d) => dayToSeconds(d.date)),
    daily.map((d) => d.assigned),
    daily.map((d) => d.missed),
    daily.map((d) => d.offline),
  ];
}

/**
 * Daily CSAT from the chats CSV (the ratings endpoint has only period totals): good ÷ (good + bad) per
 * local day of `started`, null for days without ratings. Every day of the range is present.
 */
export function csatByDay(
  csv: string,
  range: DateRange,
): { date: string; good: number; bad: number; csatPct: number | null }[] {
  const counts = new Map<string, { good: number; bad: number }>();
  const rows = parseCsv(csv);
  const header = rows[0] ?? [];
  const startedAt = header.indexOf('started');
  const ratingAt = header.indexOf('rating');
  if (startedAt >= 0 && ratingAt >= 0) {
    for (const row of rows.slice(1)) {
      const rating = row[ratingAt];
      if (rating !== 'good' && rating !== 'bad') continue;
      const date = (row[startedAt] ?? '').slice(0, 10);
      const c = counts.get(date) ?? { good: 0, bad: 0 };
      c[rating]++;
      counts.set(date, c);
    }
  }
  const out = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) {
    const c = counts.get(d) ?? { good: 0, bad: 0 };
    const rated = c.good + c.bad;
    out.push({ date: d, ...c, csatPct: rated === 0 ? null : Math.round((c.good / rated) * 10000) / 100 });
  }
  return out;
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into rows of fields; a trailing newline adds no row. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// ---------- coverage bars ----------

export type SegmentKind = 'before' | 'covered' | 'gap' | 'outside' | 'future';

export interface Segment {
  /** Minutes from local midnight (wall clock), 0–1440. */
  from: number;
  to: number;
  kind: SegmentKind;
}

/** 'HH:MM' → minutes; '24:00' → 1440. */
export function clockToMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** 570 → '09:30', 1440 → '24:00'. */
export function minutesToClock(min: number): string {
  const m = Math.round(min);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * One day's 0–24 h bar: the part before the site was created as "before"; gaps as reported; the rest of the elapsed day is covered when coverage is measured
 * against the whole day, or "outside" (covered or outside business hours, see the hourly strip) when it is
 * measured against business hours; the part after now is "future". Wall-clock scale of 1440 minutes
 * (on DST change days the hour that is skipped or repeated is not drawn twice).
 */
export function coverageSegments(day: DayCoverage, basis: 'elapsed' | 'business'): Segment[] {
  const DAY = 1440;
  // Before the site existed nothing is measured; `measuredFromLocal` is absent in older answers.
  const start = clockToMinutes(day.measuredFromLocal ?? '00:00');
  const end =
    start >= DAY
      ? DAY
      : Math.min(DAY, day.elapsedMinutes + start >= day.dayMinutes ? DAY : start + day.elapsedMinutes);
  const gaps = day.gaps
    .map((g) => ({ from: clockToMinutes(g.fromLocal), to: Math.min(end, clockToMinutes(g.toLocal)) }))
    .filter((g) => g.to > g.from)
    .sort((a, b) => a.from - b.from);
  const rest: SegmentKind = basis === 'elapsed' ? 'covered' : 'outside';
  const out: Segment[] = [];
  if (start > 0) out.push({ from: 0, to: Math.min(DAY, start), kind: 'before' });
  let at = Math.min(DAY, start);
  for (const g of gaps) {
    if (g.from > at) out.push({ from: at, to: g.from, kind: rest });
    out.push({ from: Math.max(g.from, at), to: g.to, kind: 'gap' });
    at = Math.max(at, g.to);
  }
  if (end > at) out.push({ from: at, to: end, kind: rest });
  if (DAY > end) out.push({ from: end, to: DAY, kind: 'future' });
  return out.filter((s) => s.to > s.from);
}

/** Heatmap cell level 0–4 of a count relative to the busiest cell (0 only for zero). */
export function heatLevel(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.min(4, Math.max(1, Math.ceil((count / max) * 4)));
}
