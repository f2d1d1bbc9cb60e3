import { describe, expect, it } from 'vitest';
import { isWithinBusinessHours, localTime } from './business-hours.js';

// 2026-11-23 is a Monday.
const weekdays9to17 = { days: [1, 2, 3, 4, 5].map((day) => ({ day, from: 9 * 60, to: 17 * 60 })) };

describe('business hours in the site timezone', () => {
  it('reads local weekday and minute', () => {
    expect(localTime(Date.UTC(2026, 10, 23, 8, 30), 'Europe/Prague')).toEqual({
      day: 1,
      minute: 9 * 60 + 30,
    });
    expect(localTime(Date.UTC(2026, 10, 23, 8, 30), 'America/New_York')).toEqual({
      day: 1,
      minute: 3 * 60 + 30,
    });
  });

  it('is open inside and closed outside the hours, per timezone', () => {
    const at = Date.UTC(2026, 10, 23, 8, 30); // 09:30 in Prague, 03:30 in New York
    expect(isWithinBusinessHours(weekdays9to17, 'Europe/Prague', at)).toBe(true);
    expect(isWithinBusinessHours(weekdays9to17, 'America/New_York', at)).toBe(false);
    expect(isWithinBusinessHours(weekdays9to17, 'Europe/Prague', Date.UTC(2026, 10, 23, 16, 0))).toBe(false); // 17:00 closes
    expect(isWithinBusinessHours(weekdays9to17, 'Europe/Prague', Date.UTC(2026, 10, 22, 10, 0))).toBe(false); // Sunday
  });

  it('handles ranges across midnight and DST', () => {
    const night = { days: [{ day: 5, from: 22 * 60, to: 6 * 60 }] }; // Friday 22:00 → Saturday 06:00
    expect(isWithinBusinessHours(night, 'UTC', Date.UTC(2026, 10, 27, 23, 0))).toBe(true); // Fri 23:00
    expect(isWithinBusinessHours(night, 'UTC', Date.UTC(2026, 10, 28, 5, 59))).toBe(true); // Sat 05:59
    expect(isWithinBusinessHours(night, 'UTC', Date.UTC(2026, 10, 28, 6, 0))).toBe(false);
    // 2026-03-29 Prague switches to CEST: 08:30 UTC is 10:30 local (Sunday).
    const sunday = { days: [{ day: 0, from: 10 * 60, to: 11 * 60 }] };
    expect(isWithinBusinessHours(sunday, 'Europe/Prague', Date.UTC(2026, 2, 29, 8, 30))).toBe(true);
    expect(isWithinBusinessHours(sunday, 'Europe/Prague', Date.UTC(2026, 2, 22, 8, 30))).toBe(false); // 09:30 CET
  });

  it('no hours configured means always open', () => {
    expect(isWithinBusinessHours(null, 'UTC', 0)).toBe(true);
  });
});
