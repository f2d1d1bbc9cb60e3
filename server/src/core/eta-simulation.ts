import type { Eta } from '@beseda/shared';
import { estimateWait, HandlingTimes } from './eta.js';
import { estimateQueueWait, type OperatorLoad } from './queue-wait.js';
import { rng } from './random.js';

export { rng } from './random.js';

/**
 * Discrete-event simulation of one site with a fake clock, to measure how often the range a queued
 * visitor is *first shown* (at enqueue, as printed by the widget) contains the wait that followed.
 * Visitors arrive, are assigned FIFO to a free slot (the operator with the most free capacity), chat for
 * a duration drawn from their operator's distribution; every chat that ends joins the history the next
 * estimates use (last 50, per site and per operator, as the relay keeps them).
 *
 * Two estimators: `queue` (core/queue-wait.ts, what the relay should call) and `average` (the old
 * `estimateWait` from one average, printed the old way: whole minutes with the lower end floored at 1).
 */

export interface OperatorSpec {
  capacity: number;
  /** Draws one chat duration (ms). */
  duration: (random: () => number) => number;
}

export interface Scenario {
  name: string;
  operators: OperatorSpec[];
  /** Arrival times (ms, ascending) of one trial. */
  arrivals: (random: () => number) => number[];
  /** Chats already in the history when a trial starts (0 = a fresh site). */
  history: number;
  trials: number;
  seed: number;
}

export interface SimulationResult {
  queued: number;
  /** Share of queued visitors whose actual wait fell inside the range as printed. */
  withinRange: number;
  /** Median width of the printed range, minutes. */
  medianWidthMinutes: number;
  /** Median |actual − range midpoint|, seconds. */
  medianAbsErrorSeconds: number;
}

type Estimator = 'queue' | 'average';
const WINDOW = 50;

export function simulate(s: Scenario, estimator: Estimator): SimulationResult {
  const random = rng(s.seed);
  const seen: { actual: number; eta: Eta }[] = [];
  for (let trial = 0; trial < s.trials; trial++) runTrial(s, estimator, random, seen);
  const inside = seen.filter(({ actual, eta }) => actual >= eta.minSeconds && actual <= eta.maxSeconds);
  return {
    queued: seen.length,
    withinRange: seen.length ? inside.length / seen.length : 0,
    medianWidthMinutes: median(seen.map(({ eta }) => (eta.maxSeconds - eta.minSeconds) / 60)),
    medianAbsErrorSeconds: median(
      seen.map(({ actual, eta }) => Math.abs(actual - (eta.minSeconds + eta.maxSeconds) / 2)),
    ),
  };
}

function runTrial(
  s: Scenario,
  estimator: Estimator,
  random: () => number,
  seen: { actual: number; eta: Eta }[],
): void {
  const ops = s.operators.map((spec) => ({
    spec,
    active: [] as { start: number; end: number }[],
    recent: [] as number[],
  }));
  const site: number[] = [];
  const remember = (list: number[], d: number) => {
    list.push(d);
    if (list.length > WINDOW) list.shift();
  };
  // History: chats that ended before the trial, spread over the operators by capacity.
  for (let h = 0; h < s.history; h++) {
    const op = ops[h % ops.length]!;
    const d = op.spec.duration(random);
    remember(op.recent, d);
    remember(site, d);
  }
  const arrivals = s.arrivals(random);
  const queue: { at: number; eta: Eta | null }[] = [];
  let a = 0;
  const start = (op: (typeof ops)[number], now: number) =>
    op.active.push({ start: now, end: now + op.spec.duration(random) });

  for (;;) {
    let endOp = -1;
    let endAt = Number.POSITIVE_INFINITY;
    ops.forEach((o, i) => {
      for (const c of o.active)
        if (c.end < endAt) {
          endAt = c.end;
          endOp = i;
        }
    });
    const nextArrival = arrivals[a] ?? Number.POSITIVE_INFINITY;
    if (!Number.isFinite(nextArrival) && endOp < 0) break;
    if (nextArrival <= endAt) {
      const now = nextArrival;
      a++;
      const free = ops
        .map((o) => ({ o, free: o.spec.capacity - o.active.length }))
        .filter((x) => x.free > 0)
        .sort((x, y) => y.free - x.free)[0];
      if (free && queue.length === 0) start(free.o, now);
      else queue.push({ at: now, eta: estimate(estimator, ops, site, now, queue.length + 1) });
      continue;
    }
    const now = endAt;
    const op = ops[endOp]!;
    const i = op.active.findIndex((c) => c.end === endAt);
    const [done] = op.active.splice(i, 1);
    remember(op.recent, done!.end - done!.start);
    remember(site, done!.end - done!.start);
    const next = queue.shift();
    if (next) {
      if (next.eta) seen.push({ actual: (now - next.at) / 1000, eta: next.eta });
      start(op, now);
    }
  }
}

