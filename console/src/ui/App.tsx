import type { OMe, OperatorProfile } from '@beseda/shared/types';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { type MessageKey, t } from '../i18n/index.js';
import { applyProfile, signedOut } from '../profile.js';
import type { Page } from '../router.js';
import { totalUnread } from '../state.js';
import { useAlerts, useAutoAway } from './background.js';
import { ChatsPage } from './ChatsPage.js';
import { ConfirmEndDialog, HelpDialog } from './Dialogs.js';
import { Header } from './Header.js';
import { useConsole, useRoute, useStore } from './hooks.js';
import { LoginPage } from './LoginPage.js';
import { lazyComponent } from './lazy.js';
import { NoticeBar } from './NoticeBar.js';
import { type Screen, ScreenContext } from './screen.js';
import { useShortcuts } from './useShortcuts.js';

// Not part of the initial load: most sessions are spent answering chats, not reading history or
// editing settings.
const HistoryPage = lazyComponent(() => import('./HistoryPage.js'));
const CannedPage = lazyComponent(() => import('./CannedPage.js'));
const InboxPage = lazyComponent(() => import('./InboxPage.js'));
const AdminPage = lazyComponent(() => import('./AdminPage.js'));
// Owners only, with uPlot inside: never part of the initial load.
const DashboardPage = lazyComponent(() => import('../dashboard/DashboardPage.js'));

const PAGE_TITLES = {
  chats: 'nav.chats',
  inbox: 'nav.inbox',
  history: 'nav.history',
  canned: 'nav.canned',
  admin: 'nav.admin',
  dashboards: 'nav.dashboards',
} as const satisfies Record<Page, MessageKey>;

type Auth = { phase: 'checking' } | { phase: 'anon'; reason: string | null } | { phase: 'in' };

/** Session gate, then the workspace. Pages stay mounted once visited so switching keeps their state. */
export function App() {
  const store = useStore();
  const [auth, setAuth] = useState<Auth>({ phase: 'checking' });

  useEffect(() => {
    api.me().then(
      ({ me, profile }) => enter(me, profile),
      (err: unknown) =>
        setAuth({
          phase: 'anon',
          reason: err instanceof ApiError && err.status !== 401 ? err.message : null,
        }),
    );
    return store.onSessionLost(() => {
      store.stop();
      signedOut();
      setAuth({ phase: 'anon', reason: t('app.sessionEnded') });
    });
  }, [store]);

  function enter(me: OMe, profile: OperatorProfile | undefined) {
    // The account's language applies on any device, before the workspace renders its first string.
    void applyProfile(profile, (locale) => api.saveProfile({ locale })).catch(() => undefined);
    store.start(me);
    setAuth({ phase: 'in' });
  }

  async function logout() {
    // Leave even if the server is unreachable; the cookie expires on its own.
    await api.logout().catch(() => undefined);
    store.stop();
    signedOut();
    setAuth({ phase: 'anon', reason: null });
  }

  if (auth.phase === 'checking') return <p class="splash">{t('app.loading')}</p>;
  if (auth.phase === 'anon') return <LoginPage onLoggedIn={enter} initialError={auth.reason} />;
  return <Workspace onLogout={logout} />;
}

function Workspace({ onLogout }: { onLogout: () => void }) {
  const route = useRoute();
  const [visited, setVisited] = useState<ReadonlySet<Page>>(() => new Set([route.page]));
  useEffect(() => {
    setVisited((v) => (v.has(route.page) ? v : new Set([...v, route.page])));
  }, [route.page]);
  useWindowSignals();
  useAlerts();
  useAutoAway();
  const [screen, setScreen] = useState<Screen>('list');
  const openId = useConsole((s) => s.openId);
  useEffect(() => {
    if (openId === null) setScreen('list');
  }, [openId]);
  useShortcuts(route.page === 'chats', setScreen);
  const isOwner = useConsole((s) => s.me?.role === 'owner' || s.me?.role === 'admin');

  return (
    <div class="app">
      {/* A button, not a #main link: the hash belongs to the router. */}
      <button type="button" class="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        {t('app.skip')}
      </button>
      <Header route={route} onLogout={onLogout} />
      <NoticeBar />
      <main class="main" id="main" tabIndex={-1}>
        {/* One h1 per page for screen readers (the canned page shows its own). */}
        {route.page !== 'canned' && (
          <h1 class="sr-only">
            {t(route.page === 'dashboards' && !isOwner ? 'nav.myFigures' : PAGE_TITLES[route.page])}
          </h1>
        )}
        <ScreenContext.Provider value={setScreen}>
          <ChatsPage active={route.page === 'chats'} screen={screen} />
        </ScreenContext.Provider>
        {visited.has('inbox') && (
          <div class="page" hidden={route.page !== 'inbox'}>
            <InboxPage />
          </div>
        )}
        {visited.has('history') && (
          <div class="page" hidden={route.page !== 'history'}>
            <HistoryPage transcriptId={route.page === 'history' ? route.transcriptId : null} />
          </div>
        )}
        {visited.has('canned') && (
          <div class="page" hidden={route.page !== 'canned'}>
            <CannedPage />
          </div>
        )}
        {/* Not kept mounted: admin lists are re-read on every visit so they show colleagues' edits. */}
        {route.page === 'admin' && (
          <div class="page">
            <AdminPage section={route.section} />
          </div>
        )}
        {route.page === 'dashboards' && (
          <div class="page">
            <DashboardPage route={route} />
          </div>
        )}
      </main>
      <HelpDialog />
      <ConfirmEndDialog />
    </div>
  );
}

/** Window focus decides whether new messages in the open chat count as unread; the tab title shows them. */
function useWindowSignals() {
  const store = useStore();
  const unread = useConsole(totalUnread);

  useEffect(() => {
    const focus = () => store.dispatch({ type: 'ui/focus', focused: document.hasFocus() });
    const online = () => store.retryNow();
    focus();
    addEventListener('focus', focus);
    addEventListener('blur', focus);
    addEventListener('online', online);
    document.addEventListener('visibilitychange', focus);
    return () => {
      removeEventListener('focus', focus);
      removeEventListener('blur', focus);
      removeEventListener('online', online);
      document.removeEventListener('visibilitychange', focus);
    };
  }, [store]);

  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ${t('app.title')}` : t('app.title');
  }, [unread]);
}
