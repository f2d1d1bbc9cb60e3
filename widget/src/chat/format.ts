import type { QueueInfo } from './connection.js';
import { fill, plural, type Strings } from './i18n.js';

/**
 * The server sends the range already in whole minutes (server/src/core/eta.ts), so what is printed is
 * exactly the range whose coverage docs/eta.md reports: "under 2 min" when it starts at zero (never
 * "1 min" for a 20-second wait), "about 3 min", "about 2–5 min"; never reversed.
 */
export function etaText(eta: NonNullable<QueueInfo['eta']>, t: Strings): string {
  const a = Math.floor(eta.minSeconds / 60);
  const b = Math.max(a, 1, Math.ceil(eta.maxSeconds / 60));
  if (a === 0) return fill(t.etaUnder, { b });
  return a === b ? fill(t.etaOne, { a }) : fill(t.eta, { a, b });
}

/**
 * The queue banner: the exact position ("You are number 3 in the queue", or "next" at the head), then
 * how many are ahead and the ETA range ("2 people ahead of you · about 2–5 min"), pluralised for `lang`.
 */
export function queueLines(queue: QueueInfo, t: Strings, lang: string): [string, string] {
  const head = queue.position <= 1 ? t.queueNext : fill(t.queue, { n: queue.position });
  const rest: string[] = [];
  if (queue.ahead > 0) rest.push(plural(t, lang, t.ahead, queue.ahead));
  if (queue.eta) rest.push(etaText(queue.eta, t));
  return [head, rest.join(' · ')];
}

/** Clock time of a message in the visitor's locale; the date too when it was not today. */
export function timeOf(at: number, locale: string, now = Date.now()): string {
  const d = new Date(at);
  const today = new Date(now).toDateString() === d.toDateString();
  const opts: Intl.DateTimeFormatOptions = today
    ? { hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  try {
    return new Intl.DateTimeFormat(locale, opts).format(d);
  } catch {
    return new Intl.DateTimeFormat(undefined, opts).format(d); // an unknown language tag throws RangeError
  }
}
