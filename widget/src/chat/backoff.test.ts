import { describe, expect, it } from 'vitest';
import { backoff } from './backoff.js';

describe('backoff (full jitter)', () => {
  it('stays within [0, min(max, min·2^attempt))', () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const cap = Math.min(30_000, 500 * 2 ** attempt);
      for (const r of [0, 0.25, 0.5, 0.999999]) {
        const d = backoff(attempt, 500, 30_000, () => r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(cap);
      }
    }
  });

  it('grows exponentially until the cap, then stays there', () => {
    const top = (attempt: number) => backoff(attempt, 500, 30_000, () => 0.999999);
    expect(top(0)).toBe(499);
    expect(top(1)).toBe(999);
    expect(top(3)).toBe(3999);
    expect(top(6)).toBe(29_999);
    expect(top(1000)).toBe(29_999); // 2^1000 overflows to Infinity; the cap still holds
  });

  it('is full jitter: the delay is spread over the whole window, not clustered at the top', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const delays = Array.from({ length: 2000 }, () => backoff(10, 500, 30_000, random));
    expect(Math.min(...delays)).toBeLessThan(1500);
    expect(Math.max(...delays)).toBeGreaterThan(28_500);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(mean).toBeGreaterThan(13_500);
    expect(mean).toBeLessThan(16_500);
  });

  it('tolerates a random source outside [0, 1) and negative attempts', () => {
    expect(backoff(2, 100, 1000, () => 1.5)).toBe(400);
    expect(backoff(2, 100, 1000, () => -1)).toBe(0);
    expect(backoff(-3, 100, 1000, () => 0.5)).toBe(50);
  });
});
