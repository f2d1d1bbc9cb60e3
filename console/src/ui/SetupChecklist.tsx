import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../api.js';
import { type SetupChecklist as Checklist, dashboardApi, type SetupItem } from '../dashboard/types.js';
import { type MessageKey, t } from '../i18n/index.js';
import { routeHref } from '../router.js';

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
  version,
}: {
  siteId: string;
  siteKey: string;
  version: number;
}) {
  const [list, setList] = useState<Checklist | null>(null);
  const [error, setError] = useState<string | null>(null);
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
  }, [siteId, version]);

  if (error)
    return (
      <p class="form-error" role="alert">
        {error}
      </p>
    );
  if (!list || list.done === list.total) return null;
  return (
    <section class="setup-card" aria-labelledby="setup-title" data-testid="setup-checklist">
      <h2 id="setup-title">
        {t('setup.title')}{' '}
        <span class="muted">· {t('setup.progress', { done: list.done, total: list.total })}</span>
      </h2>
      <ol>
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
      </ol>
    </section>
  );
}
