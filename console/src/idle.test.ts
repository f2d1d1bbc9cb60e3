import { describe, expect, it } from 'vitest';
import { ACTIVITY_REPORT_MS, createActivityReporter } from './idle.js';

function reporter(connected = () => true) {
  let t = 1_000_000;
  const sent: number[] = [];
  const r = createActivityReporter({
    now: () => t,
    report: () => {
      if (!connected()) return false;
      sent.push(t);
      return true;
    },
  });
  return {
    r,
    sent,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('activity reports (the server decides auto-away)', () => {
  it('reports the first input at once, then at most once per period however busy the operator is', () => {
    const { r, sent, advance } = reporter();
    r.input();
    for (let i = 0; i < 100; i++) {
      advance(100);
      r.input();
    }
    expect(sent).toHaveLength(1);
    advance(ACTIVITY_REPORT_MS);
    r.input();
    expect(sent).toHaveLength(2);
    expect(sent[1]! - sent[0]!).toBeGreaterThanOrEqual(ACTIVITY_REPORT_MS);
  });

  it('the first input after a quiet spell is reported at once (it ends an automatic away)', () => {
    const { r, sent, advance } = reporter();
    r.input();
    advance(10 * 60_000);
    r.input();
    expect(sent).toEqual([1_000_000, 1_000_000 + 10 * 60_000]);
  });

  it('an input while disconnected is tried again on the next input; a reconnect reports at once', () => {
    let up = false;
    const { r, sent, advance } = reporter(() => up);
    r.input();
    expect(sent).toEqual([]);
    up = true;
    advance(10);
    r.input();
    expect(sent).toHaveLength(1);
    advance(10);
    r.reset();
    r.input();
    expect(sent).toHaveLength(2);
  });
});
