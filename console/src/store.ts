import type { InboxStatus, OMe, OperatorServerFrame, OperatorStatus } from '@beseda/shared/types';
import { newClientId } from './client-id.js';
import type { OperatorConnection, StateChange } from './connection.js';
import { t } from './i18n/index.js';
import { type LocalMemory, memoryOnly } from './local-memory.js';
import { type SideData, sideReloads } from './side-data.js';
import {
  apply,
  type ConsoleEvent,
  type ConsoleState,
  hasGap,
  initialState,
  type LocalEvent,
  lastSeqOf,
  type Notice,
} from './state.js';
import { type TransferTarget, transferFields } from './teams.js';
import { createTypingNotifier } from './typing.js';

export type { SideData };

/**
 * Glue between the connection and the pure reducer, still framework-free: it holds the state, turns
 * frames into state, and runs the few effects a frame implies (ask for missing messages, expire a stale
 * typing indicator, estimate the server clock). UI components call the actions and never the socket.
 */

/**
 * A visitor's "typing" is dropped after this long without news, in case its `false` got lost (the widget
 * repeats `active: true` every 3 s while keys are pressed, so two missed repeats end it).
 */
export const VISITOR_TYPING_TTL_MS = 6000;
const NOTICE_TTL_MS = 6000;
/**
 * How often the open inbox is read again while connected: a colleague's "answered" and a chat that left the
 * queue as missed reach this console within this time (no frame announces them).
 */
export const INBOX_REFRESH_MS = 30_000;
/** How long a newly assigned chat may wait for the server's own `history` before we ask for it. */
const HISTORY_GRACE_MS = 1500;

export interface ConsoleStore {
  getState(): ConsoleState;
  subscribe(fn: () => void): () => void;
  dispatch(event: LocalEvent): void;
  /** The client's estimate of the server clock, for live wait timers. */
  serverNow(): number;
  /** Called with the close code when the server refuses the session (4401/4403): back to login. */
  onSessionLost(fn: () => void): () => void;
  start(me: OMe): void;
  stop(): void;
  retryNow(): void;
  openChat(conversationId: string): void;
  move(delta: 1 | -1): void;
  setDraft(conversationId: string, text: string): void;
  setNoteMode(conversationId: string, on: boolean): void;
  /** Sends the chat's draft; `asNote` overrides the composer's note toggle for this one message. */
  sendDraft(conversationId: string, asNote?: boolean): void;
  retry(conversationId: string, clientId: string): void;
  discard(conversationId: string, clientId: string): void;
  pick(conversationId: string): void;
  end(conversationId: string): void;
  /** Hands the chat to a colleague, or to a team's queue of its site (`teamId`; null = the whole site's). */
  transfer(conversationId: string, target: TransferTarget, note: string): void;
  /** Sets an inbox item's status for every operator of its site; rejects with the server's error. */
  setInboxStatus(conversationId: string, status: InboxStatus): Promise<void>;
  /** The operator opened an inbox item: it is no longer shown as new (remembered in this browser). */
  inboxRead(conversationId: string): void;
  /** Reads the open inbox again (also done after every welcome, new offline message and now and then). */
  reloadInbox(): Promise<void>;
  /** `manual`: the operator picked a status; `capacity`: only the capacity changed (the same frame). */
  setStatus(status: OperatorStatus, capacity: number, how?: 'manual' | 'capacity'): void;
  /**
   * The operator used the console: the server restarts its auto-away countdown (and ends an away it set).
   * Sent quietly (no "not connected" notice). False when disconnected: nothing was reported.
   */
  reportActivity(): boolean;
  /** Replaces a conversation's tags; the server answers with a `chat` frame carrying them. */
  setTags(conversationId: string, tags: readonly string[]): void;
  /** Conversations this console asked to take from the queue (they need no "new chat" alert). */
  pickedByMe(): ReadonlySet<string>;
  /** Fetch site settings / canned responses again (after an edit, or to pick up a colleague's). */
  reloadSites(): Promise<void>;
  reloadCanned(): Promise<void>;
  dismissNotice(): void;
}

