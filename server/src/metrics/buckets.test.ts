import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_LEVELS, blocksOf, bucketFloor, bucketOf, decomposeDays } from './buckets.js';

describe('value buckets', () => {
  it('small values have their own bucket; larger ones are ~2 % wide', () => {
    expect([0, 1, 31].map(bucketOf)).toEqual([0, 1, 31]);
    expect(bucketOf(32)).toBe(32);
    expect(bucketFloor(bucketOf(30_000))).toBeLessThanOrEqual(30_000);
    expect(bucketFloor(bucketOf(30_000) + 1)).toBeGreaterThan(30_000);
    expect(bucketFloor(bucketOf(30_000) + 1) - bucketFloor(bucketOf(30_000))).toBe(512); // 2^14 … 2^15: 32 buckets
  });

  it('property: buckets keep order and bucketFloor bounds each value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 2 }),
        fc.integer({ min: 0, max: 2 ** 31 - 2 }),
        (a, b) => {
          if (a <= b) expect(bucketOf(a)).toBeLessThanOrEqual(bucketOf(b));
          expect(bucketFloor(bucketOf(a))).toBeLessThanOrEqual(a);
          expect(bucketFloor(bucketOf(a) + 1)).toBeGreaterThan(a);
        },
      ),
    );
  });
});

describe('day blocks', () => {
  it('decomposes a year into few blocks', () => {
    const parts = decomposeDays(20_454, 20_818);
    expect(parts.length).toBeLessThanOrEqual(8);
    expect(parts.reduce((n, p) => n + (p.to - p.from + 1) * BLOCK_LEVELS[p.level]!, 0)).toBe(365);
  });

  it('property: every day of the range is covered by exactly one block, nothing outside', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2000, max: 30_000 }), fc.integer({ min: 0, max: 4000 }), (from, len) => {
        const to = from + len;
        const seen = new Map<number, number>();
        for (const p of decomposeDays(from, to)) {
          const size = BLOCK_LEVELS[p.level]!;
          for (let b = p.from; b <= p.to; b++) {
            for (let d = b * size; d < (b + 1) * size; d++) seen.set(d, (seen.get(d) ?? 0) + 1);
          }
        }
        expect(seen.size).toBe(len + 1);
        const wrong = [...seen].filter(([d, n]) => n !== 1 || d < from || d > to);
        expect(wrong).toEqual([]);
        for (const d of [from, to]) expect(blocksOf(d)[0]).toBe(d);
        expect(decomposeDays(from, to).length).toBeLessThanOrEqual(7 * 2 * 3 + 10);
      }),
      { numRuns: 200 },
    );
  });
});
