import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../api.js';

/** How often figures of a range that includes today are re-read. */
export const LIVE_REFRESH_MS = 30_000;

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  /** When the shown data was fetched (ms), for the "updated" hint. */
  updatedAt: number | null;
}

/**
 * Loads `load()` whenever `key` changes. While `live`, re-reads every 30 s and when the window regains
 * focus or the tab becomes visible; a failed refresh keeps the last figures and shows the error.
 */
export function useDashboardData<T>(key: string | null, load: () => Promise<T>, live: boolean): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: true, updatedAt: null });
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    if (key === null) return;
    let cancelled = false;
    let seq = 0;
    const run = () => {
      const mine = ++seq;
      setState((s) => ({ ...s, loading: true }));
      loader.current().then(
        (data) => {
          if (!cancelled && mine === seq)
            setState({ data, error: null, loading: false, updatedAt: Date.now() });
        },
        (err: unknown) => {
          if (!cancelled && mine === seq) setState((s) => ({ ...s, error: errorText(err), loading: false }));
        },
      );
    };
    // A new selection must not show the previous one's figures.
    setState({ data: null, error: null, loading: true, updatedAt: null });
    run();
    if (!live) {
      return () => {
        cancelled = true;
      };
    }
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') run();
    }, LIVE_REFRESH_MS);
    const onFocus = () => run();
    const onVisible = () => {
      if (document.visibilityState === 'visible') run();
    };
    addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      cancelled = true;
      clearInterval(timer);
      removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [key, live]);

  return state;
}
