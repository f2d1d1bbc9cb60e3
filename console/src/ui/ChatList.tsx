import { previewText, visitorLabel } from '../format.js';
import { t } from '../i18n/index.js';
import { type ChatState, sortedChats } from '../state.js';
import { useConsole, useStore, useThresholds } from './hooks.js';
import { useSetScreen } from './screen.js';
import { TeamTag } from './TeamTag.js';
import { WaitTimer } from './WaitTimer.js';

/** My active chats in the order they arrived, so Alt+1…9 keep their meaning. */
export function ChatList() {
  const chats = useConsole(sortedChats);
  const openId = useConsole((s) => s.openId);
  const myId = useConsole((s) => s.me?.id ?? null);

  return (
    <section class="panel chat-list" aria-labelledby="chats-heading">
      <h2 class="panel-title" id="chats-heading">
        {t('chats.heading')} <span class="count">{chats.length}</span>
      </h2>
      {chats.length === 0 ? (
        <p class="empty">{t('chats.empty')}</p>
      ) : (
        <ul>
          {chats.map((chat, i) => (
            <li key={chat.conversation.id}>
              <ChatItem chat={chat} open={chat.conversation.id === openId} myId={myId} index={i} />
            </li>
          ))}
        </ul>
      )}
      <p class="hint">{t('chats.hint')}</p>
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
  const setScreen = useSetScreen();
  const { conversation } = chat;
  const thresholds = useThresholds(conversation.siteId);
  return (
    <button
      type="button"
      class={`chat-item${open ? ' open' : ''}${chat.unread > 0 ? ' has-unread' : ''}`}
      aria-current={open ? 'true' : undefined}
      aria-keyshortcuts={index < 9 ? `Alt+${index + 1}` : undefined}
      onClick={() => {
        store.openChat(conversation.id);
        setScreen('chat');
      }}
      data-testid="chat-item"
      data-conversation-id={conversation.id}
    >
      <span class="row">
        {index < 9 && <kbd class="key-index">{index + 1}</kbd>}
        <span class="name">{visitorLabel(conversation.visitorName, conversation.visitorId)}</span>
        <TeamTag siteId={conversation.siteId} teamId={conversation.teamId} />
        {conversation.waitingSince !== null && (
          <WaitTimer
            since={conversation.waitingSince}
            thresholds={thresholds}
            label={t('chats.waiting')}
            testId="chat-wait"
          />
        )}
      </span>
      <span class="row">
        <span class="preview">
          {chat.visitorTyping ? <em class="typing-inline">{t('chats.typing')}</em> : lastLine(chat, myId)}
        </span>
        {chat.unread > 0 && (
          <span class="badge" data-testid="unread-badge" title={t('chats.unread', { count: chat.unread })}>
            {chat.unread}
            <span class="sr-only"> {t('chats.unread', { count: chat.unread })}</span>
          </span>
        )}
      </span>
    </button>
  );
}

function lastLine(chat: ChatState, myId: string | null): string {
  const pending = chat.pending.at(-1);
  if (pending) {
    return t(pending.internal ? 'chats.note' : 'chats.you', { text: previewText(pending.text) });
  }
  // "Owner joined the chat" says less than what the visitor last wrote, so system lines come last.
  const last = chat.messages.findLast((m) => m.author !== 'system') ?? chat.messages.at(-1);
  if (!last) return chat.loaded ? t('chats.noMessages') : '…';
  const text = previewText(last.text);
  if (last.author === 'note') return t('chats.note', { text });
  if (last.author === 'operator') {
    return last.operatorId === myId
      ? t('chats.you', { text })
      : `${last.authorName ?? t('chat.operator')}: ${text}`;
  }
  return text;
}
