import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateQueueWait, estimateQueueWaits, type OperatorLoad, printable } from './queue-wait.js';

const MIN = 60_000;
const NOW = 10_000_000;
const history = Array.from({ length: 40 }, (_, i) => 2 * MIN + (i % 9) * 30_000); // 2–6 min
const busy = (n: number, since: number): OperatorLoad => ({
  capacity: n,
  activeSince: Array.from({ length: n }, () => NOW - since),
});
const mid = (e: { minSeconds: number; maxSeconds: number } | null) =>
  e ? (e.minSeconds + e.maxSeconds) / 2 : NaN;

describe('estimateQueueWait', () => {
  it('is null when no online operator takes chats', () => {
    expect(
      estimateQueueWait({ now: NOW, position: 1, operators: [], recentDurationsMs: history }),
    ).toBeNull();
    expect(
      estimateQueueWait({
        now: NOW,
        position: 1,
        operators: [{ capacity: 0, activeSince: [] }],
        recentDurationsMs: history,
      }),
    ).toBeNull();
  });

  it('moves when an operator joins or leaves', () => {
    const two = [busy(2, MIN), busy(2, MIN)];
    const base = estimateQueueWait({ now: NOW, position: 4, operators: two, recentDurationsMs: history })!;
    const joined = estimateQueueWait({
      now: NOW,
      position: 4,
      operators: [...two, busy(2, MIN)],
      recentDurationsMs: history,
    })!;
    const left = estimateQueueWait({
      now: NOW,
      position: 4,
      operators: [two[0]!],
      recentDurationsMs: history,
    })!;
    expect(mid(joined)).toBeLessThan(mid(base));
    expect(mid(left)).toBeGreaterThan(mid(base));
  });

  it('counts how long the current chats have run: chats that started together end late together', () => {
    // Six chats that all just started: the first slot frees only after the shortest chat (≥ 2 min)
    const fresh = estimateQueueWait({
      now: NOW,
      position: 1,
      operators: [busy(2, 0), busy(2, 0), busy(2, 0)],
      recentDurationsMs: history,
    })!;
    expect(fresh.minSeconds).toBeGreaterThanOrEqual(60);
    // The same six chats 5 minutes in: one ends any moment now
    const late = estimateQueueWait({
      now: NOW,
      position: 1,
      operators: [busy(2, 5 * MIN), busy(2, 5 * MIN), busy(2, 5 * MIN)],
      recentDurationsMs: history,
    })!;
    expect(late.minSeconds).toBe(0);
    expect(late.maxSeconds).toBeLessThanOrEqual(60);
  });

  it('a free slot means the next visitor is assigned now', () => {
    const e = estimateQueueWait({
      now: NOW,
      position: 1,
      operators: [{ capacity: 2, activeSince: [NOW - MIN] }],
      recentDurationsMs: history,
    })!;
    expect(e).toEqual({ minSeconds: 0, maxSeconds: 60 });
  });

  it("a slow operator's own history slows their slots down", () => {
    const slow = Array.from({ length: 20 }, () => 15 * MIN);
    const withSlow = estimateQueueWait({
      now: NOW,
      position: 3,
      operators: [
        { ...busy(2, 0), recentDurationsMs: slow },
        { ...busy(2, 0), recentDurationsMs: slow },
      ],
      recentDurationsMs: history,
    })!;
    const normal = estimateQueueWait({
      now: NOW,
      position: 3,
      operators: [busy(2, 0), busy(2, 0)],
      recentDurationsMs: history,
    })!;
    expect(mid(withSlow)).toBeGreaterThan(mid(normal) * 2);
  });

  it('is pure: the same input gives the same range', () => {
    const input = {
      now: NOW,
      position: 5,
      operators: [busy(2, MIN), busy(3, 2 * MIN)],
      recentDurationsMs: history,
    };
    expect(estimateQueueWait(input)).toEqual(estimateQueueWait(input));
  });

  it('property: whole minutes, never reversed, never earlier for a later position', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            capacity: fc.integer({ min: 0, max: 4 }),
            since: fc.integer({ min: 0, max: 20 * MIN }),
          }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        fc.array(fc.integer({ min: 1000, max: 30 * MIN }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 12 }),
        (ops, durations, max) => {
          const operators = ops.map((o) => busy(o.capacity, o.since));
          const all = estimateQueueWaits(
            { now: NOW, operators, recentDurationsMs: durations, samples: 60 },
            max,
          );
          expect(all).toHaveLength(max);
          const slots = ops.reduce((n, o) => n + o.capacity, 0);
          for (let i = 0; i < all.length; i++) {
            const e = all[i];
            if (slots === 0) {
              expect(e).toBeNull();
              continue;
            }
            expect(e!.minSeconds % 60).toBe(0);
            expect(e!.maxSeconds % 60).toBe(0);
            expect(e!.maxSeconds).toBeGreaterThanOrEqual(Math.max(60, e!.minSeconds));
            if (i > 0) expect(e!.maxSeconds).toBeGreaterThanOrEqual(all[i - 1]!.maxSeconds);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('prints outwards to whole minutes', () => {
    expect(printable(20_000, 50_000)).toEqual({ minSeconds: 0, maxSeconds: 60 });
    expect(printable(150_000, 250_000)).toEqual({ minSeconds: 120, maxSeconds: 300 });
  });
});
