import type {
  CannedResponse,
  ConversationView,
  ErrorCode,
  InboxItem,
  Message,
  OMe,
  OperatorPresence,
  OperatorServerFrame,
  QueueEntry,
  SiteSettings,
} from '@beseda/shared/types';
import type { MessageKey, Params } from './i18n/index.js';

/** The console state's shape, its events and its starting value (the reducer is in state.ts). */

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

/**
 * An offline message or missed chat in the inbox, with the status the server keeps for everyone;
 * `unread` = not opened yet by this operator in this browser.
 */
export interface InboxEntry extends InboxItem {
  unread: boolean;
}

/** The open part of the offline inbox: what the badge counts and the chats page lists. */
export interface InboxState {
  /** Open items, newest first (at most MAX_INBOX_LISTED). */
  open: InboxEntry[];
  /** Open items of my sites on the server, however many are listed. */
  openCount: number;
  /** Bumped on every change, so the inbox page knows to read its (filtered) list again. */
  version: number;
}

/** Open inbox items kept in the state; the inbox page pages through the rest. */
export const MAX_INBOX_LISTED = 50;

export interface ConsoleState {
  me: OMe | null;
  connection: ConnectionInfo;
  chats: Readonly<Record<string, ChatState>>;
  openId: string | null;
  queue: QueueEntry[];
  operators: OperatorPresence[];
  inbox: InboxState;
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
  /**
   * The chat this operator last sent to a queue (transfer to a team or to the whole site), so its leaving
   * is told as that and not as "not answered in time".
   */
  sentToQueue: { conversationId: string; teamId: string | null } | null;
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
  /** The operator transferred a chat to a team's queue (teamId) or the whole site's (null). */
  | { type: 'ui/sent-to-queue'; conversationId: string; teamId: string | null }
  /** The open inbox as read from the server (after a welcome, a new offline message, now and then). */
  | { type: 'ui/inbox'; items: InboxItem[]; openCount: number; read: ReadonlySet<string> }
  /** An inbox item's status changed (by this operator, as the server answered). */
  | { type: 'ui/inbox-status'; item: InboxItem }
  | { type: 'ui/inbox-read'; conversationId: string }
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
  inbox: { open: [], openCount: 0, version: 0 },
  picking: null,
  windowFocused: true,
  notice: null,
  sites: {},
  canned: [],
  welcomes: 0,
  overlay: null,
  sentToQueue: null,
};
