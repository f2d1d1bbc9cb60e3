import type {
  CoverageGap,
  CoverageReport,
  CoverageTotals,
  DayCoverage,
  HourCoverage,
} from '@beseda/shared/types';
import type { BusinessHours } from '../store/types.js';
import { clip, gapsWithin, type Interval, intersect, lengthWithin, totalLength, union } from './intervals.js';
import { pct } from './stats.js';
import { formatDate, MINUTE, type TzCalendar, weekdayOf } from './tz.js';

/** One stretch in which one operator was `online` for one site; `to` null = still online. */
export interface OperatorInterval {
  operatorId: string;
  from: number;
  to: number | null;
}

/** Wire shapes of the coverage answer, declared once in shared/src/dashboard.ts. */
export type { CoverageGap, CoverageReport, CoverageTotals, DayCoverage, HourCoverage };

export interface CoverageInput {
  cal: TzCalendar;
  /** Inclusive local day numbers. */
  fromDay: number;
  toDay: number;
  now: number;
  businessHours: BusinessHours | null;
  intervals: readonly OperatorInterval[];
  /**
   * When the site was created: time before it is not measured (issue #12.9), so the days before
   * installation are not outages and the creation day counts from that instant.
   */
  since?: number;
}

/** Closes open intervals at `now` and drops whatever lies after it. */
function upTo(intervals: readonly OperatorInterval[], now: number): Interval[] {
  return intervals.map((i) => ({ from: i.from, to: Math.min(i.to ?? now, now) }));
}

/**
 * The business-hour windows of local date `day` as instants: every entry for the day's weekday,
 * `[from, to)` minutes after local midnight; an entry with `to < from` runs past midnight and continues on
 * the next date until `to`. Wall times are resolved like `TzCalendar.wallTime` (DST-safe).
 */
export function businessWindows(cal: TzCalendar, day: number, hours: BusinessHours): Interval[] {
  const wd = weekdayOf(day);
  const prev = weekdayOf(day - 1);
  const out: Interval[] = [];
  for (const e of hours.days) {
    if (e.day === wd) {
      const end = e.to < e.from ? 1440 : Math.min(e.to, 1440);
      out.push({ from: cal.wallTime(day, e.from), to: cal.wallTime(day, end) });
    }
    if (e.day === prev && e.to < e.from)
      out.push({ from: cal.wallTime(day, 0), to: cal.wallTime(day, e.to) });
  }
  return union(out);
}

const minutes = (ms: number) => ms / MINUTE;

/**
 * Coverage (DESIGN §5): the union of all intervals in which at least one operator was online, measured
 * per local day and per local hour of day. Exact to the millisecond; minutes are ms ÷ 60,000.
 */
