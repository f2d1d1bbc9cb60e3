import { useEffect } from 'preact/hooks';
import { sortedChats } from '../state.js';
import { ChatList } from './ChatList.js';
import { ChatView } from './ChatView.js';
import { useStore } from './hooks.js';
import { QueuePanel } from './QueuePanel.js';

/**
 * Chat list | open chat (+ visitor card) | queue. From anywhere on the page: Alt+↑/↓ moves between chats,
 * Alt+1…9 jumps to the n-th one (by key position, so it works on every keyboard layout).
 */
export function ChatsPage({ active }: { active: boolean }) {
  const store = useStore();
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
        e.preventDefault();
        store.move(e.key === 'ArrowUp' ? -1 : 1);
        return;
      }
      const digit = /^Digit([1-9])$/.exec(e.code);
      if (!digit) return;
      e.preventDefault();
      const target = sortedChats(store.getState())[Number(digit[1]) - 1];
      if (target) store.openChat(target.conversation.id);
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [store, active]);

  return (
    <div class="workspace" hidden={!active}>
      <ChatList />
      <ChatView />
      <QueuePanel />
    </div>
  );
}
