import { describe, expect, it } from 'vitest';
import { model, WORKLOAD } from './capacity-model.js';

describe('capacity model', () => {
  it('derives the peak message rate from the stated workload', () => {
    // 10,000 × 10 % chatting = 1,000 chats; 10-minute chats → 1.67 starts/s, × 3 peak = 5/s, × 20 messages.
    const r = model(10_000, { ...WORKLOAD });
    expect(r.chats).toBe(1000);
    expect(r.chatStartsPerSec).toBeCloseTo(5, 9);
    expect(r.msgPerSec).toBeCloseTo(100, 9);
  });

  it('scales loads linearly with visitors, and never plans fewer than two nodes', () => {
    const small = model(10_000, { ...WORKLOAD });
    const big = model(1_000_000, { ...WORKLOAD });
    expect(big.msgPerSec / small.msgPerSec).toBeCloseTo(100, 6);
    expect(big.rowWritesPerSec / small.rowWritesPerSec).toBeCloseTo(100, 6);
    expect(small.nodes).toBeGreaterThanOrEqual(2);
    expect(big.nodes).toBeGreaterThan(small.nodes);
  });

  it('puts queue-view fan-out on the busiest site only', () => {
    const one = model(1_000_000, { ...WORKLOAD, biggestSiteShare: 1 });
    const many = model(1_000_000, { ...WORKLOAD, biggestSiteShare: 0.01 });
    expect(many.queueFramesPerSec).toBeCloseTo(one.queueFramesPerSec / 100, 3);
  });
});
