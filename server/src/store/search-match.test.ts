import { describe, expect, it } from 'vitest';
import { compileSearch } from './search-match.js';

const test = (q: string, text: string) => compileSearch(q)?.test(text) ?? false;

describe('search matcher (the index rules in JavaScript)', () => {
  it('folds case and diacritics and matches word beginnings', () => {
    expect(test('zasilka', 'Kde je moje ZÁSILKA?')).toBe(true);
    expect(test('objedn', 'Objednávka 123')).toBe(true);
    expect(test('jednavka', 'Objednávka 123')).toBe(false);
    expect(test('елка', 'Ёлка уже доставлена')).toBe(true);
    expect(test('ЗАКА', 'Где мой заказ?')).toBe(true);
    expect(test('иод', 'йод')).toBe(false);
  });

  it('needs every word, and quoted phrases word by word', () => {
    expect(test('doprava zdarma', 'Zdarma není nic, doprava stojí 99 Kč')).toBe(true);
    expect(test('"doprava zdarma"', 'Zdarma není nic, doprava stojí 99 Kč')).toBe(false);
    expect(test('"doprava zdarma"', 'Doprava   zdarma nad 1000 Kč')).toBe(true);
    expect(test('"doprava zdarm"', 'Doprava zdarma')).toBe(false);
    expect(test('e-mail', 'pošlete e-mail prosím')).toBe(true);
    expect(test('a.b*(c', 'a b c')).toBe(true);
  });

  it('has nothing to match without a letter or digit', () => {
    expect(compileSearch('  --- ')).toBeNull();
    expect(compileSearch('""')).toBeNull();
  });

  it('cuts a snippet around the first match', () => {
    const m = compileSearch('doprava');
    const text = Array.from({ length: 40 }, (_, i) => `slovo${i}`)
      .join(' ')
      .replace('slovo20', 'Doprava');
    const s = m?.snippet(text) ?? '';
    expect(s.startsWith('…slovo17 ')).toBe(true);
    expect(s).toContain('Doprava');
    expect(s.endsWith('…')).toBe(true);
    expect(m?.snippet('nic tu není')).toBe('');
    expect(m?.snippet('Doprava zdarma')).toBe('Doprava zdarma');
  });
});
