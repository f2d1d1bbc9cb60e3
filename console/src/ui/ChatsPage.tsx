import { ChatList } from './ChatList.js';
import { ChatView } from './ChatView.js';
import { QueuePanel } from './QueuePanel.js';
import type { Screen } from './screen.js';

/**
 * Chat list (with the queue under it) | open chat (+ visitor card). The keyboard map lives in
 * useShortcuts. On phones the page shows one screen at a time; `screen` is chosen by the operator's
 * actions (tap, shortcut), never by a chat arriving, so a phone is not yanked away from the list.
 */
export function ChatsPage({ active, screen }: { active: boolean; screen: Screen }) {
  return (
    <div class="workspace" hidden={!active} data-screen={screen} data-testid="workspace">
      <div class="list-column">
        <ChatList />
        <QueuePanel />
      </div>
      <ChatView />
    </div>
  );
}