export function computeCoverage(input: CoverageInput): CoverageReport {
  const { cal, now, businessHours } = input;
  const covered = union(upTo(input.intervals, now));
  const byOperator = new Map<string, Interval[]>();
  for (const i of input.intervals) {
    const list = byOperator.get(i.operatorId) ?? [];
    list.push({ from: i.from, to: Math.min(i.to ?? now, now) });
    byOperator.set(i.operatorId, list);
  }
  const operatorUnions = [...byOperator].map(([id, list]) => [id, union(list)] as const);

  const hourSums = Array.from({ length: 24 }, () => ({
    covered: 0,
    elapsed: 0,
    business: 0,
    coveredBusiness: 0,
  }));
  const days: DayCoverage[] = [];
  const totals = { covered: 0, elapsed: 0, business: 0, coveredBusiness: 0, gapCount: 0, gapMs: 0 };

  for (let d = input.fromDay; d <= input.toDay; d++) {
    const start = cal.dayStart(d);
    const end = cal.dayStart(d + 1);
    // The measured part of the day: from local midnight or the site's creation, whichever is later, to now.
    const measuredFrom = Math.min(end, Math.max(start, input.since ?? start));
    const elapsedWindow = { from: measuredFrom, to: Math.max(measuredFrom, Math.min(end, now)) };
    const coveredMs = lengthWithin(covered, { from: start, to: end });
    const elapsedMs = elapsedWindow.to - elapsedWindow.from;

    let business: Interval[] | null = null;
    let coveredBusiness: Interval[] | null = null;
    if (businessHours) {
      business = union(businessWindows(cal, d, businessHours).flatMap((w) => clip([w], elapsedWindow)));
      coveredBusiness = intersect(covered, business);
    }
    const businessMs = business ? totalLength(business) : null;
    const coveredBusinessMs = coveredBusiness ? totalLength(coveredBusiness) : null;

    const gapIntervals = business
      ? business.flatMap((w) => gapsWithin(covered, w))
      : gapsWithin(covered, elapsedWindow);
    const gaps = gapIntervals
      .filter((g) => g.to > g.from)
      .map((g) => ({
        from: g.from,
        to: g.to,
        minutes: minutes(g.to - g.from),
        fromLocal: cal.formatClock(g.from),
        toLocal: g.to === end ? '24:00' : cal.formatClock(g.to),
      }));

    const operatorIds = operatorUnions
      .filter(([, list]) => lengthWithin(list, elapsedWindow) > 0)
      .map(([id]) => id)
      .sort();

    const hours: number[] = [];
    const starts = cal.hourStarts(d);
    for (let h = 0; h < 24; h++) {
      const seg = { from: starts[h]!, to: starts[h + 1]! };
      const c = lengthWithin(covered, seg);
      hours.push(minutes(c));
      const sum = hourSums[h]!;
      sum.covered += c;
      sum.elapsed += Math.max(0, Math.min(seg.to, elapsedWindow.to) - Math.max(seg.from, elapsedWindow.from));
      if (business && coveredBusiness) {
        sum.business += lengthWithin(business, seg);
        sum.coveredBusiness += lengthWithin(coveredBusiness, seg);
      }
    }

    totals.covered += coveredMs;
    totals.elapsed += elapsedMs;
    totals.business += businessMs ?? 0;
    totals.coveredBusiness += coveredBusinessMs ?? 0;
    totals.gapCount += gaps.length;
    totals.gapMs += gaps.reduce((n, g) => n + g.to - g.from, 0);

    days.push({
      date: formatDate(d),
      dayMinutes: minutes(end - start),
      elapsedMinutes: minutes(elapsedMs),
      measuredFromLocal:
        measuredFrom === start ? '00:00' : measuredFrom === end ? '24:00' : cal.formatClock(measuredFrom),
      coveredMinutes: minutes(coveredMs),
      businessMinutes: businessMs === null ? null : minutes(businessMs),
      coveredBusinessMinutes: coveredBusinessMs === null ? null : minutes(coveredBusinessMs),
      // Covered time never lies after `now`, so covered ÷ elapsed is the share of the elapsed day.
      coveragePct: businessMs === null ? pct(coveredMs, elapsedMs) : pct(coveredBusinessMs ?? 0, businessMs),
      gaps,
      operatorsOnline: operatorIds.length,
      operatorIds,
      hours,
    });
  }

  const withBusiness = businessHours !== null;
  return {
    basis: withBusiness ? 'business' : 'elapsed',
    days,
    byHour: hourSums.map((s, hour) => ({
      hour,
      coveredMinutes: minutes(s.covered),
      elapsedMinutes: minutes(s.elapsed),
      businessMinutes: withBusiness ? minutes(s.business) : null,
      coveredBusinessMinutes: withBusiness ? minutes(s.coveredBusiness) : null,
      coveragePct: withBusiness ? pct(s.coveredBusiness, s.business) : pct(s.covered, s.elapsed),
    })),
    totals: {
      coveredMinutes: minutes(totals.covered),
      elapsedMinutes: minutes(totals.elapsed),
      businessMinutes: withBusiness ? minutes(totals.business) : null,
      coveredBusinessMinutes: withBusiness ? minutes(totals.coveredBusiness) : null,
      coveragePct: withBusiness
        ? pct(totals.coveredBusiness, totals.business)
        : pct(totals.covered, totals.elapsed),
      gapCount: totals.gapCount,
      gapMinutes: minutes(totals.gapMs),
    },
  };
}

/** Online time in ms of each operator within `window` (their own union: overlapping records count once). */
export function onlineMsByOperator(
  intervals: readonly OperatorInterval[],
  window: Interval,
  now: number,
): Map<string, number> {
  const byOperator = new Map<string, Interval[]>();
  for (const i of intervals) {
    const list = byOperator.get(i.operatorId) ?? [];
    list.push({ from: i.from, to: Math.min(i.to ?? now, now) });
    byOperator.set(i.operatorId, list);
  }
  const out = new Map<string, number>();
  for (const [id, list] of byOperator) out.set(id, lengthWithin(union(list), window));
  return out;
}
