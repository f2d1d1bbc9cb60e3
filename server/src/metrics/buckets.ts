/**
 * Two small indexing schemes that let the SQLite rollups answer any date range without a full scan.
 *
 * Value buckets (log-linear, 32 per doubling, ≈2.2 % wide): a percentile is found by summing bucket counts
 * up to the bucket that holds the wanted rank, then reading only that bucket's values (exact answer).
 *
 * Day blocks: rollups are kept for single days and for aligned blocks of 8, 64 and 512 days, so a range
 * of days is the union of at most ~7 blocks per level per side instead of one row per day.
 */

const SUB_BITS = 5;
const SUB = 1 << SUB_BITS; // 32
const MAX_BUCKETED = 2 ** 31 - 1;

/** Bucket of a non-negative integer value (ms). Values below 32 have their own bucket; order is kept. */
export function bucketOf(value: number): number {
  const v = Math.min(Math.max(0, Math.floor(value)), MAX_BUCKETED);
  if (v < SUB) return v;
  const e = 31 - Math.clz32(v); // ⌊log2 v⌋ ≥ 5
  const sub = (v >>> (e - SUB_BITS)) & (SUB - 1);
  return SUB + (e - SUB_BITS) * SUB + sub;
}

/** Smallest value in bucket `b` (the bucket holds [bucketFloor(b), bucketFloor(b + 1))). */
export function bucketFloor(b: number): number {
  if (b < SUB) return b;
  const e = SUB_BITS + Math.floor((b - SUB) / SUB);
  const sub = (b - SUB) % SUB;
  return (SUB + sub) * 2 ** (e - SUB_BITS);
}

export const BLOCK_LEVELS = [1, 8, 64, 512] as const;
export type BlockLevel = 0 | 1 | 2 | 3;

/** The block of `day` at each level (floor division, so negative days work too). */
export function blocksOf(day: number): number[] {
  return BLOCK_LEVELS.map((size) => Math.floor(day / size));
}

export interface BlockRange {
  level: BlockLevel;
  /** Inclusive block numbers at that level. */
  from: number;
  to: number;
}

/**
 * Splits the inclusive day range [fromDay, toDay] into block ranges, each day covered exactly once and as
 * few rows as the levels allow: at most 7 blocks of a level on each side, plus the top-level run.
 */
export function decomposeDays(fromDay: number, toDay: number): BlockRange[] {
  const out: BlockRange[] = [];
  let lo = fromDay;
  let hi = toDay + 1; // exclusive
  const top = BLOCK_LEVELS.length - 1;
  for (let level = 0; level <= top && lo < hi; level++) {
    const size = BLOCK_LEVELS[level]!;
    const push = (a: number, b: number) => {
      if (b > a) out.push({ level: level as BlockLevel, from: a / size, to: b / size - 1 });
    };
    if (level === top) {
      push(lo, hi);
      break;
    }
    const next = BLOCK_LEVELS[level + 1]!;
    const loUp = Math.ceil(lo / next) * next;
    const hiDown = Math.floor(hi / next) * next;
    if (loUp >= hiDown) {
      // No whole block of the next level inside: this level covers the rest.
      push(lo, hi);
      break;
    }
    push(lo, loUp);
    push(hiDown, hi);
    lo = loUp;
    hi = hiDown;
  }
  return out;
}
