import { describe, expect, it } from 'vitest';
import { message } from './fake-server.js';
import { GapFilter } from './gap.js';

const seqs = (r: { apply: { seq: number }[] }) => r.apply.map((m) => m.seq);

describe('gap detection by prev', () => {
  it('applies a frame whose prev is held, skipping the seqs of notes it cannot see', () => {
    const g = new GapFilter();
    expect(seqs(g.message(message('c', 1), 0, 0))).toEqual([1]);
    // seq 2 and 3 were internal notes: prev of 4 is 1
    expect(g.message(message('c', 4), 1, 1)).toEqual({ apply: [message('c', 4)], sync: null });
  });

  it('holds a frame beyond a gap, asks sync once, and releases it when the gap fills', () => {
    const g = new GapFilter();
    const r = g.message(message('c', 5), 4, 2);
    expect(r).toEqual({ apply: [], sync: 2 });
    expect(g.message(message('c', 6), 5, 2)).toEqual({ apply: [], sync: null }); // same gap: no second ask
    expect(g.holding).toBe(2);
    // the missing seq 4 arrives live (out of order): 4, then the held 5 and 6 follow
    expect(seqs(g.message(message('c', 4), 2, 2))).toEqual([4, 5, 6]);
    expect(g.holding).toBe(0);
  });

  it('a sync answer (history) releases what it connects; a gap still open is asked again', () => {
    const g = new GapFilter();
    g.message(message('c', 5), 4, 1);
    g.message(message('c', 9), 8, 1);
    // history after 1 brings 2..4: watermark 4 releases 5; 9 still waits for 6..8
    const r = g.history('c', 4);
    expect(seqs(r)).toEqual([5]);
    expect(r.sync).toBe(5);
    expect(seqs(g.history('c', 8))).toEqual([9]);
    expect(g.holding).toBe(0);
  });

  it('drops duplicates and frames the watermark already covers', () => {
    const g = new GapFilter();
    expect(g.message(message('c', 3), 2, 3)).toEqual({ apply: [], sync: null });
    g.message(message('c', 7), 6, 3);
    expect(seqs(g.history('c', 7))).toEqual([]);
    expect(g.holding).toBe(0);
  });

  it('without prev (an older server) applies any new seq, as before', () => {
    const g = new GapFilter();
    expect(seqs(g.message(message('c', 8), undefined, 2))).toEqual([8]);
    expect(seqs(g.message(message('c', 2), undefined, 2))).toEqual([]);
  });

  it('forgets what it held when the conversation changes or the socket is new', () => {
    const g = new GapFilter();
    g.message(message('c', 5), 4, 1);
    expect(seqs(g.message(message('d', 1), 0, 0))).toEqual([1]);
    expect(g.holding).toBe(0);
    g.message(message('d', 5), 4, 1);
    g.reset();
    expect(g.holding).toBe(0);
    expect(g.message(message('d', 6), 5, 1).sync).toBe(1); // asked again on the new socket
  });
});
