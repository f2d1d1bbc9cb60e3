import type { WidgetConfig } from '@beseda/shared/types';

/** Site settings from `GET /api/widget/config`, checked field by field before they touch the page. */

export const DEFAULT_COLOR = '#2563eb';
const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

export interface Look {
  color: string;
  /** Text colour on `color`. */
  fg: '#fff' | '#111';
  position: 'left' | 'right';
}

export const configUrl = (base: string, site: string): string =>
  `${base}/api/widget/config?site=${encodeURIComponent(site)}`;

/**
 * Keeps only well-formed values. The colour ends up in a CSS custom property, so only plain hex is
 * accepted: a config edited by hand (or a compromised one) can neither break the page nor inject CSS.
 */
export function normalizeConfig(raw: unknown, site: string): WidgetConfig | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');
  const config: WidgetConfig = {
    siteKey: site,
    name: str(r.name, 80),
    color: typeof r.color === 'string' && HEX.test(r.color) ? r.color : DEFAULT_COLOR,
    position: r.position === 'left' ? 'left' : 'right',
    // One line: `|` is fine, but the loader caches it after the colour and position.
    launcherText: str(r.launcherText, 80).replace(/[\r\n]+/g, ' '),
    greeting: str(r.greeting, 1000),
    operatorsOnline: r.operatorsOnline === true,
    typingPreview: r.typingPreview === true,
  };
  if (typeof r.withinHours === 'boolean') config.withinHours = r.withinHours;
  if (typeof r.lang === 'string') config.lang = r.lang.slice(0, 35);
  const p = r.prechat as Record<string, unknown> | undefined;
  if (p && typeof p === 'object' && p.enabled === true) {
    config.prechat = {
      enabled: true,
      requireEmail: p.requireEmail === true,
      topics: Array.isArray(p.topics)
        ? p.topics
            .filter((x): x is string => typeof x === 'string' && !!x.trim())
            .slice(0, 20)
            .map((x) => x.slice(0, 80))
        : [],
    };
  }
  return config;
}

export async function fetchConfig(
  base: string,
  site: string,
  fetchFn: typeof fetch = fetch,
): Promise<WidgetConfig | null> {
  try {
    const res = await fetchFn(configUrl(base, site));
    return res.ok ? normalizeConfig(await res.json(), site) : null;
  } catch {
    return null; // offline or blocked: the defaults are good enough to chat
  }
}

/** Picks white or near-black text, whichever contrasts more with `hex` (WCAG relative luminance). */
export function foregroundFor(hex: string): Look['fg'] {
  let h = hex.slice(1);
  if (h.length === 3) h = h.replace(/./g, '$&$&');
  const channel = (i: number) => {
    const c = Number.parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const lum = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
  const onWhite = 1.05 / (lum + 0.05);
  const onDark = (lum + 0.05) / (0.0056 + 0.05); // #111 has a luminance of about 0.0056
  return onWhite >= onDark ? '#fff' : '#111';
}

export function lookOf(config: Pick<WidgetConfig, 'color' | 'position'>): Look {
  const color = HEX.test(config.color) ? config.color : DEFAULT_COLOR;
  return { color, fg: foregroundFor(color), position: config.position };
}
