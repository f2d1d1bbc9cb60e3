import { describe, expect, it } from 'vitest';
import { simulateEta } from './eta-simulation.js';

// The figures asserted here are recorded in docs/eta.md; the test fails if the estimate gets worse.
describe('ETA accuracy in a simulated busy afternoon', () => {
  it('3 operators × capacity 2, 5-minute chats, a visitor every 55 s (90 % load)', () => {
    const r = simulateEta({
      seed: 7,
      operators: 3,
      capacity: 2,
      meanChatMs: 300_000,
      meanArrivalMs: 55_000,
      visitors: 2000,
    });
    expect(r.queued).toBeGreaterThan(200);
    expect(r.withinRange).toBeGreaterThan(0.5);
    expect(r.medianRelativeError).toBeLessThan(0.6);
  });

  it('1 operator × capacity 1 (a small shop), 4-minute chats, a visitor every 5 min', () => {
    const r = simulateEta({
      seed: 11,
      operators: 1,
      capacity: 1,
      meanChatMs: 240_000,
      meanArrivalMs: 300_000,
      visitors: 2000,
    });
    expect(r.queued).toBeGreaterThan(200);
    expect(r.withinRange).toBeGreaterThan(0.5);
  });
});
