import { useState } from 'preact/hooks';
import { formatClock, visitorLabel } from '../format.js';
import { t } from '../i18n/index.js';
import { Composer } from './Composer.js';
import { useConsole, useStore } from './hooks.js';
import { MessageList } from './MessageList.js';
import { isNarrow, useSetScreen } from './screen.js';
import { TagEditor } from './TagEditor.js';
import { TeamTag } from './TeamTag.js';
import { TransferForm } from './TransferForm.js';
import { VisitorCard } from './VisitorCard.js';

const CARD_KEY = 'beseda.console.visitorCard';

/**
 * The open conversation: one compact header line (who, when, actions), its tags, messages and the
 * composer, with the visitor card beside it. Ending asks first (ConfirmEndDialog).
 */
export function ChatView() {
  const store = useStore();
  const setScreen = useSetScreen();
  const chat = useConsole((s) => (s.openId ? s.chats[s.openId] : undefined));
  const connected = useConsole((s) => s.connection.phase === 'open');
  const transferring = useConsole((s) => s.overlay === 'transfer');
  const [showCard, setShowCard] = useState(() => readCardPreference());

  if (!chat) {
    return (
      <section class="panel chat-view empty-view" aria-label={t('chat.conversation')}>
        <p class="empty">{t('chat.none')}</p>
      </section>
    );
  }
  const { conversation } = chat;
  const who = visitorLabel(conversation.visitorName, conversation.visitorId);
  const toggleCard = () => {
    // On a phone the card is its own screen; on a wide screen the button shows or hides the column.
    if (isNarrow()) return setScreen('card');
    setShowCard(!showCard);
    writeCardPreference(!showCard);
  };
  const setOverlay = (overlay: 'end' | 'transfer' | null) => store.dispatch({ type: 'ui/overlay', overlay });
  return (
    <div class={`chat-area${showCard ? ' with-card' : ''}`}>
      <section class="panel chat-view" aria-labelledby="chat-title" data-conversation-id={conversation.id}>
        <header class="chat-head">
          <button
            type="button"
            class="btn ghost back"
            onClick={() => setScreen('list')}
            data-testid="back-to-list"
          >
            ‹ {t('chats.back')}
          </button>
          <div class="chat-who">
            <h2 id="chat-title" data-testid="chat-title">
              {who}
            </h2>
            <TeamTag siteId={conversation.siteId} teamId={conversation.teamId} long testId="chat-team" />
            <span class="muted chat-meta">
              {conversation.visitorEmail && (
                <>
                  <a href={`mailto:${conversation.visitorEmail}`}>{conversation.visitorEmail}</a>
                  {conversation.visitorVerified ? (
                    <span class="verified" title={t('chat.verifiedTitle')}>
                      {' '}
                      {t('chat.verified')}
                    </span>
                  ) : (
                    <span class="unverified" title={t('chat.unverifiedTitle')}>
                      {' '}
                      ({t('chat.unverified')})
                    </span>
                  )}
                  {' · '}
                </>
              )}
              {t('chat.started', { time: formatClock(conversation.createdAt) })}
              {conversation.assignedAt !== null &&
                ` · ${t('chat.assigned', { time: formatClock(conversation.assignedAt) })}`}
            </span>
          </div>
          <div class="actions">
            <button
              type="button"
              class={`btn${showCard ? ' on' : ''}`}
              aria-pressed={showCard}
              aria-keyshortcuts="Alt+V"
              onClick={toggleCard}
              data-testid="card-toggle"
            >
              {t('chat.visitor')}
            </button>
            <button
              type="button"
              class="btn"
              aria-expanded={transferring}
              aria-keyshortcuts="Alt+R"
              disabled={!connected}
              onClick={() => setOverlay(transferring ? null : 'transfer')}
              data-testid="transfer-button"
            >
              {t('chat.transfer')}
            </button>
            <button
              type="button"
              class="btn danger"
              aria-haspopup="dialog"
              aria-keyshortcuts="Alt+X"
              disabled={!connected}
              onClick={() => setOverlay('end')}
              data-testid="end-chat"
            >
              {t('chat.end')}
            </button>
          </div>
        </header>
        {transferring && <TransferForm conversationId={conversation.id} onClose={() => setOverlay(null)} />}
        <TagEditor conversation={conversation} />
        <MessageList chat={chat} />
        <Composer chat={chat} />
      </section>
      <VisitorCard chat={chat} onBack={() => setScreen('chat')} />
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
