import type { OperatorPresence, QueueEntry } from '@beseda/shared/types';
import { previewText, visitorLabel } from '../format.js';
import { t } from '../i18n/index.js';
import { atCapacity, type ConsoleState } from '../state.js';
import { useConsole, useStore, useThresholds } from './hooks.js';
import { OfflineList } from './OfflineList.js';
import { useSetScreen } from './screen.js';
import { TeamTag } from './TeamTag.js';
import { WaitTimer } from './WaitTimer.js';

/** Why Take is disabled, in words; null when taking is possible. */
function takeBlocked(s: ConsoleState): string | null {
  if (s.connection.phase !== 'open') return t('queue.notConnected');
  if (s.me && s.me.status !== 'online') return t('queue.notOnline');
  if (s.me && atCapacity(s)) {
    return t('queue.full', { active: Object.keys(s.chats).length, capacity: s.me.capacity });
  }
  return null;
}

/** Visitors nobody has taken yet, oldest first, and who on the team is around. */
export function QueuePanel() {
  const queue = useConsole((s) => s.queue);
  const operators = useConsole((s) => s.operators);
  const blocked = useConsole(takeBlocked);
  return (
    <div class="side">
      <section class="panel queue" aria-labelledby="queue-heading">
        <h2 class="panel-title" id="queue-heading">
          {t('queue.heading')} <span class="count">{queue.length}</span>
        </h2>
        {queue.length > 0 && blocked && (
          <p class="take-blocked" id="take-blocked" data-testid="take-blocked">
            {blocked}
          </p>
        )}
        {queue.length === 0 ? (
          <p class="empty">{t('queue.empty')}</p>
        ) : (
          <ul>
            {queue.map((entry, i) => (
              <QueueItem
                key={entry.conversationId}
                entry={entry}
                blocked={blocked !== null}
                first={i === 0}
              />
            ))}
          </ul>
        )}
      </section>
      <OfflineList />
      <TeamList operators={operators} />
    </div>
  );
}

function QueueItem({ entry, blocked, first }: { entry: QueueEntry; blocked: boolean; first: boolean }) {
  const store = useStore();
  const setScreen = useSetScreen();
  const picking = useConsole((s) => s.picking === entry.conversationId);
  const thresholds = useThresholds(entry.siteId);
  return (
    <li
      class="queue-item"
      data-testid="queue-item"
      data-conversation-id={entry.conversationId}
      data-team-id={entry.teamId ?? undefined}
    >
      <div class="row">
        <span class="name">
          <span class="position">{entry.position}.</span> {visitorLabel(entry.visitorName, entry.visitorId)}
        </span>
        <TeamTag siteId={entry.siteId} teamId={entry.teamId} />
        <WaitTimer since={entry.enqueuedAt} thresholds={thresholds} testId="queue-wait" />
      </div>
      <div class="row">
        <span class="preview">{entry.preview ? previewText(entry.preview) : t('queue.noMessage')}</span>
        <button
          type="button"
          class="btn small primary"
          // aria-disabled, not disabled: the button stays focusable, so keyboard and screen reader users
          // reach it and hear why it does nothing (aria-describedby).
          aria-disabled={blocked || picking}
          aria-describedby={blocked ? 'take-blocked' : undefined}
          aria-keyshortcuts={first ? 'Alt+T' : undefined}
          onClick={() => {
            if (blocked || picking) return;
            store.pick(entry.conversationId);
            setScreen('chat');
          }}
          data-testid="take-button"
        >
          {t(picking ? 'queue.taking' : 'queue.take')}
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
    <section class="panel team" aria-labelledby="team-heading">
      <h2 class="panel-title" id="team-heading">
        {t('team.heading')}{' '}
        <span class="count" title={t('team.summaryTitle')}>
          {t('team.summary', { online: online.length, free })}
        </span>
      </h2>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the list scrolls when the team is large; keyboard users must be able to scroll it (axe scrollable-region-focusable) */}
      <ul tabIndex={0} aria-labelledby="team-heading">
        {sorted.map((op) => {
          const load = op.capacity > 0 ? Math.min(1, op.activeChats / op.capacity) : 1;
          return (
            <li
              key={op.id}
              class="team-row"
              data-testid="team-member"
              data-status={op.status}
              title={t('team.member', {
                name: op.name,
                status: t(`status.${op.status}`),
                active: op.activeChats,
                capacity: op.capacity,
              })}
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
