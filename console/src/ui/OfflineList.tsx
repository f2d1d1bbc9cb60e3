import { formatDateTime, previewText, visitorLabel } from '../format.js';
import { t } from '../i18n/index.js';
import { routeHref } from '../router.js';
import { unreadOffline } from '../state.js';
import { useConsole, useStore } from './hooks.js';

/**
 * The offline inbox: messages left while nobody was available, including those left while this console
 * was closed (read from the history after every welcome). Answered by email, read in the history.
 */
export function OfflineList() {
  const store = useStore();
  const offline = useConsole((s) => s.offline);
  const unread = useConsole(unreadOffline);
  if (offline.length === 0) return null;
  return (
    <section class="panel offline" aria-labelledby="offline-heading" data-testid="offline-inbox">
      <h2 class="panel-title" id="offline-heading">
        {t('offline.heading')} <span class="count">{offline.length}</span>
        {unread > 0 && (
          <span class="badge" data-testid="offline-unread">
            {t('offline.unread', { count: unread })}
          </span>
        )}
      </h2>
      <ul>
        {offline.map(({ conversation: c, preview, unread: isUnread }) => (
          <li
            key={c.id}
            class={`queue-item${isUnread ? ' unread' : ''}`}
            data-testid="offline-item"
            data-conversation-id={c.id}
            data-unread={isUnread ? 'true' : undefined}
          >
            <div class="row">
              <a
                class="name"
                href={routeHref({ page: 'history', transcriptId: c.id })}
                onClick={() => store.offlineRead(c.id)}
              >
                {visitorLabel(c.visitorName, c.visitorId)}
              </a>
              <span class="muted">{formatDateTime(c.createdAt)}</span>
            </div>
            {c.visitorEmail && (
              <a class="muted" href={`mailto:${c.visitorEmail}`} onClick={() => store.offlineRead(c.id)}>
                {c.visitorEmail}
              </a>
            )}
            <div class="row">
              <span class="preview">{previewText(preview)}</span>
              <button type="button" class="btn small" onClick={() => store.offlineDone(c.id)}>
                {t('offline.done')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
