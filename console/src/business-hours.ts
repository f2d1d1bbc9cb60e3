import type { SiteSettings } from '@beseda/shared/types';
import './i18n/pages.js';
import { t, weekdayName } from './i18n/index.js';

/**
 * The admin editor's view of a site's business hours: one row per weekday (Monday first, as people read
 * a week) with zero or more "09:00–17:00" ranges, converted to and from the stored
 * `{days: [{day: 0 = Sunday, from, to}]}` in minutes from local midnight.
 */
export type BusinessHours = NonNullable<SiteSettings['businessHours']>;

export interface RangeRow {
  from: string;
  to: string;
}
export interface DayRow {
  /** 0 = Sunday, as stored. */
  day: number;
  label: string;
  ranges: RangeRow[];
}

export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;
const LABELS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** 540 → "09:00"; 1440 → "24:00" (end of day). */
export function minutesToHhmm(minutes: number): string {
  const m = Math.max(0, Math.min(1440, Math.round(minutes)));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** "9:00" or "09:00" → 540; "24:00" → 1440; null when not a time of day. */
export function hhmmToMinutes(value: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return null;
  return h * 60 + min;
}

export function toEditor(hours: BusinessHours | null): DayRow[] {
  return WEEK_ORDER.map((day) => ({
    day,
    label: LABELS[day] ?? String(day),
    ranges: (hours?.days ?? [])
      .filter((d) => d.day === day)
      .sort((a, b) => a.from - b.from)
      .map((d) => ({ from: minutesToHhmm(d.from), to: minutesToHhmm(d.to) })),
  }));
}

export type EditorResult = { ok: true; hours: BusinessHours } | { ok: false; error: string };

/** Validates every range (a real time, from before to, no overlap within a day) and builds the value. */
export function fromEditor(rows: readonly DayRow[]): EditorResult {
  const days: BusinessHours['days'] = [];
  for (const row of rows) {
    const ranges: Array<{ from: number; to: number }> = [];
    for (const r of row.ranges) {
      const from = hhmmToMinutes(r.from);
      const to = hhmmToMinutes(r.to);
      if (from === null || to === null)
        return { ok: false, error: t('hours.badTime', { day: weekdayName(row.day) }) };
      if (from >= to)
        return { ok: false, error: t('hours.order', { day: weekdayName(row.day), from: r.from, to: r.to }) };
      ranges.push({ from, to });
    }
    ranges.sort((a, b) => a.from - b.from);
    for (let i = 1; i < ranges.length; i++) {
      if ((ranges[i]?.from ?? 0) < (ranges[i - 1]?.to ?? 0))
        return { ok: false, error: t('hours.overlap', { day: weekdayName(row.day) }) };
    }
    for (const r of ranges) days.push({ day: row.day, ...r });
  }
  if (days.length > 28) return { ok: false, error: t('hours.tooMany') };
  return { ok: true, hours: { days } };
}

/** A typical shop week to start from when an owner switches business hours on. */
export function defaultWeek(): DayRow[] {
  return toEditor({
    days: [1, 2, 3, 4, 5].map((day) => ({ day, from: 9 * 60, to: 17 * 60 })),
  });
}
