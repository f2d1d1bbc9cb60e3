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

import { receiveHistory, receiveLive } from './chat-messages.js';
import { applyPresenceDelta, applyQueueDelta } from './deltas.js';
import { visitorLabel } from './format.js';
import { type MessageKey, type Params, t } from './i18n/index.js';

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
  /** Ordered by seq, no duplicates; only messages up to the contiguous watermark `lastSeq`. */
  messages: Message[];
  /**
   * Highest seq such that every message up to it is held (PROTOCOL-NOTES 1): the resume point for `sync`.
   * Frames may arrive out of seq order from several nodes, so this is not simply the largest seq seen.
   */
  lastSeq: number;
  /** Live messages whose `prev` is beyond `lastSeq`: held back until the gap is filled, seq order. */
  buffered: BufferedMessage[];
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

/** A live message that arrived before the one it follows (`prev`). */
export interface BufferedMessage {
  message: Message;
  prev: number;
}

/** What covers the chat view: the shortcut help, the "end this chat?" confirmation, the transfer form. */
export type Overlay = 'help' | 'end' | 'transfer' | null;

export interface Notice {
  kind: 'error' | 'info';
  /** English text (the server's message for errors); shown when there is no key to translate. */
  text: string;
  code: ErrorCode | null;
  /** The console's own notices carry a message key, so they are shown in the operator's language. */
  key?: MessageKey;
  params?: Params;
}

/** A message left while nobody was available; answered by email, so it is listed rather than opened. */
export interface OfflineMessage {
  conversation: ConversationView;
  preview: string;
  /** Not yet opened or dealt with by this operator (kept per browser until the server tracks it). */
  unread: boolean;
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
  overlay: Overlay;
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
  | { type: 'ui/offline-read'; conversationId: string }
  /** Offline messages read from the server after a welcome (left while this console was closed). */
  | { type: 'ui/offline-inbox'; items: OfflineMessage[] }
  | { type: 'ui/focus'; focused: boolean }
  | { type: 'ui/notice'; notice: Notice | null }
  | { type: 'ui/me'; me: OMe }
  | { type: 'ui/sites'; sites: SiteSettings[] }
  | { type: 'ui/canned'; items: CannedResponse[] }
  | { type: 'ui/overlay'; overlay: Overlay }
  /** Alt+W: open the chat whose visitor has waited longest for an answer. */
  | { type: 'ui/next-waiting' }
  /** A visitor's typing signal went stale (no update for a few seconds). */
  | { type: 'ui/typing-expired'; conversationId: string }
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
  overlay: null,
};

