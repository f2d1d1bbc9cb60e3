import type { BusinessHours } from '../store/types.js';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Day of week (0 = Sunday) and minutes since local midnight of `at` in `timeZone`. */
export function localTime(at: number, timeZone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { day: WEEKDAYS.indexOf(get('weekday')), minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

/**
 * Whether `at` falls inside the site's business hours in its own timezone. No hours configured = always
 * open. A range with `to` ≤ `from` runs past midnight into the next day (e.g. a night shift 22:00–06:00).
 */
export function isWithinBusinessHours(hours: BusinessHours | null, timeZone: string, at: number): boolean {
  if (!hours || hours.days.length === 0) return true;
  const { day, minute } = localTime(at, timeZone);
  const yesterday = (day + 6) % 7;
  return hours.days.some((r) => {
    if (r.to > r.from) return r.day === day && minute >= r.from && minute < r.to;
    return (r.day === day && minute >= r.from) || (r.day === yesterday && minute < r.to);
  });
}
