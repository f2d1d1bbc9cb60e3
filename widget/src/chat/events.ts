import type { Listener, WidgetEventName, WidgetEvents } from '../contract.js';

/**
 * The host page's listeners (`Beseda.on/off`). A listener that throws is reported asynchronously (as
 * the host's own uncaught error) and never stops the others or the widget. Sticky events (`ready`) reach
 * listeners added after they fired, once, asynchronously.
 */
export function emitter() {
  const map = new Map<string, Set<Listener>>();
  const fired = new Map<string, unknown>();
  const call = (fn: Listener, detail: unknown) => {
    try {
      (fn as (d: unknown) => void)(detail);
    } catch (err) {
      setTimeout(() => {
        throw err;
      });
    }
  };
  return {
    on<E extends WidgetEventName>(event: E, fn: Listener<E>): void {
      if (typeof fn !== 'function') return;
      const set = map.get(event) ?? new Set();
      map.set(event, set);
      set.add(fn as Listener);
      if (fired.has(event)) {
        Promise.resolve().then(() => {
          if (map.get(event)?.has(fn as Listener)) call(fn as Listener, fired.get(event));
        });
      }
    },
    off<E extends WidgetEventName>(event: E, fn: Listener<E>): void {
      map.get(event)?.delete(fn as Listener);
    },
    emit<E extends WidgetEventName>(event: E, detail: WidgetEvents[E], sticky = false): void {
      if (sticky) fired.set(event, detail);
      for (const fn of [...(map.get(event) ?? [])]) call(fn, detail);
    },
  };
}
