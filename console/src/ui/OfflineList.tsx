import { formatClock, previewText, visitorLabel } from '../format.js';
import { routeHref } from '../router.js';
import { useConsole, useStore } from './hooks.js';

/** Messages left while nobody was available this session: answered by email, read in the history. */
export function OfflineList() {
  const store = useStore();
  const offline = useConsole((s) => s.offline);
  if (offline.length === 0) return null;
  return (
    <section class="panel offline" aria-label="Left a message">
      <h2 class="panel-title">
        Left a message <span class="count">{offline.length}</span>
      </h2>
      <ul>
        {offline.map(({ conversation: c, preview }) => (
          <li key={c.id} class="queue-item" data-testid="offline-item" data-conversation-id={c.id}>
            <div class="row">
              <a class="name" href={routeHref({ page: 'history', transcriptId: c.id })}>
                {visitorLabel(c.visitorName, c.visitorId)}
              </a>
              <span class="muted">{formatClock(c.createdAt)}</span>
            </div>
            {c.visitorEmail && (
              <a class="muted" href={`mailto:${c.visitorEmail}`}>
                {c.visitorEmail}
              </a>
            )}
            <div class="row">
              <span class="preview">{previewText(preview)}</span>
              <button type="button" class="btn small" onClick={() => store.offlineDone(c.id)}>
                Done
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
