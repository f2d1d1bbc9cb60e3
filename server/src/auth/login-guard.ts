import type { Clock } from '../core/clock.js';

export interface LoginGuardOptions {
  /** Failures allowed before any delay (typos happen). */
  freeFailures: number;
  /** The first delay; each further failure doubles it, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key quiet for this long starts again from zero. */
  forgetAfterMs: number;
  /** Bounded memory: past this many keys the least recently failed one is forgotten. */
  maxKeys: number;
}

export const LOGIN_GUARD_DEFAULTS: LoginGuardOptions = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxKeys: 10_000,
};

interface Entry {
  failures: number;
  blockedUntil: number;
  lastFailureAt: number;
}

/**
 * Per-account backoff for sign-ins (issue #9 point 8). The per-IP limit alone lets a botnet guess one
 * account's password from many addresses; this doubles the wait after each failure for that account,
 * whichever address tries. Unknown emails are tracked exactly like real ones, so the answers never tell
 * whether an account exists. The delay is capped (not a lock-out) so an attacker can slow a real operator
 * down but not keep them out for long. Memory per node is bounded; on several nodes each keeps its own
 * count, which multiplies an attacker's rate by the node count at most.
 */
export class LoginGuard {
  private readonly entries = new Map<string, Entry>();
  private readonly opts: LoginGuardOptions;

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    opts: Partial<LoginGuardOptions> = {},
  ) {
    this.opts = { ...LOGIN_GUARD_DEFAULTS, ...opts };
  }

  /** Milliseconds until this key may try again; 0 = now. */
  retryAfterMs(key: string): number {
    const e = this.current(key);
    return e ? Math.max(0, e.blockedUntil - this.clock.now()) : 0;
  }

  failed(key: string): void {
    const now = this.clock.now();
    const e = this.current(key) ?? { failures: 0, blockedUntil: 0, lastFailureAt: now };
    e.failures += 1;
    e.lastFailureAt = now;
    const over = e.failures - this.opts.freeFailures;
    if (over > 0) {
      const delay = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** Math.min(over - 1, 30));
      e.blockedUntil = now + delay;
    }
    // Re-insert so Map order is least-recently-failed first, then evict from the front.
    this.entries.delete(key);
    this.entries.set(key, e);
    while (this.entries.size > this.opts.maxKeys) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  succeeded(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private current(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const now = this.clock.now();
    if (now - e.lastFailureAt > this.opts.forgetAfterMs && e.blockedUntil <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }
}
