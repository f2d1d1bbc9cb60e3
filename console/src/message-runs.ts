import type { Message, MessageAuthor } from '@beseda/shared/types';

/**
 * Consecutive messages from the same author within a few minutes form a run, shown like the widget does:
 * name and time once on the first bubble, the rest packed under it. Pure, so it is unit-tested.
 */
export const RUN_GAP_MS = 5 * 60_000;

export interface RunItem {
  author: MessageAuthor;
  /** Distinguishes operators: two colleagues never share a run. */
  operatorId: string | null;
  at: number;
}

/** For each item, whether it starts a new run (true) or continues the one before it. */
export function runStarts(items: readonly RunItem[]): boolean[] {
  return items.map((m, i) => {
    const prev = items[i - 1];
    if (!prev || m.author === 'system' || prev.author === 'system') return true;
    if (m.author !== prev.author || m.operatorId !== prev.operatorId) return true;
    return m.at - prev.at > RUN_GAP_MS;
  });
}

export function asRunItem(m: Message): RunItem {
  return { author: m.author, operatorId: m.operatorId, at: m.at };
}
