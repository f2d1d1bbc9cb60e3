import { describe, expect, it } from 'vitest';
import { queueText } from './format.js';
import { fill, stringsFor } from './i18n.js';

const t = stringsFor('en');

describe('queue text', () => {
  it('shows the position and the ETA range in whole minutes', () => {
    expect(queueText({ position: 3, ahead: 2, eta: { minSeconds: 90, maxSeconds: 250 } }, t)).toBe(
      'You are number 3 in the queue · about 2–5 min',
    );
  });

  it('never says "0 min", never shows a reversed range, collapses equal ends', () => {
    expect(queueText({ position: 1, ahead: 0, eta: { minSeconds: 0, maxSeconds: 20 } }, t)).toBe(
      'You are number 1 in the queue · about 1 min',
    );
    expect(queueText({ position: 2, ahead: 1, eta: { minSeconds: 600, maxSeconds: 60 } }, t)).toBe(
      'You are number 2 in the queue · about 10 min',
    );
  });

  it('shows only the position without an estimate', () => {
    expect(queueText({ position: 4, ahead: 3, eta: null }, t)).toBe('You are number 4 in the queue');
  });
});

describe('strings', () => {
  it('falls back from a regional tag to its language, then to English', () => {
    expect(stringsFor('en-GB')).toBe(t);
    expect(stringsFor('xx')).toBe(t);
    expect(fill('{a} and {b}', { a: 1 })).toBe('1 and ');
  });
});
