import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY, formatDate, HOUR, parseDate, TzCalendar, weekdayOf } from './tz.js';

const iso = (t: number) => new Date(t).toISOString();
const prague = new TzCalendar('Europe/Prague');

describe('TzCalendar (Europe/Prague)', () => {
  it('an ordinary day starts at local midnight and lasts 24 h', () => {
    const d = parseDate('2026-03-10')!;
    expect(iso(prague.dayStart(d))).toBe('2026-03-09T23:00:00.000Z');
    expect(prague.dayLength(d)).toBe(24 * HOUR);
  });

  it('2026-03-29 (spring forward 02:00 → 03:00) lasts 23 h and has no hour 2', () => {
    const d = parseDate('2026-03-29')!;
    expect(iso(prague.dayStart(d))).toBe('2026-03-28T23:00:00.000Z');
    expect(prague.dayLength(d)).toBe(23 * HOUR);
    expect(iso(prague.wallTime(d, 120))).toBe('2026-03-29T01:00:00.000Z'); // 02:00 does not exist → 03:00
    expect(iso(prague.wallTime(d, 150))).toBe('2026-03-29T01:30:00.000Z'); // 02:30 → 03:30
    expect(iso(prague.wallTime(d, 180))).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST
    expect(prague.hourOf(Date.parse('2026-03-29T01:00:00Z'))).toBe(3);
  });

  it('2026-10-25 (fall back 03:00 → 02:00) lasts 25 h and hour 2 happens twice', () => {
    const d = parseDate('2026-10-25')!;
    expect(iso(prague.dayStart(d))).toBe('2026-10-24T22:00:00.000Z');
    expect(prague.dayLength(d)).toBe(25 * HOUR);
    expect(iso(prague.wallTime(d, 120))).toBe('2026-10-25T00:00:00.000Z'); // first 02:00 (CEST)
    expect(iso(prague.wallTime(d, 180))).toBe('2026-10-25T02:00:00.000Z'); // 03:00 CET
    expect(prague.hourOf(Date.parse('2026-10-25T00:30:00Z'))).toBe(2);
    expect(prague.hourOf(Date.parse('2026-10-25T01:30:00Z'))).toBe(2);
    expect(prague.formatInstant(Date.parse('2026-10-25T00:30:00Z'))).toBe('2026-10-25T02:30:00+02:00');
    expect(prague.formatInstant(Date.parse('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30:00+01:00');
  });

  it('dayOf puts each instant on the local date whose [start, next start) holds it', () => {
    const d = parseDate('2026-10-25')!;
    expect(prague.dayOf(prague.dayStart(d))).toBe(d);
    expect(prague.dayOf(prague.dayStart(d) - 1)).toBe(d - 1);
    expect(prague.dayOf(prague.dayStart(d + 1) - 1)).toBe(d);
  });

  it('a gap at midnight: America/Santiago 2026-09-06 starts at 01:00 and lasts 23 h', () => {
    const s = new TzCalendar('America/Santiago');
    const d = parseDate('2026-09-06')!;
    expect(s.formatInstant(s.dayStart(d))).toBe('2026-09-06T01:00:00-03:00');
    expect(s.dayLength(d)).toBe(23 * HOUR);
  });

  it('property: days tile time (every day starts where the previous ended, 23–25 h long)', () => {
    const zones = [
      'Europe/Prague',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kolkata',
      'UTC',
      'America/Santiago',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 18_000, max: 22_000 }), (zone, day) => {
        const cal = new TzCalendar(zone);
        const len = cal.dayLength(day);
        expect(len).toBeGreaterThanOrEqual(23 * HOUR);
        expect(len).toBeLessThanOrEqual(25 * HOUR);
        expect(cal.dayOf(cal.dayStart(day))).toBe(day);
        expect(cal.dayOf(cal.dayStart(day + 1) - 1)).toBe(day);
      }),
    );
  });
});

describe('offsets', () => {
  /** Independent reference: Intl's wall clock read back as UTC. */
  function intlOffset(zone: string, t: number): number {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
        .formatToParts(t)
        .map((p) => [p.type, Number(p.value)]),
    );
    return (
      Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) -
      (t - (t % 1000))
    );
  }

  it('property: the per-day cache (with bisected changes) agrees with Intl at any instant', () => {
    const zones = [
      'Europe/Prague',
      'America/New_York',
      'Australia/Lord_Howe',
      'America/Santiago',
      'Asia/Tehran',
    ];
    const cals = new Map(zones.map((z) => [z, new TzCalendar(z)]));
    // Dense around the 2026 changes, plus anywhere in 2000–2040.
    const near = fc.constantFrom(
      Date.parse('2026-03-29T01:00:00Z'),
      Date.parse('2026-10-25T01:00:00Z'),
      Date.parse('2026-03-08T07:00:00Z'),
      Date.parse('2026-04-05T02:00:00Z'),
    );
    const instant = fc.oneof(
      fc.tuple(near, fc.integer({ min: -3 * 3600, max: 3 * 3600 })).map(([t, s]) => t + s * 1000),
      fc
        .integer({
          min: Date.parse('2000-01-01T00:00:00Z') / 1000,
          max: Date.parse('2040-01-01T00:00:00Z') / 1000,
        })
        .map((s) => s * 1000),
    );
    fc.assert(
      fc.property(fc.constantFrom(...zones), instant, (zone, t) => {
        expect(cals.get(zone)!.offsetAt(t)).toBe(intlOffset(zone, t));
      }),
      { numRuns: 500 },
    );
  });
});

describe('dates', () => {
  it('parses only real calendar dates', () => {
    expect(parseDate('2026-03-29')).toBe(Date.UTC(2026, 2, 29) / DAY);
    expect(parseDate('2026-02-29')).toBeNull();
    expect(parseDate('2026-2-1')).toBeNull();
    expect(parseDate('x')).toBeNull();
    expect(formatDate(parseDate('2024-02-29')!)).toBe('2024-02-29');
  });
  it('weekday 0 = Sunday', () => {
    expect(weekdayOf(parseDate('2026-03-29')!)).toBe(0);
    expect(weekdayOf(parseDate('2026-03-10')!)).toBe(2);
    expect(weekdayOf(parseDate('1969-12-31')!)).toBe(3);
  });
  it('an unknown zone is refused by the constructor', () => {
    expect(TzCalendar.isValidZone('Mars/Olympus')).toBe(false);
    expect(() => new TzCalendar('Mars/Olympus')).toThrow(RangeError);
  });
});