/** Whether the session cookie is still good; 'unknown' when the server cannot be asked (it is down). */
export type SessionCheck = () => Promise<'valid' | 'invalid' | 'unknown'>;

export function createConsoleStore(
  connection: OperatorConnection,
  checkSession?: SessionCheck,
  side?: SideData,
  memory: LocalMemory = memoryOnly(),
): ConsoleStore {
  let state = initialState;
  let clockOffset = 0;
  const listeners = new Set<() => void>();
  const sessionListeners = new Set<() => void>();
  /** Conversations with a `sync` in flight and the seq it asked after, so a burst of frames asks once. */
  const syncing = new Map<string, number>();
  const typingExpiry = new Map<string, ReturnType<typeof setTimeout>>();
  let noticeTimer: ReturnType<typeof setTimeout> | null = null;
  let inboxTimer: ReturnType<typeof setInterval> | null = null;
  /** Chats this console asked to take, by when; kept a minute, long enough to outlive the assignment. */
  const picks = new Map<string, number>();
  const picked = new Set<string>();
  const PICK_MEMORY_MS = 60_000;

  const { reloadSites, reloadInbox, reloadCanned } = sideReloads(side, memory, () => state, update);

  const typing = createTypingNotifier((conversationId, active) => {
    connection.send({ type: 'typing', conversationId, active });
  });

  function update(event: ConsoleEvent): void {
    const next = apply(state, event);
    if (next === state) return;
    const prevNotice = state.notice;
    state = next;
    if (state.notice !== prevNotice) scheduleNoticeExpiry(state.notice);
    for (const fn of listeners) fn();
  }

  function scheduleNoticeExpiry(notice: Notice | null): void {
    if (noticeTimer !== null) clearTimeout(noticeTimer);
    noticeTimer = null;
    if (!notice) return;
    noticeTimer = setTimeout(() => {
      if (state.notice === notice) update({ type: 'ui/notice', notice: null });
    }, NOTICE_TTL_MS);
  }

  function sync(conversationId: string, afterSeq: number): void {
    if (syncing.has(conversationId)) return;
    if (connection.send({ type: 'sync', conversationId, afterSeq })) syncing.set(conversationId, afterSeq);
  }

  /**
   * PROTOCOL-NOTES 1: a frame held back after a gap asks for the gap, once per gap. An answer that moved
   * the watermark but left a later gap asks again; one that moved nothing does not (no loop), and the
   * next live frame or the resume after a reconnect asks again.
   */
  function fillGap(conversationId: string, answered?: number): void {
    const chat = state.chats[conversationId];
    if (!chat || !hasGap(chat)) return;
    if (answered !== undefined && lastSeqOf(chat) <= answered) return;
    sync(conversationId, lastSeqOf(chat));
  }

  function onFrame(frame: OperatorServerFrame): void {
    if (frame.type === 'welcome') {
      // The connection itself sends one sync per chat after a welcome, from each chat's watermark.
      syncing.clear();
      for (const chat of frame.chats) syncing.set(chat.id, connection.lastSeqFor(chat.id));
    }
    const asked = frame.type === 'history' ? syncing.get(frame.conversationId) : undefined;
    if (frame.type === 'history') syncing.delete(frame.conversationId);
    if (frame.type === 'ack') clockOffset = frame.at - Date.now();
    update(frame);
    if (frame.type === 'history') fillGap(frame.conversationId, asked ?? -1);
    else if (frame.type === 'ack') fillGap(frame.conversationId);

    if (frame.type === 'welcome') {
      // Settings may have changed while we were away; a welcome is the natural moment to catch up.
      void reloadSites();
      void reloadCanned();
      void reloadInbox();
      restoreDrafts();
    } else if (frame.type === 'sites_changed') {
      void reloadSites();
    } else if (frame.type === 'offline' || frame.type === 'inbox_changed') {
      // The server's list brings the exact items and count (a colleague may have answered one).
      void reloadInbox();
    } else if (frame.type === 'chat') {
      const id = frame.conversation.id;
      restoreDrafts();
      // The server follows an assignment with the chat's history; ask ourselves only if it does not come.
      if (state.chats[id] && !state.chats[id]?.loaded) {
        setTimeout(() => {
          const chat = state.chats[id];
          if (chat && !chat.loaded) sync(id, lastSeqOf(chat));
        }, HISTORY_GRACE_MS);
      }
    } else if (frame.type === 'message') {
      fillGap(frame.message.conversationId);
      if (frame.message.author === 'visitor') clearTypingExpiry(frame.message.conversationId);
    } else if (frame.type === 'typing') {
      clearTypingExpiry(frame.conversationId);
      if (frame.active) {
        const id = frame.conversationId;
        typingExpiry.set(
          id,
          setTimeout(() => update({ type: 'ui/typing-expired', conversationId: id }), VISITOR_TYPING_TTL_MS),
        );
      }
    }
  }

  /** Drafts survive a reload: a chat that arrives with an empty composer gets its saved draft back. */
  function restoreDrafts(): void {
    for (const chat of Object.values(state.chats)) {
      if (chat.draft !== '') continue;
      const saved = memory.draft(chat.conversation.id);
      if (saved) update({ type: 'ui/draft', conversationId: chat.conversation.id, text: saved });
    }
  }

  function clearTypingExpiry(conversationId: string): void {
    const timer = typingExpiry.get(conversationId);
    if (timer !== undefined) clearTimeout(timer);
    typingExpiry.delete(conversationId);
  }

  function onState(change: StateChange): void {
    const failedToOpen = state.connection.phase === 'connecting';
    if (change.state !== 'open') {
      syncing.clear();
      // The reducer drops every typing indicator on a lost connection; their timers go with them.
      for (const id of [...typingExpiry.keys()]) clearTypingExpiry(id);
    }
    update({ type: 'conn/state', phase: change.state, retryInMs: change.retryInMs });
    if (change.state === 'closed' && change.retryInMs === null) {
      sessionLost();
    } else if (change.state === 'closed' && failedToOpen && checkSession) {
      // A refused upgrade reaches the browser as a bare 1006, indistinguishable from a network error;
      // ask REST whether the session is gone so an expired login does not retry forever.
      void checkSession().then((verdict) => {
        if (verdict === 'invalid' && connection.state !== 'open') sessionLost();
      });
    }
  }

  function sessionLost(): void {
    for (const fn of sessionListeners) fn();
  }

  connection.onFrame(onFrame);
  connection.onState(onState);

  function requireOpen(action: 'take' | 'end' | 'transfer' | 'status' | 'tags'): boolean {
    if (connection.state === 'open') return true;
    const params = { what: t(`what.${action}`) };
    const key = 'notice.notConnected';
    update({
      type: 'ui/notice',
      notice: {
        kind: 'error',
        text: t(key, { what: t(`what.${action}`, {}, 'en') }, 'en'),
        code: null,
        key,
        params,
      },
    });
    return false;
  }

  return {
    getState: () => state,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    dispatch: update,
    serverNow: () => Date.now() + clockOffset,
    onSessionLost(fn) {
      sessionListeners.add(fn);
      return () => sessionListeners.delete(fn);
    },
    start(me) {
      update({ type: 'ui/me', me });
      connection.start();
      if (inboxTimer === null && side?.inbox) {
        inboxTimer = setInterval(() => {
          if (connection.state === 'open') void reloadInbox();
        }, INBOX_REFRESH_MS);
      }
    },
    stop() {
      connection.stop();
      if (inboxTimer !== null) clearInterval(inboxTimer);
      inboxTimer = null;
      for (const id of typingExpiry.keys()) clearTypingExpiry(id);
      syncing.clear();
      picked.clear();
      picks.clear();
      update({ type: 'ui/reset' });
    },
    retryNow: () => connection.retryNow(),
    openChat: (conversationId) => update({ type: 'ui/open', conversationId }),
    move: (delta) => update({ type: 'ui/move', delta }),
    setDraft(conversationId, text) {
      update({ type: 'ui/draft', conversationId, text });
      memory.saveDraft(conversationId, text);
      const chat = state.chats[conversationId];
      // Notes are never announced to the visitor, not even as "operator is typing".
      if (chat && !chat.noteMode) typing.input(conversationId, text.trim() !== '');
    },
    setNoteMode(conversationId, on) {
      update({ type: 'ui/note-mode', conversationId, on });
      if (on) typing.stop(conversationId);
    },
    sendDraft(conversationId, asNote) {
      const chat = state.chats[conversationId];
      const text = chat?.draft.trim();
      if (!chat || !text) return;
      const internal = asNote ?? chat.noteMode;
      const clientId = newClientId();
      typing.stop(conversationId);
      memory.saveDraft(conversationId, '');
      update({ type: 'ui/sent', conversationId, clientId, text, internal, at: Date.now() + clockOffset });
      const frame = { type: 'send', conversationId, clientId, text } as const;
      if (!connection.send(internal ? { ...frame, internal: true } : frame)) {
        update({ type: 'ui/send-failed', conversationId, clientId, error: t('composer.tooMany') });
      }
    },
    retry(conversationId, clientId) {
      const pending = state.chats[conversationId]?.pending.find((p) => p.clientId === clientId);
      if (!pending) return;
      update({ type: 'ui/retry', conversationId, clientId });
      // Same clientId: if the first attempt was stored after all, the server answers with its ack.
      const frame = { type: 'send', conversationId, clientId, text: pending.text } as const;
      connection.send(pending.internal ? { ...frame, internal: true } : frame);
    },
    discard: (conversationId, clientId) => update({ type: 'ui/discard', conversationId, clientId }),
    pick(conversationId) {
      if (!requireOpen('take')) return;
      update({ type: 'ui/pick', conversationId });
      const now = Date.now();
      for (const [id, at] of picks) {
        if (now - at > PICK_MEMORY_MS) {
          picks.delete(id);
          picked.delete(id);
        }
      }
      picks.set(conversationId, now);
      picked.add(conversationId);
      connection.send({ type: 'pick', conversationId });
    },
    end(conversationId) {
      if (!requireOpen('end')) return;
      typing.stop(conversationId);
      connection.send({ type: 'end', conversationId });
    },
    transfer(conversationId, target, note) {
      if (!requireOpen('transfer')) return;
      typing.stop(conversationId);
      const trimmed = note.trim();
      if ('teamId' in target) update({ type: 'ui/sent-to-queue', conversationId, teamId: target.teamId });
      connection.send({
        type: 'transfer',
        conversationId,
        ...transferFields(target),
        ...(trimmed ? { note: trimmed } : {}),
      });
    },
    async setInboxStatus(conversationId, status) {
      if (!side?.setInboxStatus) return;
      const item = await side.setInboxStatus(conversationId, status);
      memory.mark('read', conversationId);
      update({ type: 'ui/inbox-status', item });
    },
    inboxRead(conversationId) {
      memory.mark('read', conversationId);
      update({ type: 'ui/inbox-read', conversationId });
    },
    reloadInbox,
    setStatus(status, capacity, _how = 'manual') {
      if (!requireOpen('status')) return;
      connection.send({ type: 'status', status, capacity });
    },
    reportActivity: () => connection.send({ type: 'activity' }),
    setTags(conversationId, tags) {
      if (!requireOpen('tags')) return;
      connection.send({ type: 'tags', conversationId, tags: [...tags] });
    },
    pickedByMe: () => picked,
    reloadSites,
    reloadCanned,
    dismissNotice: () => update({ type: 'ui/notice', notice: null }),
  };
}
