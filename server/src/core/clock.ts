/**
 * The core never reads the wall clock or arms a real timer itself: tests pass a FakeClock (time moves only
 * when the test advances it, and due timers fire then, in deadline order), the server passes systemClock.
 */
export interface Clock {
  now(): number;
  /** Runs `fn` once after `delayMs` (never blocks process exit). Returns a cancel function. */
  setTimer(delayMs: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, fn) {
    const t = setTimeout(fn, Math.max(0, delayMs));
    t.unref?.();
    return () => clearTimeout(t);
  },
};

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  private timers: Pending[] = [];
  private seq = 0;

  constructor(private t = 0) {}

  now(): number {
    return this.t;
  }

  setTimer(delayMs: number, fn: () => void): () => void {
    const p: Pending = { at: this.t + Math.max(0, delayMs), seq: this.seq++, fn };
    this.timers.push(p);
    return () => {
      this.timers = this.timers.filter((x) => x !== p);
    };
  }

  /** Moves time forward, firing every timer that falls due on the way at its own deadline. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.nextDue(end);
      if (!next) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = end;
  }

  set(ms: number): void {
    if (ms >= this.t) this.advance(ms - this.t);
    else this.t = ms;
  }

  /** Timers still waiting (for assertions). */
  pending(): number {
    return this.timers.length;
  }

  private nextDue(end: number): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.timers)
      if (p.at <= end && (!best || p.at < best.at || (p.at === best.at && p.seq < best.seq))) best = p;
    return best;
  }
}
