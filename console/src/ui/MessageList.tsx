import { useLayoutEffect, useRef } from 'preact/hooks';
import { previewText, visitorLabel } from '../format.js';
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

  function onScroll() {
    const el = ref.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
  }

  return (
    <div class="messages" ref={ref} onScroll={onScroll} role="log" aria-live="polite" aria-label="Messages">
      {!chat.loaded && chat.messages.length === 0 && <p class="empty">Loading messages…</p>}
      {chat.messages.map((m) => (
        <MessageBubble
          key={m.seq}
          author={m.author}
          name={m.author === 'visitor' ? visitor : m.authorName}
          text={m.text}
          at={m.at}
          seq={m.seq}
        />
      ))}
      {chat.pending.map((p) => (
        <MessageBubble
          key={p.clientId}
          author={p.internal ? 'note' : 'operator'}
          name={myName}
          text={p.text}
          at={p.at}
          pending
        >
          {p.error ? (
            <div class="msg-failed" role="alert">
              Not sent: {p.error}{' '}
              <button type="button" class="link" onClick={() => store.retry(conversation.id, p.clientId)}>
                Retry
              </button>{' '}
              <button type="button" class="link" onClick={() => store.discard(conversation.id, p.clientId)}>
                Discard
              </button>
            </div>
          ) : (
            <div class="msg-status">Sending…</div>
          )}
        </MessageBubble>
      ))}
      {chat.visitorTyping && (
        <div class="typing" data-testid="typing-indicator">
          {visitor} is typing…
          {chat.typingPreview && (
            <span class="typing-preview"> “{previewText(chat.typingPreview, 200)}”</span>
          )}
        </div>
      )}
    </div>
  );
}
