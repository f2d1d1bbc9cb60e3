import { describe, expect, it } from 'vitest';
import { elapsedSeconds, formatDuration, previewText, visitorLabel, waitLevel } from './format.js';
import { parseHash, routeHref } from './router.js';

describe('format', () => {
  it('colours waits green under a minute, amber under four, red from four minutes', () => {
    expect(waitLevel(0)).toBe('ok');
    expect(waitLevel(59)).toBe('ok');
    expect(waitLevel(60)).toBe('warn');
    expect(waitLevel(239)).toBe('warn');
    expect(waitLevel(240)).toBe('late');
  });

  it('formats durations as m:ss and h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(83)).toBe('1:23');
    expect(formatDuration(3725)).toBe('1:02:05');
  });

  it('never shows a negative wait when clocks disagree', () => {
    expect(elapsedSeconds(10_000, 9_000)).toBe(0);
    expect(elapsedSeconds(10_000, 12_999)).toBe(2);
  });

  it('names anonymous visitors by the end of their id', () => {
    expect(visitorLabel(null, 'v_8f3a9c')).toBe('Visitor #3A9C');
    expect(visitorLabel('  ', 'abcdef')).toBe('Visitor #CDEF');
    expect(visitorLabel('Eve', 'abcdef')).toBe('Eve');
  });

  it('collapses whitespace and truncates previews', () => {
    expect(previewText('a\n\n b   c')).toBe('a b c');
    expect(previewText('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('routes', () => {
  it('parses and builds hash routes', () => {
    expect(parseHash('')).toEqual({ page: 'chats' });
    expect(parseHash('#/chats')).toEqual({ page: 'chats' });
    expect(parseHash('#/history')).toEqual({ page: 'history', transcriptId: null });
    expect(parseHash('#/history/c%2F1')).toEqual({ page: 'history', transcriptId: 'c/1' });
    expect(routeHref({ page: 'history', transcriptId: 'c/1' })).toBe('#/history/c%2F1');
    expect(routeHref({ page: 'chats' })).toBe('#/chats');
  });
});
