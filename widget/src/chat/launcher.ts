import { fill, type Strings } from './i18n.js';

/**
 * Decorates the loader's launcher button instead of replacing it (so it never flickers and keeps focus):
 * a close icon for the open state, an unread badge, and labels in the visitor's language.
 */
export function decorateLauncher(button: HTMLButtonElement, t: Strings) {
  button.insertAdjacentHTML(
    'beforeend',
    '<svg class="x" viewBox="0 0 24 24" aria-hidden="true"><path d="M7.4 8.6 12 13.2l4.6-4.6L18 10l-6 6-6-6z"/></svg>' +
      '<span class="bd" aria-hidden="true" hidden></span>',
  );
  const badge = button.lastElementChild as HTMLElement;
  let label = t.openChat;
  let open = false;
  let unread = 0;
  const paint = () => {
    button.setAttribute('aria-expanded', String(open));
    button.setAttribute(
      'aria-label',
      open ? t.closeChat : unread ? fill(t.openChatUnread, { n: unread }) : label,
    );
    button.title = open ? t.closeChat : label;
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
    setLabel(text: string) {
      label = text || t.openChat;
      paint();
    },
  };
}
