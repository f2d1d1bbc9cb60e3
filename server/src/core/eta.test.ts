import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateWait, HandlingTimes } from './eta.js';

describe('estimateWait', () => {
  it('is null when nobody can take chats', () => {
    expect(estimateWait(1, 0, 60_000)).toBeNull();
  });

  it('moves when an operator joins or leaves (capacity is part of the estimate)', () => {
    const one = estimateWait(3, 2, 300_000)!;
    const more = estimateWait(3, 4, 300_000)!;
    const fewer = estimateWait(3, 1, 300_000)!;
    expect(more.maxSeconds).toBeLessThan(one.maxSeconds);
    expect(fewer.maxSeconds).toBeGreaterThan(one.maxSeconds);
  });

  it('centres on position × duration ÷ capacity', () => {
    const eta = estimateWait(4, 2, 120_000)!;
    // mean 240 s, spread 120 s
    expect(eta).toEqual({ minSeconds: 120, maxSeconds: 360 });
  });

  it('property: a range that grows with position and never goes negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1000, max: 3_600_000 }),
        (p, c, d) => {
          const a = estimateWait(p, c, d)!;
          const b = estimateWait(p + 1, c, d)!;
          expect(a.minSeconds).toBeGreaterThanOrEqual(0);
          expect(a.maxSeconds).toBeGreaterThanOrEqual(a.minSeconds);
          expect(b.maxSeconds).toBeGreaterThanOrEqual(a.maxSeconds);
        },
      ),
    );
  });
});

describe('HandlingTimes', () => {
  it('uses the prior until it has samples, then a rolling window', () => {
    const h = new HandlingTimes(3, 1000);
    expect(h.average()).toBe(1000);
    h.add(10);
    h.add(20);
    h.add(30);
    h.add(40);
    expect(h.average()).toBe(30);
  });
});
