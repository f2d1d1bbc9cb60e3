import { useEffect } from 'preact/hooks';
import { ChatList } from './ChatList.js';
import { ChatView } from './ChatView.js';
import { useStore } from './hooks.js';
import { QueuePanel } from './QueuePanel.js';

/** Chat list | open chat | queue. Alt+↑/↓ moves between chats from anywhere on the page. */
export function ChatsPage({ active }: { active: boolean }) {
  const store = useStore();
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
      e.preventDefault();
      store.move(e.key === 'ArrowUp' ? -1 : 1);
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