function estimate(
  estimator: Estimator,
  ops: { spec: OperatorSpec; active: { start: number }[]; recent: number[] }[],
  site: number[],
  now: number,
  position: number,
): Eta | null {
  if (estimator === 'queue') {
    const operators: OperatorLoad[] = ops.map((o) => ({
      capacity: o.spec.capacity,
      activeSince: o.active.map((c) => c.start),
      recentDurationsMs: o.recent,
    }));
    return estimateQueueWait({ now, position, operators, recentDurationsMs: site });
  }
  const h = new HandlingTimes();
  for (const d of site) h.add(d);
  const slots = ops.reduce((n, o) => n + o.spec.capacity, 0);
  const raw = estimateWait(position, slots, h.average(), h.count());
  if (!raw) return null;
  // As the widget printed it before: lower end rounded and floored at 1 min, upper end ceiled.
  const lo = Math.max(1, Math.round(raw.minSeconds / 60));
  const hi = Math.max(lo, Math.ceil(raw.maxSeconds / 60));
  return { minSeconds: lo * 60, maxSeconds: hi * 60 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)] ?? 0) : 0;
}

// ---------- the scenarios docs/eta.md reports ----------

const MIN = 60_000;
const uniform = (lo: number, hi: number) => (r: () => number) => lo + r() * (hi - lo);
/** Poisson arrivals at `everyMs` on average between `from` and `to`. */
const poisson = (r: () => number, from: number, to: number, everyMs: number): number[] => {
  const out: number[] = [];
  const gap = () => -Math.log(1 - r()) * everyMs; // exponential inter-arrival time, > 0
  for (let t = from + gap(); t < to; t += gap()) out.push(t);
  return out;
};

export const SCENARIOS = {
  /** Issue #11: 3 operators × 2, 12 visitors within a minute, chats of 2–6 min, on a site with history. */
  burst: {
    name: '3 operators × 2, 12 visitors in a minute, chats 2–6 min, site with history',
    operators: [0, 1, 2].map(() => ({ capacity: 2, duration: uniform(2 * MIN, 6 * MIN) })),
    arrivals: (r) => Array.from({ length: 12 }, () => r() * MIN).sort((x, y) => x - y),
    history: 50,
    trials: 200,
    seed: 11,
  },
  /** The same burst on a fresh site (no history: the prior carries the estimate). */
  burstFresh: {
    name: 'the same burst on a fresh site (no history)',
    operators: [0, 1, 2].map(() => ({ capacity: 2, duration: uniform(2 * MIN, 6 * MIN) })),
    arrivals: (r) => Array.from({ length: 12 }, () => r() * MIN).sort((x, y) => x - y),
    history: 0,
    trials: 200,
    seed: 12,
  },
  /** Lunch-time surge: 4 operators × 3, a visitor a minute, then one every 15 s for half an hour. */
  lunch: {
    name: 'lunch surge: 4 operators × 3, a visitor/min, then one every 15 s for 30 min, chats ~5 min',
    operators: [0, 1, 2, 3].map(() => ({
      capacity: 3,
      duration: (r: () => number) => MIN - Math.log(1 - r()) * 4 * MIN,
    })),
    arrivals: (r) => [
      ...poisson(r, 0, 60 * MIN, MIN),
      ...poisson(r, 60 * MIN, 90 * MIN, 15_000),
      ...poisson(r, 90 * MIN, 150 * MIN, MIN),
    ],
    history: 50,
    trials: 8,
    seed: 13,
  },
  /** One slow operator: two answer in 2–6 min, one in 8–16 min; a visitor every 70 s for 4 hours. */
  slowOperator: {
    name: 'one slow operator: 3 × 2, two with 2–6 min chats, one with 8–16 min, a visitor every 70 s',
    operators: [
      { capacity: 2, duration: uniform(2 * MIN, 6 * MIN) },
      { capacity: 2, duration: uniform(2 * MIN, 6 * MIN) },
      { capacity: 2, duration: uniform(8 * MIN, 16 * MIN) },
    ],
    arrivals: (r) => poisson(r, 0, 240 * MIN, 70_000),
    history: 50,
    trials: 10,
    seed: 14,
  },
} satisfies Record<string, Scenario>;
