import { render } from 'preact';
import { ApiError, api } from './api.js';
import { OperatorConnection } from './connection.js';
import { lastSeqOf } from './state.js';
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
  { sites: api.sites, canned: api.canned.list },
);

const root = document.getElementById('app');
if (root) {
  render(
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>,
    root,
  );
}
