import type { WidgetConfig, WidgetTexts } from '@beseda/shared';
import type { Site } from '../store/types.js';

/**
 * What `GET /api/widget/config` says, per visitor language: the widget's languages, the translated
 * built-in texts, the site's own texts for a language (`Site.texts[lang]`; the single-language
 * `launcherText`/`greeting` count for the site's own language only), and the text
 * colour on the site colour (so the 2 KB loader needs no colour maths).
 */

export const WIDGET_LANGS = ['en', 'cs', 'ru', 'sk', 'de', 'pl', 'uk'] as const;
export type WidgetLang = (typeof WIDGET_LANGS)[number];

interface Defaults {
  launcherText: string;
  greeting: string;
  /** Accessible name of a launcher without text; the same words as the widget pack's `openChat`. */
  openLabel: string;
}

export const DEFAULT_TEXTS: Record<WidgetLang, Defaults> = {
  en: { launcherText: 'Chat with us', greeting: 'Hi! How can we help you today?', openLabel: 'Open chat' },
  cs: {
    launcherText: 'Napište nám',
    greeting: 'Dobrý den! S čím vám můžeme pomoci?',
    openLabel: 'Otevřít chat',
  },
  ru: { launcherText: 'Напишите нам', greeting: 'Здравствуйте! Чем можем помочь?', openLabel: 'Открыть чат' },
  sk: {
    launcherText: 'Napíšte nám',
    greeting: 'Dobrý deň! S čím vám môžeme pomôcť?',
    openLabel: 'Otvoriť chat',
  },
  de: {
    launcherText: 'Schreiben Sie uns',
    greeting: 'Hallo! Wie können wir Ihnen helfen?',
    openLabel: 'Chat öffnen',
  },
  pl: {
    launcherText: 'Napisz do nas',
    greeting: 'Dzień dobry! W czym możemy pomóc?',
    openLabel: 'Otwórz czat',
  },
  uk: { launcherText: 'Напишіть нам', greeting: 'Вітаємо! Чим можемо допомогти?', openLabel: 'Відкрити чат' },
};

const isLang = (tag: string): tag is WidgetLang => (WIDGET_LANGS as readonly string[]).includes(tag);
const primary = (tag: string) => tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';

/** The first of the visitor's languages (`?lang=sk-SK,cs,en`) the widget speaks, else the site's, else English. */
export function pickWidgetLang(list: string | undefined, siteLang: string): WidgetLang {
  for (const tag of (list ?? '').split(',').slice(0, 20)) {
    const p = primary(tag);
    if (isLang(p)) return p;
  }
  const own = primary(siteLang);
  return isLang(own) ? own : 'en';
}

/** The texts a visitor in `lang` sees: the site's for that language, else the translated defaults. */
export function textsFor(site: Site, lang: WidgetLang): WidgetTexts & Defaults {
  const d = DEFAULT_TEXTS[lang];
  const own: WidgetTexts = site.texts?.[lang] ?? {};
  // The single-language settings are the site's words in its own language; the English defaults a site
  // was created with are not the owner's words, so other languages get theirs translated.
  const legacy: WidgetTexts = {};
  if (primary(site.lang) === lang) {
    if (site.launcherText !== DEFAULT_TEXTS.en.launcherText) legacy.launcherText = site.launcherText;
    if (site.greeting !== DEFAULT_TEXTS.en.greeting) legacy.greeting = site.greeting;
  }
  const pick = (k: 'launcherText' | 'greeting') => own[k] ?? legacy[k] ?? d[k];
  return {
    // An icon-only launcher (empty text) is a choice of look, kept in every language.
    launcherText: site.launcherText === '' && own.launcherText === undefined ? '' : pick('launcherText'),
    greeting: pick('greeting'),
    offlineText: own.offlineText,
    prechatText: own.prechatText,
    openLabel: d.openLabel,
  };
}

/** White or near-black text, whichever contrasts more with `hex` (WCAG relative luminance). */
export function foregroundFor(hex: string): '#fff' | '#111' {
  let h = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(hex) ? hex.slice(1) : '2563eb';
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

export function widgetConfig(
  site: Site,
  langList: string | undefined,
  live: {
    operatorsOnline: boolean;
    withinHours: boolean;
    teams?: { id: string; name: string; online: boolean }[];
  },
): WidgetConfig {
  const lang = pickWidgetLang(langList, site.lang);
  const t = textsFor(site, lang);
  const body: WidgetConfig = {
    siteKey: site.key,
    name: site.name,
    color: site.color,
    foreground: foregroundFor(site.color),
    position: site.position,
    launcherText: t.launcherText ?? '',
    greeting: t.greeting ?? '',
    openLabel: t.openLabel,
    operatorsOnline: live.operatorsOnline,
    withinHours: live.withinHours,
    prechat: site.prechat,
    typingPreview: site.typingPreview,
    lang,
  };
  if (t.offlineText) body.offlineText = t.offlineText;
  if (t.prechatText) body.prechatText = t.prechatText;
  if (live.teams?.length) body.teams = live.teams;
  return body;
}
