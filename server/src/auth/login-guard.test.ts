import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { LoginGuard } from './login-guard.js';

describe('per-account login backoff', () => {
  it('allows a few typos, then doubles the wait after each failure up to the cap', () => {
    const clock = new FakeClock(1_000_000);
    const guard = new LoginGuard(clock, { freeFailures: 3, baseDelayMs: 1_000, maxDelayMs: 8_000 });
    for (let i = 0; i < 3; i++) guard.failed('ann@x');
    expect(guard.retryAfterMs('ann@x')).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      guard.failed('ann@x');
      waits.push(guard.retryAfterMs('ann@x'));
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    expect(guard.retryAfterMs('bob@x')).toBe(0);
    clock.advance(8_000);
    expect(guard.retryAfterMs('ann@x')).toBe(0);
  });

  it('a success clears the count; a key quiet for long enough starts again', () => {
    const clock = new FakeClock(0);
    const guard = new LoginGuard(clock, { freeFailures: 1, baseDelayMs: 1_000, forgetAfterMs: 60_000 });
    guard.failed('a');
    guard.failed('a');
    expect(guard.retryAfterMs('a')).toBe(1_000);
    guard.succeeded('a');
    expect(guard.retryAfterMs('a')).toBe(0);
    guard.failed('a');
    clock.advance(61_000);
    guard.failed('a');
    expect(guard.retryAfterMs('a')).toBe(0);
  });

  it('keeps memory bounded, forgetting the least recently failed key', () => {
    const guard = new LoginGuard(new FakeClock(0), { freeFailures: 0, maxKeys: 3 });
    for (const k of ['a', 'b', 'c']) guard.failed(k);
    guard.failed('a');
    guard.failed('d');
    expect(guard.size).toBe(3);
    expect(guard.retryAfterMs('b')).toBe(0);
    expect(guard.retryAfterMs('a')).toBeGreaterThan(0);
  });
});
