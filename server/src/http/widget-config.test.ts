import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Site } from '../store/types.js';
import { DEFAULT_SITE } from './site-defaults.js';
import {
  DEFAULT_TEXTS,
  foregroundFor,
  pickWidgetLang,
  textsFor,
  WIDGET_LANGS,
  widgetConfig,
} from './widget-config.js';

const site = (over: Partial<Site> & { texts?: unknown } = {}): Site =>
  ({
    ...DEFAULT_SITE,
    id: 's1',
    key: 'shop',
    name: 'Shop',
    identitySecret: 'x',
    createdAt: 0,
    ...over,
  }) as Site;

describe('widget config per language', () => {
  it("picks the first of the visitor's languages the widget speaks, else the site's, else English", () => {
    expect(pickWidgetLang('sk-SK,cs;q=0.8,en', 'en')).toBe('sk');
    expect(pickWidgetLang('fr-FR,uk', 'en')).toBe('uk');
    expect(pickWidgetLang('fr,it', 'cs')).toBe('cs');
    expect(pickWidgetLang(undefined, 'xx')).toBe('en');
  });

  it('translates the built-in texts, keeps the owner’s own words for the site language', () => {
    expect(textsFor(site(), 'sk')).toMatchObject({ launcherText: 'Napíšte nám', openLabel: 'Otvoriť chat' });
    expect(textsFor(site({ launcherText: 'Ask Anna', greeting: 'Hi from Anna' }), 'en')).toMatchObject({
      launcherText: 'Ask Anna',
      greeting: 'Hi from Anna',
    });
    // English custom words are not shown to a German visitor
    expect(textsFor(site({ launcherText: 'Ask Anna' }), 'de').launcherText).toBe('Schreiben Sie uns');
    // an icon-only launcher stays icon-only in every language
    expect(textsFor(site({ launcherText: '' }), 'pl').launcherText).toBe('');
  });

  it('uses the site texts per language when the store has them', () => {
    const s = site({ texts: { cs: { launcherText: 'Zeptejte se', offlineText: 'Napište nám e-mail' } } });
    expect(textsFor(s, 'cs')).toMatchObject({
      launcherText: 'Zeptejte se',
      offlineText: 'Napište nám e-mail',
    });
    const cfg = widgetConfig(s, 'cs-CZ', { operatorsOnline: true, withinHours: true });
    expect(cfg).toMatchObject({ lang: 'cs', launcherText: 'Zeptejte se', offlineText: 'Napište nám e-mail' });
    expect(cfg.greeting).toBe(DEFAULT_TEXTS.cs.greeting);
  });

  it("each language's launcher label is the widget pack's own openChat", () => {
    for (const lang of WIDGET_LANGS) {
      const pack = JSON.parse(
        readFileSync(new URL(`../../../widget/src/chat/lang/${lang}.json`, import.meta.url), 'utf8'),
      ) as { openChat: string };
      expect(DEFAULT_TEXTS[lang].openLabel, lang).toBe(pack.openChat);
    }
  });

  it('picks readable text on the site colour', () => {
    expect(foregroundFor('#2563eb')).toBe('#fff');
    expect(foregroundFor('#000')).toBe('#fff');
    expect(foregroundFor('#ffcc00')).toBe('#111');
    expect(foregroundFor('#fff')).toBe('#111');
    expect(foregroundFor('nonsense')).toBe('#fff');
  });
});
