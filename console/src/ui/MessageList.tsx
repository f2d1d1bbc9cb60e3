import { useLayoutEffect, useRef } from 'preact/hooks';
import { previewText, visitorLabel } from '../format.js';
import { t } from '../i18n/index.js';
import { asRunItem, runStarts } from '../message-runs.js';
import type { ChatState } from '../state.js';
import { useConsole, useStore } from './hooks.js';
import { MessageBubble } from './MessageBubble.js';

/** Pixels from the bottom within which the list keeps following new messages. */
const STICK_PX = 80;

export function MessageList({ chat }: { chat: ChatState }) {
  const store = useStore();
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const myName = useConsole((s) => s.me?.name ?? null);
  const { conversation } = chat;
  const visitor = visitorLabel(conversation.visitorName, conversation.visitorId);

  // Follow new messages only if the operator is already at the bottom, so scrolling back to read
  // earlier messages is not interrupted; switching chats always starts at the newest message.
  useLayoutEffect(() => {
    stick.current = true;
  }, [conversation.id]);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [conversation.id, chat.messages, chat.pending, chat.visitorTyping]);

  const myId = useConsole((s) => s.me?.id ?? null);
  const starts = runStarts([
    ...chat.messages.map(asRunItem),
    ...chat.pending.map((p) => ({
      author: p.internal ? ('note' as const) : ('operator' as const),
      operatorId: myId,
      at: p.at,
    })),
  ]);
  const held = chat.messages.length;

  function onScroll() {
    const el = ref.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
  }

  return (
    <div
      class="messages"
      ref={ref}
      onScroll={onScroll}
      role="log"
      aria-live="polite"
      aria-label={t('chat.messages')}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable log must be reachable by keyboard to scroll it (axe scrollable-region-focusable)
      tabIndex={0}
    >
      {!chat.loaded && chat.messages.length === 0 && <p class="empty">{t('chat.loading')}</p>}
      {chat.messages.map((m, i) => (
        <MessageBubble
          continued={!starts[i]}
          key={m.seq}
          author={m.author}
          name={m.author === 'visitor' ? visitor : m.authorName}
          text={m.text}
          at={m.at}
          seq={m.seq}
        />
      ))}
      {chat.pending.map((p, i) => (
        <MessageBubble
          continued={!starts[held + i] && !p.error}
          key={p.clientId}
          author={p.internal ? 'note' : 'operator'}
          name={myName}
          text={p.text}
          at={p.at}
          pending
        >
          {p.error ? (
            <div class="msg-failed" role="alert">
              {t('chat.notSent', { error: p.error })}{' '}
              <button type="button" class="link" onClick={() => store.retry(conversation.id, p.clientId)}>
                {t('chat.retry')}
              </button>{' '}
              <button type="button" class="link" onClick={() => store.discard(conversation.id, p.clientId)}>
                {t('chat.discard')}
              </button>
            </div>
          ) : (
            <div class="msg-status">{t('chat.sending')}</div>
          )}
        </MessageBubble>
      ))}
      {chat.visitorTyping && (
        <div class="typing" data-testid="typing-indicator">
          {t('chat.typing', { who: visitor })}
          {chat.typingPreview && (
            <span class="typing-preview"> “{previewText(chat.typingPreview, 200)}”</span>
          )}
        </div>
      )}
    </div>
  );
}
