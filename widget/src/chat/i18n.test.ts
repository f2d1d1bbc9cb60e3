import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPack, formatLocale, LANGS, loadStrings, pickLanguage, type Strings } from './i18n.js';
import { systemText } from './MessageList.js';

describe('language selection', () => {
  it('prefers an explicit choice (setLanguage, then data-lang) when it is built in', () => {
    expect(pickLanguage(['cs', 'ru'], ['en-US'])).toBe('cs');
    expect(pickLanguage([null, 'ru-RU'], ['cs-CZ'])).toBe('ru');
    expect(pickLanguage(['fr', 'ru'], ['cs'])).toBe('ru'); // unsupported choice falls through
    expect(pickLanguage([], ['sk-SK'])).toBe('sk');
    expect(pickLanguage(['', undefined], ['cs'])).toBe('cs');
  });

  it('then takes the first supported browser language, in the visitor order', () => {
    expect(pickLanguage([], ['fr-FR', 'ru-RU', 'en'])).toBe('ru');
    expect(pickLanguage([], ['de-AT', 'pl'])).toBe('de');
    expect(pickLanguage([], ['uk-UA'])).toBe('uk');
    expect(pickLanguage([], ['CS_cz'])).toBe('cs');
    expect(pickLanguage([], ['en-GB', 'cs'])).toBe('en');
  });

  it('then the site default, then English', () => {
    expect(pickLanguage([], ['fr', 'it'], 'cs')).toBe('cs');
    expect(pickLanguage([], ['fr'], 'es')).toBe('en');
    expect(pickLanguage([], [])).toBe('en');
  });

  it('formats in the visitor regional variant of the UI language', () => {
    expect(formatLocale('en', ['cs-CZ', 'en-GB'])).toBe('en-GB');
    expect(formatLocale('cs', ['en-US'])).toBe('cs');
  });
});

const pack = (lang: string): Strings =>
  JSON.parse(readFileSync(new URL(`./lang/${lang}.json`, import.meta.url), 'utf8')) as Strings;
const TABLES: Record<string, Strings> = Object.fromEntries(LANGS.map((l) => [l, pack(l)]));
const EN = TABLES.en!;
const KEYS = Object.fromEntries(Object.keys(EN).map((k) => [k, 0 as const]));

/**
 * Strings that may legitimately read the same as in English, per language ("Chat" is Czech, Slovak and
 * German for chat). Anything else equal to the English text is an untranslated leftover.
 */
const SAME_AS_ENGLISH: Record<string, string[]> = {
  cs: ['title'],
  sk: ['title'],
  de: ['title', 'name', 'plural'],
};

describe('string tables', () => {
  it('every language has exactly the English keys, non-empty, with the same placeholders', () => {
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
    for (const [lang, table] of Object.entries(TABLES)) {
      expect(Object.keys(table).sort(), lang).toEqual(Object.keys(EN).sort());
      expect(
        checkPack(
          Object.keys(EN).map((k) => table[k as keyof Strings]),
          KEYS,
        ),
        lang,
      ).toEqual(table);
      for (const [key, value] of Object.entries(table)) {
        expect(value.trim(), `${lang}.${key}`).not.toBe('');
        expect(holes(value).replace(/,?\{n\}/g, ''), `${lang}.${key}`).toBe(
          holes(EN[key as keyof Strings]).replace(/,?\{n\}/g, ''),
        );
      }
    }
  });

  it('no English leftovers: every string differs from the English one unless listed as the same word', () => {
    for (const [lang, table] of Object.entries(TABLES)) {
      if (lang === 'en') continue;
      const same = Object.keys(EN).filter(
        (k) => k !== 'plural' && table[k as keyof Strings] === EN[k as keyof Strings],
      );
      expect(same, lang).toEqual((SAME_AS_ENGLISH[lang] ?? []).filter((k) => k !== 'plural'));
    }
  });

  it('plural forms match the CLDR categories of the language', () => {
    for (const [lang, table] of Object.entries(TABLES)) {
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      expect(table.plural.split(' ').sort(), lang).toEqual(
        [...categories].filter((c) => c !== 'zero' && c !== 'two').sort(),
      );
      expect(table.ahead.split('|').length, lang).toBe(table.plural.split(' ').length);
    }
  });

  it('fetches a pack once, pinned by its SRI digest, and rejects one that is not a pack (retried later)', async () => {
    const calls: [string, RequestInit | undefined][] = [];
    const fetchFn = (async (url: string, init?: RequestInit) => {
      calls.push([url, init]);
      return new Response(
        JSON.stringify(
          url.includes('sk') ? Object.keys(EN).map((k) => TABLES.sk![k as keyof Strings]) : { title: 'x' },
        ),
      );
    }) as typeof fetch;
    const packs = { sk: ['lang-sk-1.json', 'sha384-abc'], pl: ['lang-pl-1.json', 'sha384-def'] } as Record<
      string,
      [string, string]
    >;
    expect(await loadStrings('sk', 'https://c.example', fetchFn, packs, KEYS)).toEqual(TABLES.sk);
    expect(await loadStrings('sk', 'https://c.example', fetchFn, packs, KEYS)).toEqual(TABLES.sk);
    expect(calls).toEqual([['https://c.example/widget/lang-sk-1.json', { integrity: 'sha384-abc' }]]);
    await expect(loadStrings('pl', 'https://c.example', fetchFn, packs, KEYS)).rejects.toThrow(/unusable/);
    await expect(loadStrings('pl', 'https://c.example', fetchFn, packs, KEYS)).rejects.toThrow(/unusable/);
    expect(calls).toHaveLength(3); // a failed pack is asked again
  });

  it('shows the relay system lines in the visitor language', () => {
    expect(systemText('Anna joined the chat', TABLES.cs!)).toBe('Anna je v chatu');
    expect(systemText('The visitor ended the chat', TABLES.ru!)).toBe('Вы завершили чат');
    expect(systemText('The operator ended the chat', EN)).toBe('Operator ended the chat');
    expect(systemText('Another operator took over the chat', TABLES.cs!)).toBe(
      'Nyní vám odpovídá Jiný operátor',
    );
    expect(systemText('Something new', TABLES.cs!)).toBe('Something new');
  });
});
