import type { OperatorPresence, QueueEntry } from '@beseda/shared/types';
import { previewText, visitorLabel } from '../format.js';
import { useConsole, useStore } from './hooks.js';
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
  return (
    <li class="queue-item" data-testid="queue-item" data-conversation-id={entry.conversationId}>
      <div class="row">
        <span class="name">
          <span class="position">{entry.position}.</span> {visitorLabel(entry.visitorName, entry.visitorId)}
        </span>
        <WaitTimer since={entry.enqueuedAt} testId="queue-wait" />
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

function TeamList({ operators }: { operators: OperatorPresence[] }) {
  if (operators.length === 0) return null;
  const sorted = [...operators].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
  return (
    <section class="panel team" aria-label="Team">
      <h2 class="panel-title">Team</h2>
      <ul>
        {sorted.map((op) => (
          <li key={op.id} class="team-row" data-testid="team-member">
            <span class={`dot dot-${op.status}`} title={op.status} />
            <span class="name">{op.name}</span>
            <span class="muted">
              {op.activeChats}/{op.capacity}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

const STATUS_ORDER = { online: 0, away: 1, offline: 2 } as const;
