import type { Message } from '@beseda/shared';
import { describe, expect, it } from 'vitest';
import { VisitorSocketState } from './visitor-socket-state.js';

const msg = (seq: number, conversationId = 'c1'): Message => ({
  conversationId,
  seq,
  clientId: null,
  author: 'visitor',
  operatorId: null,
  authorName: null,
  text: `m${seq}`,
  at: seq,
});

describe('VisitorSocketState', () => {
  it('tracks the conversation and the highest seq forwarded, resetting on a new conversation', () => {
    const s = new VisitorSocketState();
    s.observe({ type: 'ack', clientId: 'abcdefgh', conversationId: 'c1', seq: 1, at: 1 });
    s.observe({ type: 'message', message: msg(1), prev: 0 });
    s.observe({ type: 'history', conversationId: 'c1', messages: [msg(2), msg(3)] });
    s.observe({ type: 'message', message: msg(9, 'other'), prev: 8 });
    expect([s.conversationId, s.lastSeq]).toEqual(['c1', 3]);
    s.observe({ type: 'ack', clientId: 'abcdefgh', conversationId: 'c2', seq: 1, at: 1 });
    expect([s.conversationId, s.lastSeq]).toEqual(['c2', 0]);
  });

  it('reports a queue frame only when position or estimate moved', () => {
    const s = new VisitorSocketState();
    const q = (position: number) =>
      ({ type: 'queue', conversationId: 'c1', position, ahead: position - 1, eta: null }) as const;
    expect(s.queueChanged(q(3))).toBe(true);
    expect(s.queueChanged(q(3))).toBe(false);
    expect(s.queueChanged(q(2))).toBe(true);
  });
});
