import type { ConversationView, OMe } from '@beseda/shared/types';
import type { ChatState, ConsoleState, PendingMessage } from './state-types.js';

/** Read-only views of the console state, and the small helpers the reducer's modules share. */

/** Ended, missed and offline conversations and ones handed to someone else leave the active list. */
export function isMyActiveChat(conversation: ConversationView, me: OMe | null): boolean {
  return conversation.status === 'active' && me !== null && conversation.operator?.id === me.id;
}

/**
 * Chats stay in the order they arrived in my list (assignment time, then creation, then id), so Alt+1…9
 * mean the same chat between two key presses however the conversations move on.
 */
export function compareChats(a: ChatState, b: ChatState): number {
  const sa = a.conversation.assignedAt ?? a.conversation.createdAt;
  const sb = b.conversation.assignedAt ?? b.conversation.createdAt;
  if (sa !== sb) return sa - sb;
  return a.conversation.id < b.conversation.id ? -1 : a.conversation.id > b.conversation.id ? 1 : 0;
}

/** The chat whose visitor has waited longest for an answer (arrival order breaks ties), or null. */
export function nextWaiting(state: ConsoleState): string | null {
  let best: ChatState | null = null;
  for (const chat of sortedChats(state)) {
    const since = chat.conversation.waitingSince;
    if (since === null) continue;
    if (!best || since < (best.conversation.waitingSince ?? Number.POSITIVE_INFINITY)) best = chat;
  }
  return best?.conversation.id ?? null;
}

/** Chats I hold against my capacity: Take is refused by the server when they are equal. */
export function atCapacity(state: ConsoleState): boolean {
  return state.me !== null && Object.keys(state.chats).length >= state.me.capacity;
}

const sortedCache = new WeakMap<object, ChatState[]>();

/** Memoised on the chats object so components can call it on every render. */
export function sortedChats(state: ConsoleState): ChatState[] {
  const cached = sortedCache.get(state.chats);
  if (cached) return cached;
  const list = Object.values(state.chats).sort(compareChats);
  sortedCache.set(state.chats, list);
  return list;
}

/** Open inbox items this operator has not opened yet (in this browser). */
export function unreadInbox(state: ConsoleState): number {
  let n = 0;
  for (const o of state.inbox.open) if (o.unread) n++;
  return n;
}

export function totalUnread(state: ConsoleState): number {
  let n = 0;
  for (const c of Object.values(state.chats)) n += c.unread;
  return n;
}

/** The contiguous watermark: the resume point for `sync` after a reconnect or a gap. */
export function lastSeqOf(chat: ChatState): number {
  return chat.lastSeq;
}

/** A live frame is held back because messages before it are missing: the store asks for them. */
export function hasGap(chat: ChatState): boolean {
  return chat.buffered.length > 0;
}

export function isVisible(state: ConsoleState, conversationId: string): boolean {
  return state.openId === conversationId && state.windowFocused;
}

export function firstChatId(state: ConsoleState): string | null {
  return sortedChats(state)[0]?.conversation.id ?? null;
}

export function updateChat(
  state: ConsoleState,
  id: string,
  fn: (chat: ChatState) => ChatState,
): ConsoleState {
  const chat = state.chats[id];
  if (!chat) return state;
  const next = fn(chat);
  return next === chat ? state : { ...state, chats: { ...state.chats, [id]: next } };
}

export function updatePending(
  state: ConsoleState,
  id: string,
  clientId: string,
  fn: (p: PendingMessage) => PendingMessage,
): ConsoleState {
  return updateChat(state, id, (c) => ({
    ...c,
    pending: c.pending.map((p) => (p.clientId === clientId ? fn(p) : p)),
  }));
}
