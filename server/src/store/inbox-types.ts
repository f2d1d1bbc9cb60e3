import type { Conversation } from './types.js';

/**
 * The offline inbox's state: offline messages and missed chats are `open` until an operator marks them
 * `answered` or `closed`; the status is shared by every operator of the site. A conversation without a
 * stored row is open.
 */
export type InboxStatus = 'open' | 'answered' | 'closed';
export const INBOX_STATUSES: readonly InboxStatus[] = ['open', 'answered', 'closed'];

export interface InboxState {
  conversationId: string;
  siteId: string;
  status: InboxStatus;
  /** When the status last changed (ms); null while it was never changed. */
  changedAt: number | null;
  /** Who changed it last; null while open from the start or when that account is gone. */
  changedBy: string | null;
}

export interface InboxQuery {
  siteIds: string[];
  statuses: InboxStatus[];
  limit: number;
  /** Cursor: createdAt of the last row seen (newest first). */
  before?: number;
}

export interface InboxRows {
  items: { conversation: Conversation; inbox: InboxState; preview: string }[];
  /** Open items of these sites, however many were listed (for the badge). */
  openCount: number;
  nextBefore: number | null;
}

export interface InboxStore {
  /** Offline (`offline`) and missed (`missed`) conversations of the sites with their inbox status, newest first. */
  listInbox(query: InboxQuery): Promise<InboxRows>;
  /** null when the conversation does not exist or is not an offline message or a missed chat. */
  getInboxState(conversationId: string): Promise<InboxState | null>;
  /** Rejects with not_found on an unknown conversation; the caller checks the kind and the site. */
  setInboxStatus(
    conversationId: string,
    change: { status: InboxStatus; at: number; operatorId: string | null },
  ): Promise<InboxState>;
}
