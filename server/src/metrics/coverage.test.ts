import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessWindows, computeCoverage, type OperatorInterval, onlineMsByOperator } from './coverage.js';
import { HOUR, MINUTE, parseDate, TzCalendar } from './tz.js';

const cal = new TzCalendar('Europe/Prague');
/** Local Prague wall time on a date → ms. */
const at = (date: string, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return cal.wallTime(parseDate(date)!, h! * 60 + m!);
};
const on = (
  operatorId: string,
  date: string,
  from: string,
  toDate: string,
  to: string,
): OperatorInterval => ({
  operatorId,
  from: at(date, from),
  to: at(toDate, to),
});
const FAR_FUTURE = Date.parse('2030-01-01T00:00:00Z');

function cover(
  intervals: OperatorInterval[],
  from: string,
  to: string,
  now = FAR_FUTURE,
  businessHours = null,
) {
  return computeCoverage({
    cal,
    fromDay: parseDate(from)!,
    toDay: parseDate(to)!,
    now,
    businessHours,
    intervals,
  });
}

describe('coverage (hand-computed, Europe/Prague)', () => {
  // Tue 2026-03-10: A 08–12, B 10–14 (overlaps A), C 09–10 (nested in A), D 22:00 → Wed 02:00 (across midnight).
  const intervals = [
    on('A', '2026-03-10', '08:00', '2026-03-10', '12:00'),
    on('B', '2026-03-10', '10:00', '2026-03-10', '14:00'),
    on('C', '2026-03-10', '09:00', '2026-03-10', '10:00'),
    on('D', '2026-03-10', '22:00', '2026-03-11', '02:00'),
  ];

  it('overlapping and nested intervals count once; an interval across midnight is split between days', () => {
    const r = cover(intervals, '2026-03-10', '2026-03-11');
    const [tue, wed] = r.days;
    expect(tue).toMatchObject({
      dayMinutes: 1440,
      elapsedMinutes: 1440,
      coveredMinutes: 480,
      coveragePct: 33.33,
    });
    expect(tue!.operatorIds).toEqual(['A', 'B', 'C', 'D']);
    expect(tue!.gaps.map((g) => [g.fromLocal, g.toLocal, g.minutes])).toEqual([
      ['00:00', '08:00', 480],
      ['14:00', '22:00', 480],
    ]);
    expect(tue!.hours.filter((m) => m > 0)).toEqual([60, 60, 60, 60, 60, 60, 60, 60]);
    expect(wed).toMatchObject({
      coveredMinutes: 120,
      operatorsOnline: 1,
      operatorIds: ['D'],
      coveragePct: 8.33,
    });
    expect(wed!.hours.slice(0, 3)).toEqual([60, 60, 0]);
    expect(r.byHour[0]).toMatchObject({ coveredMinutes: 60, elapsedMinutes: 120, coveragePct: 50 });
    expect(r.totals).toMatchObject({
      coveredMinutes: 600,
      elapsedMinutes: 2880,
      coveragePct: 20.83,
      gapCount: 3,
    }); // Wed: one gap 02:00–24:00
  });

  it('today: only the elapsed part counts, an open interval runs until now', () => {
    const now = at('2026-03-10', '12:00');
    const r = cover(
      [
        on('A', '2026-03-10', '08:00', '2026-03-10', '11:00'),
        { operatorId: 'B', from: at('2026-03-10', '10:00'), to: null },
        on('D', '2026-03-10', '22:00', '2026-03-11', '02:00'),
      ],
      '2026-03-10',
      '2026-03-11',
      now,
    );
    expect(r.days[0]).toMatchObject({
      elapsedMinutes: 720,
      coveredMinutes: 240,
      coveragePct: 33.33,
      operatorIds: ['A', 'B'],
    });
    expect(r.days[0]!.gaps.map((g) => [g.fromLocal, g.toLocal])).toEqual([['00:00', '08:00']]);
    expect(r.days[1]).toMatchObject({ elapsedMinutes: 0, coveredMinutes: 0, coveragePct: null, gaps: [] });
  });

  it('spring forward (2026-03-29, 23 h): 01:00–04:00 local is 2 h, hour 2 has no length', () => {
    const r = cover([on('A', '2026-03-29', '01:00', '2026-03-29', '04:00')], '2026-03-29', '2026-03-29');
    const d = r.days[0]!;
    expect(d).toMatchObject({
      dayMinutes: 1380,
      elapsedMinutes: 1380,
      coveredMinutes: 120,
      coveragePct: 8.7,
    });
    expect(d.hours.slice(0, 5)).toEqual([0, 60, 0, 60, 0]);
    expect(r.byHour[2]).toMatchObject({ elapsedMinutes: 0, coveragePct: null });
    const all = cover([on('A', '2026-03-29', '00:00', '2026-03-30', '00:00')], '2026-03-29', '2026-03-29');
    expect(all.days[0]).toMatchObject({ coveredMinutes: 1380, coveragePct: 100, gaps: [] });
  });

  it('fall back (2026-10-25, 25 h): 01:00–04:00 local is 4 h, hour 2 lasts 120 min', () => {
    const r = cover([on('A', '2026-10-25', '01:00', '2026-10-25', '04:00')], '2026-10-25', '2026-10-25');
    const d = r.days[0]!;
    expect(d).toMatchObject({ dayMinutes: 1500, coveredMinutes: 240, coveragePct: 16 });
    expect(d.hours.slice(0, 5)).toEqual([0, 60, 120, 60, 0]);
    expect(r.byHour[2]).toMatchObject({ coveredMinutes: 120, elapsedMinutes: 120, coveragePct: 100 });
  });

  it('business hours: coverage % of open hours; overnight entries continue the next day; DST-safe', () => {
    const hours = {
      days: [
        { day: 2, from: 9 * 60, to: 17 * 60 },
        { day: 5, from: 22 * 60, to: 2 * 60 }, // Friday 22:00 → Saturday 02:00
      ],
    };
    const r = computeCoverage({
      cal,
      fromDay: parseDate('2026-03-10')!,
      toDay: parseDate('2026-03-11')!,
      now: FAR_FUTURE,
      businessHours: hours,
      intervals,
    });
    expect(r.basis).toBe('business');
    // Tuesday 09–17 open, covered 09–14.
    expect(r.days[0]).toMatchObject({ businessMinutes: 480, coveredBusinessMinutes: 300, coveragePct: 62.5 });
    expect(r.days[0]!.gaps.map((g) => [g.fromLocal, g.toLocal])).toEqual([['14:00', '17:00']]);
    // Wednesday: closed; coverage is still measured but has no percentage.
    expect(r.days[1]).toMatchObject({ businessMinutes: 0, coveredMinutes: 120, coveragePct: null, gaps: [] });
    const fri = parseDate('2026-03-27')!;
    expect(businessWindows(cal, fri, hours).map((w) => (w.to - w.from) / MINUTE)).toEqual([120]);
    expect(businessWindows(cal, fri + 1, hours).map((w) => (w.to - w.from) / MINUTE)).toEqual([120]);
    // Sunday 2026-03-29 01:00–04:00 (wall clock) spans the skipped hour: 2 real hours.
    const sunday = { days: [{ day: 0, from: 60, to: 240 }] };
    expect(businessWindows(cal, parseDate('2026-03-29')!, sunday).map((w) => (w.to - w.from) / HOUR)).toEqual(
      [2],
    );
  });

  it('online minutes per operator count an operator’s overlapping records once', () => {
    const m = onlineMsByOperator(
      [
        on('A', '2026-03-10', '08:00', '2026-03-10', '12:00'),
        on('A', '2026-03-10', '11:00', '2026-03-10', '13:00'),
        on('B', '2026-03-10', '23:00', '2026-03-11', '01:00'),
      ],
      { from: at('2026-03-10', '00:00'), to: at('2026-03-11', '00:00') },
      FAR_FUTURE,
    );
    expect(Object.fromEntries(m)).toEqual({ A: 300 * MINUTE, B: 60 * MINUTE });
  });
});

