import type { Page } from '@beseda/shared/types';

/**
 * Tells the relay where the visitor is, including single-page-app navigation, so the operator's visitor
 * card follows within a second. Where the Navigation API exists its `currententrychange` covers
 * pushState, replaceState, back/forward and hash changes without touching the host's `history`; elsewhere
 * `history.pushState`/`replaceState` are wrapped (the originals still run, with the host's arguments and
 * return value) and `popstate`/`hashchange` are heard. Changes are debounced (SPAs set the title just after
 * navigating) and reported only when url or title differ from the last report.
 */

export const DEBOUNCE_MS = 300;

export interface PageWindow {
  location: { href: string };
  document: { title: string; referrer: string };
  history: History;
  navigation?: EventTarget;
  addEventListener(type: string, fn: () => void): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(h: unknown): void;
}

export const pageOf = (w: Pick<PageWindow, 'location' | 'document'>): Page => ({
  url: w.location.href.slice(0, 2048),
  title: w.document.title.slice(0, 512),
  referrer: w.document.referrer.slice(0, 2048),
});

export function watchPage(w: PageWindow, onChange: (page: Page) => void): void {
  let last = pageOf(w);
  let timer: unknown = null;
  const changed = () => {
    if (timer !== null) w.clearTimeout(timer);
    timer = w.setTimeout(() => {
      timer = null;
      const now = pageOf(w);
      if (now.url === last.url && now.title === last.title) return;
      // The page we came from is the referrer of an in-app navigation.
      last = { ...now, referrer: last.url === now.url ? now.referrer : last.url };
      onChange(last);
    }, DEBOUNCE_MS);
  };
  if (w.navigation) {
    w.navigation.addEventListener('currententrychange', changed);
    return;
  }
  const h = w.history;
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = h[name];
    h[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      changed();
      return result;
    };
  }
  w.addEventListener('popstate', changed);
  w.addEventListener('hashchange', changed);
}
