import type { Conversation, InboxState, InboxStatus } from './types.js';

// Shared by both dialects' inbox queries (sqlite/sqlite-inbox.ts, postgres/postgres-inbox.ts).

/** Conversation states that belong in the offline inbox. */
export const INBOX_KINDS = ['offline', 'missed'] as const;

/** Longest preview shown in the inbox list (the first visitor message, cut). */
export const INBOX_PREVIEW_CHARS = 200;

/** The inbox state of a conversation given its stored row, if any (no row = open, never changed). */
export function inboxStateOf(
  conversation: Pick<Conversation, 'id' | 'siteId'>,
  row: { status: InboxStatus; changedAt: number; changedBy: string | null } | null | undefined,
): InboxState {
  return {
    conversationId: conversation.id,
    siteId: conversation.siteId,
    status: row?.status ?? 'open',
    changedAt: row?.changedAt ?? null,
    changedBy: row?.changedBy ?? null,
  };
}