export function apply(state: ConsoleState, event: ConsoleEvent): ConsoleState {
  switch (event.type) {
    case 'welcome':
      return applyWelcome(state, event.me, event.chats, event.queue, event.operators);
    case 'chat':
      return applyChat(state, event.conversation);
    case 'message': {
      const { message } = event;
      const visible = isVisible(state, message.conversationId);
      // `prev` is always sent; without it (old servers) operators' frames follow seq - 1.
      const prev = event.prev ?? message.seq - 1;
      return updateChat(state, message.conversationId, (c) => receiveLive(c, message, prev, visible));
    }
    case 'history': {
      const visible = isVisible(state, event.conversationId);
      return updateChat(state, event.conversationId, (c) => receiveHistory(c, event.messages, visible));
    }
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
      return mergeOffline(state, [
        { conversation: event.conversation, preview: event.preview, unread: true },
      ]);
    case 'visitor_page':
      return updateChat(state, event.conversationId, (c) => ({
        ...c,
        livePage: event.page,
        pageViews: c.pageViews + 1,
      }));
    case 'queue':
      return { ...state, queue: event.queue };
    case 'queue_delta':
      return { ...state, queue: applyQueueDelta(state.queue, event) };
    case 'presence':
      return { ...state, operators: event.operators };
    case 'presence_delta':
      return { ...state, operators: applyPresenceDelta(state.operators, event.operators) };
    case 'me':
    case 'ui/me':
      return { ...state, me: event.me };
    case 'pong':
    case 'sites_changed': // handled by the store (it re-reads GET /api/sites)
      return state;
    case 'error':
      return applyError(state, event.code, event.message, event.ref ?? null);
    case 'conn/state':
      return applyConnection(state, event.phase, event.retryInMs);
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
    case 'ui/offline-read':
      return state.offline.some((o) => o.conversation.id === event.conversationId && o.unread)
        ? {
            ...state,
            offline: state.offline.map((o) =>
              o.conversation.id === event.conversationId ? { ...o, unread: false } : o,
            ),
          }
        : state;
    case 'ui/offline-inbox':
      return mergeOffline(state, event.items);
    case 'ui/focus':
      return applyFocus(state, event.focused);
    case 'ui/notice':
      return { ...state, notice: event.notice };
    case 'ui/sites':
      return { ...state, sites: Object.fromEntries(event.sites.map((site) => [site.id, site])) };
    case 'ui/canned':
      return { ...state, canned: event.items };
    case 'ui/overlay':
      return state.overlay === event.overlay ? state : { ...state, overlay: event.overlay };
    case 'ui/next-waiting': {
      const next = nextWaiting(state);
      return next ? openChat(state, next) : state;
    }
    case 'ui/typing-expired':
      return updateChat(state, event.conversationId, (c) =>
        c.visitorTyping ? { ...c, visitorTyping: false, typingPreview: null } : c,
      );
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

export function unreadOffline(state: ConsoleState): number {
  let n = 0;
  for (const o of state.offline) if (o.unread) n++;
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

// ---- frame handlers ----

function newChat(conversation: ConversationView): ChatState {
  return {
    conversation,
    messages: [],
    lastSeq: 0,
    buffered: [],
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
    const overlay = state.overlay === 'help' ? 'help' : null;
    return { ...without, openId: firstChatId(without), notice, overlay };
  }
  const chats = { ...state.chats, [id]: known ? { ...known, conversation } : newChat(conversation) };
  let next: ConsoleState = { ...state, chats };
  if (state.picking === id) next = openChat({ ...next, picking: null }, id);
  else if (state.openId === null) next = openChat(next, id);
  return next;
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
  // The message frame for this seq was already applied: only the pending entry remains to drop.
  if (seq <= chat.lastSeq) {
    return updateChat(state, conversationId, (c) => ({
      ...c,
      pending: c.pending.filter((p) => p.clientId !== clientId),
    }));
  }
  // Operators see every message, so our own follows seq - 1. Applying it settles the pending entry by
  // clientId and clears waitingSince; after a gap it waits in the buffer (still shown as sending).
  const visible = isVisible(state, conversationId);
  return updateChat(state, conversationId, (c) => receiveLive(c, message, seq - 1, visible));
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
  let key: MessageKey;
  const params: Params = { who };
  if (conversation.status === 'queued') {
    key = 'notice.backToQueue';
  } else if (
    conversation.status === 'active' &&
    conversation.operator &&
    conversation.operator.id !== me?.id
  ) {
    key = 'notice.transferred';
    params.name = conversation.operator.name;
  } else {
    key = 'notice.ended';
  }
  return { kind: 'info', text: t(key, params, 'en'), code: null, key, params };
}

/**
 * Newest first, one entry per conversation, at most MAX_OFFLINE_LISTED. An entry already listed keeps its
 * read state (the inbox reload must not mark a message read on this screen unread again).
 */
function mergeOffline(state: ConsoleState, items: OfflineMessage[]): ConsoleState {
  const byId = new Map(state.offline.map((o) => [o.conversation.id, o]));
  for (const item of items) {
    const known = byId.get(item.conversation.id);
    byId.set(item.conversation.id, known ? { ...item, unread: known.unread && item.unread } : item);
  }
  const offline = [...byId.values()]
    .sort((a, b) => b.conversation.createdAt - a.conversation.createdAt)
    .slice(0, MAX_OFFLINE_LISTED);
  return { ...state, offline };
}

// ---- local events ----

function openChat(state: ConsoleState, conversationId: string): ConsoleState {
  const chat = state.chats[conversationId];
  if (!chat) return state;
  // End confirmation and transfer form belong to the chat they were opened for; help stays.
  const overlay = state.overlay === 'help' || state.openId === conversationId ? state.overlay : null;
  const opened = { ...state, openId: conversationId, overlay };
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

/** A lost connection also loses the visitors' typing signals: nobody should look like they still type. */
function applyConnection(
  state: ConsoleState,
  phase: ConnectionPhase,
  retryInMs: number | null,
): ConsoleState {
  let chats = state.chats;
  if (phase !== 'open' && Object.values(chats).some((c) => c.visitorTyping)) {
    chats = Object.fromEntries(
      Object.entries(chats).map(([id, c]) => [
        id,
        c.visitorTyping ? { ...c, visitorTyping: false, typingPreview: null } : c,
      ]),
    );
  }
  return { ...state, chats, connection: { phase, retryInMs } };
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
