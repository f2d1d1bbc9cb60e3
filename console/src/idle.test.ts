import { describe, expect, it } from 'vitest';
import { autoAwayMs, type Clock, createIdleTracker, idleStep, initialIdleState } from './idle.js';

/** A clock the test moves by hand; timers fire in order as time passes. */
class FakeClock implements Clock {
  t = 1_000_000;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== id);
  };
  get pending() {
    return this.timers.length;
  }
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const due = this.timers[0];
      if (!due || due.at > end) break;
      this.timers.shift();
      this.t = due.at;
      due.fn();
    }
    this.t = end;
  }
}

const MIN = 60_000;

function setup(status: 'online' | 'away' | 'offline' = 'online', timeoutMs = 5 * MIN) {
  const clock = new FakeClock();
  const effects: string[] = [];
  const tracker = createIdleTracker({ clock, status, timeoutMs, onEffect: (e) => effects.push(e) });
  return { clock, effects, tracker };
}

describe('idle tracker', () => {
  it('goes away after the timeout without input, once', () => {
    const { clock, effects, tracker } = setup();
    clock.advance(5 * MIN - 1);
    expect(effects).toEqual([]);
    clock.advance(1);
    expect(effects).toEqual(['go-away']);
    tracker.status('away');
    clock.advance(60 * MIN);
    expect(effects).toEqual(['go-away']);
    expect(clock.pending).toBe(0);
  });

  it('input postpones the away by the full timeout', () => {
    const { clock, effects, tracker } = setup();
    clock.advance(4 * MIN);
    tracker.input();
    clock.advance(4 * MIN);
    expect(effects).toEqual([]);
    clock.advance(MIN);
    expect(effects).toEqual(['go-away']);
  });

  it('comes back online on input only after an automatic away', () => {
    const { clock, effects, tracker } = setup();
    clock.advance(5 * MIN);
    tracker.status('away');
    tracker.input();
    expect(effects).toEqual(['go-away', 'go-online']);
    tracker.status('online');
    tracker.input();
    expect(effects).toEqual(['go-away', 'go-online']);
    // And the cycle starts again.
    clock.advance(5 * MIN);
    expect(effects.at(-1)).toBe('go-away');
  });

  it('never lifts an away the operator chose', () => {
    const { clock, effects, tracker } = setup();
    tracker.manual('away');
    clock.advance(30 * MIN);
    tracker.input();
    expect(effects).toEqual([]);
  });

  it('a manual choice after an automatic away is respected', () => {
    const { clock, effects, tracker } = setup();
    clock.advance(5 * MIN);
    tracker.status('away');
    tracker.manual('offline');
    tracker.input();
    expect(effects).toEqual(['go-away']);
  });

  it('does nothing for an offline operator or when the site turned it off', () => {
    const off = setup('offline');
    off.clock.advance(60 * MIN);
    expect(off.effects).toEqual([]);
    const disabled = setup('online', 0);
    disabled.clock.advance(600 * MIN);
    expect(disabled.effects).toEqual([]);
    expect(disabled.clock.pending).toBe(0);
  });

  it('another console setting me online ends our automatic away', () => {
    const { clock, effects, tracker } = setup();
    clock.advance(5 * MIN);
    tracker.status('away');
    tracker.status('online'); // set in another tab
    tracker.input();
    expect(effects).toEqual(['go-away']);
  });

  it('applies a changed timeout at once, counting from the last input', () => {
    const { clock, effects, tracker } = setup('online', 0);
    clock.advance(3 * MIN);
    tracker.setTimeoutMs(2 * MIN);
    expect(effects).toEqual(['go-away']);
  });

  it('stops its timer', () => {
    const { clock, effects, tracker } = setup();
    tracker.stop();
    clock.advance(60 * MIN);
    expect(effects).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});

describe('idleStep', () => {
  it('is a pure function of state and event', () => {
    const s = initialIdleState(0, 'online', 1000);
    expect(idleStep(s, { type: 'tick', at: 999 })).toEqual({ state: s, effect: null });
    const away = idleStep(s, { type: 'tick', at: 1000 });
    expect(away.effect).toBe('go-away');
    expect(s.auto).toBe(false);
  });

  it('uses the shortest enabled site delay', () => {
    expect(autoAwayMs([0, 10, 5])).toBe(5 * MIN);
    expect(autoAwayMs([0])).toBe(0);
    expect(autoAwayMs([])).toBe(0);
  });
});
