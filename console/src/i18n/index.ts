import { cs } from './cs.js';
import { type Entry, en, type MessageKey } from './en.js';
import { ru } from './ru.js';

/**
 * The console's languages without a library: flat dictionaries checked by the compiler (cs and ru must
 * have every key of en), `{name}` placeholders, plural forms chosen by Intl.PluralRules, and dates and
 * numbers by Intl. The choice is per operator and stored on the server (profile.ts applies it at sign-in on
 * any device); this browser's localStorage remembers the last language shown, for the first paint and the
 * sign-in page.
 */

export const LANGS = ['en', 'cs', 'ru'] as const;
export type Lang = (typeof LANGS)[number];
export type { MessageKey };
export type Params = Record<string, string | number>;

type Dictionary = Partial<Record<MessageKey, Entry>>;
const DICTIONARIES: Record<Lang, Dictionary> = { en: { ...en }, cs: { ...cs }, ru: { ...ru } };

/** Adds the texts of a lazily loaded page (i18n/pages.ts) to every language. */
export function addMessages(more: Record<Lang, Dictionary>): void {
  for (const l of LANGS) Object.assign(DICTIONARIES[l], more[l]);
}
/** Each language's own name, shown in the picker in that language. */
export const LANG_NAMES: Record<Lang, string> = { en: 'English', cs: 'Čeština', ru: 'Русский' };

const STORAGE_KEY = 'beseda.console.lang';
let current: Lang = initialLang();
const listeners = new Set<() => void>();

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** The stored choice, else the first browser language we speak, else English. */
export function initialLang(
  stored: string | null = readStored(),
  browser: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages,
): Lang {
  if (isLang(stored)) return stored;
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

/** The first of the browser's languages the console speaks, else English (what "follow the browser" means). */
export function browserLang(): Lang {
  return initialLang(null);
}

function readStored(): string | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // storage disabled: the choice lasts until reload
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  for (const fn of listeners) fn();
}

export function onLangChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

const pluralRules = new Map<Lang, Intl.PluralRules>();

/** The text of `key` in the current (or given) language, placeholders filled, plural by `count`. */
export function t(key: MessageKey, params: Params = {}, language: Lang = current): string {
  // An unregistered key shows as itself: visible in tests, never a blank.
  const entry = DICTIONARIES[language][key] ?? DICTIONARIES.en[key] ?? key;
  let text: string;
  if (typeof entry === 'string') {
    text = entry;
  } else {
    let rules = pluralRules.get(language);
    if (!rules) {
      rules = new Intl.PluralRules(language);
      pluralRules.set(language, rules);
    }
    const form = rules.select(Number(params.count ?? 0)) as keyof typeof entry;
    text = entry[form] ?? entry.other;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value, language) : value;
  });
}

/** The locale used for dates and numbers: the browser's own variant when it is of the chosen language. */
export function locale(language: Lang = current): string {
  if (typeof navigator !== 'undefined') {
    const match = navigator.languages?.find((tag) => tag.toLowerCase().split('-')[0] === language);
    if (match) return match;
  }
  return language;
}

export function formatNumber(n: number, language: Lang = current): string {
  return new Intl.NumberFormat(locale(language)).format(n);
}

/**
 * Options every clock on screen uses, so one screen never mixes "12:24 AM" and "01:24": 24 h in Czech
 * and Russian, the locale's own habit in English.
 */
export function clockOptions(language: Lang = current): Intl.DateTimeFormatOptions {
  return language === 'en'
    ? { hour: '2-digit', minute: '2-digit' }
    : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
}

/** Name of weekday `day` (0 = Sunday) in the language: 'long' for forms, 'short' for tables. */
export function weekdayName(day: number, style: 'long' | 'short' = 'long', language: Lang = current): string {
  // 2023-01-01 was a Sunday.
  const at = Date.UTC(2023, 0, 1 + day);
  return new Intl.DateTimeFormat(locale(language), { weekday: style, timeZone: 'UTC' }).format(at);
}
