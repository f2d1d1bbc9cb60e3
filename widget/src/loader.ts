import { addStyles } from './add-styles.js';
import { commandQueue } from './command-queue.js';
import type { Mount } from './contract.js';
import { type StorageName, storageKey } from './keys.js';

/**
 * dist/widget.js: the only file the host page's <script> tag fetches. Hard budget ≤ 2 KB gzip, so no
 * framework and no protocol code: it draws the launcher inside a shadow root and imports the chat UI
 * (dist/chat.js) on first click, on hover/focus (warm-up), once the page is idle, or at once when
 * storage says a chat exists or the panel was open (so a chat survives navigation).
 *
 * Globals: only `window.Beseda` (a pre-load stub `Beseda.q` of queued calls is adopted). Listeners outside
 * our own elements: one `load` on window (to wait for the host page before competing for the network) or
 * DOMContentLoaded on document when <body> is late.
 */

// `all: initial !important` on :host beats any host rule on our element (for !important declarations
// the inner shadow context wins) and cuts inheritance of the host's fonts and colours.
const CSS =
  ':host{all:initial!important;display:block!important}' +
  '.l{all:initial;position:fixed;z-index:2147483000;bottom:20px;right:20px;width:56px;height:56px;' +
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
  const get = (name: StorageName): string | null => {
    try {
      return localStorage.getItem(storageKey(site, name));
    } catch {
      return null; // storage disabled (sandboxed iframe, privacy settings)
    }
  };

  const host = d.createElement('beseda-widget');
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML =
    '<button class="l" type="button" aria-label="Open chat" aria-expanded="false">' +
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z"/></svg><span class="t"></span></button>';
  const launcher = root.firstChild as HTMLButtonElement;
  addStyles(root, CSS); // after innerHTML, which would wipe a fallback <style>

  // Last known look from the site config, so a returning visitor never sees the default colour flash.
  const [color, fg, pos, ...text] = (get('look') || '').split('|');
  if (color) host.style.setProperty('--c', color);
  if (fg) host.style.setProperty('--f', fg);
  if (pos) host.dataset.pos = pos;
  const label = text.join('|');
  if (label) {
    (launcher.lastChild as HTMLElement).textContent = label;
    launcher.classList.add('w');
  }

  let loading = false;
  const load = () => {
    if (loading) return;
    loading = true;
    import(/* @vite-ignore */ `${base}/widget/chat.js`).then(
      (m: { mount: Mount }) =>
        q.attach(m.mount({ root, host, launcher, base, site, lang: script.dataset.lang || '' })),
      () => {
        loading = false; // offline or blocked: the next click tries again, nothing thrown at the host
      },
    );
  };
  const q = commandQueue(load, launcher);
  w.Beseda = q.api;
  q.adopt(stub?.q);
  launcher.onclick = () => q.api.toggle();
  launcher.onpointerenter = launcher.onfocus = load;

  const attach = () => d.body.append(host);
  if (d.body) attach();
  else d.addEventListener('DOMContentLoaded', attach);

  if (get('open') === '1' || get('chat') || get('outbox')) load();
  else {
    const idle = () =>
      'requestIdleCallback' in w ? w.requestIdleCallback(load, { timeout: 5000 }) : setTimeout(load, 2000);
    if (d.readyState === 'complete') idle();
    else w.addEventListener('load', idle, { once: true });
  }
})(window, document);
