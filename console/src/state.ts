import type {
  CannedResponse,
  ConversationView,
  ErrorCode,
  Message,
  OMe,
  OperatorPresence,
  OperatorServerFrame,
  QueueEntry,
  SiteSettings,
} from '@beseda/shared/types';
import { visitorLabel } from './format.js';

/**
 * The console's whole live state and the one pure function that changes it: `apply(state, event)`.
 * Events are server frames plus a few local ones (prefixed `ui/` and `conn/`). Everything time-dependent
 * receives the time in the event, so the reducer is deterministic and tested without a DOM or a socket.
 */

export type ConnectionPhase = 'idle' | 'connecting' | 'open' | 'closed';

export interface ConnectionInfo {
  phase: ConnectionPhase;
  /** When closed: milliseconds until the next attempt, or null when no retry will happen. */
  retryInMs: number | null;
}

/** An operator message sent but not yet acknowledged; shown greyed until its ack (or error) arrives. */
export interface PendingMessage {
  clientId: string;
  text: string;
  internal: boolean;
  at: number;
  /** Set when the server refused the message; the operator may retry or discard it. */
  error: string | null;
}

export interface ChatState {
  conversation: ConversationView;
  /** Ordered by seq, no duplicates. */
  messages: Message[];
  pending: PendingMessage[];
  unread: number;
  draft: string;
  /** Composer sends internal notes while on. */
  noteMode: boolean;
  visitorTyping: boolean;
  /** The visitor's live draft, when the site shares it (typing preview). */
  typingPreview: string | null;
  /** A first `history` arrived, so `messages` reflects the server and not just live frames. */
  loaded: boolean;
  /** The page the visitor last moved to while this chat was held (`visitor_page`), newest first. */
  livePage: { url: string; title: string | null } | null;
  /** Counts `visitor_page` frames, so the visitor card knows to fetch the page history again. */
  pageViews: number;
}

export interface Notice {
  kind: 'error' | 'info';
  text: string;
  code: ErrorCode | null;
}

/** A message left while nobody was available; answered by email, so it is listed rather than opened. */
export interface OfflineMessage {
  conversation: ConversationView;
  preview: string;
}

/** Offline messages kept on screen this session; older ones are in the history. */
export const MAX_OFFLINE_LISTED = 20;

export interface ConsoleState {
  me: OMe | null;
  connection: ConnectionInfo;
  chats: Readonly<Record<string, ChatState>>;
  openId: string | null;
  queue: QueueEntry[];
  operators: OperatorPresence[];
  /** Newest first. */
  offline: OfflineMessage[];
  /** Conversation the operator asked to take; opened as soon as it arrives as ours. */
  picking: string | null;
  windowFocused: boolean;
  notice: Notice | null;
  /** Settings of my sites by id (queue thresholds, auto-away, …), from GET /api/sites. */
  sites: Readonly<Record<string, SiteSettings>>;
  /** Shared responses of my sites and my personal ones, from GET /api/canned. */
  canned: readonly CannedResponse[];
  /** Welcomes applied this session: 0 until the first snapshot of chats and queue is in. */
  welcomes: number;
}

export type LocalEvent =
  | { type: 'conn/state'; phase: ConnectionPhase; retryInMs: number | null }
  | { type: 'ui/open'; conversationId: string }
  | { type: 'ui/move'; delta: 1 | -1 }
  | { type: 'ui/draft'; conversationId: string; text: string }
  | { type: 'ui/note-mode'; conversationId: string; on: boolean }
  | { type: 'ui/sent'; conversationId: string; clientId: string; text: string; internal: boolean; at: number }
  | { type: 'ui/retry'; conversationId: string; clientId: string }
  | { type: 'ui/send-failed'; conversationId: string; clientId: string; error: string }
  | { type: 'ui/discard'; conversationId: string; clientId: string }
  | { type: 'ui/pick'; conversationId: string }
  | { type: 'ui/offline-done'; conversationId: string }
  | { type: 'ui/focus'; focused: boolean }
  | { type: 'ui/notice'; notice: Notice | null }
  | { type: 'ui/me'; me: OMe }
  | { type: 'ui/sites'; sites: SiteSettings[] }
  | { type: 'ui/canned'; items: CannedResponse[] }
  | { type: 'ui/reset' };

