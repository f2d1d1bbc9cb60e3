import type { ConversationStatus } from '@beseda/shared';
import { BesedaError } from './errors.js';

/**
 * The conversation life cycle. `unassign` puts an active chat back in the queue (its operator left or
 * did not answer); `miss` is a queued chat that left without an operator.
 */
export type ConversationEvent = 'assign' | 'transfer' | 'unassign' | 'end' | 'miss';

const TRANSITIONS: Record<ConversationStatus, Partial<Record<ConversationEvent, ConversationStatus>>> = {
  queued: { assign: 'active', miss: 'missed' },
  active: { transfer: 'active', unassign: 'queued', end: 'ended' },
  ended: {},
  missed: {},
  offline: {},
};

export function transition(from: ConversationStatus, event: ConversationEvent): ConversationStatus {
  const to = TRANSITIONS[from][event];
  if (!to) throw new BesedaError('invalid_state', `Cannot ${event} a conversation that is ${from}`);
  return to;
}

export const isOpen = (s: ConversationStatus): boolean => s === 'queued' || s === 'active';
