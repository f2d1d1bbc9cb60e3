/** A binary min-heap over a plain array (so it stays plain data), ordered by `less`. */
export function heapPush<T>(h: T[], item: T, less: (a: T, b: T) => boolean): void {
  h.push(item);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!less(h[i]!, h[p]!)) break;
    [h[p], h[i]] = [h[i]!, h[p]!];
    i = p;
  }
}

export function heapPop<T>(h: T[], less: (a: T, b: T) => boolean): T | undefined {
  const top = h[0];
  const last = h.pop();
  if (h.length === 0 || last === undefined) return top;
  h[0] = last;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && less(h[l]!, h[m]!)) m = l;
    if (r < h.length && less(h[r]!, h[m]!)) m = r;
    if (m === i) return top;
    [h[m], h[i]] = [h[i]!, h[m]!];
    i = m;
  }
}

/** Rebuilds the heap from the items `keep` accepts (drops stale entries in O(n)). */
export function heapFilter<T>(h: T[], keep: (item: T) => boolean, less: (a: T, b: T) => boolean): void {
  const kept = h.filter(keep);
  h.length = 0;
  for (const item of kept) heapPush(h, item, less);
}