export type ConsoleEvent = OperatorServerFrame | LocalEvent;

export const initialState: ConsoleState = {
  me: null,
  connection: { phase: 'idle', retryInMs: null },
  chats: {},
  openId: null,
  queue: [],
  operators: [],
  offline: [],
  picking: null,
  windowFocused: true,
  notice: null,
  sites: {},
  canned: [],
  welcomes: 0,
};

export function apply(state: ConsoleState, event: ConsoleEvent): ConsoleState {
  switch (event.type) {
    case 'welcome':
      return applyWelcome(state, event.me, event.chats, event.queue, event.operators);
    case 'chat':
      return applyChat(state, event.conversation);
    case 'message':
      return addMessages(state, event.message.conversationId, [event.message], true);
    case 'history':
      return addMessages(state, event.conversationId, event.messages, false);
    case 'ack':
      return applyAck(state, event.conversationId, event.clientId, event.seq, event.at);
    case 'typing': {
      const preview = event.active ? (event.preview ?? null) : null;
      return updateChat(state, event.conversationId, (c) =>
        c.visitorTyping === event.active && c.typingPreview === preview
          ? c
          : { ...c, visitorTyping: event.active, typingPreview: preview },
      );
    }
    case 'offline':
      return {
        ...state,
        offline: [
          { conversation: event.conversation, preview: event.preview },
          ...state.offline.filter((o) => o.conversation.id !== event.conversation.id),
        ].slice(0, MAX_OFFLINE_LISTED),
      };
    case 'visitor_page':
      return updateChat(state, event.conversationId, (c) => ({
        ...c,
        livePage: event.page,
        pageViews: c.pageViews + 1,
      }));
    case 'queue':
      return { ...state, queue: event.queue };
    case 'presence':
      return { ...state, operators: event.operators };
    case 'me':
    case 'ui/me':
      return { ...state, me: event.me };
    case 'pong':
    case 'sites_changed': // handled by the store (it re-reads GET /api/sites)
      return state;
    case 'error':
      return applyError(state, event.code, event.message, event.ref ?? null);
    case 'conn/state':
      return { ...state, connection: { phase: event.phase, retryInMs: event.retryInMs } };
    case 'ui/open':
      return openChat(state, event.conversationId);
    case 'ui/move':
      return moveSelection(state, event.delta);
    case 'ui/draft':
      return updateChat(state, event.conversationId, (c) => ({ ...c, draft: event.text }));
    case 'ui/note-mode':
      return updateChat(state, event.conversationId, (c) => ({ ...c, noteMode: event.on }));
    case 'ui/sent':
      return updateChat(state, event.conversationId, (c) => ({
        ...c,
        draft: '',
        pending: [
          ...c.pending,
          { clientId: event.clientId, text: event.text, internal: event.internal, at: event.at, error: null },
        ],
      }));
    case 'ui/retry':
      return updatePending(state, event.conversationId, event.clientId, (p) => ({ ...p, error: null }));
    case 'ui/send-failed':
      return updatePending(state, event.conversationId, event.clientId, (p) => ({
        ...p,
        error: event.error,
      }));
    case 'ui/discard':
      return updateChat(state, event.conversationId, (c) => ({
        ...c,
        pending: c.pending.filter((p) => p.clientId !== event.clientId),
      }));
    case 'ui/pick':
      return { ...state, picking: event.conversationId };
    case 'ui/offline-done':
      return { ...state, offline: state.offline.filter((o) => o.conversation.id !== event.conversationId) };
    case 'ui/focus':
      return applyFocus(state, event.focused);
    case 'ui/notice':
      return { ...state, notice: event.notice };
    case 'ui/sites':
      return { ...state, sites: Object.fromEntries(event.sites.map((site) => [site.id, site])) };
    case 'ui/canned':
      return { ...state, canned: event.items };
    case 'ui/reset':
      return initialState;
  }
}

// ---- selectors ----

/** Ended, missed and offline conversations and ones handed to someone else leave the active list. */
export function isMyActiveChat(conversation: ConversationView, me: OMe | null): boolean {
  return conversation.status === 'active' && me !== null && conversation.operator?.id === me.id;
}

