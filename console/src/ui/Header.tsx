import type { OperatorStatus } from '@beseda/shared/types';
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import { isLang, LANG_NAMES, LANGS, lang, t } from '../i18n/index.js';
import { chooseLocale, localeChoice } from '../profile.js';
import type { Route } from '../router.js';
import { totalUnread } from '../state.js';
import { AlertControls } from './AlertControls.js';
import { ConnectionIndicator } from './ConnectionIndicator.js';
import { useConsole, useStore } from './hooks.js';

const STATUSES: readonly OperatorStatus[] = ['online', 'away', 'offline'];
const MAX_CAPACITY = 50;

export function Header({ route, onLogout }: { route: Route; onLogout: () => void }) {
  const store = useStore();
  const me = useConsole((s) => s.me);
  const unread = useConsole(totalUnread);
  const inboxOpen = useConsole((s) => s.inbox.openCount);
  const activeChats = useConsole((s) => Object.keys(s.chats).length);
  const connected = useConsole((s) => s.connection.phase === 'open');

  return (
    <header class="topbar">
      <span class="brand">Beseda</span>
      <nav class="tabs" aria-label={t('nav.label')}>
        <a href="#/chats" aria-current={route.page === 'chats' ? 'page' : undefined} data-testid="nav-chats">
          {t('nav.chats')}
          {unread > 0 && (
            <span class="badge" title={t('chats.unread', { count: unread })}>
              {unread}
            </span>
          )}
        </a>
        <a href="#/inbox" aria-current={route.page === 'inbox' ? 'page' : undefined} data-testid="nav-inbox">
          {t('nav.inbox')}
          {inboxOpen > 0 && (
            <span class="badge" title={t('inbox.open', { count: inboxOpen })} data-testid="inbox-badge">
              {inboxOpen}
            </span>
          )}
        </a>
        <a
          href="#/history"
          aria-current={route.page === 'history' ? 'page' : undefined}
          data-testid="nav-history"
        >
          {t('nav.history')}
        </a>
        <a
          href="#/canned"
          aria-current={route.page === 'canned' ? 'page' : undefined}
          data-testid="nav-canned"
        >
          {t('nav.canned')}
        </a>
        {(me?.role === 'owner' || me?.role === 'admin') && (
          <a
            href="#/admin/operators"
            aria-current={route.page === 'admin' ? 'page' : undefined}
            data-testid="nav-admin"
          >
            {t('nav.admin')}
          </a>
        )}
        {/* Owners read every figure; an operator reads their own on the same page. */}
        <a
          href="#/dashboards"
          aria-current={route.page === 'dashboards' ? 'page' : undefined}
          data-testid="nav-dashboards"
        >
          {me?.role === 'owner' || me?.role === 'admin' ? t('nav.dashboards') : t('nav.myFigures')}
        </a>
      </nav>
      <ConnectionIndicator />
      <span class="spacer" />
      <AlertControls />
      {me && (
        <div class="presence">
          <label class="field-inline">
            <span class={`dot dot-${me.status}`} aria-hidden="true" />
            <span class="sr-only">{t('header.status')}</span>
            <select
              value={me.status}
              disabled={!connected}
              onChange={(e) => store.setStatus(e.currentTarget.value as OperatorStatus, me.capacity)}
              data-testid="presence-select"
            >
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <CapacityInput
            capacity={me.capacity}
            active={activeChats}
            disabled={!connected}
            onCommit={(capacity) => store.setStatus(me.status, capacity, 'capacity')}
          />
          <span class="me-name" title={me.email} data-testid="me-name">
            {me.name}
          </span>
        </div>
      )}
      <LanguagePicker />
      <button
        type="button"
        class="btn ghost icon help-button"
        title={`${t('header.help')} (?)`}
        onClick={() => store.dispatch({ type: 'ui/overlay', overlay: 'help' })}
        data-testid="help-button"
      >
        ?<span class="sr-only">{t('header.help')}</span>
      </button>
      <button type="button" class="btn ghost" onClick={onLogout} data-testid="logout">
        {t('header.signOut')}
      </button>
    </header>
  );
}

interface CapacityProps {
  capacity: number;
  active: number;
  disabled: boolean;
  onCommit: (capacity: number) => void;
}

/** Edited locally and committed on change (blur or Enter), so typing "12" does not send "1" first. */
function CapacityInput({ capacity, active, disabled, onCommit }: CapacityProps) {
  const [text, setText] = useState(String(capacity));
  useEffect(() => setText(String(capacity)), [capacity]);

  function commit() {
    const n = Number.parseInt(text, 10);
    if (Number.isNaN(n)) return setText(String(capacity));
    const clamped = Math.min(MAX_CAPACITY, Math.max(0, n));
    setText(String(clamped));
    if (clamped !== capacity) onCommit(clamped);
  }

  return (
    <label class="field-inline capacity" title={t('header.capacity')}>
      <span class="sr-only">{t('header.capacity')}</span>
      <span aria-hidden="true">{active} /</span>
      <input
        type="number"
        min={0}
        max={MAX_CAPACITY}
        value={text}
        disabled={disabled}
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={commit}
        data-testid="capacity-input"
      />
      <span aria-hidden="true">{t('header.chats')}</span>
    </label>
  );
}

const AUTO = 'auto';

/**
 * Per operator, saved to their account when signed in (profile.ts), so it follows them to other devices;
 * "Browser language" goes back to following the browser.
 */
export function LanguagePicker() {
  const store = useStore();
  const choice = localeChoice(lang());
  const [value, setValue] = useState<string>(choice ?? AUTO);
  useEffect(() => setValue(choice ?? AUTO), [choice]);

  function pick(next: string) {
    setValue(next);
    const locale = isLang(next) ? next : null;
    chooseLocale(locale, (l) => api.saveProfile({ locale: l })).catch((err: unknown) => {
      const params = { error: errorText(err) };
      store.dispatch({
        type: 'ui/notice',
        notice: {
          kind: 'error',
          text: t('header.langSaveFailed', params, 'en'),
          code: null,
          key: 'header.langSaveFailed',
          params,
        },
      });
    });
  }

  return (
    <label class="field-inline lang-picker">
      <span class="sr-only">{t('header.language')}</span>
      <select value={value} onChange={(e) => pick(e.currentTarget.value)} data-testid="language-select">
        <option value={AUTO}>{t('header.langAuto')}</option>
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANG_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
