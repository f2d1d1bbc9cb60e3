import { describe, expect, it } from 'vitest';
import { formatLocale, LANGUAGES, pickLanguage } from './i18n.js';
import { systemText } from './MessageList.js';

describe('language selection', () => {
  it('prefers an explicit choice (setLanguage, then data-lang) when it is built in', () => {
    expect(pickLanguage(['cs', 'ru'], ['en-US'])).toBe('cs');
    expect(pickLanguage([null, 'ru-RU'], ['cs-CZ'])).toBe('ru');
    expect(pickLanguage(['de', 'ru'], ['cs'])).toBe('ru'); // unsupported choice falls through
    expect(pickLanguage(['', undefined], ['cs'])).toBe('cs');
  });

  it('then takes the first supported browser language, in the visitor order', () => {
    expect(pickLanguage([], ['de-AT', 'ru-RU', 'en'])).toBe('ru');
    expect(pickLanguage([], ['CS_cz'])).toBe('cs');
    expect(pickLanguage([], ['en-GB', 'cs'])).toBe('en');
  });

  it('then the site default, then English', () => {
    expect(pickLanguage([], ['de', 'fr'], 'cs')).toBe('cs');
    expect(pickLanguage([], ['de'], 'pl')).toBe('en');
    expect(pickLanguage([], [])).toBe('en');
  });

  it('formats in the visitor regional variant of the UI language', () => {
    expect(formatLocale('en', ['cs-CZ', 'en-GB'])).toBe('en-GB');
    expect(formatLocale('cs', ['en-US'])).toBe('cs');
  });
});

describe('string tables', () => {
  it('every language has every key, non-empty, with the same placeholders', () => {
    const en = LANGUAGES.en;
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
    for (const [lang, table] of Object.entries(LANGUAGES)) {
      expect(Object.keys(table).sort(), lang).toEqual(Object.keys(en).sort());
      for (const [key, value] of Object.entries(table)) {
        expect(value.trim(), `${lang}.${key}`).not.toBe('');
        expect(holes(value).replace(/,?\{n\}/g, ''), `${lang}.${key}`).toBe(
          holes(en[key as keyof typeof en]).replace(/,?\{n\}/g, ''),
        );
      }
    }
  });

  it('shows the relay system lines in the visitor language', () => {
    expect(systemText('Anna joined the chat', LANGUAGES.cs)).toBe('Anna je v chatu');
    expect(systemText('The visitor ended the chat', LANGUAGES.ru)).toBe('Вы завершили чат');
    expect(systemText('The operator ended the chat', LANGUAGES.en)).toBe('Operator ended the chat');
    expect(systemText('Another operator took over the chat', LANGUAGES.cs)).toBe(
      'Nyní vám odpovídá Jiný operátor',
    );
    expect(systemText('Something new', LANGUAGES.cs)).toBe('Something new');
  });
});