/**
 * Who has waited longest for an answer comes first; answered chats follow, oldest assignment first.
 * Ties fall back to the id so the order never flickers between renders.
 */
export function compareChats(a: ChatState, b: ChatState): number {
  const wa = a.conversation.waitingSince;
  const wb = b.conversation.waitingSince;
  if (wa !== wb) {
    if (wa === null) return 1;
    if (wb === null) return -1;
    return wa - wb;
  }
  const sa = a.conversation.assignedAt ?? a.conversation.createdAt;
  const sb = b.conversation.assignedAt ?? b.conversation.createdAt;
  if (sa !== sb) return sa - sb;
  return a.conversation.id < b.conversation.id ? -1 : a.conversation.id > b.conversation.id ? 1 : 0;
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

export function totalUnread(state: ConsoleState): number {
  let n = 0;
  for (const c of Object.values(state.chats)) n += c.unread;
  return n;
}

/** Highest seq this client holds for a chat: the resume point for `sync` after a reconnect. */
export function lastSeqOf(chat: ChatState): number {
  return chat.messages.at(-1)?.seq ?? 0;
}

// ---- frame handlers ----

function newChat(conversation: ConversationView): ChatState {
  return {
    conversation,
    messages: [],
    pending: [],
    unread: 0,
    draft: '',
    noteMode: false,
    visitorTyping: false,
    typingPreview: null,
    loaded: false,
    livePage: null,
    pageViews: 0,
  };
}

function applyWelcome(
  state: ConsoleState,
  me: OMe,
  chats: ConversationView[],
  queue: QueueEntry[],
  operators: OperatorPresence[],
): ConsoleState {
  // A welcome after a reconnect keeps what the client already holds (messages, drafts, unsent
  // messages) for chats that are still ours; chats that ended while we were away are dropped.
  const next: Record<string, ChatState> = {};
  for (const conversation of chats) {
    if (!isMyActiveChat(conversation, me)) continue;
    const known = state.chats[conversation.id];
    next[conversation.id] = known ? { ...known, conversation } : newChat(conversation);
  }
  const withChats = { ...state, me, queue, operators, chats: next, welcomes: state.welcomes + 1 };
  const openId = state.openId && next[state.openId] ? state.openId : firstChatId(withChats);
  return { ...withChats, openId };
}

function applyChat(state: ConsoleState, conversation: ConversationView): ConsoleState {
  const id = conversation.id;
  const known = state.chats[id];
  if (!isMyActiveChat(conversation, state.me)) {
    const picking = state.picking === id ? null : state.picking;
    if (!known) return picking === state.picking ? state : { ...state, picking };
    const { [id]: _left, ...rest } = state.chats;
    const without = { ...state, chats: rest, picking };
    // A ring timeout takes an unanswered chat back even when it is not the open one: always say so.
    const notice = leaveNotice(conversation, state.me);
    if (state.openId !== id) return conversation.status === 'queued' ? { ...without, notice } : without;
    return { ...without, openId: firstChatId(without), notice };
  }
  const chats = { ...state.chats, [id]: known ? { ...known, conversation } : newChat(conversation) };
  let next: ConsoleState = { ...state, chats };
  if (state.picking === id) next = openChat({ ...next, picking: null }, id);
  else if (state.openId === null) next = openChat(next, id);
  return next;
}

/**
 * Merges messages into a chat: dedupes by seq, keeps seq order, settles pending messages with the same
 * clientId, and derives unread counts and `waitingSince` from messages newer than what we held (the
 * server's `chat` frames correct `waitingSince` whenever they arrive).
 */
function addMessages(
  state: ConsoleState,
  conversationId: string,
  incoming: Message[],
  live: boolean,
): ConsoleState {
  const chat = state.chats[conversationId];
  if (!chat) return state;
  const heldMax = lastSeqOf(chat);
  const seen = new Set(chat.messages.map((m) => m.seq));
  const fresh: Message[] = [];
  for (const m of incoming) {
    if (m.conversationId !== conversationId || seen.has(m.seq)) continue;
    seen.add(m.seq);
    fresh.push(m);
  }
  if (fresh.length === 0 && (live || chat.loaded)) return state;

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

  const unread = isVisible(state, conversationId) ? 0 : chat.unread + unreadIn(chat, messages, newer);
  return updateChat(state, conversationId, () => ({
    ...chat,
    conversation,
    messages,
    pending,
    unread,
    visitorTyping,
    typingPreview,
    loaded: chat.loaded || !live,
  }));
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

function applyAck(state: ConsoleState, conversationId: string, clientId: string, seq: number, at: number) {
  const chat = state.chats[conversationId];
  const sent = chat?.pending.find((p) => p.clientId === clientId);
  if (!chat || !sent) return state;
  const me = state.me;
  const message: Message = {
    conversationId,
    seq,
    clientId,
    author: sent.internal ? 'note' : 'operator',
    operatorId: me?.id ?? null,
    authorName: me?.name ?? null,
    text: sent.text,
    at,
  };
  // addMessages settles the pending entry by clientId and clears waitingSince for a real reply.
  const next = addMessages(state, conversationId, [message], true);
  if (next !== state) return next;
  // The message frame for this seq was already applied: only the pending entry remains to drop.
  return updateChat(state, conversationId, (c) => ({
    ...c,
    pending: c.pending.filter((p) => p.clientId !== clientId),
  }));
}

function applyError(state: ConsoleState, code: ErrorCode, message: string, ref: string | null): ConsoleState {
  // A rate-limited message stays in the connection's outbox and goes out again: still "sending".
  if (ref && code === 'rate_limited') return state;
  if (ref) {
    for (const chat of Object.values(state.chats)) {
      if (chat.pending.some((p) => p.clientId === ref)) {
        return updatePending(state, chat.conversation.id, ref, (p) => ({ ...p, error: message }));
      }
    }
  }
  // A refused pick must not auto-open the chat later if it arrives by other means.
  return { ...state, picking: null, notice: { kind: 'error', text: message, code } };
}

/** Why a chat left my list, in words. */
function leaveNotice(conversation: ConversationView, me: OMe | null): Notice {
  const who = visitorLabel(conversation.visitorName, conversation.visitorId);
  let text: string;
  if (conversation.status === 'queued') {
    text = `Chat with ${who} went back to the queue: it was not answered in time.`;
  } else if (
    conversation.status === 'active' &&
    conversation.operator &&
    conversation.operator.id !== me?.id
  ) {
    text = `Chat with ${who} was transferred to ${conversation.operator.name}.`;
  } else {
    text = `Chat with ${who} ended.`;
  }
  return { kind: 'info', text, code: null };
}

// ---- local events ----

function openChat(state: ConsoleState, conversationId: string): ConsoleState {
  const chat = state.chats[conversationId];
  if (!chat) return state;
  const opened = { ...state, openId: conversationId };
  if (chat.unread === 0 || !state.windowFocused) return opened;
  return updateChat(opened, conversationId, (c) => ({ ...c, unread: 0 }));
}

function moveSelection(state: ConsoleState, delta: 1 | -1): ConsoleState {
  const list = sortedChats(state);
  if (list.length === 0) return state;
  const at = list.findIndex((c) => c.conversation.id === state.openId);
  const index = at === -1 ? 0 : (at + delta + list.length) % list.length;
  const target = list[index];
  return target ? openChat(state, target.conversation.id) : state;
}

function applyFocus(state: ConsoleState, focused: boolean): ConsoleState {
  const next = { ...state, windowFocused: focused };
  return focused && state.openId ? openChat(next, state.openId) : next;
}

// ---- helpers ----

function isVisible(state: ConsoleState, conversationId: string): boolean {
  return state.openId === conversationId && state.windowFocused;
}

function firstChatId(state: ConsoleState): string | null {
  return sortedChats(state)[0]?.conversation.id ?? null;
}

function updateChat(state: ConsoleState, id: string, fn: (chat: ChatState) => ChatState): ConsoleState {
  const chat = state.chats[id];
  if (!chat) return state;
  const next = fn(chat);
  return next === chat ? state : { ...state, chats: { ...state.chats, [id]: next } };
}

function updatePending(
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
