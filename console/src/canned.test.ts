import type { CannedResponse } from '@beseda/shared/types';
import { describe, expect, it } from 'vitest';
import { fillPlaceholders, replaceToken, searchCanned, shortcutProblem, slashToken } from './canned.js';

const item = (shortcut: string, text: string, operatorId: string | null = 'op-1'): CannedResponse => ({
  id: shortcut,
  shortcut,
  text,
  operatorId,
  siteId: null,
  createdAt: 0,
});

describe('slashToken', () => {
  it('finds a slash query at the start or after whitespace, ending at the caret', () => {
    expect(slashToken('/', 1)).toEqual({ start: 0, end: 1, query: '' });
    expect(slashToken('/gre', 4)).toEqual({ start: 0, end: 4, query: 'gre' });
    expect(slashToken('Hello /ref', 10)).toEqual({ start: 6, end: 10, query: 'ref' });
    expect(slashToken('line\n/x', 7)).toEqual({ start: 5, end: 7, query: 'x' });
  });

  it('ignores slashes inside words and URLs, and a caret in the middle of a word', () => {
    expect(slashToken('and/or', 6)).toBeNull();
    expect(slashToken('see https://x.y/z', 17)).toBeNull();
    expect(slashToken('/greet', 3)).toBeNull();
    expect(slashToken('/gre more', 4)).toEqual({ start: 0, end: 4, query: 'gre' });
    expect(slashToken('/a b', 4)).toBeNull();
    expect(slashToken('plain', 5)).toBeNull();
  });
});

describe('searchCanned', () => {
  const items = [
    item('refund', 'Your refund is on its way'),
    item('hello', 'Hi {{visitor.name}}!', null),
    item('hi', 'Hello there'),
    item('shipping', 'We ship in 2 days; no refund of shipping costs'),
    item('bye', 'Thanks for chatting'),
  ];

  it('ranks shortcut prefix, then shortcut substring, then text matches', () => {
    expect(searchCanned(items, 'ref').map((i) => i.shortcut)).toEqual(['refund', 'shipping']);
    expect(searchCanned(items, 'h').map((i) => i.shortcut)).toEqual(['hi', 'hello', 'shipping', 'bye']);
    expect(searchCanned(items, 'CHAT').map((i) => i.shortcut)).toEqual(['bye']);
    expect(searchCanned(items, 'nothing')).toEqual([]);
  });

  it('lists everything for an empty query, personal first, and honours the limit', () => {
    expect(searchCanned(items, '').map((i) => i.shortcut)).toEqual([
      'bye',
      'hi',
      'refund',
      'shipping',
      'hello',
    ]);
    expect(searchCanned(items, '', 2)).toHaveLength(2);
  });
});

describe('fillPlaceholders', () => {
  it('fills both names, with or without inner spaces, as often as they appear', () => {
    expect(
      fillPlaceholders('Hi {{visitor.name}}, I am {{ operator.name }}. {{visitor.name}}?', {
        visitorName: 'Eve',
        operatorName: 'Anna',
      }),
    ).toBe('Hi Eve, I am Anna. Eve?');
  });

  it('leaves an unknown name out and tidies the spacing around it', () => {
    expect(fillPlaceholders('Hi {{visitor.name}}, welcome!', { visitorName: null, operatorName: 'A' })).toBe(
      'Hi, welcome!',
    );
    expect(fillPlaceholders('Dear {{visitor.name}} customer', { visitorName: ' ', operatorName: null })).toBe(
      'Dear customer',
    );
    expect(fillPlaceholders('{{visitor.name}}\nThanks', { visitorName: null, operatorName: null })).toBe(
      '\nThanks',
    );
  });

  it('keeps other braces and the text untouched when nothing is missing', () => {
    expect(fillPlaceholders('Use {{code}}  here', { visitorName: 'E', operatorName: 'A' })).toBe(
      'Use {{code}}  here',
    );
  });
});

describe('replaceToken', () => {
  it('replaces the query with the text and puts the caret after it', () => {
    const text = 'Sure. /ref thanks';
    const token = slashToken(text, 10);
    expect(token).not.toBeNull();
    if (!token) return;
    expect(replaceToken(text, token, 'Refund sent')).toEqual({ text: 'Sure. Refund sent thanks', caret: 17 });
  });
});

describe('shortcutProblem', () => {
  it('accepts what the server accepts', () => {
    expect(shortcutProblem('refund_2')).toBeNull();
    expect(shortcutProblem('přivítání')).toBeNull();
    expect(shortcutProblem('')).toMatch(/required/);
    expect(shortcutProblem('/hi')).toMatch(/Letters/);
    expect(shortcutProblem('two words')).toMatch(/Letters/);
    expect(shortcutProblem('x'.repeat(41))).toMatch(/40/);
  });
});
