/**
 * Every visible string of the chat UI lives in one JSON pack per language beside this file
 * (lang/<lang>.json), built into its own content-hashed file and fetched, pinned by SRI, for the one
 * language the visitor needs: seven languages cost a visitor the bytes of one, and the chat bundle carries
 * none. i18n.test.ts checks each pack has exactly the English keys, the same placeholders, and no English
 * left in it. `{name}` placeholders are filled by `fill`; keys with plural
 * forms hold one variant per CLDR category, separated by `|`, in the order given by `plural`.
 */

/** The keys of the English pack; a type-only import, so the bundle carries no strings at all. */
export type Strings = Record<keyof typeof import('./lang/en.json'), string>;

/** Every language the widget speaks. */
export const LANGS = ['en', 'cs', 'ru', 'sk', 'de', 'pl', 'uk'] as const;
export type Lang = (typeof LANGS)[number];

/** Pack file and SRI digest per language, compiled in by vite.config.ts. */
declare const __LANGS__: Record<string, [file: string, integrity: string]>;
const PACKS: Record<string, [string, string]> = typeof __LANGS__ === 'undefined' ? {} : __LANGS__;

const primary = (tag: string): string => tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
const supported = (tag: string | null | undefined): Lang | null => {
  const p = primary(tag ?? '');
  return (LANGS as readonly string[]).includes(p) ? (p as Lang) : null;
};

/**
 * The UI language: an explicit choice (`Beseda.setLanguage`, then `data-lang` on the tag) when supported,
 * else the first supported language of the browser (navigator.languages, in the visitor's order), else
 * the site's default language, else English.
 */
export function pickLanguage(
  explicit: readonly (string | null | undefined)[],
  browser: readonly string[],
  siteDefault?: string | null,
): Lang {
  for (const tag of explicit) {
    const l = supported(tag);
    if (l) return l;
  }
  for (const tag of browser) {
    const l = supported(tag);
    if (l) return l;
  }
  return supported(siteDefault) ?? 'en';
}

/**
 * The English keys, in the order the build writes each pack's strings: the keys of this object, compiled in
 * by vite.config.ts (as an object, so the build's property mangling shortens them here as in `t.<key>`).
 */
declare const __LANG_KEYS__: Record<string, 0>;
const KEYS: Record<string, 0> = typeof __LANG_KEYS__ === 'undefined' ? {} : __LANG_KEYS__;

/**
 * A pack is the array of its strings in the order of the keys of `keys` (no key names on the wire: fewer
 * bytes), pinned by SRI, so its content is the build's (whose completeness i18n.test.ts checks); this only
 * rejects what is not a pack at all, and rebuilds the key → string table.
 */
export function checkPack(raw: unknown, keys: Record<string, 0> = KEYS): Strings | null {
  if (!Array.isArray(raw)) return null;
  const t = Object.fromEntries(Object.keys(keys).map((k, i) => [k, raw[i]])) as Strings;
  return typeof t.plural === 'string' ? t : null;
}

const loaded = new Map<string, Promise<Strings>>();

/** The strings of `lang`, fetched once from its pinned pack; rejects when it cannot be had (offline). */
export function loadStrings(
  lang: Lang,
  base: string,
  fetchFn: typeof fetch = fetch,
  packs: Record<string, [string, string]> = PACKS,
  keys: Record<string, 0> = KEYS,
): Promise<Strings> {
  let p = loaded.get(lang);
  if (!p) {
    const pack = packs[lang] ?? packs.en;
    p = pack
      ? fetchFn(`${base}/widget/${pack[0]}`, { integrity: pack[1] })
          .then((r) => (r.ok ? r.json() : null))
          .then((j) => checkPack(j, keys) ?? Promise.reject(new Error(`language pack ${lang} unusable`)))
      : Promise.reject(new Error('no language packs in this build'));
    p.catch(() => loaded.delete(lang)); // a later call tries again
    loaded.set(lang, p);
  }
  return p;
}

/**
 * The locale for dates and numbers: the visitor's own regional variant of the UI language when the
 * browser has one (en-GB keeps 24-hour time with English strings), else the UI language itself.
 */
export function formatLocale(lang: Lang, browser: readonly string[]): string {
  return browser.find((tag) => primary(tag) === lang) ?? lang;
}

export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

/** The variant of a `|`-separated plural template for `n`, by the CLDR rules of `lang`, with `{n}` filled. */
export function plural(t: Strings, lang: string, template: string, n: number): string {
  const forms = template.split('|');
  let category = 'other';
  try {
    category = new Intl.PluralRules(lang).select(n);
  } catch {
    // unknown tag: "other"
  }
  const i = t.plural.split(' ').indexOf(category);
  return fill(forms[i < 0 ? forms.length - 1 : i] ?? forms[forms.length - 1] ?? '', { n });
}
