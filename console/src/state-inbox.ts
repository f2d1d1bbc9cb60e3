import type { ConversationView, InboxItem } from '@beseda/shared/types';
import { type InboxEntry, type InboxState, MAX_INBOX_LISTED } from './state-types.js';

/**
 * The offline inbox's part of the reducer. The server holds each item's status (open / answered / closed)
 * for every operator of the site; the state keeps the open ones, which the badge counts. Pure functions,
 * each returning the same object when nothing changed.
 */

const newestFirst = (a: InboxEntry, b: InboxEntry) =>
  b.conversation.createdAt - a.conversation.createdAt ||
  (a.conversation.id < b.conversation.id ? 1 : a.conversation.id > b.conversation.id ? -1 : 0);

/** A visitor just left a message (the live `offline` frame): open and unread until the server says otherwise. */
export function inboxArrived(inbox: InboxState, conversation: ConversationView, preview: string): InboxState {
  if (inbox.open.some((o) => o.conversation.id === conversation.id)) return inbox;
  const entry: InboxEntry = {
    conversation,
    preview,
    status: 'open',
    changedAt: null,
    changedBy: null,
    unread: true,
  };
  return {
    open: [entry, ...inbox.open].sort(newestFirst).slice(0, MAX_INBOX_LISTED),
    openCount: inbox.openCount + 1,
    version: inbox.version + 1,
  };
}

/** The server's open list replaces ours; what this browser has opened stays read. */
export function inboxLoaded(
  inbox: InboxState,
  items: InboxItem[],
  openCount: number,
  read: ReadonlySet<string>,
): InboxState {
  const open = items
    .filter((i) => i.status === 'open')
    .map((i) => ({ ...i, unread: !read.has(i.conversation.id) }))
    .sort(newestFirst)
    .slice(0, MAX_INBOX_LISTED);
  return { open, openCount, version: inbox.version + 1 };
}

/** An item's new status: it leaves the open list (and the badge) or comes back to it. */
export function inboxStatusChanged(inbox: InboxState, item: InboxItem): InboxState {
  const known = inbox.open.find((o) => o.conversation.id === item.conversation.id);
  if (item.status !== 'open') {
    if (!known) return { ...inbox, version: inbox.version + 1 };
    return {
      open: inbox.open.filter((o) => o !== known),
      openCount: Math.max(0, inbox.openCount - 1),
      version: inbox.version + 1,
    };
  }
  if (known)
    return {
      ...inbox,
      open: inbox.open.map((o) => (o === known ? { ...item, unread: o.unread } : o)),
      version: inbox.version + 1,
    };
  return {
    open: [...inbox.open, { ...item, unread: false }].sort(newestFirst).slice(0, MAX_INBOX_LISTED),
    openCount: inbox.openCount + 1,
    version: inbox.version + 1,
  };
}

export function inboxRead(inbox: InboxState, conversationId: string): InboxState {
  if (!inbox.open.some((o) => o.conversation.id === conversationId && o.unread)) return inbox;
  return {
    ...inbox,
    open: inbox.open.map((o) => (o.conversation.id === conversationId ? { ...o, unread: false } : o)),
  };
}
