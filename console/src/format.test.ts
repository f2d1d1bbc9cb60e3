import { describe, expect, it } from 'vitest';
import {
  elapsedSeconds,
  formatDuration,
  localTimeIn,
  parseGmtOffset,
  previewText,
  visitorLabel,
  waitLevel,
} from './format.js';
import { parseHash, routeHref } from './router.js';

describe('format', () => {
  it('colours waits by the site thresholds: green below amber, amber below alert, red from alert on', () => {
    const t = { amberAfterSeconds: 5, alertAfterSeconds: 10 };
    expect(waitLevel(4, t)).toBe('ok');
    expect(waitLevel(5, t)).toBe('warn');
    expect(waitLevel(9, t)).toBe('warn');
    expect(waitLevel(10, t)).toBe('late');
  });

  it('shows a visitor’s local time and how far it is from mine', () => {
    const at = Date.UTC(2024, 5, 4, 12, 30); // a Tuesday
    expect(localTimeIn(at, 'Asia/Kolkata', 60, 'en')).toEqual({
      time: 'Tue 06:00 PM',
      diff: '4:30 h ahead of you',
    });
    expect(localTimeIn(at, 'America/New_York', 0, 'cs')).toEqual({ time: 'út 08:30', diff: 'o 4 h pozadu' });
    expect(localTimeIn(at, 'UTC', 0, 'ru')).toEqual({ time: 'вт 12:30', diff: 'как у вас' });
    expect(localTimeIn(at, 'Not/AZone')).toBeNull();
    expect(localTimeIn(at, null)).toBeNull();
    expect(parseGmtOffset('GMT-03:00')).toBe(-180);
    expect(parseGmtOffset('GMT+5')).toBe(300);
    expect(parseGmtOffset('CEST')).toBeNull();
  });

  it('defaults to a minute for amber and four for red until the sites are known', () => {
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

  it('routes the canned and admin pages, defaulting to the operators section', () => {
    expect(parseHash('#/canned')).toEqual({ page: 'canned' });
    expect(parseHash('#/admin')).toEqual({ page: 'admin', section: 'operators' });
    expect(parseHash('#/admin/sites')).toEqual({ page: 'admin', section: 'sites' });
    expect(parseHash('#/admin/nope')).toEqual({ page: 'admin', section: 'operators' });
    expect(routeHref({ page: 'admin', section: 'canned' })).toBe('#/admin/canned');
    expect(parseHash('#/unknown')).toEqual({ page: 'chats' });
  });
});