describe('coverage properties', () => {
  const base = at('2026-10-23', '00:00'); // spans the 25-hour day 2026-10-25 and ordinary days
  const span = 5 * 24 * HOUR;
  const arbInterval = fc
    .tuple(
      fc.constantFrom('A', 'B', 'C'),
      fc.integer({ min: 0, max: span }),
      fc.integer({ min: 0, max: 30 * HOUR }),
    )
    .map(([operatorId, off, len]) => ({ operatorId, from: base + off, to: base + off + len }));

  it('never exceeds the day (or the elapsed part of it); hours add up to the day', () => {
    fc.assert(
      fc.property(
        fc.array(arbInterval, { maxLength: 12 }),
        fc.integer({ min: 0, max: span }),
        (list, nowOff) => {
          const r = cover(list, '2026-10-23', '2026-10-27', base + nowOff);
          for (const d of r.days) {
            expect(d.coveredMinutes).toBeLessThanOrEqual(d.elapsedMinutes + 1e-9);
            expect(d.elapsedMinutes).toBeLessThanOrEqual(d.dayMinutes);
            expect(d.hours.reduce((a, b) => a + b, 0)).toBeCloseTo(d.coveredMinutes, 9);
            expect(d.coveragePct === null || (d.coveragePct >= 0 && d.coveragePct <= 100)).toBe(true);
          }
        },
      ),
    );
  });

  it('equals the sum of the lengths for disjoint intervals inside one day', () => {
    const day = at('2026-10-25', '00:00');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 10 }), (lengths) => {
        // Laid end to end with one-minute gaps, all inside the 25-hour day.
        let t = day;
        const list: OperatorInterval[] = lengths.map((len, i) => {
          const i0 = { operatorId: `op${i % 3}`, from: t, to: t + len * MINUTE };
          t += (len + 1) * MINUTE;
          return i0;
        });
        const r = cover(list, '2026-10-25', '2026-10-25');
        expect(r.days[0]!.coveredMinutes).toBe(lengths.reduce((a, b) => a + b, 0));
      }),
    );
  });
});

