import { render } from 'preact';
import { useEffect, useReducer } from 'preact/hooks';
import { ApiError, api } from './api.js';
import { OperatorConnection } from './connection.js';
import { lang, onLangChange } from './i18n/index.js';
import { browserMemory } from './local-memory.js';
import { lastSeqOf, MAX_INBOX_LISTED } from './state.js';
import { createConsoleStore } from './store.js';
import { App } from './ui/App.js';
import { StoreContext } from './ui/hooks.js';
import './styles.css';

/** Wiring only: one connection to this origin's operator socket, one store, one app. */
const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
const connection = new OperatorConnection({
  url: `${scheme}//${location.host}/ws/operator`,
  lastSeq: (id) => {
    const chat = store.getState().chats[id];
    return chat ? lastSeqOf(chat) : undefined;
  },
});
const store = createConsoleStore(
  connection,
  () =>
    api.me().then(
      () => 'valid' as const,
      (err: unknown) => (err instanceof ApiError && err.status === 401 ? 'invalid' : 'unknown'),
    ),
  {
    sites: api.sites,
    canned: api.canned.list,
    inbox: () => api.inbox({ status: 'open', limit: MAX_INBOX_LISTED }),
    setInboxStatus: api.setInboxStatus,
  },
  browserMemory(),
);

/** Re-renders everything when the operator picks another language (strings are read at render). */
function Root() {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => onLangChange(() => rerender(0)), []);
  return (
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  );
}

document.documentElement.lang = lang();
const root = document.getElementById('app');
if (root) render(<Root />, root);
