/** Half-open time intervals [from, to) in ms, and the set operations coverage needs. */
export interface Interval {
  from: number;
  to: number;
}

/**
 * The union as sorted, disjoint, non-touching intervals. Empty and inverted intervals are dropped;
 * intervals that overlap, nest or touch (a.to === b.from) merge into one.
 */
export function union(list: readonly Interval[]): Interval[] {
  const sorted = list.filter((i) => i.to > i.from).sort((a, b) => a.from - b.from || a.to - b.to);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.from <= last.to) {
      if (i.to > last.to) last.to = i.to;
    } else {
      out.push({ from: i.from, to: i.to });
    }
  }
  return out;
}

/** Total length of a union (disjoint intervals). */
export function totalLength(list: readonly Interval[]): number {
  let n = 0;
  for (const i of list) n += i.to - i.from;
  return n;
}

/** Index of the first interval of a sorted disjoint list that ends after `t`. */
function firstEndingAfter(list: readonly Interval[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.to <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The parts of a sorted disjoint list inside `window`. O(log n + k). */
export function clip(list: readonly Interval[], window: Interval): Interval[] {
  const out: Interval[] = [];
  if (window.to <= window.from) return out;
  for (let k = firstEndingAfter(list, window.from); k < list.length; k++) {
    const i = list[k]!;
    if (i.from >= window.to) break;
    out.push({ from: Math.max(i.from, window.from), to: Math.min(i.to, window.to) });
  }
  return out;
}

/** Length of the part of a sorted disjoint list inside `window`. */
export function lengthWithin(list: readonly Interval[], window: Interval): number {
  if (window.to <= window.from) return 0;
  let n = 0;
  for (let k = firstEndingAfter(list, window.from); k < list.length; k++) {
    const i = list[k]!;
    if (i.from >= window.to) break;
    n += Math.min(i.to, window.to) - Math.max(i.from, window.from);
  }
  return n;
}

/** Intersection of two sorted disjoint lists. */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const from = Math.max(x.from, y.from);
    const to = Math.min(x.to, y.to);
    if (to > from) out.push({ from, to });
    if (x.to < y.to) i++;
    else j++;
  }
  return out;
}

/** The parts of `window` not covered by a sorted disjoint list: the gaps. */
export function gapsWithin(list: readonly Interval[], window: Interval): Interval[] {
  const out: Interval[] = [];
  let cursor = window.from;
  for (const i of clip(list, window)) {
    if (i.from > cursor) out.push({ from: cursor, to: i.from });
    cursor = i.to;
  }
  if (cursor < window.to) out.push({ from: cursor, to: window.to });
  return out;
}
