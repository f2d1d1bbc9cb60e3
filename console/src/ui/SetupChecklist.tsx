import type { Team } from '@beseda/shared/types';
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import { type SetupChecklist as Checklist, dashboardApi, type SetupItem } from '../dashboard/types.js';
import { type MessageKey, t } from '../i18n/index.js';
import { routeHref } from '../router.js';
import { useConsole, useStore } from './hooks.js';
import './setup.css';

const TEXTS: Record<SetupItem['id'], { title: MessageKey; how: MessageKey }> = {
  hours: { title: 'setup.hours', how: 'setup.hoursHow' },
  texts: { title: 'setup.texts', how: 'setup.textsHow' },
  operators: { title: 'setup.operators', how: 'setup.operatorsHow' },
  embed: { title: 'setup.embed', how: 'setup.embedHow' },
  testChat: { title: 'setup.testChat', how: 'setup.testChatHow' },
};

function detail(item: SetupItem): string {
  if (item.done && item.id === 'operators') return t('setup.operatorsDone', { count: item.count ?? 0 });
  if (item.done && item.id === 'embed' && item.url) return t('setup.embedDone', { url: item.url });
  if (item.done && item.id === 'testChat') return t('setup.testChatDone', { count: item.count ?? 0 });
  return t(TEXTS[item.id].how);
}

/**
 * The owner's first-run checklist for one site (issue #12.10), read from the server, which derives every
 * item from real state. Re-read when the site's settings are saved (`version`); gone once all is done.
 */
export function SetupChecklist({
  siteId,
  siteKey,
  teams,
  version,
}: {
  siteId: string;
  siteKey: string;
  /** The site's teams: the optional teams step (console side, not counted in the progress). */
  teams: readonly Team[];
  version: number;
}) {
  const [list, setList] = useState<Checklist | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [answered, setAnswered] = useState(0);
  useEffect(() => {
    let current = true;
    dashboardApi.checklist(siteId).then(
      (c) => {
        if (!current) return;
        setList(c);
        setError(null);
      },
      (err: unknown) => current && setError(errorText(err)),
    );
    return () => {
      current = false;
    };
  }, [siteId, version, answered]);

  if (error)
    return (
      <p class="form-error" role="alert">
        {error}
      </p>
    );
  if (!list) return null;
  // Servers from before the availability step send no `answersChats`: the step is then not shown.
  const asks = list.answersChats !== undefined;
  const availabilityDone = list.answersChats !== null && list.answersChats !== undefined;
  const done = list.done + (asks && availabilityDone ? 1 : 0);
  const total = list.total + (asks ? 1 : 0);
  if (done === total) return null;
  return (
    <section class="setup-card" aria-labelledby="setup-title" data-testid="setup-checklist">
      <h2 id="setup-title">
        {t('setup.title')} <span class="muted">· {t('setup.progress', { done, total })}</span>
      </h2>
      <ol>
        {asks && (
          <AvailabilityStep
            answersChats={list.answersChats ?? null}
            onSaved={() => setAnswered((n) => n + 1)}
          />
        )}
        {list.items.map((item) => (
          <li key={item.id} data-testid={`setup-${item.id}`} data-done={item.done ? 'true' : 'false'}>
            <span class="setup-mark" aria-hidden="true">
              {item.done ? '✓' : '○'}
            </span>
            <span>
              <span class="sr-only">{item.done ? t('setup.done') : t('setup.todo')}: </span>
              {item.id === 'operators' && !item.done ? (
                <a href={routeHref({ page: 'admin', section: 'operators' })}>{t(TEXTS[item.id].title)}</a>
              ) : (
                t(TEXTS[item.id].title)
              )}
            </span>
            <span class="setup-how">
              {detail(item)}
              {/* The server's demo page embeds the demo site only. */}
              {item.id === 'testChat' && !item.done && siteKey === 'demo' && (
                <>
                  {' '}
                  <a href="/" target="_blank" rel="noreferrer">
                    {t('setup.demo')}
                  </a>
                </>
              )}
            </span>
          </li>
        ))}
        <TeamsStep teams={teams} />
      </ol>
    </section>
  );
}

/**
 * Optional: teams (Sales, Support…). Leads to the site's Teams section below (focus in its name field), so an
 * owner finds it without the docs. Done once the site has a team; never holds the checklist open.
 */
function TeamsStep({ teams }: { teams: readonly Team[] }) {
  const done = teams.length > 0;
  return (
    <li data-testid="setup-teams" data-done={done ? 'true' : 'false'}>
      <span class="setup-mark" aria-hidden="true">
        {done ? '✓' : '○'}
      </span>
      <span>
        <span class="sr-only">{done ? t('setup.done') : t('setup.todo')}: </span>
        {done ? (
          t('setup.teams')
        ) : (
          <button
            type="button"
            class="link-button"
            onClick={() => {
              const field = document.getElementById('team-new-name');
              field?.scrollIntoView({ block: 'center' });
              field?.focus();
            }}
            data-testid="setup-teams-go"
          >
            {t('setup.teams')}
          </button>
        )}{' '}
        <span class="pill">{t('setup.optional')}</span>
      </span>
      <span class="setup-how">
        {done
          ? t('setup.teamsDone', { count: teams.length, names: teams.map((team) => team.name).join(', ') })
          : t('setup.teamsHow')}
      </span>
    </li>
  );
}

/**
 * The owner is an operator too. Whether chats are routed to them is their explicit choice: "no" keeps them
 * at capacity 0 (routing offers them nothing), "yes" gives back a capacity of at least 1 (server side,
 * PATCH /api/me/profile). Both buttons stay, so the choice can be changed here later.
 */
function AvailabilityStep({ answersChats, onSaved }: { answersChats: boolean | null; onSaved: () => void }) {
  const store = useStore();
  const capacity = useConsole((s) => s.me?.capacity ?? 0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function choose(yes: boolean) {
    setBusy(true);
    setError(null);
    try {
      const { me } = await api.saveProfile({ answersChats: yes });
      store.dispatch({ type: 'ui/me', me });
      onSaved();
    } catch (err) {
      setError(t('setup.answerFailed', { error: errorText(err) }));
    } finally {
      setBusy(false);
    }
  }

  const done = answersChats !== null;
  return (
    <li data-testid="setup-availability" data-done={done ? 'true' : 'false'}>
      <span class="setup-mark" aria-hidden="true">
        {done ? '✓' : '○'}
      </span>
      <span>
        <span class="sr-only">{done ? t('setup.done') : t('setup.todo')}: </span>
        {t('setup.availability')}
      </span>
      <span class="setup-how">
        {answersChats === null
          ? t('setup.availabilityHow')
          : answersChats
            ? t('setup.answersYes', { count: capacity })
            : t('setup.answersNo')}
        <span class="setup-choice">
          <button
            type="button"
            class="btn small"
            aria-pressed={answersChats === true}
            disabled={busy}
            onClick={() => choose(true)}
            data-testid="setup-answer-yes"
          >
            {t('setup.answerYes')}
          </button>
          <button
            type="button"
            class="btn small"
            aria-pressed={answersChats === false}
            disabled={busy}
            onClick={() => choose(false)}
            data-testid="setup-answer-no"
          >
            {t('setup.answerNo')}
          </button>
        </span>
        {error && (
          <span class="form-error" role="alert">
            {error}
          </span>
        )}
      </span>
    </li>
  );
}
