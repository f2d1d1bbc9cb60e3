import { formatDateTime, previewText, visitorLabel } from '../format.js';
import { t } from '../i18n/index.js';
import { routeHref } from '../router.js';
import { unreadInbox } from '../state.js';
import { useConsole, useStore } from './hooks.js';

/** How many open items the chats page shows beside the queue; the inbox page has them all. */
const SHOWN = 5;

/**
 * The open part of the offline inbox beside the queue, as a summary: messages left while nobody was available
 * and chats that left the queue unanswered, including those from while this console was closed. Their status
 * is on the server, so what a colleague answered or closed is gone here too; answering happens on the inbox
 * page, which has the room for it.
 */
export function OfflineList() {
  const store = useStore();
  const open = useConsole((s) => s.inbox.open);
  const openCount = useConsole((s) => s.inbox.openCount);
  const unread = useConsole(unreadInbox);
  if (openCount === 0 && open.length === 0) return null;
  return (
    <section class="panel offline" aria-labelledby="offline-heading" data-testid="offline-inbox">
      <h2 class="panel-title" id="offline-heading">
        {t('nav.inbox')} <span class="count">{openCount}</span>
        {unread > 0 && (
          <span class="badge" data-testid="offline-unread">
            {t('offline.unread', { count: unread })}
          </span>
        )}
      </h2>
      <ul>
        {open.slice(0, SHOWN).map((item) => (
          <li
            key={item.conversation.id}
            class={`queue-item${item.unread ? ' unread' : ''}`}
            data-testid="offline-item"
            data-conversation-id={item.conversation.id}
            data-unread={item.unread ? 'true' : undefined}
          >
            <div class="row">
              <a
                class="name"
                href={routeHref({ page: 'inbox' })}
                onClick={() => store.inboxRead(item.conversation.id)}
              >
                {visitorLabel(item.conversation.visitorName, item.conversation.visitorId)}
              </a>
              <span class="muted">{formatDateTime(item.conversation.createdAt)}</span>
            </div>
            <span class="muted">
              {t(item.conversation.status === 'missed' ? 'inbox.kind.missed' : 'inbox.kind.offline')}
              {item.conversation.visitorEmail ? ` · ${item.conversation.visitorEmail}` : ''}
            </span>
            {item.preview && <span class="preview">{previewText(item.preview)}</span>}
          </li>
        ))}
      </ul>
      <a class="inbox-all" href={routeHref({ page: 'inbox' })} data-testid="offline-open-inbox">
        {t('inbox.openInbox')} ({openCount})
      </a>
    </section>
  );
}
