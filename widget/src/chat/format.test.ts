import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { etaText, queueLines, timeOf } from './format.js';
import { fill, type Strings } from './i18n.js';

const pack = (lang: string): Strings =>
  JSON.parse(readFileSync(new URL(`./lang/${lang}.json`, import.meta.url), 'utf8')) as Strings;
const t = pack('en');

describe('queue text', () => {
  it('shows the exact position, how many are ahead and the ETA range in whole minutes', () => {
    expect(queueLines({ position: 3, ahead: 2, eta: { minSeconds: 120, maxSeconds: 300 } }, t, 'en')).toEqual(
      ['You are number 3 in the queue', '2 people ahead of you · about 2–5 min'],
    );
    expect(queueLines({ position: 2, ahead: 1, eta: null }, t, 'en')).toEqual([
      'You are number 2 in the queue',
      '1 person ahead of you',
    ]);
    expect(queueLines({ position: 1, ahead: 0, eta: { minSeconds: 60, maxSeconds: 60 } }, t, 'en')).toEqual([
      'You are next in the queue',
      'about 1 min',
    ]);
  });

  it('prints the range it got (whole minutes): "under" from zero, never "0 min", never reversed', () => {
    expect(etaText({ minSeconds: 0, maxSeconds: 60 }, t)).toBe('under 1 min');
    expect(etaText({ minSeconds: 0, maxSeconds: 180 }, t)).toBe('under 3 min');
    expect(etaText({ minSeconds: 0, maxSeconds: 0 }, t)).toBe('under 1 min');
    expect(etaText({ minSeconds: 600, maxSeconds: 60 }, t)).toBe('about 10 min');
    // A range not in whole minutes is widened outwards, never narrowed.
    expect(etaText({ minSeconds: 150, maxSeconds: 250 }, t)).toBe('about 2–5 min');
  });

  it('pluralises by the rules of the language', () => {
    const cs = pack('cs');
    const ru = pack('ru');
    const ahead = (s: typeof t, lang: string, n: number) =>
      queueLines({ position: n + 1, ahead: n, eta: null }, s, lang)[1];
    expect([1, 3, 5].map((n) => ahead(cs, 'cs', n))).toEqual([
      'Před vámi je 1 člověk',
      'Před vámi jsou 3 lidé',
      'Před vámi je 5 lidí',
    ]);
    expect([1, 3, 5, 21].map((n) => ahead(ru, 'ru', n))).toEqual([
      'Перед вами 1 человек',
      'Перед вами 3 человека',
      'Перед вами 5 человек',
      'Перед вами 21 человек',
    ]);
  });

  it('formats times with Intl in the visitor locale, with the date when not today', () => {
    const at = Date.UTC(2025, 0, 15, 13, 5);
    const now = at + 60_000;
    expect(timeOf(at, 'cs-CZ', now)).toBe(
      new Intl.DateTimeFormat('cs-CZ', { hour: '2-digit', minute: '2-digit' }).format(at),
    );
    expect(timeOf(at, 'en-US', at + 3 * 86_400_000)).toContain('Jan');
    expect(() => timeOf(at, 'not a tag!', now)).not.toThrow();
  });
});

describe('strings', () => {
  it('fills placeholders, leaving unknown ones empty', () => {
    expect(fill('{a} and {b}', { a: 1 })).toBe('1 and ');
  });
});
