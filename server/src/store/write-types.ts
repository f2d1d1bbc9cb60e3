import type {
  AppendResult,
  ChatEventRecord,
  NewMessage,
  PageViewRecord,
  UnitOfWork,
  UnitResult,
} from './types.js';

/** What a store's group commit queues: one append or unit of work each, committed in batches. */
export type Write =
  | { kind: 'message'; m: NewMessage }
  | { kind: 'event'; e: ChatEventRecord }
  | { kind: 'page_view'; p: PageViewRecord }
  | { kind: 'unit'; unit: UnitOfWork };
export type Written = AppendResult | UnitResult | null;
