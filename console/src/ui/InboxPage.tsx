import type { InboxItem, InboxQuery } from '@beseda/shared/types';
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import { formatDateTime, visitorLabel } from '../format.js';
import { t } from '../i18n/index.js';
import { routeHref } from '../router.js';
import { useConsole, useStore } from './hooks.js';
import { InboxActions, InboxChange } from './InboxActions.js';
import './inbox.css';

type Filter = 'open' | 'answered' | 'closed' | 'all';
const FILTERS: readonly Filter[] = ['open', 'answered', 'closed', 'all'];
const PAGE = 50;

/**
 * The offline inbox (issue #12.7): every offline message and missed chat of my sites with its status, shared
 * by the whole team. Read again whenever the open inbox changes (a new message, a colleague's change picked
 * up by the store's refresh, my own change).
 */
export default function InboxPage() {
  const version = useConsole((s) => s.inbox.version);
  const openCount = useConsole((s) => s.inbox.openCount);
  const unreadIds = useConsole((s) => s.inbox.open);
  const [filter, setFilter] = useState<Filter>('open');
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load(query: InboxQuery, append: boolean, current: () => boolean = () => true) {
    try {
      const list = await api.inbox(query);
      if (!current()) return;
      setItems((prev) => (append && prev ? [...prev, ...list.items] : list.items));
      setNext(list.nextBefore);
      setError(null);
    } catch (err) {
      if (current()) setError(t('inbox.loadFailed', { error: errorText(err) }));
    }
  }

  useEffect(() => {
    let current = true;
    void load({ status: filter, limit: PAGE }, false, () => current);
    return () => {
      current = false;
    };
  }, [filter, version]);

  const unread = new Set(unreadIds.filter((o) => o.unread).map((o) => o.conversation.id));

  return (
    <section class="inbox-page" aria-labelledby="inbox-heading" data-testid="inbox-page">
      <header class="inbox-head">
        <h2 id="inbox-heading">
          {t('inbox.heading')} <span class="muted">· {t('inbox.open', { count: openCount })}</span>
        </h2>
        <fieldset class="segmented">
          <legend class="sr-only">{t('inbox.filter')}</legend>
          {FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              class="btn small"
              aria-pressed={filter === f}
              onClick={() => setFilter(f)}
              data-testid={`inbox-filter-${f}`}
            >
              {f === 'all' ? t('inbox.all') : t(`inbox.status.${f}`)}
            </button>
          ))}
        </fieldset>
      </header>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {items && items.length === 0 && (
        <p class="empty" data-testid="inbox-empty">
          {filter === 'open' ? t('inbox.emptyOpen') : t('inbox.empty')}
        </p>
      )}
      {items && items.length > 0 && (
        <ul class="inbox-list">
          {items.map((item) => (
            <InboxCard
              key={item.conversation.id}
              item={item}
              unread={unread.has(item.conversation.id)}
              onChanged={() => void load({ status: filter, limit: PAGE }, false)}
            />
          ))}
        </ul>
      )}
      {next !== null && (
        <button
          type="button"
          class="btn"
          onClick={() => void load({ status: filter, limit: PAGE, before: next }, true)}
        >
          {t('inbox.more')}
        </button>
      )}
    </section>
  );
}

function InboxCard({ item, unread, onChanged }: { item: InboxItem; unread: boolean; onChanged: () => void }) {
  const store = useStore();
  const site = useConsole((s) =>
    Object.keys(s.sites).length > 1 ? s.sites[item.conversation.siteId]?.name : null,
  );
  const c = item.conversation;
  return (
    <li
      class={`inbox-card status-${item.status}${unread ? ' unread' : ''}`}
      data-testid="inbox-item"
      data-conversation-id={c.id}
      data-status={item.status}
    >
      <div class="inbox-card-head">
        <a
          class="name"
          href={routeHref({ page: 'history', transcriptId: c.id })}
          onClick={() => store.inboxRead(c.id)}
          title={t('inbox.transcript')}
        >
          {visitorLabel(c.visitorName, c.visitorId)}
        </a>
        {unread && <span class="badge">{t('inbox.new')}</span>}
        <span class={`chip inbox-status inbox-${item.status}`}>{t(`inbox.is.${item.status}`)}</span>
        <span class="grow" />
        <time class="muted" dateTime={new Date(c.createdAt).toISOString()}>
          {formatDateTime(c.createdAt)}
        </time>
      </div>
      <div class="muted">
        {t(c.status === 'missed' ? 'inbox.kind.missed' : 'inbox.kind.offline')}
        {site ? ` · ${site}` : ''}
        {' · '}
        {c.visitorEmail ? (
          <a href={`mailto:${c.visitorEmail}`} onClick={() => store.inboxRead(c.id)}>
            {c.visitorEmail}
          </a>
        ) : (
          t('inbox.noEmail')
        )}
      </div>
      {item.preview && <p class="inbox-preview">{item.preview}</p>}
      <div class="inbox-card-foot">
        <InboxActions item={item} onChanged={onChanged} />
        <InboxChange item={item} />
      </div>
    </li>
  );
}
