import { useEffect, useRef, useState } from 'preact/hooks';
import { ChatList } from './ChatList.js';
import { ChatView } from './ChatView.js';
import { useConsole } from './hooks.js';
import { QueuePanel } from './QueuePanel.js';
import { type Screen, ScreenContext } from './screen.js';

/**
 * Chat list | open chat (+ visitor card) | queue. The keyboard map lives in useShortcuts. On phones the
 * page shows one screen at a time: the list (with the queue under it), the chat, or the visitor card.
 */
export function ChatsPage({ active }: { active: boolean }) {
  const [screen, setScreen] = useState<Screen>('list');
  const openId = useConsole((s) => s.openId);
  const first = useRef(true);
  // A chat opened by keyboard or by taking it from the queue shows the chat screen; the first chat opened
  // automatically on load does not, so a phone starts on the list.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (openId) setScreen('chat');
    else setScreen('list');
  }, [openId]);

  return (
    <ScreenContext.Provider value={setScreen}>
      <div class="workspace" hidden={!active} data-screen={screen} data-testid="workspace">
        <div class="list-column">
          <ChatList />
          <QueuePanel />
        </div>
        <ChatView />
      </div>
    </ScreenContext.Provider>
  );
}
