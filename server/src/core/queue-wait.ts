import type { Eta } from '@beseda/shared';
import { rng } from './random.js';

/**
 * The wait a queued visitor is shown, from the state the relay actually has (DESIGN §4, issue #11.7).
 *
 * The visitor at position p is assigned at the p-th moment a chat slot frees (FIFO: everybody ahead takes
 * an earlier one). So the model follows each slot of each online operator:
 * - a free slot frees now (a drain is about to assign it);
 * - a busy slot frees when its current chat ends. That chat has already run `now − start`, so its rest is
 *   drawn from the recent durations *longer than that* (a chat 5 minutes in is not "average": six chats
 *   that started together all end late together — the error of a plain average, see docs/eta.md);
 * - after freeing, a slot takes the next visitor and frees again one fresh duration later.
 * Durations come from the operator's own recent chats when there are enough (a slow operator frees
 * slowly), else the site's, mixed with a prior while there are few. Many sampled futures (seeded, so the
 * function is pure: same input, same answer) give the distribution of the p-th release; the range shown
 * is its 10th–90th percentile, widened outwards to whole minutes — exactly what the widget prints.
 * Joining or leaving operators change the slots, so the estimate moves with staffing.
 */

export interface OperatorLoad {
  /** Concurrent chats this operator takes. */
  capacity: number;
  /** Start times (ms) of the chats they are in now (assigned, not ended). */
  activeSince: readonly number[];
  /** Their own recent chat durations (ms), if known. */
  recentDurationsMs?: readonly number[];
}

export interface QueueWaitInput {
  now: number;
  /** Online operators who take this queue's chats. */
  operators: readonly OperatorLoad[];
  /** The site's recent chat durations, assigned → ended (ms), any order. */
  recentDurationsMs: readonly number[];
  /** Duration assumed before there is history (ms). */
  priorMs?: number;
  /** Sampled futures; more is smoother and slower. */
  samples?: number;
}

const PRIOR_MS = 5 * 60_000;
/**
 * Weight of the prior, in chats: with n real chats, a draw is from the prior with probability K / (n + K);
 * from ENOUGH chats on, the history alone (the prior's short draws would otherwise open every range at 0).
 */
const PRIOR_WEIGHT = 3;
const ENOUGH = 20;
/** An operator's own history is used from this many chats on. */
const OWN_HISTORY = 8;
const SAMPLES = 300;
const LOW = 0.07;
const HIGH = 0.93;

/** Waits for positions 1..maxPosition, computed together (one set of sampled futures serves the whole queue). */
export function estimateQueueWaits(input: QueueWaitInput, maxPosition: number): (Eta | null)[] {
  const slots = input.operators.reduce((n, o) => n + Math.max(0, o.capacity), 0);
  if (slots <= 0 || maxPosition < 1) return Array.from({ length: Math.max(0, maxPosition) }, () => null);
  const random = rng(0x5eda);
  const prior = input.priorMs ?? PRIOR_MS;
  const site = sorted(input.recentDurationsMs);
  const draws = input.operators.map((o) =>
    durationSampler(sorted(o.recentDurationsMs ?? []), site, prior, random),
  );

  const n = input.samples ?? SAMPLES;
  // releases[k][s]: the (k+1)-th release in sample s
  const releases: number[][] = Array.from({ length: maxPosition }, () => new Array<number>(n));
  const next: number[] = [];
  const owner: number[] = [];
  for (let s = 0; s < n; s++) {
    next.length = 0;
    owner.length = 0;
    input.operators.forEach((o, i) => {
      const busy = o.activeSince.slice(0, Math.max(0, o.capacity));
      for (const start of busy) {
        next.push(draws[i]!.rest(Math.max(0, input.now - start)));
        owner.push(i);
      }
      for (let f = busy.length; f < o.capacity; f++) {
        next.push(0);
        owner.push(i);
      }
    });
    for (let k = 0; k < maxPosition; k++) {
      let j = 0;
      for (let m = 1; m < next.length; m++) if (next[m]! < next[j]!) j = m;
      const t = next[j]!;
      releases[k]![s] = t;
      next[j] = t + draws[owner[j]!]!.fresh();
    }
  }
  return releases.map((r) => {
    r.sort((a, b) => a - b);
    return printable(quantile(r, LOW), quantile(r, HIGH));
  });
}

/** The wait shown to the visitor at `position` (1 = next); null when no online operator takes chats. */
export function estimateQueueWait(input: QueueWaitInput & { position: number }): Eta | null {
  if (input.position < 1) return null;
  return estimateQueueWaits(input, input.position)[input.position - 1] ?? null;
}

/** Whole minutes, outwards: the printed range ("under 2 min", "about 3–6 min") is the one measured. */
export function printable(lowMs: number, highMs: number): Eta {
  const min = Math.max(0, Math.floor(lowMs / 60_000));
  const max = Math.max(1, min, Math.ceil(highMs / 60_000));
  return { minSeconds: min * 60, maxSeconds: max * 60 };
}

function sorted(xs: readonly number[]): number[] {
  return xs.filter((x) => Number.isFinite(x) && x >= 0).sort((a, b) => a - b);
}

function quantile(sortedXs: readonly number[], q: number): number {
  if (!sortedXs.length) return 0;
  const i = Math.min(sortedXs.length - 1, Math.max(0, Math.round(q * (sortedXs.length - 1))));
  return sortedXs[i]!;
}

/**
 * Draws chat durations for one operator: from their own history when it is long enough, else the site's,
 * with the prior mixed in while the history is short. `rest(elapsed)` draws what is left of a chat that has
 * run `elapsed` already: a duration from the history longer than that, minus it; when none in the history
 * ran that long, the chat is an outlier and its rest is drawn memorylessly around the typical duration.
 */
function durationSampler(own: number[], site: number[], priorMs: number, random: () => number) {
  const history = own.length >= OWN_HISTORY ? own : site;
  const priorShare = history.length >= ENOUGH ? 0 : PRIOR_WEIGHT / (history.length + PRIOR_WEIGHT);
  const exp = (mean: number) => -Math.log(1 - random()) * mean;
  const typical = history.length ? history[Math.floor(history.length / 2)]! : priorMs;
  const fresh = () =>
    history.length && random() >= priorShare ? history[Math.floor(random() * history.length)]! : exp(priorMs);
  const rest = (elapsed: number) => {
    if (!history.length || random() < priorShare) return exp(priorMs); // the prior is memoryless
    // First index of a duration longer than `elapsed` (history is sorted).
    let lo = 0;
    let hi = history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (history[mid]! > elapsed) hi = mid;
      else lo = mid + 1;
    }
    if (lo >= history.length) return exp(Math.max(typical / 2, 30_000));
    return history[lo + Math.floor(random() * (history.length - lo))]! - elapsed;
  };
  return { fresh, rest };
}
