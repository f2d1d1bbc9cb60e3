import { describe, expect, it } from 'vitest';
import { cs } from './cs.js';
import { en } from './en.js';
import { clockOptions, initialLang, t } from './index.js';
import { ru } from './ru.js';

describe('i18n', () => {
  it('picks the stored language, else the first browser language it speaks, else English', () => {
    expect(initialLang('ru', ['cs-CZ'])).toBe('ru');
    expect(initialLang(null, ['de-DE', 'cs-CZ', 'en'])).toBe('cs');
    expect(initialLang('xx', ['de'])).toBe('en');
  });

  it('fills placeholders and chooses plural forms per language', () => {
    expect(t('chats.unread', { count: 1 }, 'en')).toBe('1 unread message');
    expect(t('chats.unread', { count: 3 }, 'en')).toBe('3 unread messages');
    expect(t('chats.unread', { count: 3 }, 'cs')).toBe('3 nepřečtené zprávy');
    expect(t('chats.unread', { count: 5 }, 'cs')).toBe('5 nepřečtených zpráv');
    expect(t('chats.unread', { count: 21 }, 'ru')).toBe('21 непрочитанное сообщение');
    expect(t('chats.unread', { count: 3 }, 'ru')).toBe('3 непрочитанных сообщения');
    expect(t('chats.unread', { count: 11 }, 'ru')).toBe('11 непрочитанных сообщений');
    expect(t('notice.ended', { who: 'Eve' }, 'cs')).toBe('Chat s návštěvníkem Eve skončil.');
  });

  it('formats numbers in placeholders by the language', () => {
    expect(t('queue.full', { active: 1200, capacity: 1500 }, 'ru')).toContain('1\u00a0200');
  });

  it('has no English left over in Czech and Russian (same text only where it is a name or code)', () => {
    const sameAllowed =
      /^(status\.online|status\.offline|transfer\.option|card\.hours|card\.hoursMinutes|canned\.text|transcript\.export\w+)$/;
    for (const dict of [cs, ru]) {
      for (const [key, value] of Object.entries(dict)) {
        if (sameAllowed.test(key)) continue;
        expect(JSON.stringify(value), key).not.toBe(JSON.stringify(en[key as keyof typeof en]));
      }
    }
  });

  it('uses a 24 h clock in Czech and Russian', () => {
    const at = Date.UTC(2026, 0, 5, 13, 7);
    const opts = { ...clockOptions('cs'), timeZone: 'UTC' };
    expect(new Intl.DateTimeFormat('cs', opts).format(at)).toBe('13:07');
    expect(new Intl.DateTimeFormat('ru', { ...clockOptions('ru'), timeZone: 'UTC' }).format(at)).toBe(
      '13:07',
    );
  });
});
