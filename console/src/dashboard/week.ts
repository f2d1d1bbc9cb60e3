import { weekdayName } from '../i18n/index.js';

/** Monday first, as owners read a work week; the API's rows are Sunday = 0. */
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

/** Short weekday names in the console's language, Monday first: [weekday, label]. */
export function weekRows(): [number, string][] {
  return WEEK_ORDER.map((wd) => [wd, weekdayName(wd, 'short')]);
}

/** '9' → '09:00' for hour labels. */
export const hourClock = (h: number) => `${String(h).padStart(2, '0')}:00`;
