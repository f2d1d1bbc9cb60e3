import type { Page, WidgetConfig } from '@beseda/shared/types';
import { render } from 'preact';
import { addStyles } from '../add-styles.js';
import type { Mount } from '../contract.js';
import { storageKey } from '../keys.js';
import { App } from './App.js';
import { configUrl, fetchConfig, lookOf } from './config.js';
import { type ChatView, Connection } from './connection.js';
import { stringsFor } from './i18n.js';
import { decorateLauncher } from './launcher.js';
import { browserStorage, write } from './storage.js';
import { CSS } from './styles.js';

/**
 * dist/chat.js, imported by the loader, which calls `mount` once with its shadow root. Glue only: it wires
 * the connection, the site config, the launcher and the Preact tree; behaviour lives in those modules.
 */

const currentPage = (): Page => ({
  url: location.href.slice(0, 2048),
  title: document.title.slice(0, 512),
  referrer: document.referrer.slice(0, 2048),
});

const heard = (view: ChatView) => view.items.filter((i) => i.author !== 'visitor').length;

export const mount: Mount = ({ root, host, launcher, base, site, lang }) => {
  const storage = browserStorage();
  const t = stringsFor(lang);
  addStyles(root, CSS);
  const container = document.createElement('div');
  root.append(container);
  const button = decorateLauncher(launcher, t);
  const conn = new Connection({
    base,
    site,
    lang,
    storage,
    page: currentPage,
    probe: () =>
      fetch(configUrl(base, site)).then(
        (r) => r.status,
        () => 0,
      ),
  });

  let open = false;
  let config: WidgetConfig | null = null;
  const draw = () =>
    render(
      <App conn={conn} config={config} open={open} t={t} lang={lang} onClose={() => setOpen(false)} />,
      container,
    );

  // Unread = operator/system messages that arrived while the panel was closed (cached ones count as read).
  let read = heard(conn.view);
  conn.subscribe((view) => {
    if (open) read = heard(view);
    button.setUnread(open ? 0 : Math.max(0, heard(view) - read));
  });

  const setOpen = (next: boolean, focus = true) => {
    if (next === open) return;
    const focusInside = !!root.activeElement && root.activeElement !== launcher;
    open = next;
    write(storage, storageKey(site, 'open'), next ? '1' : null);
    button.setOpen(next);
    if (next) {
      read = heard(conn.view);
      button.setUnread(0);
      conn.start();
    }
    draw();
    if (next && focus) container.querySelector<HTMLElement>('textarea,.pb')?.focus();
    // Closing must not strand keyboard focus in a hidden panel; but never steal it from the host page.
    else if (!next && focusInside) launcher.focus();
  };

  // Reopened after a navigation: show it, but leave focus where the host page put it.
  if (storage.getItem(storageKey(site, 'open')) === '1') setOpen(true, false);
  else draw();
  if (conn.hasChat) conn.start();

  fetchConfig(base, site).then((c) => {
    if (!c) return;
    config = c;
    const look = lookOf(c);
    host.style.setProperty('--c', look.color);
    host.style.setProperty('--f', look.fg);
    host.dataset.pos = look.position;
    write(storage, storageKey(site, 'look'), `${look.color}|${look.fg}|${look.position}`);
    button.setLabel(c.launcherText);
    draw();
  });

  return {
    open: () => setOpen(true),
    close: () => setOpen(false),
    toggle: () => setOpen(!open),
  };
};
