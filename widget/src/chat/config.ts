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

/** `lang`: the visitor's languages, best first, comma-separated; the answer's texts are in one of them. */
export const configUrl = (base: string, site: string, lang = ''): string =>
  `${base}/api/widget/config?site=${encodeURIComponent(site)}&lang=${encodeURIComponent(lang)}`;

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
  if (r.foreground === '#111' || r.foreground === '#fff') config.foreground = r.foreground;
  if (typeof r.lang === 'string') config.lang = r.lang.slice(0, 35);
  for (const k of ['offlineText', 'prechatText', 'openLabel'] as const) {
    const v = str(r[k], 1000);
    if (v) config[k] = v;
  }
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
  if (Array.isArray(r.teams)) {
    config.teams = (r.teams as Record<string, unknown>[])
      .filter((x) => x?.id && typeof x.id === 'string' && typeof x.name === 'string')
      .slice(0, 50)
      .map((x) => ({ id: x.id as string, name: x.name as string, online: x.online === true }));
  }
  return config;
}

export async function fetchConfig(
  base: string,
  site: string,
  lang = '',
  fetchFn: typeof fetch = fetch,
): Promise<WidgetConfig | null> {
  try {
    const res = await fetchFn(configUrl(base, site, lang));
    return res.ok ? normalizeConfig(await res.json(), site) : null;
  } catch {
    return null; // offline or blocked: the defaults are good enough to chat
  }
}

/** The server picks the readable text colour on the site colour (`foreground`); white when it did not say. */
export function lookOf(config: Pick<WidgetConfig, 'color' | 'position' | 'foreground'>): Look {
  const color = HEX.test(config.color) ? config.color : DEFAULT_COLOR;
  return { color, fg: config.foreground === '#111' ? '#111' : '#fff', position: config.position };
}
