import type {
  ConversationView,
  ErrorCode,
  Message,
  OMe,
  OperatorPresence,
  QueueEntry,
} from '@beseda/shared/types';
import { receiveLive } from './chat-messages.js';
import { visitorLabel } from './format.js';
import { type MessageKey, type Params, t } from './i18n/index.js';
import {
  firstChatId,
  isMyActiveChat,
  isVisible,
  sortedChats,
  updateChat,
  updatePending,
} from './state-selectors.js';
import type { ChatState, ConnectionPhase, ConsoleState, Notice } from './state-types.js';
import { teamName } from './teams.js';

/** The reducer's handlers for server frames and local events about chats (state.ts dispatches to them). */

// ---- frame handlers ----

export function newChat(conversation: ConversationView): ChatState {
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

export function applyWelcome(
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

export function applyChat(state: ConsoleState, conversation: ConversationView): ConsoleState {
  const id = conversation.id;
  const known = state.chats[id];
  if (!isMyActiveChat(conversation, state.me)) {
    const picking = state.picking === id ? null : state.picking;
    if (!known) return picking === state.picking ? state : { ...state, picking };
    const { [id]: _left, ...rest } = state.chats;
    const sent = state.sentToQueue?.conversationId === id ? state.sentToQueue : null;
    const without = { ...state, chats: rest, picking, sentToQueue: sent ? null : state.sentToQueue };
    // A ring timeout takes an unanswered chat back even when it is not the open one: always say so.
    const notice = leaveNotice(
      conversation,
      state.me,
      sent && conversation.status === 'queued' ? sent : null,
      state.sites,
    );
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

export function applyAck(
  state: ConsoleState,
  conversationId: string,
  clientId: string,
  seq: number,
  at: number,
) {
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

export function applyError(
  state: ConsoleState,
  code: ErrorCode,
  message: string,
  ref: string | null,
): ConsoleState {
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
export function leaveNotice(
  conversation: ConversationView,
  me: OMe | null,
  sentToQueue: { teamId: string | null } | null = null,
  sites: ConsoleState['sites'] = {},
): Notice {
  const who = visitorLabel(conversation.visitorName, conversation.visitorId);
  let key: MessageKey;
  const params: Params = { who };
  const team = sentToQueue ? teamName(sites, conversation.siteId, sentToQueue.teamId) : null;
  if (sentToQueue && team) {
    key = 'notice.toTeam';
    params.team = team;
  } else if (sentToQueue) {
    key = 'notice.toSite';
  } else if (conversation.status === 'queued') {
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

// ---- local events ----

export function openChat(state: ConsoleState, conversationId: string): ConsoleState {
  const chat = state.chats[conversationId];
  if (!chat) return state;
  // End confirmation and transfer form belong to the chat they were opened for; help stays.
  const overlay = state.overlay === 'help' || state.openId === conversationId ? state.overlay : null;
  const opened = { ...state, openId: conversationId, overlay };
  if (chat.unread === 0 || !state.windowFocused) return opened;
  return updateChat(opened, conversationId, (c) => ({ ...c, unread: 0 }));
}

export function moveSelection(state: ConsoleState, delta: 1 | -1): ConsoleState {
  const list = sortedChats(state);
  if (list.length === 0) return state;
  const at = list.findIndex((c) => c.conversation.id === state.openId);
  const index = at === -1 ? 0 : (at + delta + list.length) % list.length;
  const target = list[index];
  return target ? openChat(state, target.conversation.id) : state;
}

/** A lost connection also loses the visitors' typing signals: nobody should look like they still type. */
export function applyConnection(
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

export function applyFocus(state: ConsoleState, focused: boolean): ConsoleState {
  const next = { ...state, windowFocused: focused };
  return focused && state.openId ? openChat(next, state.openId) : next;
}
