/**
 * Calendar arithmetic in one IANA time zone, from Intl.DateTimeFormat only (no tz database of our own).
 *
 * A *day number* is the count of calendar days since 1970-01-01 of a local date (1970-01-01 = 0), so
 * `2026-03-29` is the same day number in every zone; what differs between zones is the instant at which
 * that day starts and how long it lasts (23 h or 25 h on DST change days).
 *
 * Local wall times that do not exist (the skipped hour in spring) or exist twice (the repeated hour in
 * autumn) are resolved like Temporal's `disambiguation: 'compatible'`: a skipped time moves forward by the
 * length of the gap, a repeated time means its first occurrence.
 */

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const MAX_CACHE = 200_000;

const mod = (a: number, n: number) => ((a % n) + n) % n;

export class TzCalendar {
  readonly timeZone: string;
  private readonly fmt: Intl.DateTimeFormat;
  /** Per UTC day number: its offset, or its single offset change. */
  private readonly offsets = new Map<number, number | { at: number; before: number; after: number }>();
  private readonly starts = new Map<number, number>();

  /** Throws a RangeError for a zone Intl does not know. */
  constructor(timeZone: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    this.timeZone = this.fmt.resolvedOptions().timeZone;
  }

  static isValidZone(timeZone: string): boolean {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      return true;
    } catch {
      return false;
    }
  }

  /** Local time minus UTC at instant `t`, in ms (e.g. +7,200,000 for CEST). */
  offsetAt(t: number): number {
    const d = Math.floor(t / DAY);
    let e = this.offsets.get(d);
    if (e === undefined) {
      e = this.scanUtcDay(d);
      if (this.offsets.size >= MAX_CACHE) this.offsets.clear();
      this.offsets.set(d, e);
    }
    return typeof e === 'number' ? e : t < e.at ? e.before : e.after;
  }

  /**
   * The offset over one UTC day: a constant, or the one change in it (found by bisection to the second;
   * tz data has at most one change per day). Two Intl calls per day instead of one per lookup.
   */
  private scanUtcDay(d: number): number | { at: number; before: number; after: number } {
    const first = d * DAY;
    const before = this.rawOffset(first);
    const after = this.rawOffset(first + DAY - 1000);
    if (before === after) return before;
    let lo = first / 1000; // seconds; rawOffset(lo) = before
    let hi = (first + DAY - 1000) / 1000; // rawOffset(hi) = after
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.rawOffset(mid * 1000) === before) lo = mid;
      else hi = mid;
    }
    return { at: hi * 1000, before, after };
  }

  private rawOffset(t: number): number {
    let y = 0;
    let mo = 0;
    let d = 0;
    let h = 0;
    let mi = 0;
    let s = 0;
    for (const p of this.fmt.formatToParts(t)) {
      switch (p.type) {
        case 'year':
          y = Number(p.value);
          break;
        case 'month':
          mo = Number(p.value);
          break;
        case 'day':
          d = Number(p.value);
          break;
        case 'hour':
          h = Number(p.value);
          break;
        case 'minute':
          mi = Number(p.value);
          break;
        case 'second':
          s = Number(p.value);
          break;
      }
    }
    const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
    return asUtc - (t - mod(t, 1000));
  }

  /**
   * The instant at which local wall time `minute` minutes after the start of local date `day` occurs
   * (`minute` may be 1440: the next midnight). Assumes at most one offset change within ±1 day.
   */
  wallTime(day: number, minute: number): number {
    const local = day * DAY + minute * MINUTE;
    const before = this.offsetAt(local - DAY);
    const after = this.offsetAt(local + DAY);
    let best: number | null = null;
    for (const o of before === after ? [before] : [before, after]) {
      const t = local - o;
      if (t + this.offsetAt(t) === local && (best === null || t < best)) best = t;
    }
    // In a gap: keep the offset from before the change, which lands after the gap by its length.
    return best ?? local - before;
  }

  /** The first instant of local date `day` (local midnight, or the end of a gap that swallowed it). */
  dayStart(day: number): number {
    let t = this.starts.get(day);
    if (t === undefined) {
      t = this.wallTime(day, 0);
      if (this.starts.size >= MAX_CACHE) this.starts.clear();
      this.starts.set(day, t);
    }
    return t;
  }

  /**
   * The 25 instants at which local hours 0, 1, …, 23 of `day` start, then the next day's start. On a DST
   * change day a skipped hour starts where the next one does (length 0) and a repeated hour lasts 2 h.
   */
  hourStarts(day: number): number[] {
    const start = this.dayStart(day);
    const end = this.dayStart(day + 1);
    const out: number[] = [];
    if (end - start === DAY && this.offsetAt(start) === this.offsetAt(end - 1)) {
      // No offset change during the day (the usual case): plain arithmetic.
      for (let h = 0; h < 24; h++) out.push(start + h * HOUR);
    } else {
      for (let h = 0; h < 24; h++) out.push(Math.min(end, Math.max(start, this.wallTime(day, h * 60))));
    }
    out.push(end);
    return out;
  }

  /** Length of local date `day` in ms: 24 h, or 23 h / 25 h on DST change days. */
  dayLength(day: number): number {
    return this.dayStart(day + 1) - this.dayStart(day);
  }

  /** The local date (day number) instant `t` falls in: dayStart(d) ≤ t < dayStart(d + 1). */
  dayOf(t: number): number {
    const d = Math.floor((t + this.offsetAt(t)) / DAY);
    if (t < this.dayStart(d)) return d - 1;
    if (t >= this.dayStart(d + 1)) return d + 1;
    return d;
  }

  /** Local hour of day 0–23 of instant `t` (the repeated autumn hour maps to the same hour twice). */
  hourOf(t: number): number {
    return Math.floor(mod(t + this.offsetAt(t), DAY) / HOUR);
  }

  /** Local minute of day 0–1439 of instant `t`. */
  minuteOf(t: number): number {
    return Math.floor(mod(t + this.offsetAt(t), DAY) / MINUTE);
  }

  /** `2026-03-29T14:05:09+02:00`: unambiguous also in the repeated hour. */
  formatInstant(t: number): string {
    const o = this.offsetAt(t);
    const local = new Date(t + o).toISOString().slice(0, 19);
    const sign = o < 0 ? '-' : '+';
    const abs = Math.abs(Math.round(o / MINUTE));
    return `${local}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  }

  /** `14:05` local wall clock of instant `t`. */
  formatClock(t: number): string {
    const m = this.minuteOf(t);
    return `${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`;
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** 0 = Sunday … 6 = Saturday of a day number (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return mod(day + 4, 7);
}

/** `YYYY-MM-DD` → day number, or null when it is not a real calendar date. */
export function parseDate(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return t / DAY;
}

/** Day number → `YYYY-MM-DD`. */
export function formatDate(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

const calendars = new Map<string, TzCalendar>();

/** One shared calendar (and offset cache) per zone; an unknown zone falls back to UTC. */
export function calendarFor(timeZone: string): TzCalendar {
  let cal = calendars.get(timeZone);
  if (!cal) {
    cal = TzCalendar.isValidZone(timeZone) ? new TzCalendar(timeZone) : new TzCalendar('UTC');
    calendars.set(timeZone, cal);
  }
  return cal;
}
