import { previewText, visitorLabel } from '../format.js';
import { type ChatState, sortedChats } from '../state.js';
import { useConsole, useStore, useThresholds } from './hooks.js';
import { WaitTimer } from './WaitTimer.js';

/** My active chats, longest-waiting first. */
export function ChatList() {
  const chats = useConsole(sortedChats);
  const openId = useConsole((s) => s.openId);
  const myId = useConsole((s) => s.me?.id ?? null);

  return (
    <section class="panel chat-list" aria-label="My chats">
      <h2 class="panel-title">
        My chats <span class="count">{chats.length}</span>
      </h2>
      {chats.length === 0 ? (
        <p class="empty">No active chats.</p>
      ) : (
        <ul>
          {chats.map((chat, i) => (
            <li key={chat.conversation.id}>
              <ChatItem chat={chat} open={chat.conversation.id === openId} myId={myId} index={i} />
            </li>
          ))}
        </ul>
      )}
      <p class="hint">Alt+↑ / Alt+↓ or Alt+1…9 switch chats</p>
    </section>
  );
}

interface ItemProps {
  chat: ChatState;
  open: boolean;
  myId: string | null;
  index: number;
}

function ChatItem({ chat, open, myId, index }: ItemProps) {
  const store = useStore();
  const { conversation } = chat;
  const thresholds = useThresholds(conversation.siteId);
  return (
    <button
      type="button"
      class={`chat-item${open ? ' open' : ''}${chat.unread > 0 ? ' has-unread' : ''}`}
      aria-current={open ? 'true' : undefined}
      onClick={() => store.openChat(conversation.id)}
      data-testid="chat-item"
      data-conversation-id={conversation.id}
      title={index < 9 ? `Alt+${index + 1}` : undefined}
    >
      <span class="row">
        <span class="name">{visitorLabel(conversation.visitorName, conversation.visitorId)}</span>
        {conversation.waitingSince !== null && (
          <WaitTimer
            since={conversation.waitingSince}
            thresholds={thresholds}
            label="waiting"
            testId="chat-wait"
          />
        )}
      </span>
      <span class="row">
        <span class="preview">
          {chat.visitorTyping ? <em class="typing-inline">typing…</em> : lastLine(chat, myId)}
        </span>
        {chat.unread > 0 && (
          <span class="badge" data-testid="unread-badge" title={`${chat.unread} unread`}>
            {chat.unread}
          </span>
        )}
      </span>
    </button>
  );
}

function lastLine(chat: ChatState, myId: string | null): string {
  const pending = chat.pending.at(-1);
  if (pending) return `${pending.internal ? 'Note' : 'You'}: ${previewText(pending.text)}`;
  // "Owner joined the chat" says less than what the visitor last wrote, so system lines come last.
  const last = chat.messages.findLast((m) => m.author !== 'system') ?? chat.messages.at(-1);
  if (!last) return chat.loaded ? 'No messages yet' : '…';
  const text = previewText(last.text);
  if (last.author === 'note') return `Note: ${text}`;
  if (last.author === 'operator')
    return last.operatorId === myId ? `You: ${text}` : `${last.authorName ?? 'Operator'}: ${text}`;
  return text;
}
