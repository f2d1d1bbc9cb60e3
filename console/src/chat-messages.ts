import type { Message } from '@beseda/shared/types';
import type { ChatState } from './state.js';

/**
 * How one chat's messages change, pure: live frames with the gap rule of PROTOCOL-NOTES 1, contiguous
 * `history` answers, and the unread / waiting-for-an-answer facts derived from what was applied.
 * `visible` says whether the operator is looking at this chat (then nothing counts as unread).
 */

/**
 * A live message (PROTOCOL-NOTES 1): a duplicate (seq ≤ lastSeq) is ignored; one that follows what we hold
 * (prev ≤ lastSeq) is applied and may release buffered ones; one after a gap waits in `buffered` while the
 * store asks the server for the gap with `sync`.
 */
export function receiveLive(chat: ChatState, message: Message, prev: number, visible: boolean): ChatState {
  if (message.conversationId !== chat.conversation.id || message.seq <= chat.lastSeq) return chat;
  if (prev > chat.lastSeq) {
    if (chat.buffered.some((b) => b.message.seq === message.seq)) return chat;
    const buffered = [...chat.buffered, { message, prev }].sort((a, b) => a.message.seq - b.message.seq);
    return { ...chat, buffered };
  }
  return drain(addMessages(chat, [message], true, message.seq, visible), visible);
}

/** A `history` answer is contiguous: apply all of it, the watermark moves to its last seq. */
export function receiveHistory(chat: ChatState, messages: Message[], visible: boolean): ChatState {
  const id = chat.conversation.id;
  let last = chat.lastSeq;
  for (const m of messages) if (m.conversationId === id && m.seq > last) last = m.seq;
  return drain(addMessages(chat, messages, false, last, visible), visible);
}

/** Applies buffered frames that now connect to the watermark; drops the ones it already covers. */
function drain(start: ChatState, visible: boolean): ChatState {
  let chat = start;
  for (;;) {
    if (chat.buffered.length === 0) return chat;
    const lastSeq = chat.lastSeq;
    const waiting = chat.buffered.filter((b) => b.message.seq > lastSeq);
    const ready = waiting.find((b) => b.prev <= lastSeq);
    const buffered = ready ? waiting.filter((b) => b !== ready) : waiting;
    if (buffered.length !== chat.buffered.length) chat = { ...chat, buffered };
    if (!ready) return chat;
    chat = addMessages(chat, [ready.message], true, ready.message.seq, visible);
  }
}

/**
 * Merges messages into a chat: dedupes by seq, keeps seq order, settles pending messages with the same
 * clientId, moves the contiguous watermark, and derives unread counts and `waitingSince` from messages
 * newer than what we held (the server's `chat` frames correct `waitingSince` whenever they arrive).
 */
function addMessages(
  chat: ChatState,
  incoming: Message[],
  live: boolean,
  watermark: number,
  visible: boolean,
): ChatState {
  const conversationId = chat.conversation.id;
  const heldMax = chat.lastSeq;
  const seen = new Set(chat.messages.map((m) => m.seq));
  const fresh: Message[] = [];
  for (const m of incoming) {
    if (m.conversationId !== conversationId || seen.has(m.seq)) continue;
    seen.add(m.seq);
    fresh.push(m);
  }
  if (fresh.length === 0 && (live || chat.loaded)) return chat;

  const messages = mergeBySeq(chat.messages, fresh);
  const settled = new Set(fresh.map((m) => m.clientId).filter((c): c is string => c !== null));
  const pending = settled.size ? chat.pending.filter((p) => !settled.has(p.clientId)) : chat.pending;

  const newer = fresh.filter((m) => m.seq > heldMax).sort((a, b) => a.seq - b.seq);
  let waitingSince = chat.conversation.waitingSince;
  let visitorTyping = chat.visitorTyping;
  let typingPreview = chat.typingPreview;
  for (const m of newer) {
    if (m.author === 'visitor') {
      waitingSince ??= m.at;
      visitorTyping = false;
      typingPreview = null;
    } else if (m.author === 'operator') {
      waitingSince = null;
    }
  }
  const lastSeq = Math.max(chat.conversation.lastSeq, messages.at(-1)?.seq ?? 0);
  const conversation =
    waitingSince === chat.conversation.waitingSince && lastSeq === chat.conversation.lastSeq
      ? chat.conversation
      : { ...chat.conversation, waitingSince, lastSeq };

  const unread = visible ? 0 : chat.unread + unreadIn(chat, messages, newer);
  return {
    ...chat,
    conversation,
    messages,
    pending,
    unread,
    visitorTyping,
    typingPreview,
    lastSeq: Math.max(chat.lastSeq, watermark),
    loaded: chat.loaded || !live,
  };
}

/**
 * New visitor messages count as unread. On the very first load of a chat we cannot know what was read
 * before (e.g. after a page reload), so the visitor messages after the last operator reply count.
 */
function unreadIn(chat: ChatState, messages: Message[], newer: Message[]): number {
  if (chat.loaded || chat.messages.length > 0) return newer.filter((m) => m.author === 'visitor').length;
  let n = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const author = messages[i]?.author;
    if (author === 'operator') break;
    if (author === 'visitor') n++;
  }
  return n;
}

function mergeBySeq(held: Message[], fresh: Message[]): Message[] {
  if (fresh.length === 0) return held;
  const last = held.at(-1);
  const sortedFresh = [...fresh].sort((a, b) => a.seq - b.seq);
  // The common case is appending a live message; only gaps filled by history need a full sort.
  if (!last || (sortedFresh[0]?.seq ?? 0) > last.seq) return [...held, ...sortedFresh];
  return [...held, ...sortedFresh].sort((a, b) => a.seq - b.seq);
}
