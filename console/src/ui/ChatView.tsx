import { useEffect, useState } from 'preact/hooks';
import { formatClock, visitorLabel } from '../format.js';
import { Composer } from './Composer.js';
import { useConsole, useStore } from './hooks.js';
import { MessageList } from './MessageList.js';
import { TagEditor } from './TagEditor.js';
import { TransferForm } from './TransferForm.js';
import { VisitorCard } from './VisitorCard.js';

const CARD_KEY = 'beseda.console.visitorCard';

/** The open conversation: who, its tags, messages and the composer, with the visitor card beside it. */
export function ChatView() {
  const store = useStore();
  const chat = useConsole((s) => (s.openId ? s.chats[s.openId] : undefined));
  const connected = useConsole((s) => s.connection.phase === 'open');
  const openId = chat?.conversation.id;
  const [transferring, setTransferring] = useState(false);
  const [showCard, setShowCard] = useState(() => readCardPreference());
  useEffect(() => setTransferring(false), [openId]);

  if (!chat) {
    return (
      <section class="panel chat-view empty-view" aria-label="Conversation">
        <p class="empty">No chat open. Take a visitor from the queue, or wait for one to be assigned.</p>
      </section>
    );
  }
  const { conversation } = chat;
  const toggleCard = () => {
    setShowCard(!showCard);
    writeCardPreference(!showCard);
  };
  return (
    <div class={`chat-area${showCard ? ' with-card' : ''}`}>
      <section class="panel chat-view" aria-label="Conversation" data-conversation-id={conversation.id}>
        <header class="chat-head">
          <div class="chat-who">
            <h2 data-testid="chat-title">{visitorLabel(conversation.visitorName, conversation.visitorId)}</h2>
            <span class="muted">
              {conversation.visitorEmail && (
                <>
                  <a href={`mailto:${conversation.visitorEmail}`}>{conversation.visitorEmail}</a>
                  {conversation.visitorVerified ? (
                    <span class="verified" title="Identity signed by the website">
                      {' '}
                      ✓ verified
                    </span>
                  ) : (
                    <span class="unverified"> (unverified)</span>
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
              class={`btn${showCard ? ' on' : ''}`}
              aria-pressed={showCard}
              onClick={toggleCard}
              data-testid="card-toggle"
            >
              Visitor
            </button>
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
        <TagEditor conversation={conversation} />
        <MessageList chat={chat} />
        <Composer chat={chat} />
      </section>
      {showCard && <VisitorCard chat={chat} />}
    </div>
  );
}

function readCardPreference(): boolean {
  try {
    return localStorage.getItem(CARD_KEY) !== 'hidden';
  } catch {
    return true;
  }
}

function writeCardPreference(shown: boolean): void {
  try {
    if (shown) localStorage.removeItem(CARD_KEY);
    else localStorage.setItem(CARD_KEY, 'hidden');
  } catch {
    // storage disabled: the choice lasts until reload
  }
}
