import { describe, expect, it } from 'vitest';
import { adminCs } from './admin.cs.js';
import { adminEn } from './admin.en.js';
import { adminRu } from './admin.ru.js';
import { cs as workspaceCs } from './cs.js';
import { dashCs } from './dash.cs.js';
import { dashEn } from './dash.en.js';
import { dashRu } from './dash.ru.js';
import { en as workspaceEn } from './en.js';
import { clockOptions, initialLang, t } from './index.js';
import './pages.js';
import { ru as workspaceRu } from './ru.js';

// Every dictionary: the workspace's and the lazily registered admin and dashboard texts.
const en = { ...workspaceEn, ...adminEn, ...dashEn };
const cs = { ...workspaceCs, ...adminCs, ...dashCs };
const ru = { ...workspaceRu, ...adminRu, ...dashRu };

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
      /^(status\.online|status\.offline|transfer\.option|card\.hours|card\.hoursMinutes|canned\.text|transcript\.export\w+|ops\.role|sites\.widget|dash\.colOnline|dash\.heatCell|unit\.\w+)$/;
    for (const dict of [cs, ru]) {
      for (const [key, value] of Object.entries(dict)) {
        if (sameAllowed.test(key)) continue;
        expect(JSON.stringify(value), key).not.toBe(JSON.stringify(en[key as keyof typeof en]));
      }
    }
  });

  it('registers the admin and dashboard texts of the lazy pages, plurals included', () => {
    expect(t('sites.save', {}, 'cs')).toBe('Uložit změny');
    expect(t('staff.understaffed', { count: 3 }, 'ru')).toBe(
      'В 3 часа недели в сети было слишком мало операторов.',
    );
    expect(t('staff.understaffed', { count: 5 }, 'cs')).toBe(
      'V 5 hodinách týdne bylo online málo operátorů.',
    );
    expect(t('dash.days', { count: 2 }, 'cs')).toBe('2 dny');
    // Teams: member counts and the checklist step.
    expect(t('teams.members', { count: 1 }, 'en')).toBe('1 operator');
    expect(t('teams.members', { count: 3 }, 'cs')).toBe('3 operátoři');
    expect(t('teams.members', { count: 5 }, 'ru')).toBe('5 операторов');
    expect(t('setup.teamsDone', { count: 2, names: 'Prodej, Podpora' }, 'cs')).toBe(
      '2 týmy: Prodej, Podpora.',
    );
    expect(t('setup.teamsDone', { count: 5, names: '…' }, 'ru')).toBe('5 команд: ….');
    expect(Object.keys(en)).toHaveLength(
      Object.keys(workspaceEn).length + Object.keys(adminEn).length + Object.keys(dashEn).length,
    );
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
