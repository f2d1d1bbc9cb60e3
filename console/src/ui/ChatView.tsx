import { useEffect, useState } from 'preact/hooks';
import { formatClock, visitorLabel } from '../format.js';
import { Composer } from './Composer.js';
import { useConsole, useStore } from './hooks.js';
import { MessageList } from './MessageList.js';
import { TransferForm } from './TransferForm.js';

/** The open conversation: who, its messages, and the composer. */
export function ChatView() {
  const store = useStore();
  const chat = useConsole((s) => (s.openId ? s.chats[s.openId] : undefined));
  const connected = useConsole((s) => s.connection.phase === 'open');
  const openId = chat?.conversation.id;
  const [transferring, setTransferring] = useState(false);
  useEffect(() => setTransferring(false), [openId]);

  if (!chat) {
    return (
      <section class="panel chat-view empty-view" aria-label="Conversation">
        <p class="empty">No chat open. Take a visitor from the queue, or wait for one to be assigned.</p>
      </section>
    );
  }
  const { conversation } = chat;
  return (
    <section class="panel chat-view" aria-label="Conversation" data-conversation-id={conversation.id}>
      <header class="chat-head">
        <div>
          <h2 data-testid="chat-title">{visitorLabel(conversation.visitorName, conversation.visitorId)}</h2>
          <span class="muted">
            {conversation.visitorEmail && (
              <>
                <a href={`mailto:${conversation.visitorEmail}`}>{conversation.visitorEmail}</a>
                {conversation.visitorVerified && (
                  <span class="verified" title="Identity signed by the website">
                    {' '}
                    ✓ verified
                  </span>
                )}
                {' · '}
              </>
            )}
            Started {formatClock(conversation.createdAt)}
            {conversation.assignedAt !== null && ` · assigned ${formatClock(conversation.assignedAt)}`}
          </span>
        </div>
        <div class="actions">
          <button
            type="button"
            class="btn"
            aria-expanded={transferring}
            disabled={!connected}
            onClick={() => setTransferring(!transferring)}
            data-testid="transfer-button"
          >
            Transfer
          </button>
          <button
            type="button"
            class="btn danger"
            disabled={!connected}
            onClick={() => store.end(conversation.id)}
            data-testid="end-chat"
          >
            End chat
          </button>
        </div>
      </header>
      {transferring && (
        <TransferForm conversationId={conversation.id} onClose={() => setTransferring(false)} />
      )}
      <MessageList chat={chat} />
      <Composer chat={chat} />
    </section>
  );
}
