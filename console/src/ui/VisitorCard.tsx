import type { VisitorCard as Card } from '@beseda/shared/types';
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import { formatClock, formatDateTime, localTimeIn, visitorLabel } from '../format.js';
import { locale, type MessageKey, t } from '../i18n/index.js';
import { routeHref } from '../router.js';
import type { ChatState } from '../state.js';
import { describeUserAgent, parseUserAgent } from '../user-agent.js';
import { useNow } from './hooks.js';

/** A safety net: page moves arrive as `visitor_page` frames, other details rarely change. */
const REFRESH_MS = 60_000;
const PAGES_SHOWN = 8;

/** Recently fetched cards, so switching between chats shows the last card at once while refreshing. */
const cache = new Map<string, Card>();

/** Who the visitor is and where they are: identity, device, local time, pages, earlier chats, attributes. */
export function VisitorCard({ chat, onBack }: { chat: ChatState; onBack: () => void }) {
  const { conversation, livePage, pageViews } = chat;
  const visitorId = conversation.visitorId;
  const [card, setCard] = useState<Card | null>(() => cache.get(visitorId) ?? null);
  const [error, setError] = useState<string | null>(null);
  const [allPages, setAllPages] = useState(false);
  useEffect(() => setAllPages(false), [visitorId]);

  useEffect(() => {
    let current = true;
    setCard(cache.get(visitorId) ?? null);
    setError(null);
    const load = () =>
      api.visitor(visitorId).then(
        (c) => {
          cache.set(visitorId, c);
          if (current) {
            setCard(c);
            setError(null);
          }
        },
        (err: unknown) => current && setError(errorText(err, t('card.loadFailed'))),
      );
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
    // pageViews: the visitor moved to another page; fetch the history with its exact times.
  }, [visitorId, pageViews]);

  const v = card?.visitor;
  const name = v?.name ?? conversation.visitorName;
  const email = v?.email ?? conversation.visitorEmail ?? null;
  const verified = v?.verified ?? conversation.visitorVerified ?? false;
  const pages = card ? [...card.pages].sort((a, b) => b.at - a.at) : [];
  // The frame is newer than the card until the refetch lands.
  const current = livePage && livePage.url !== pages[0]?.url ? { ...livePage, at: Date.now() } : pages[0];
  const landing = pages.at(-1);
  const previous = (card?.conversations ?? []).filter((c) => c.id !== conversation.id);
  const device = describeUserAgent(parseUserAgent(v?.userAgent));
  const attributes = Object.entries(v?.attributes ?? {});

  return (
    <aside class="panel visitor-card" aria-labelledby="card-heading" data-testid="visitor-card">
      <div class="card-head">
        <button type="button" class="btn ghost back" onClick={onBack} data-testid="back-to-chat">
          ‹ {visitorLabel(name, visitorId)}
        </button>
        <h2 class="panel-title" id="card-heading">
          {t('card.heading')}
        </h2>
      </div>
      <div class="card-body">
        <section class="card-identity">
          <div class="card-name" data-testid="visitor-name">
            {visitorLabel(name, visitorId)}
          </div>
          {email && (
            <a class="card-email" href={`mailto:${email}`} data-testid="visitor-email">
              {email}
            </a>
          )}
          {(name || email) &&
            (verified ? (
              <span class="pill pill-ok" title={t('chat.verifiedTitle')} data-testid="verified">
                {t('chat.verified')}
              </span>
            ) : (
              <span class="pill" title={t('chat.unverifiedTitle')} data-testid="unverified">
                {t('chat.unverified')}
              </span>
            ))}
          {v?.userId && <div class="muted">{t('card.userId', { id: v.userId })}</div>}
        </section>

        {error && !card && (
          <p class="muted" role="status">
            {error}
          </p>
        )}
        {!card && !error && <p class="muted">{t('app.loading')}</p>}

        {card && (
          <dl class="facts">
            {v?.timezone && <LocalTime timezone={v.timezone} />}
            {v?.lang && (
              <>
                <dt>{t('card.language')}</dt>
                <dd>{languageName(v.lang)}</dd>
              </>
            )}
            {device && (
              <>
                <dt>{t('card.browser')}</dt>
                <dd data-testid="visitor-device" title={v?.userAgent ?? undefined}>
                  {device}
                </dd>
              </>
            )}
            {current && (
              <>
                <dt>{t('card.nowOn')}</dt>
                <dd data-testid="visitor-current-page">
                  <PageLink url={current.url} title={current.title} />
                </dd>
              </>
            )}
            {landing?.referrer && (
              <>
                <dt>{t('card.cameFrom')}</dt>
                <dd>
                  <PageLink url={landing.referrer} title={null} />
                </dd>
              </>
            )}
          </dl>
        )}

        {pages.length > 0 && (
          <section>
            <h3>{t('card.pages')}</h3>
            <ol class="pages" data-testid="visitor-pages">
              {(allPages ? pages : pages.slice(0, PAGES_SHOWN)).map((p) => (
                <li key={`${p.at}-${p.url}`}>
                  <time>{formatClock(p.at)}</time> <PageLink url={p.url} title={p.title} />
                </li>
              ))}
            </ol>
            {pages.length > PAGES_SHOWN && (
              <button type="button" class="link small" onClick={() => setAllPages(!allPages)}>
                {allPages ? t('card.showFewer') : t('card.showAll', { count: pages.length })}
              </button>
            )}
          </section>
        )}

        {card && (
          <section>
            <h3>{t('card.earlier')}</h3>
            {previous.length === 0 ? (
              <p class="muted">{t('card.firstChat')}</p>
            ) : (
              <ul class="previous" data-testid="visitor-previous">
                {previous.map((c) => (
                  <li key={c.id}>
                    <a href={routeHref({ page: 'history', transcriptId: c.id })}>
                      {formatDateTime(c.createdAt)}
                    </a>{' '}
                    <span class={`status status-${c.status}`}>{statusLabel(c.status)}</span>
                    {c.rating && (
                      <span class={`rating rating-${c.rating}`}>
                        {t('card.rated', { rating: t(`rating.${c.rating}`) })}
                      </span>
                    )}
                    {c.operatorName && <span class="muted"> · {c.operatorName}</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}

        {attributes.length > 0 && (
          <section>
            <h3>{t('card.attributes')}</h3>
            <dl class="facts" data-testid="visitor-attributes">
              {attributes.map(([key, value]) => (
                <div key={key} class="fact">
                  <dt>{key}</dt>
                  <dd>{String(value)}</dd>
                </div>
              ))}
            </dl>
          </section>
        )}
      </div>
    </aside>
  );
}

/** The visitor's wall clock, ticking with the shared timer. */
function LocalTime({ timezone }: { timezone: string }) {
  const local = localTimeIn(useNow(), timezone);
  if (!local) return null;
  return (
    <>
      <dt>{t('card.localTime')}</dt>
      <dd data-testid="visitor-local-time" title={timezone}>
        {local.time} <span class="muted">({local.diff})</span>
      </dd>
    </>
  );
}

function PageLink({ url, title }: { url: string; title: string | null }) {
  // Only real web links become clickable: a javascript: URL typed by a page must never run here.
  const safe = /^https?:\/\//i.test(url);
  const label = title?.trim() || shortUrl(url);
  return safe ? (
    <a href={url} target="_blank" rel="noopener noreferrer" title={url}>
      {label}
    </a>
  ) : (
    <span title={url}>{label}</span>
  );
}

function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return url;
  }
}

/** "cs-CZ" → "Czech (Czechia) · cs-CZ" in the operator's language, or the code alone. */
function languageName(code: string): string {
  try {
    const names = new Intl.DisplayNames(locale(), { type: 'language' });
    const name = names.of(code);
    return name && name !== code ? `${name} · ${code}` : code;
  } catch {
    return code;
  }
}

const STATUS_KEYS: Record<string, MessageKey> = {
  queued: 'conversation.status.queued',
  active: 'conversation.status.active',
  ended: 'conversation.status.ended',
  missed: 'conversation.status.missed',
  offline: 'conversation.status.offline',
};

/** The card's status is a plain string on the wire; unknown values are shown as they are. */
function statusLabel(status: string): string {
  const key = STATUS_KEYS[status];
  return key ? t(key) : status;
}
