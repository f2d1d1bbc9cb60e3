import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayDistribution } from './source.js';
import {
  abandonmentPct,
  compare,
  csatPct,
  percentile,
  percentileOf,
  previousRange,
  rangeDays,
} from './stats.js';

describe('percentiles (linear interpolation between closest ranks)', () => {
  it('hand-computed values', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5); // mean of the two middle values
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90)).toBe(91); // h = 8.1
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110], 90)).toBe(100); // h = 9
    expect(percentile([5, 1, 9], 0)).toBe(1);
    expect(percentile([5, 1, 9], 100)).toBe(9);
    expect(() => percentile([1], 99.5)).toThrow(RangeError);
  });

  it('property: the rank-based version equals the array version and lies between min and max', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 100 }),
        async (values, p) => {
          const d = arrayDistribution(values);
          const got = await percentileOf(d.count, p, d.valuesAt);
          expect(got).toBe(percentile(values, p));
          expect(got!).toBeGreaterThanOrEqual(Math.min(...values));
          expect(got!).toBeLessThanOrEqual(Math.max(...values));
        },
      ),
    );
  });
});

describe('ratios and comparison', () => {
  it('CSAT = good ÷ (good + bad); abandonment = missed ÷ (assigned + missed)', () => {
    expect(csatPct(3, 1)).toBe(75);
    expect(csatPct(0, 0)).toBeNull();
    expect(csatPct(2, 1)).toBe(66.67);
    expect(abandonmentPct(1, 3)).toBe(25);
    expect(abandonmentPct(0, 0)).toBeNull();
    expect(abandonmentPct(5, 0)).toBe(100);
  });

  it('compares with the previous period', () => {
    expect(compare(10, 8)).toEqual({ value: 10, previous: 8, delta: 2, deltaPct: 25 });
    expect(compare(3, 0)).toEqual({ value: 3, previous: 0, delta: 3, deltaPct: null });
    expect(compare(null, 5)).toEqual({ value: null, previous: 5, delta: null, deltaPct: null });
    expect(compare(31.25, 8.33).delta).toBe(22.92);
  });

  it('the previous period has the same length and ends the day before', () => {
    expect(previousRange({ from: 100, to: 106 })).toEqual({ from: 93, to: 99 });
    expect(rangeDays({ from: 100, to: 100 })).toBe(1);
    expect(previousRange({ from: 100, to: 100 })).toEqual({ from: 99, to: 99 });
  });
});
