import { fill, type Strings } from './i18n.js';

/**
 * Decorates the loader's launcher button instead of replacing it (so it never flickers and keeps focus):
 * a close icon for the open state, an unread badge, the site's launcher text, and labels in the visitor's
 * language (which can change at run time: `Beseda.setLanguage`).
 */
export function decorateLauncher(button: HTMLButtonElement) {
  button.insertAdjacentHTML(
    'beforeend',
    '<svg class="x" viewBox="0 0 24 24" aria-hidden="true"><path d="M7.4 8.6 12 13.2l4.6-4.6L18 10l-6 6-6-6z"/></svg>' +
      '<span class="bd" aria-hidden="true" hidden></span>',
  );
  const badge = button.lastElementChild as HTMLElement;
  const text = button.querySelector<HTMLElement>('.t');
  // Until the language pack is here, the loader's label (from the config, in the visitor's language) stays.
  let t: Strings | null = null;
  // What the loader painted from the cached look, until the site config says otherwise.
  let label = text?.textContent ?? '';
  let open = false;
  let unread = 0;
  const paint = () => {
    button.setAttribute('aria-expanded', String(open));
    if (text) text.textContent = label;
    button.classList.toggle('w', !!label);
    if (!t) return;
    const name = label || t.openChat;
    // The accessible name starts with the visible text (WCAG 2.5.3, label in name).
    button.setAttribute(
      'aria-label',
      open ? t.closeChat : unread ? `${name}, ${fill(t.openChatUnread, { n: unread })}` : name,
    );
    button.title = open ? t.closeChat : name;
    badge.hidden = open || unread === 0;
    badge.textContent = unread > 9 ? '9+' : String(unread);
  };
  paint();
  return {
    setOpen(next: boolean) {
      open = next;
      paint();
    },
    setUnread(n: number) {
      if (n === unread) return;
      unread = n;
      paint();
    },
    setLabel(next: string) {
      label = next.trim();
      paint();
    },
    setStrings(next: Strings) {
      t = next;
      paint();
    },
  };
}
