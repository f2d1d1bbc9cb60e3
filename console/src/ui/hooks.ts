import { createContext } from 'preact';
import { useContext, useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { thresholdsOf } from '../alerts.js';
import { DEFAULT_THRESHOLDS, type WaitThresholds } from '../format.js';
import { parseHash, type Route } from '../router.js';
import type { ConsoleState } from '../state.js';
import type { ConsoleStore } from '../store.js';

/** Preact bindings for the framework-free store: the only place components touch it. */

export const StoreContext = createContext<ConsoleStore | null>(null);

export function useStore(): ConsoleStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('StoreContext is missing');
  return store;
}

/**
 * Re-renders only when the selected value changes (Object.is), so a keystroke in one chat's draft does not
 * re-render the queue. Selectors must return stable references (state slices, memoised lists).
 */
export function useConsole<T>(select: (state: ConsoleState) => T): T {
  const store = useStore();
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const value = select(store.getState());
  const latest = useRef({ select, value });
  latest.current = { select, value };
  useEffect(() => {
    const check = () => {
      const { select: sel, value: shown } = latest.current;
      if (!Object.is(sel(store.getState()), shown)) rerender(0);
    };
    check(); // a change between render and subscription would otherwise be missed
    return store.subscribe(check);
  }, [store]);
  return value;
}

// One shared 1 s ticker for every live timer on screen, running only while something shows a timer.
const tickListeners = new Set<() => void>();
let tickTimer: ReturnType<typeof setInterval> | null = null;

function subscribeTick(fn: () => void): () => void {
  tickListeners.add(fn);
  tickTimer ??= setInterval(() => {
    for (const l of tickListeners) l();
  }, 1000);
  return () => {
    tickListeners.delete(fn);
    if (tickListeners.size === 0 && tickTimer !== null) {
      clearInterval(tickTimer);
      tickTimer = null;
    }
  };
}

/** The server's "now" (estimated), refreshed every second. */
export function useNow(): number {
  const store = useStore();
  const [now, setNow] = useState(() => store.serverNow());
  useEffect(() => subscribeTick(() => setNow(store.serverNow())), [store]);
  return now;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** Amber/alert thresholds of a site, for the wait timers. */
export function useThresholds(siteId: string): WaitThresholds {
  const site = useConsole((s) => s.sites[siteId]);
  return site ? thresholdsOf({ [siteId]: site }, siteId) : DEFAULT_THRESHOLDS;
}
