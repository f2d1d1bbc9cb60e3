import type { Page, WidgetConfig } from '@beseda/shared/types';
import { render } from 'preact';
import { addStyles } from '../add-styles.js';
import type { Mount, UiApi } from '../contract.js';
import { storageKey } from '../keys.js';
import { App } from './App.js';
import { configUrl, fetchConfig, lookOf } from './config.js';
import { type ChatView, Connection } from './connection.js';
import { emitter } from './events.js';
import { formatLocale, LANGUAGES, pickLanguage } from './i18n.js';
import { decorateLauncher } from './launcher.js';
import { notifier } from './notify.js';
import { browserStorage, write } from './storage.js';
import { CSS } from './styles.js';
import { watchTabs } from './tab-sync.js';

/**
 * dist/chat.js, imported by the loader, which calls `mount` once with its shadow root. Glue only: it wires
 * the connection, the site config, the launcher, the host page API and the Preact tree; behaviour lives
 * in those modules.
 */

const currentPage = (): Page => ({
  url: location.href.slice(0, 2048),
  title: document.title.slice(0, 512),
  referrer: document.referrer.slice(0, 2048),
});

const heard = (view: ChatView) => view.items.filter((i) => i.author !== 'visitor').length;
const browserLanguages = (): readonly string[] =>
  navigator.languages?.length ? navigator.languages : [navigator.language || 'en'];
const timezone = (): string | undefined => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
};

export const mount: Mount = ({ root, host, launcher, base, site, lang: tagLang }) => {
  const storage = browserStorage();
  const events = emitter();
  const notify = notifier(storage, site);
  let config: WidgetConfig | null = null;
  let chosen: string | null = null;
  const language = () => pickLanguage([chosen, tagLang], browserLanguages(), config?.lang);
  let lang = language();
  let t = LANGUAGES[lang];

  addStyles(root, CSS);
  const container = document.createElement('div');
  root.append(container);
  const button = decorateLauncher(launcher, t);

  let open = false;
  const visible = () => open && document.visibilityState !== 'hidden';
  const conn = new Connection({
    base,
    site,
    lang,
    storage,
    timezone: timezone(),
    network: {
      online: () => navigator.onLine !== false,
      whenOnline: (fn) => {
        addEventListener('online', fn, { once: true });
        return () => removeEventListener('online', fn);
      },
    },
    page: currentPage,
    typingPreview: () => !!config?.typingPreview,
    probe: () =>
      fetch(configUrl(base, site)).then(
        (r) => r.status,
        () => 0,
      ),
    onMessage: (m) => {
      events.emit('message', m);
      if (m.author === 'operator' && !visible()) notify.alert(`${m.at}:${m.name}`, t.newMessage);
    },
  });

  const draw = () =>
    render(
      <App
        conn={conn}
        config={config}
        open={open}
        t={t}
        lang={lang}
        locale={formatLocale(lang, browserLanguages())}
        muted={notify.muted}
        onMute={() => {
          notify.setMuted(!notify.muted);
          draw();
        }}
        onClose={() => setOpen(false)}
      />,
      container,
    );

  // Unread = operator/system messages that arrived while the panel was closed (cached ones count as read).
  let read = heard(conn.view);
  let unread = 0;
  const setUnread = (n: number) => {
    if (n === unread) return;
    unread = n;
    button.setUnread(n);
    events.emit('unreadChange', { count: n });
  };
  conn.subscribe((view) => {
    if (open) read = heard(view);
    setUnread(open ? 0 : Math.max(0, heard(view) - read));
  });

  const setOpen = (next: boolean, focus = true) => {
    if (next === open) return;
    const focusInside = !!root.activeElement && root.activeElement !== launcher;
    open = next;
    write(storage, storageKey(site, 'open'), next ? '1' : null);
    button.setOpen(next);
    if (next) {
      read = heard(conn.view);
      setUnread(0);
      if (visible()) notify.stop();
      conn.start();
    }
    draw();
    if (next && focus) container.querySelector<HTMLElement>('.fi,textarea,.pb')?.focus();
    // Closing must not strand keyboard focus in a hidden panel; but never steal it from the host page.
    else if (!next && focusInside) (launcher.hidden ? document.body : launcher).focus();
    events.emit(next ? 'open' : 'close', undefined);
  };

  const relang = () => {
    const next = language();
    if (next === lang) return;
    lang = next;
    t = LANGUAGES[lang];
    conn.lang = lang;
    button.setStrings(t);
    draw();
  };

  watchTabs(site, storage, (name) => {
    if (name === 'mute') draw();
    else if (name !== 'beep' && name !== 'look' && name !== 'open') conn.storageChanged(name);
  });
  document.addEventListener('visibilitychange', () => {
    if (visible()) notify.stop();
  });

  // Reopened after a navigation: show it, but leave focus where the host page put it.
  if (storage.getItem(storageKey(site, 'open')) === '1') setOpen(true, false);
  else draw();
  if (conn.hasChat || (conn.view.offline && !conn.view.offline.conversationId)) conn.start();

  fetchConfig(base, site).then((c) => {
    if (!c) return;
    config = c;
    const look = lookOf(c);
    host.style.setProperty('--c', look.color);
    host.style.setProperty('--f', look.fg);
    host.dataset.pos = look.position;
    write(storage, storageKey(site, 'look'), `${look.color}|${look.fg}|${look.position}|${c.launcherText}`);
    button.setLabel(c.launcherText);
    relang();
    draw();
  });

  const api: UiApi = {
    open: () => setOpen(true),
    close: () => setOpen(false),
    toggle: () => setOpen(!open),
    identify: (identity) => conn.identify(identity),
    setAttributes: (attributes) => conn.setAttributes(attributes),
    setLanguage: (next) => {
      chosen = typeof next === 'string' ? next : null;
      relang();
    },
    on: events.on,
    off: events.off,
  };
  // After the loader replayed the calls queued before this module loaded (listeners included).
  Promise.resolve().then(() => events.emit('ready', undefined, true));
  return api;
};
