import { estimateWait, HandlingTimes } from './eta.js';

/** Deterministic PRNG (mulberry32) so the simulation's error figure is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SimulationParams {
  seed: number;
  operators: number;
  capacity: number;
  /** Mean chat duration, ms (exponential). */
  meanChatMs: number;
  /** Mean time between arrivals, ms (Poisson arrivals). */
  meanArrivalMs: number;
  visitors: number;
}

export interface SimulationResult {
  queued: number;
  /** Share of queued visitors whose actual wait fell inside the shown range. */
  withinRange: number;
  /** Median |actual − range midpoint| in seconds. */
  medianAbsErrorSeconds: number;
  /** Median of |actual − midpoint| ÷ actual, for waits over 10 s. */
  medianRelativeError: number;
}

/**
 * Discrete-event simulation of one site with a fake clock: visitors arrive, wait FIFO for a free slot,
 * chat for a random time. At enqueue each visitor is shown the relay's estimate (from the same
 * HandlingTimes window the relay keeps); we compare it with the wait that actually followed.
 */
export function simulateEta(p: SimulationParams): SimulationResult {
  const random = rng(p.seed);
  const exp = (mean: number) => -Math.log(1 - random()) * mean;
  const slots = p.operators * p.capacity;
  const handling = new HandlingTimes();
  const busyUntil: number[] = [];
  const waiting: { at: number; eta: { minSeconds: number; maxSeconds: number } | null }[] = [];
  const samples: { actual: number; min: number; max: number }[] = [];
  let now = 0;
  let nextArrival = exp(p.meanArrivalMs);
  let arrived = 0;

  const startChat = (t: number) => {
    const d = exp(p.meanChatMs);
    busyUntil.push(t + d);
    busyUntil.sort((a, b) => a - b);
    return d;
  };
  const durations = new Map<number, number>();

  while (arrived < p.visitors || busyUntil.length > 0 || waiting.length > 0) {
    const nextEnd = busyUntil[0] ?? Number.POSITIVE_INFINITY;
    if (arrived < p.visitors && nextArrival <= nextEnd) {
      now = nextArrival;
      arrived++;
      nextArrival = now + exp(p.meanArrivalMs);
      if (busyUntil.length < slots && waiting.length === 0) {
        const d = startChat(now);
        durations.set(now + d, d);
      } else {
        waiting.push({
          at: now,
          eta: estimateWait(waiting.length + 1, slots, handling.average(), handling.count()),
        });
      }
      continue;
    }
    if (!Number.isFinite(nextEnd)) break;
    now = nextEnd;
    busyUntil.shift();
    handling.add(durations.get(nextEnd) ?? p.meanChatMs);
    const next = waiting.shift();
    if (next) {
      if (next.eta)
        samples.push({ actual: (now - next.at) / 1000, min: next.eta.minSeconds, max: next.eta.maxSeconds });
      const d = startChat(now);
      durations.set(now + d, d);
    }
  }

  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? (s[Math.floor((s.length - 1) / 2)] ?? 0) : 0;
  };
  const within = samples.filter((s) => s.actual >= s.min && s.actual <= s.max).length;
  return {
    queued: samples.length,
    withinRange: samples.length ? within / samples.length : 0,
    medianAbsErrorSeconds: median(samples.map((s) => Math.abs(s.actual - (s.min + s.max) / 2))),
    medianRelativeError: median(
      samples.filter((s) => s.actual > 10).map((s) => Math.abs(s.actual - (s.min + s.max) / 2) / s.actual),
    ),
  };
}
