import { receiveHistory, receiveLive } from './chat-messages.js';
import { applyPresenceDelta, applyQueueDelta } from './deltas.js';
import {
  applyAck,
  applyChat,
  applyConnection,
  applyError,
  applyFocus,
  applyWelcome,
  moveSelection,
  openChat,
} from './state-chats.js';
import { inboxArrived, inboxLoaded, inboxRead, inboxStatusChanged } from './state-inbox.js';
import { isVisible, nextWaiting, updateChat, updatePending } from './state-selectors.js';
import { type ConsoleEvent, type ConsoleState, initialState } from './state-types.js';

/**
 * The console's whole live state and the one pure function that changes it: `apply(state, event)`.
 * Events are server frames plus a few local ones (prefixed `ui/` and `conn/`). Everything time-dependent
 * receives the time in the event, so the reducer is deterministic and tested without a DOM or a socket.
 * The shape is in state-types.ts, selectors in state-selectors.ts, the handlers in state-chats.ts and
 * state-inbox.ts.
 */

export * from './state-selectors.js';
export * from './state-types.js';

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
      return { ...state, inbox: inboxArrived(state.inbox, event.conversation, event.preview) };
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
    case 'inbox_changed': // handled by the store (it re-reads GET /api/inbox)
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
    case 'ui/sent-to-queue':
      return { ...state, sentToQueue: { conversationId: event.conversationId, teamId: event.teamId } };
    case 'ui/inbox':
      return { ...state, inbox: inboxLoaded(state.inbox, event.items, event.openCount, event.read) };
    case 'ui/inbox-status':
      return { ...state, inbox: inboxStatusChanged(state.inbox, event.item) };
    case 'ui/inbox-read': {
      const inbox = inboxRead(state.inbox, event.conversationId);
      return inbox === state.inbox ? state : { ...state, inbox };
    }
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
