import { CONVERSATION_STATUSES } from '@beseda/shared';
import { describe, expect, it } from 'vitest';
import { type ConversationEvent, transition } from './conversation.js';

describe('conversation state machine', () => {
  it('follows the life cycle queued → active → ended', () => {
    expect(transition('queued', 'assign')).toBe('active');
    expect(transition('active', 'transfer')).toBe('active');
    expect(transition('active', 'unassign')).toBe('queued');
    expect(transition('active', 'end')).toBe('ended');
    expect(transition('queued', 'miss')).toBe('missed');
  });

  it('rejects every other transition with invalid_state', () => {
    const legal = new Set([
      'queued:assign',
      'queued:miss',
      'active:transfer',
      'active:unassign',
      'active:end',
    ]);
    const events: ConversationEvent[] = ['assign', 'transfer', 'unassign', 'end', 'miss'];
    let rejected = 0;
    for (const from of CONVERSATION_STATUSES) {
      for (const ev of events) {
        if (legal.has(`${from}:${ev}`)) continue;
        expect(() => transition(from, ev)).toThrowError(expect.objectContaining({ code: 'invalid_state' }));
        rejected++;
      }
    }
    expect(rejected).toBe(CONVERSATION_STATUSES.length * events.length - legal.size);
  });
});
