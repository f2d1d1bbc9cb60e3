import { describe, expect, it } from 'vitest';
import { addTags, normalizeTag, removeTag, tagSuggestions } from './tags.js';

describe('tags', () => {
  it('normalises like the server: trimmed, single-spaced, lower-case, at most 40 characters', () => {
    expect(normalizeTag('  VIP   Customer ')).toBe('vip customer');
    expect(normalizeTag('x'.repeat(50))).toHaveLength(40);
    expect(normalizeTag('   ')).toBe('');
  });

  it('adds comma-separated tags once each, up to 20', () => {
    expect(addTags(['billing'], 'Refund, billing, , urgent')).toEqual(['billing', 'refund', 'urgent']);
    const full = Array.from({ length: 20 }, (_, i) => `t${i}`);
    expect(addTags(full, 'one-more')).toBe(full);
    const same = ['a'];
    expect(addTags(same, 'A')).toBe(same);
  });

  it('removes a tag and suggests only tags not already set', () => {
    expect(removeTag(['a', 'b'], 'a')).toEqual(['b']);
    expect(tagSuggestions(['billing', 'bug', 'vip'], ['bug'])).toEqual(['billing', 'vip']);
  });
});
