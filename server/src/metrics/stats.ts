/** Small exact statistics shared by every dashboard figure. */
import type { Compared } from '@beseda/shared/types';

/** Wire shape, declared once in shared/src/dashboard.ts. */
export type { Compared };

/** Rounds to 2 decimals (percentages are reported like that). */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** num ÷ den as a percentage with 2 decimals; null when there is nothing to divide by. */
export function pct(num: number, den: number): number | null {
  return den === 0 ? null : round2((num / den) * 100);
}

/** CSAT = good ÷ (good + bad) of rated conversations, in percent. */
export function csatPct(good: number, bad: number): number | null {
  return pct(good, good + bad);
}

/** Abandonment rate = missed ÷ (assigned + missed), in percent. */
export function abandonmentPct(missed: number, assigned: number): number | null {
  return pct(missed, assigned + missed);
}

/** Arithmetic mean, or null for no values. */
export function mean(sum: number, count: number): number | null {
  return count === 0 ? null : sum / count;
}

/**
 * Which 0-based ranks the p-th percentile (p an integer 0–100) of n sorted values interpolates between:
 * linear interpolation between closest ranks (Hyndman & Fan type 7: numpy's default, Excel's
 * PERCENTILE.INC), h = (n − 1)·p/100, result x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). So the median of an
 * even count is the mean of the two middle values, p0 is the minimum and p100 the maximum. Integer
 * arithmetic picks the ranks, so no float error can move a rank; `frac` is in hundredths.
 */
export function percentileRanks(n: number, p: number): { lo: number; frac: number } {
  if (!Number.isInteger(p) || p < 0 || p > 100)
    throw new RangeError(`percentile must be an integer 0–100, got ${p}`);
  const scaled = (n - 1) * p;
  return { lo: Math.floor(scaled / 100), frac: scaled % 100 };
}

/** Interpolates between x[lo] and x[lo + 1]; (a·(100 − f) + b·f) / 100 is exact for integer inputs up to 2^46. */
export function interpolate(a: number, b: number | undefined, frac: number): number {
  return frac === 0 || b === undefined ? a : (a * (100 - frac) + b * frac) / 100;
}

/**
 * The p-th percentile of n values that a store holds sorted: `valuesAt(rank, count)` returns `count`
 * (1 or 2) consecutive values from 0-based `rank`, so only those rows are read.
 */
export async function percentileOf(
  n: number,
  p: number,
  valuesAt: (rank: number, count: 1 | 2) => Promise<number[]>,
): Promise<number | null> {
  if (n === 0) return null;
  const { lo, frac } = percentileRanks(n, p);
  const got = await valuesAt(lo, frac === 0 ? 1 : 2);
  const a = got[0];
  return a === undefined ? null : interpolate(a, got[1], frac);
}

/** The p-th percentile of an unsorted array: the reference every store-backed answer must equal. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const { lo, frac } = percentileRanks(sorted.length, p);
  return interpolate(sorted[lo]!, sorted[lo + 1], frac);
}

export function compare(value: number | null, previous: number | null): Compared {
  const both = value !== null && previous !== null;
  return {
    value,
    previous,
    // Rounded to 1e-6 only to drop float noise (31.25 − 8.33 = 22.919999999999998).
    delta: both ? Math.round((value - previous) * 1e6) / 1e6 : null,
    deltaPct: both && previous !== 0 ? round2(((value - previous) / Math.abs(previous)) * 100) : null,
  };
}

/** Inclusive range of local day numbers. */
export interface DayRange {
  from: number;
  to: number;
}

export function rangeDays(r: DayRange): number {
  return r.to - r.from + 1;
}

/** The previous period of equal length, ending the day before `r` starts. */
export function previousRange(r: DayRange): DayRange {
  const n = rangeDays(r);
  return { from: r.from - n, to: r.from - 1 };
}
