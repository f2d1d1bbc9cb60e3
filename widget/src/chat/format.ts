import type { QueueInfo } from './connection.js';
import { fill, type Strings } from './i18n.js';

/** "You are number 3 in the queue · about 2–5 min"; whole minutes, never "0 min", never a reversed range. */
export function queueText(queue: QueueInfo, t: Strings): string {
  const text = fill(t.queue, { n: queue.position });
  if (!queue.eta) return text;
  const a = Math.max(1, Math.round(queue.eta.minSeconds / 60));
  const b = Math.max(a, Math.ceil(queue.eta.maxSeconds / 60));
  return `${text} · ${a === b ? fill(t.etaOne, { a }) : fill(t.eta, { a, b })}`;
}

/** Local clock time of a message, for its tooltip. */
export function timeOf(at: number, lang: string): string {
  try {
    return new Date(at).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
  } catch {
    return new Date(at).toLocaleTimeString(); // an unknown language tag throws RangeError
  }
}
