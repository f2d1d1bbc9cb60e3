import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserLang, lang, setLang } from './i18n/index.js';
import { applyProfile, chooseLocale, localeChoice, signedOut } from './profile.js';

// The console language follows the operator's account (issue #12.4): applied at sign-in, saved from the picker.
describe('console language on the account', () => {
  afterEach(() => {
    signedOut();
    setLang('en');
  });

  it('applies the account’s language at sign-in and follows the browser when it has none', async () => {
    const save = vi.fn(async () => undefined);
    setLang('en');
    await applyProfile({ locale: 'ru', answersChats: null }, save);
    expect(lang()).toBe('ru');
    expect(localeChoice(lang())).toBe('ru');
    signedOut();

    setLang('cs');
    await applyProfile({ locale: null, answersChats: null }, save);
    expect(lang()).toBe(browserLang());
    expect(localeChoice(lang())).toBeNull();
    // An unknown stored value is treated as none, never shown as a language.
    signedOut();
    await applyProfile({ locale: 'xx' as 'en', answersChats: null }, save);
    expect(lang()).toBe(browserLang());
    expect(save).not.toHaveBeenCalled();
  });

  it('saves a choice made in the picker to the account, null meaning "browser language"', async () => {
    const save = vi.fn(async (_locale: string | null) => undefined);
    await applyProfile({ locale: 'en', answersChats: true }, save);
    await chooseLocale('cs', save);
    expect(lang()).toBe('cs');
    expect(save).toHaveBeenLastCalledWith('cs');
    expect(localeChoice(lang())).toBe('cs');
    await chooseLocale(null, save);
    expect(save).toHaveBeenLastCalledWith(null);
    expect(lang()).toBe(browserLang());
    expect(localeChoice(lang())).toBeNull();
  });

  it('keeps a language picked on the sign-in page: saved when the account has none, else the account’s wins', async () => {
    const save = vi.fn(async (_locale: string | null) => undefined);
    await chooseLocale('ru', save);
    expect(save).not.toHaveBeenCalled();
    expect(lang()).toBe('ru');
    await applyProfile({ locale: null, answersChats: null }, save);
    expect(save).toHaveBeenCalledWith('ru');
    expect(lang()).toBe('ru');

    signedOut();
    save.mockClear();
    await chooseLocale('cs', save);
    await applyProfile({ locale: 'en', answersChats: null }, save);
    expect(lang()).toBe('en');
    expect(save).not.toHaveBeenCalled();
  });

  it('reports a failed save and keeps the language in use', async () => {
    const save = vi.fn(async () => {
      throw new Error('offline');
    });
    await applyProfile({ locale: 'en', answersChats: null }, save);
    await expect(chooseLocale('ru', save)).rejects.toThrow('offline');
    expect(lang()).toBe('ru');
  });
});
