import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { visitorLabel } from '../format.js';
import { t } from '../i18n/index.js';
import { SHORTCUT_HELP } from '../shortcuts.js';
import { useConsole, useStore } from './hooks.js';

/**
 * A native modal <dialog>: the browser traps focus, Esc closes it, and the rest of the page is inert to
 * screen readers while it is open. `open` is driven by the store's overlay.
 */
function Modal({
  open,
  onClose,
  labelId,
  testId,
  children,
}: {
  open: boolean;
  onClose: () => void;
  labelId: string;
  testId: string;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // The dialog's safe default action takes the focus, so Enter does it (native autofocus is
      // applied only once per document).
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} class="modal" aria-labelledby={labelId} onClose={onClose} data-testid={testId}>
      {open && children}
    </dialog>
  );
}

/** `?` / Alt+H: every shortcut, from the same table the key handler uses. */
export function HelpDialog() {
  const store = useStore();
  const open = useConsole((s) => s.overlay === 'help');
  const close = () => store.dispatch({ type: 'ui/overlay', overlay: null });
  return (
    <Modal open={open} onClose={close} labelId="help-title" testId="help-dialog">
      <h2 id="help-title">{t('keys.heading')}</h2>
      <table class="keys">
        <tbody>
          {SHORTCUT_HELP.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                <kbd>{s.keys}</kbd>
              </th>
              <td>{t(s.what)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="modal-actions">
        <button type="button" class="btn primary" onClick={close} data-testid="help-close">
          {t('keys.close')}
        </button>
      </div>
    </Modal>
  );
}

/** Ending a chat cannot be undone: ask first. The confirm button has the focus, so Enter ends it. */
export function ConfirmEndDialog() {
  const store = useStore();
  const chat = useConsole((s) => (s.overlay === 'end' && s.openId ? s.chats[s.openId] : undefined));
  const close = () => store.dispatch({ type: 'ui/overlay', overlay: null });
  const who = chat ? visitorLabel(chat.conversation.visitorName, chat.conversation.visitorId) : '';
  return (
    <Modal open={chat !== undefined} onClose={close} labelId="end-title" testId="end-dialog">
      <h2 id="end-title">{t('chat.endTitle')}</h2>
      <p>{t('chat.endBody', { who })}</p>
      <div class="modal-actions">
        <button type="button" class="btn" onClick={close} data-testid="end-cancel">
          {t('chat.cancel')}
        </button>
        <button
          type="button"
          class="btn danger-solid"
          data-autofocus
          onClick={() => {
            if (chat) store.end(chat.conversation.id);
            close();
          }}
          data-testid="end-confirm"
        >
          {t('chat.endConfirm')}
        </button>
      </div>
    </Modal>
  );
}
