import type { Eta } from '@beseda/shared';

/**
 * The queue wait model the relay should use is `estimateQueueWait` / `estimateQueueWaits` (queue-wait.ts):
 * it follows each slot's current chat, how long it has run, and per-operator durations. `estimateWait`
 * below (one average over total capacity) stays for callers not yet moved over; docs/eta.md compares both.
 */
export {
  estimateQueueWait,
  estimateQueueWaits,
  type OperatorLoad,
  type QueueWaitInput,
} from './queue-wait.js';

/**
 * Estimated wait for the visitor at `position` (1 = next). With `capacity` busy slots whose chats last
 * `avgHandlingMs` on average, slots free up at a rate of capacity / avgHandlingMs, so the visitor at
 * position p waits for the p-th release: mean p·D/C with relative spread 1/√p (Erlang). D itself is an
 * average of `samples` recent chats, uncertain by 1/√samples, so the two relative spreads add in
 * quadrature. Returned as mean ± spread, clamped at zero. No online capacity → null: nobody can promise a time.
 */
export function estimateWait(
  position: number,
  capacity: number,
  avgHandlingMs: number,
  samples = Number.POSITIVE_INFINITY,
): Eta | null {
  if (capacity <= 0 || position < 1) return null;
  const mean = (position * avgHandlingMs) / capacity;
  const spread = mean * Math.sqrt(1 / position + 1 / Math.max(1, samples));
  return {
    minSeconds: Math.max(0, Math.floor((mean - spread) / 1000)),
    maxSeconds: Math.max(1, Math.ceil((mean + spread) / 1000)),
  };
}

/** Rolling average of recent chat durations (assigned → ended), with a prior for the first chats. */
export class HandlingTimes {
  private readonly samples: number[] = [];
  constructor(
    private readonly window = 50,
    private readonly priorMs = 5 * 60_000,
  ) {}
  add(durationMs: number): void {
    if (!(durationMs >= 0)) return;
    this.samples.push(durationMs);
    if (this.samples.length > this.window) this.samples.shift();
  }
  /** How many real chats the average rests on (0 = only the prior). */
  /** The recent durations themselves (oldest first), for models that use the distribution. */
  values(): readonly number[] {
    return this.samples;
  }
  count(): number {
    return this.samples.length;
  }
  average(): number {
    if (this.samples.length === 0) return this.priorMs;
    return this.samples.reduce((a, b) => a + b, 0) / this.samples.length;
  }
}
