import { useEffect } from 'preact/hooks';
import { routeHref } from '../router.js';
import { shortcutFor } from '../shortcuts.js';
import { atCapacity, sortedChats } from '../state.js';
import { useStore } from './hooks.js';
import type { Screen } from './screen.js';

/** Elements the shortcuts move the focus to; components mark them with these test ids. */
const FOCUS = {
  tag: '[data-testid="tag-input"]',
  reply: '[data-testid="composer"]',
  search: '[data-testid="history-search"]',
  transfer: '[data-testid="transfer-select"]',
} as const;

function isTextField(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit'].includes(el.type);
  return (el as HTMLElement).isContentEditable;
}

/** Focus once the element exists: a shortcut may first switch page or open a form. */
function focusSoon(selector: string): void {
  let tries = 0;
  const attempt = () => {
    const el = document.querySelector<HTMLElement>(selector);
    if (el && el.offsetParent !== null) el.focus();
    else if (tries++ < 20) requestAnimationFrame(attempt);
  };
  attempt();
}

/**
 * The whole keyboard map of `shortcuts.ts`, executed: listens on the window while the workspace is
 * mounted. Chat shortcuts switch to the chats page first, so they work from anywhere.
 */
export function useShortcuts(onChats: boolean, setScreen: (screen: Screen) => void): void {
  const store = useStore();
  useEffect(() => {
    /** Chat actions show the chats page, and on a phone the chat screen. */
    const toChats = () => {
      if (!onChats) location.hash = routeHref({ page: 'chats' });
      setScreen('chat');
    };
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e, isTextField(document.activeElement));
      if (!action) return;
      const state = store.getState();
      const openId = state.openId;
      // A modal dialog owns the keyboard; only "help" (to toggle it) passes.
      if (state.overlay === 'end' && action.type !== 'help') return;
      e.preventDefault();
      switch (action.type) {
        case 'open': {
          const target = sortedChats(state)[action.index];
          if (target) {
            toChats();
            store.openChat(target.conversation.id);
          }
          return;
        }
        case 'move':
          toChats();
          store.move(action.delta);
          return;
        case 'next-waiting':
          toChats();
          store.dispatch({ type: 'ui/next-waiting' });
          return;
        case 'take': {
          const first = state.queue[0];
          if (!first || atCapacity(state) || state.me?.status !== 'online') return;
          toChats();
          store.pick(first.conversationId);
          return;
        }
        case 'end':
          if (!openId) return;
          toChats();
          store.dispatch({ type: 'ui/overlay', overlay: 'end' });
          return;
        case 'transfer':
          if (!openId) return;
          toChats();
          store.dispatch({ type: 'ui/overlay', overlay: 'transfer' });
          focusSoon(FOCUS.transfer);
          return;
        case 'tag':
          if (!openId) return;
          toChats();
          focusSoon(FOCUS.tag);
          return;
        case 'note': {
          const chat = openId ? state.chats[openId] : undefined;
          if (!chat) return;
          toChats();
          store.setNoteMode(chat.conversation.id, !chat.noteMode);
          focusSoon(FOCUS.reply);
          return;
        }
        case 'reply':
          if (!openId) return;
          toChats();
          focusSoon(FOCUS.reply);
          return;
        case 'card':
          toChats();
          document.querySelector<HTMLButtonElement>('[data-testid="card-toggle"]')?.click();
          return;
        case 'search':
          location.hash = routeHref({ page: 'history', transcriptId: null });
          focusSoon(FOCUS.search);
          return;
        case 'status': {
          const me = state.me;
          if (!me) return;
          store.setStatus(me.status === 'online' ? 'away' : 'online', me.capacity);
          return;
        }
        case 'help':
          store.dispatch({ type: 'ui/overlay', overlay: state.overlay === 'help' ? null : 'help' });
          return;
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [store, onChats, setScreen]);
}
