import type { ErrorCode, WidgetConfig } from '@beseda/shared/types';
import { render } from 'preact';
import { addStyles } from '../add-styles.js';
import type { Mount, UiApi } from '../contract.js';
import { storageKey } from '../keys.js';
import { App } from './App.js';
import { configUrl, fetchConfig, lookOf } from './config.js';
import { type ChatView, Connection } from './connection.js';
import { emitter } from './events.js';
import { formatLocale, type Lang, loadStrings, pickLanguage, type Strings } from './i18n.js';
import { decorateLauncher } from './launcher.js';
import { notifier } from './notify.js';
import { type PageWindow, pageOf, watchPage } from './page-watch.js';
import { browserStorage, readJson, write } from './storage.js';
import { CSS } from './styles.js';
import { watchTabs } from './tab-sync.js';
import type { TeamRecord } from './teams.js';
import { fitViewport } from './viewport.js';

/**
 * dist/chat-<hash>.js, run by the loader (a classic script pinned by SRI), which calls `mount` once with
 * its shadow root and the config it fetched. Glue only: it wires the connection, the site config, the
 * language pack, the launcher, the host page API and the Preact tree; behaviour lives in those modules.
 */

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

/** The site's own texts for this language replace the built-in lines they stand for. */
const withSiteTexts = (s: Strings, c: WidgetConfig | null, lang: Lang): Strings =>
  c && c.lang === lang
    ? { ...s, offlineAsk: c.offlineText || s.offlineAsk, prechat: c.prechatText || s.prechat }
    : s;

const mount: Mount = ({ root, host, launcher, base, site, lang: tagLang, config: boot, reopen }) => {
  const storage = browserStorage();
  const events = emitter();
  const notify = notifier(storage, site);
  // The team a new chat is for (teams.ts); shared by the site's tabs.
  const teamKey = storageKey(site, 'team');
  let team = readJson<TeamRecord>(storage, teamKey);
  let config: WidgetConfig | null = null;
  let chosen: string | null = null;
  const language = () => pickLanguage([chosen, tagLang], browserLanguages(), config?.lang);
  let lang = language();
  // Nothing is drawn until the visitor's language pack is here (no English flash before Slovak).
  let t: Strings | null = null;

  addStyles(root, CSS);
  const container = document.createElement('div');
  root.append(container);
  const button = decorateLauncher(launcher);

  let open = false;
  /** The loader's config request answered: no socket before it, so a refused page never opens one. */
  let booted = false;
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
    page: () => pageOf(window),
    typingPreview: () => !!config?.typingPreview,
    probe: () =>
      fetch(configUrl(base, site, lang)).then(
        (r) => r.status,
        () => 0,
      ),
    onMessage: (m) => {
      events.emit('message', m);
      if (m.author === 'operator' && !visible()) notify.alert(`${m.at}:${m.name}`, t?.newMessage ?? '');
    },
  });

  const draw = () =>
    t &&
    render(
      <App
        conn={conn}
        config={config}
        open={open}
        t={t}
        lang={lang}
        locale={formatLocale(lang, browserLanguages())}
        muted={notify.muted}
        team={team}
        onTeam={(id) => setTeam(id ? { pick: id } : null)}
        onMute={() => {
          notify.setMuted(!notify.muted);
          draw();
        }}
        onClose={() => setOpen(false)}
      />,
      container,
    );

  const setTeam = (rec: TeamRecord | null) => {
    team = rec;
    write(storage, teamKey, rec && JSON.stringify(rec));
    draw();
  };

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

  let focusWanted = false;
  const focusPanel = () => {
    focusWanted = false;
    // A form's first field, else the composer (not the team row above it: most visitors just type).
    container.querySelector<HTMLElement>('.fm .fi,textarea,.pb')?.focus();
  };
  const setOpen = (next: boolean, focus = true) => {
    if (next === open) return;
    const focusInside = !!root.activeElement && root.activeElement !== launcher;
    open = next;
    write(storage, storageKey(site, 'open'), next ? '1' : null);
    button.setOpen(next);
    if (next) {
      if (!t) relang();
      read = heard(conn.view);
      setUnread(0);
      if (visible()) notify.stop();
      if (booted) conn.start(); // else once the config said this page may chat
    }
    draw();
    // Before the language pack is here nothing is drawn: focus moves in when it is (see relang).
    focusWanted = next && focus;
    if (focusWanted && t) focusPanel();
    // Closing must not strand keyboard focus in a hidden panel; but never steal it from the host page.
    else if (!next && focusInside) (launcher.hidden ? document.body : launcher).focus();
    events.emit(next ? 'open' : 'close', undefined);
  };

  const paintConfig = (c: WidgetConfig) => {
    config = c;
    const look = lookOf(c);
    host.style.setProperty('--c', look.color);
    host.style.setProperty('--f', look.fg);
    host.dataset.pos = look.position;
    button.setLabel(c.launcherText);
  };

  /** Loads the pack (and the site's texts) for the language now wanted; a newer wish wins over a slower answer. */
  const relang = () => {
    const next = language();
    const wantConfig = config && config.lang !== next;
    Promise.all([loadStrings(next, base), wantConfig ? fetchConfig(base, site, next) : null]).then(
      ([pack, c]) => {
        if (c) paintConfig(c);
        if (language() !== next) return;
        lang = next;
        t = withSiteTexts(pack, config, lang);
        conn.lang = lang;
        button.setStrings(t);
        draw();
        if (focusWanted && open) focusPanel();
      },
      () => {}, // offline: opening the panel asks again
    );
  };

  watchTabs(site, storage, (name) => {
    if (name === 'team') team = readJson(storage, teamKey);
    if (name === 'mute' || name === 'team') draw();
    else if (name !== 'beep' && name !== 'look' && name !== 'open') conn.storageChanged(name);
  });
  document.addEventListener('visibilitychange', () => {
    if (visible()) notify.stop();
  });

  watchPage(window as unknown as PageWindow, (page) => conn.page(page));
  fitViewport(host);

  // Reopened after a navigation: show it, but leave focus where the host page put it.
  if (reopen) setOpen(true, false);
  const resume = () => {
    if (open || conn.hasChat || (conn.view.offline && !conn.view.offline.conversationId)) conn.start();
  };

  boot.then(async (c) => {
    booted = true;
    if (c?.error) {
      // Refused for good (unknown site, origin not allowed): say so in the panel, never open a socket.
      conn.refuse(c.error as ErrorCode);
    } else {
      // The loader's request failed (offline): one more try now that the chat is wanted.
      const cfg = c ?? (await fetchConfig(base, site, lang));
      if (cfg) paintConfig(cfg);
      resume();
    }
    relang();
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
    setTeam: (pick) =>
      setTeam(pick == null || pick === '' ? null : { pick: String(pick).slice(0, 80), api: true }),
    on: events.on,
    off: events.off,
  };
  // After the loader replayed the calls queued before this module loaded (listeners included).
  Promise.resolve().then(() => events.emit('ready', undefined, true));
  return api;
};

// A classic script has no exports: `mount` goes to the loader on its own <script> element.
const me = document.currentScript as (HTMLScriptElement & { m?: Mount }) | null;
if (me) me.m = mount;
