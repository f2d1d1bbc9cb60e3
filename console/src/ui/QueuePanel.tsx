import type { OperatorPresence, QueueEntry } from '@beseda/shared/types';
import { previewText, visitorLabel } from '../format.js';
import { useConsole, useStore, useThresholds } from './hooks.js';
import { OfflineList } from './OfflineList.js';
import { WaitTimer } from './WaitTimer.js';

/** Visitors nobody has taken yet, oldest first, and who on the team is around. */
export function QueuePanel() {
  const queue = useConsole((s) => s.queue);
  const operators = useConsole((s) => s.operators);
  return (
    <aside class="side">
      <section class="panel queue" aria-label="Queue">
        <h2 class="panel-title">
          Queue <span class="count">{queue.length}</span>
        </h2>
        {queue.length === 0 ? (
          <p class="empty">Nobody is waiting.</p>
        ) : (
          <ul>
            {queue.map((entry) => (
              <QueueItem key={entry.conversationId} entry={entry} />
            ))}
          </ul>
        )}
      </section>
      <OfflineList />
      <TeamList operators={operators} />
    </aside>
  );
}

function QueueItem({ entry }: { entry: QueueEntry }) {
  const store = useStore();
  const connected = useConsole((s) => s.connection.phase === 'open');
  const picking = useConsole((s) => s.picking === entry.conversationId);
  const thresholds = useThresholds(entry.siteId);
  return (
    <li class="queue-item" data-testid="queue-item" data-conversation-id={entry.conversationId}>
      <div class="row">
        <span class="name">
          <span class="position">{entry.position}.</span> {visitorLabel(entry.visitorName, entry.visitorId)}
        </span>
        <WaitTimer since={entry.enqueuedAt} thresholds={thresholds} testId="queue-wait" />
      </div>
      <div class="row">
        <span class="preview">{entry.preview ? previewText(entry.preview) : 'No message yet'}</span>
        <button
          type="button"
          class="btn small primary"
          disabled={!connected || picking}
          onClick={() => store.pick(entry.conversationId)}
          data-testid="take-button"
        >
          {picking ? 'Taking…' : 'Take'}
        </button>
      </div>
    </li>
  );
}

/** Who is around and how loaded they are: the number that decides where the next chat goes. */
function TeamList({ operators }: { operators: OperatorPresence[] }) {
  if (operators.length === 0) return null;
  const sorted = [...operators].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.name.localeCompare(b.name),
  );
  const online = operators.filter((o) => o.status === 'online');
  const free = online.reduce((n, o) => n + Math.max(0, o.capacity - o.activeChats), 0);
  return (
    <section class="panel team" aria-label="Team">
      <h2 class="panel-title">
        Team{' '}
        <span class="count" title="online operators · free chat slots">
          {online.length} online · {free} free
        </span>
      </h2>
      <ul>
        {sorted.map((op) => {
          const load = op.capacity > 0 ? Math.min(1, op.activeChats / op.capacity) : 1;
          return (
            <li
              key={op.id}
              class="team-row"
              data-testid="team-member"
              data-status={op.status}
              title={`${op.name}: ${op.status}, ${op.activeChats} of ${op.capacity} chats`}
            >
              <span class={`dot dot-${op.status}`} />
              <span class="name">{op.name}</span>
              <span class="load" aria-hidden="true">
                <span
                  class={`load-fill${load >= 1 ? ' full' : ''}`}
                  style={{ width: `${Math.round(load * 100)}%` }}
                />
              </span>
              <span class="muted load-text">
                {op.activeChats}/{op.capacity}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

const STATUS_ORDER = { online: 0, away: 1, offline: 2 } as const;
