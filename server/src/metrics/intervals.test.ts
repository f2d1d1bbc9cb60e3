import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clip, gapsWithin, type Interval, intersect, lengthWithin, totalLength, union } from './intervals.js';

const iv = (from: number, to: number): Interval => ({ from, to });

describe('interval union', () => {
  it('merges overlapping, nested and touching intervals; drops empty ones', () => {
    expect(union([iv(10, 20), iv(15, 30), iv(12, 14), iv(30, 35), iv(40, 40), iv(50, 45), iv(0, 5)])).toEqual(
      [iv(0, 5), iv(10, 35)],
    );
    expect(totalLength(union([iv(0, 10), iv(2, 3), iv(5, 12)]))).toBe(12);
  });

  it('clip, lengthWithin, gaps and intersect', () => {
    const u = union([iv(0, 10), iv(20, 30), iv(40, 50)]);
    expect(clip(u, iv(5, 45))).toEqual([iv(5, 10), iv(20, 30), iv(40, 45)]);
    expect(lengthWithin(u, iv(5, 45))).toBe(20);
    expect(gapsWithin(u, iv(5, 45))).toEqual([iv(10, 20), iv(30, 40)]);
    expect(gapsWithin(u, iv(60, 70))).toEqual([iv(60, 70)]);
    expect(intersect(u, [iv(8, 22), iv(45, 100)])).toEqual([iv(8, 10), iv(20, 22), iv(45, 50)]);
  });

  const arbIntervals = fc.array(
    fc
      .tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 200 }))
      .map(([a, len]) => iv(a, a + len)),
    { maxLength: 30 },
  );

  it('property: the union is sorted, disjoint, no longer than the sum and covers every input point', () => {
    fc.assert(
      fc.property(arbIntervals, (list) => {
        const u = union(list);
        for (let i = 1; i < u.length; i++) expect(u[i]!.from).toBeGreaterThan(u[i - 1]!.to);
        expect(totalLength(u)).toBeLessThanOrEqual(list.reduce((n, i) => n + Math.max(0, i.to - i.from), 0));
        for (const i of list) if (i.to > i.from) expect(lengthWithin(u, i)).toBe(i.to - i.from);
      }),
    );
  });

  it('property: covered + gaps = window', () => {
    fc.assert(
      fc.property(
        arbIntervals,
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 600 }),
        (list, a, len) => {
          const u = union(list);
          const w = iv(a, a + len);
          expect(lengthWithin(u, w) + totalLength(gapsWithin(u, w))).toBe(len);
        },
      ),
    );
  });
});
