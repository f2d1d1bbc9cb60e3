import type { Message } from '@beseda/shared';
import { describe, expect, it } from 'vitest';
import { Timeline } from './timeline.js';

const msg = (seq: number, author: Message['author'] = 'visitor'): Message => ({
  conversationId: 'c1',
  seq,
  clientId: null,
  author,
  operatorId: null,
  authorName: null,
  text: `m${seq}`,
  at: seq,
});

/** The harness's gap rule must itself be right, or the cluster tests would judge the server wrongly. */
describe('Timeline (the clients’ gap rule)', () => {
  it('applies in-order frames and ignores duplicates', () => {
    const t = new Timeline('c1');
    expect(t.onLive(msg(1), 0)).toBe(false);
    expect(t.onLive(msg(2), 1)).toBe(false);
    expect(t.onLive(msg(2), 1)).toBe(false);
    expect(t.seqs()).toEqual([1, 2]);
    expect(t.duplicates).toBe(1);
  });

  it('buffers a frame that arrives before the one it follows, asks once, and connects when the gap arrives', () => {
    const t = new Timeline('c1');
    t.onLive(msg(1), 0);
    expect(t.onLive(msg(3), 2)).toBe(true);
    expect(t.onLive(msg(4), 3)).toBe(false); // same gap: no second sync
    expect(t.lastSeq).toBe(1);
    expect(t.onLive(msg(2), 1)).toBe(false);
    expect(t.seqs()).toEqual([1, 2, 3, 4]);
    expect(t.appliedOrder).toEqual([1, 2, 3, 4]);
    expect(t.inOrder()).toBe(true);
  });

  it('skips an internal note for a visitor (prev points past it) without a gap', () => {
    const t = new Timeline('c1');
    t.onLive(msg(1), 0);
    expect(t.onLive(msg(3), 1)).toBe(false);
    expect(t.seqs()).toEqual([1, 3]);
    expect(t.gaps).toBe(0);
  });

  it('fills a gap from a history answer and then drains what was buffered', () => {
    const t = new Timeline('c1');
    t.onLive(msg(1), 0);
    t.onLive(msg(5), 4);
    expect(t.onHistory([msg(2), msg(3), msg(4)])).toBe(false);
    expect(t.seqs()).toEqual([1, 2, 3, 4, 5]);
    expect(t.buffered.size).toBe(0);
    expect(t.syncInFlight).toBe(false);
  });

  it('asks again when a history answer still leaves a gap', () => {
    const t = new Timeline('c1');
    t.onLive(msg(7), 6);
    expect(t.onHistory([msg(1), msg(2)])).toBe(true);
    expect(t.lastSeq).toBe(2);
  });
});