describe('coverage counted from the site creation (issue #12.9)', () => {
  // The site was created on Tue 2026-03-10 at 13:30 Prague time; A was online 14:00–16:00 that day.
  const created = at('2026-03-10', '13:30');
  const intervals = [on('A', '2026-03-10', '14:00', '2026-03-10', '16:00')];
  const measure = (businessHours: null | { days: { day: number; from: number; to: number }[] } = null) =>
    computeCoverage({
      cal,
      fromDay: parseDate('2026-03-09')!,
      toDay: parseDate('2026-03-10')!,
      now: at('2026-03-10', '18:00'),
      businessHours: businessHours as never,
      intervals,
      since: created,
    });

  it('the day before creation is not measured: no gap, no elapsed time, no percentage', () => {
    const mon = measure().days[0]!;
    expect(mon).toMatchObject({
      date: '2026-03-09',
      elapsedMinutes: 0,
      measuredFromLocal: '24:00',
      coveragePct: null,
      gaps: [],
    });
    expect(mon.hours.every((m) => m === 0)).toBe(true);
  });

  it('the creation day counts from 13:30: gaps 13:30–14:00 and 16:00–18:00 only', () => {
    const r = measure();
    const tue = r.days[1]!;
    expect(tue.measuredFromLocal).toBe('13:30');
    expect(tue.elapsedMinutes).toBe(270);
    expect(tue.coveredMinutes).toBe(120);
    expect(tue.coveragePct).toBe(44.44);
    expect(tue.gaps.map((g) => `${g.fromLocal}–${g.toLocal}`)).toEqual(['13:30–14:00', '16:00–18:00']);
    expect(r.totals).toMatchObject({ elapsedMinutes: 270, gapCount: 2, gapMinutes: 150 });
    // Hour 13 of the week's profile counts only the 30 minutes after creation.
    expect(r.byHour[13]).toMatchObject({ elapsedMinutes: 30, coveredMinutes: 0 });
    expect(r.byHour[0]!.elapsedMinutes).toBe(0);
  });

  it('with business hours 09–17 every day, the creation day counts 13:30–17:00 and no gap is empty', () => {
    const days = Array.from({ length: 7 }, (_, day) => ({ day, from: 9 * 60, to: 17 * 60 }));
    const r = measure({ days });
    expect(r.days[0]).toMatchObject({ businessMinutes: 0, coveragePct: null, gaps: [] });
    const tue = r.days[1]!;
    expect(tue.businessMinutes).toBe(210);
    expect(tue.coveredBusinessMinutes).toBe(120);
    expect(tue.gaps.map((g) => `${g.fromLocal}–${g.toLocal}`)).toEqual(['13:30–14:00', '16:00–17:00']);
    for (const d of r.days) for (const g of d.gaps) expect(g.to).toBeGreaterThan(g.from);
  });
});
