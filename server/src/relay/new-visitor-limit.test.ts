import { describe, expect, it } from 'vitest';
import { NewVisitorLimit } from './new-visitor-limit.js';

describe('NewVisitorLimit', () => {
  it('admits `limit` distinct new visitors per address per minute; the same id again is free', () => {
    let now = 0;
    const limit = new NewVisitorLimit(3, () => now);
    expect(['a', 'b', 'c'].map((id) => limit.admit('1.1.1.1', id))).toEqual([true, true, true]);
    expect(limit.admit('1.1.1.1', 'd')).toBe(false);
    expect(limit.admit('1.1.1.1', 'b')).toBe(true); // a reconnect of a visitor already counted
    expect(limit.admit('2.2.2.2', 'd')).toBe(true); // another address has its own window
    now = 59_999;
    expect(limit.admit('1.1.1.1', 'd')).toBe(false);
    now = 60_000;
    expect(limit.admit('1.1.1.1', 'd')).toBe(true);
  });

  it('counts every session without an id', () => {
    const limit = new NewVisitorLimit(2, () => 0);
    expect([null, null, null].map((id) => limit.admit('1.1.1.1', id))).toEqual([true, true, false]);
  });
});
