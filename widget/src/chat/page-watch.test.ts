import type { Page } from '@beseda/shared/types';
import { describe, expect, it } from 'vitest';
import { manualTimers } from './fake-server.js';
import { DEBOUNCE_MS, type PageWindow, watchPage } from './page-watch.js';

function fakeWindow(withNavigation: boolean) {
  const timers = manualTimers();
  const listeners = new Map<string, (() => void)[]>();
  const on = (type: string, fn: () => void) => listeners.set(type, [...(listeners.get(type) ?? []), fn]);
  const fire = (type: string) => {
    for (const fn of listeners.get(type) ?? []) fn();
  };
  const hostCalls: unknown[][] = [];
  const w = {
    location: { href: 'https://shop.example/' },
    document: { title: 'Home', referrer: 'https://search.example/' },
    history: {
      pushState(...a: unknown[]) {
        hostCalls.push(a);
        w.location.href = new URL(String(a[2]), w.location.href).href;
      },
      replaceState(...a: unknown[]) {
        hostCalls.push(a);
        w.location.href = new URL(String(a[2]), w.location.href).href;
      },
    } as unknown as History,
    navigation: withNavigation
      ? ({ addEventListener: (t: string, fn: () => void) => on(`nav:${t}`, fn) } as unknown as EventTarget)
      : undefined,
    addEventListener: on,
    setTimeout: (fn: () => void, ms: number) => timers.set(fn, ms),
    clearTimeout: (h: unknown) => timers.clear(h),
  } satisfies PageWindow;
  return { w, timers, fire, hostCalls };
}

describe('page changes (SPA navigation)', () => {
  it('reports pushState once, debounced, with the title set after navigating and the previous url as referrer', () => {
    const { w, timers, hostCalls } = fakeWindow(false);
    const seen: Page[] = [];
    watchPage(w, (p) => seen.push(p));
    w.history.pushState({ a: 1 }, '', '/pricing');
    timers.advance(50);
    w.document.title = 'Pricing';
    timers.advance(DEBOUNCE_MS - 51);
    expect(seen).toEqual([]);
    timers.advance(1);
    expect(seen).toEqual([
      { url: 'https://shop.example/pricing', title: 'Pricing', referrer: 'https://shop.example/' },
    ]);
    expect(hostCalls).toEqual([[{ a: 1 }, '', '/pricing']]); // the host's own call went through unchanged
    expect(DEBOUNCE_MS).toBeLessThan(1000);
  });

  it('hears replaceState, popstate and hashchange, and stays quiet when nothing changed', () => {
    const { w, timers, fire } = fakeWindow(false);
    const seen: string[] = [];
    watchPage(w, (p) => seen.push(p.url));
    w.history.replaceState(null, '', '/a');
    timers.advance(DEBOUNCE_MS);
    w.location.href = 'https://shop.example/a#faq';
    fire('hashchange');
    timers.advance(DEBOUNCE_MS);
    w.location.href = 'https://shop.example/';
    fire('popstate');
    timers.advance(DEBOUNCE_MS);
    fire('popstate'); // same url and title: nothing to report
    timers.advance(DEBOUNCE_MS);
    expect(seen).toEqual(['https://shop.example/a', 'https://shop.example/a#faq', 'https://shop.example/']);
  });

  it('uses the Navigation API when there is one, leaving history alone', () => {
    const { w, timers, fire } = fakeWindow(true);
    const push = w.history.pushState;
    const seen: string[] = [];
    watchPage(w, (p) => seen.push(p.url));
    expect(w.history.pushState).toBe(push);
    w.location.href = 'https://shop.example/cart';
    fire('nav:currententrychange');
    timers.advance(DEBOUNCE_MS);
    expect(seen).toEqual(['https://shop.example/cart']);
  });
});
