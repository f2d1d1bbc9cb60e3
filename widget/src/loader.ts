import { addStyles } from './add-styles.js';
import { commandQueue } from './command-queue.js';
import type { BootConfig, Mount } from './contract.js';
import { type StorageName, storageKey } from './keys.js';

/**
 * dist/widget.js: the only script the host page's <script> tag fetches. Hard budget ≤ 2 KB gzip, so no
 * framework and no protocol code. Until the visitor shows intent it costs the page one small request (the
 * site config, for the launcher's colour and text in the visitor's language) and nothing else: the chat UI
 * (dist/chat-<hash>.js, pinned by its SHA-384 — `__CHAT__`, compiled in by the build) is fetched on the
 * first hover, focus or click of the launcher, on the first host API call, or at once when storage says a
 * chat exists or the panel was open (so a chat survives navigation), or when another tab starts one. Never
 * on idle: a page speed check must not see it.
 *
 * The host element sits under <html>, not <body> (the body's zoom, transform, flex/grid and gap do not
 * reach it) and, where the Popover API exists, in the top layer (above any z-index, unaffected by the
 * host's transforms); `:host` resets everything the host's CSS could set on it, direction included.
 *
 * Globals: only `window.Beseda` (a pre-load stub `Beseda.q` of queued calls is adopted).
 */
declare const __CHAT__: [file: string, integrity: string];

// `all: initial !important` on :host beats any host rule on our element and the UA's popover styles (for
// !important declarations the inner shadow context wins) and cuts inheritance of fonts and colours;
// `all` leaves `direction` alone, so it is set too. Fixed: out of the host's flow (no flex item, no gap).
const CSS =
  ':host{all:initial!important;display:block!important;position:fixed!important;direction:ltr!important}' +
  '.l{all:initial;position:fixed;z-index:2147483647;bottom:20px;right:20px;width:56px;height:56px;' +
  'border-radius:50%;background:var(--c,#2563eb);color:var(--f,#fff);cursor:pointer;display:flex;' +
  'align-items:center;justify-content:center;box-shadow:0 4px 14px rgba(0,0,0,.25)}' +
  ':host([data-pos=left]) .l{left:20px;right:auto}' +
  '.l:focus-visible{outline:3px solid var(--c,#2563eb);outline-offset:3px}' +
  '.l[hidden]{display:none}' +
  '.l.w{width:auto;padding:0 20px 0 16px;border-radius:28px;gap:8px;font:600 15px/1 system-ui,sans-serif}' +
  '.l svg{width:28px;height:28px;fill:currentColor;pointer-events:none}';

((w: Window, d: Document) => {
  const script = d.currentScript as HTMLScriptElement | null;
  const site = script?.dataset.site;
  // Included twice, or run some other way than a <script> tag: keep the first instance, stay silent.
  const stub = w.Beseda as { q?: ArrayLike<unknown>[]; open?: unknown } | undefined;
  if (!script || !site || stub?.open) return;
  const base = new URL(script.src).origin;
  const key = (name: StorageName) => storageKey(site, name);
  const get = (name: StorageName): string | null => {
    try {
      return localStorage.getItem(key(name));
    } catch {
      return null; // storage disabled (sandboxed iframe, privacy settings)
    }
  };
  const lang = script.dataset.lang || '';
  // The panel was open when the visitor left the previous page of this tab (not: another tab opened it).
  // Read when first needed, not here: a page's first storage read is a synchronous round trip to the
  // browser process (~3 ms), so it gets a task of its own (see the frame callback below).
  let reopen: boolean | undefined;
  const wasOpen = () => (reopen ??= get('open') === '1');

  const host = d.createElement('beseda-widget');
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML =
    '<button class="l" type="button" aria-label="Chat" aria-expanded="false">' +
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z"/></svg><span class="t"></span></button>';
  const launcher = root.firstChild as HTMLButtonElement;
  addStyles(root, CSS); // after innerHTML, which would wipe a fallback <style>

  /** Colour, text colour, side and launcher text (cached so a returning visitor sees no flash). */
  const paint = (look: string) => {
    const [color, fg, pos, label, name] = look.split('\n');
    if (color) host.style.setProperty('--c', color);
    if (fg) host.style.setProperty('--f', fg);
    if (pos) host.dataset.pos = pos;
    (launcher.lastChild as HTMLElement).textContent = label || '';
    launcher.classList.toggle('w', !!label);
    if (name) launcher.setAttribute('aria-label', label || name);
  };
  // The cached look is painted in the callback before the first frame, so a returning visitor sees no
  // flash of the default look, yet the storage read is not part of this script's evaluation. A fresher
  // config that arrived first (a background tab runs no frame callbacks) is not painted over.
  let fresh = false;
  requestAnimationFrame(() => {
    if (!fresh) paint(get('look') || '');
  });

  // One request before intent: the config (colour, texts in the visitor's language, or why not here). In
  // a task of its own, like the storage checks at the end: no single task of ours may block the page long.
  const later = new Promise((r) => setTimeout(r));
  const langs = [lang, ...(navigator.languages || [])].filter(Boolean).join(',');
  const config: BootConfig = later
    .then(() =>
      fetch(`${base}/api/widget/config?site=${encodeURIComponent(site)}&lang=${encodeURIComponent(langs)}`),
    )
    .then(
      (r) => r.json().then((b) => (r.ok || b?.error ? b : null)),
      () => null, // offline or blocked: the chat UI tries again when it is wanted
    );
  config.then((c) => {
    if (c?.error) console.warn(`Beseda: ${c.message} (${site})`);
    else if (c) {
      const look = [c.color, c.foreground, c.position, c.launcherText, c.openLabel].join('\n');
      fresh = true;
      paint(look);
      try {
        localStorage.setItem(key('look'), look);
      } catch {
        // storage disabled: repainted on the next page
      }
    }
  });

  let loading = false;
  const load = () => {
    if (loading) return;
    loading = true;
    const s = d.createElement('script') as HTMLScriptElement & { m?: Mount };
    s.src = `${base}/widget/${__CHAT__[0]}`;
    s.integrity = __CHAT__[1];
    s.crossOrigin = 'anonymous';
    s.onload = s.onerror = () => {
      s.remove();
      if (s.m) q.attach(s.m({ root, host, launcher, base, site, lang, config, reopen: wasOpen() }));
      else loading = false; // offline, blocked or tampered with: the next intent tries again, nothing thrown
    };
    (d.head || d.documentElement).append(s);
  };
  const q = commandQueue(load, launcher);
  w.Beseda = q.api;
  q.adopt(stub?.q);
  launcher.onclick = () => q.api.toggle();
  launcher.onpointerenter = launcher.onfocus = load;

  // Inserting the element, entering the top layer (a style recalculation) and the storage checks (maybe the
  // page's first storage access, a synchronous round trip to the browser process) cost 1–6 ms each: each
  // gets a task of its own after the evaluation, so no task of ours blocks the host page for long.
  setTimeout(() => d.documentElement.append(host));
  setTimeout(() => {
    if (host.showPopover) {
      host.popover = 'manual';
      host.showPopover();
    }
  });
  setTimeout(() => {
    if (wasOpen() || get('chat') || get('outbox') || get('offline')) load();
    // Another tab of this site started a chat: this one joins it live (so the visitor sees it everywhere).
    w.addEventListener('storage', (e) => {
      if (e.key === key('chat') && e.newValue) load();
    });
  });
})(window, document);
