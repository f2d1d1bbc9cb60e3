import type { CannedResponse } from '@beseda/shared/types';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { fillPlaceholders, replaceToken, searchCanned, slashToken } from '../canned.js';
import { previewText } from '../format.js';
import { t } from '../i18n/index.js';
import { routeHref } from '../router.js';
import type { ChatState } from '../state.js';
import { useConsole, useStore } from './hooks.js';

/**
 * Enter sends, Shift+Enter breaks the line, Ctrl/Cmd+Enter sends this one message as an internal note.
 * Typing `/` opens the canned responses: type to filter by shortcut or text, ↑/↓ to choose, Enter or Tab
 * to insert (placeholders filled), Esc to close. The draft lives in the store per conversation, so
 * switching chats never loses text.
 */
export function Composer({ chat }: { chat: ChatState }) {
  const store = useStore();
  const canned = useConsole((s) => s.canned);
  const myName = useConsole((s) => s.me?.name ?? null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const id = chat.conversation.id;
  const [caret, setCaret] = useState(chat.draft.length);
  /** Start of the slash token the operator closed with Esc; it stays closed until retyped. */
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [selected, setSelected] = useState(0);
  const nextCaret = useRef<number | null>(null);

  // Switching chats: focus the composer with the caret at the end of that chat's draft.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus();
    const end = el.value.length;
    el.setSelectionRange(end, end);
    setCaret(end);
    setDismissed(null);
  }, [id]);
  useLayoutEffect(() => {
    if (nextCaret.current === null || !ref.current) return;
    ref.current.setSelectionRange(nextCaret.current, nextCaret.current);
    nextCaret.current = null;
  });

  const token = slashToken(chat.draft, Math.min(caret, chat.draft.length));
  const listOpen = token !== null && token.start !== dismissed;
  const matches = listOpen ? searchCanned(canned, token.query) : [];
  const active = Math.min(selected, Math.max(0, matches.length - 1));

  function trackCaret() {
    const el = ref.current;
    if (el) setCaret(el.selectionStart ?? el.value.length);
  }

  function insert(item: CannedResponse) {
    if (!token) return;
    const text = fillPlaceholders(item.text, {
      visitorName: chat.conversation.visitorName,
      operatorName: myName,
    });
    const next = replaceToken(chat.draft, token, text);
    store.setDraft(id, next.text);
    nextCaret.current = next.caret;
    setCaret(next.caret);
    ref.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent) {
    if (listOpen && token) {
      if (e.key === 'Escape') {
        e.preventDefault();
        setDismissed(token.start);
        return;
      }
      if (matches.length > 0) {
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          const delta = e.key === 'ArrowDown' ? 1 : -1;
          setSelected((active + delta + matches.length) % matches.length);
          return;
        }
        if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          const item = matches[active];
          if (item) insert(item);
          return;
        }
      }
    }
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
    e.preventDefault();
    store.sendDraft(id, e.ctrlKey || e.metaKey ? true : undefined);
  }

  const note = chat.noteMode;
  const listId = `canned-${id}`;
  return (
    <form
      class={`composer${note ? ' composer-note' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        store.sendDraft(id);
        ref.current?.focus();
      }}
    >
      {listOpen && (
        <div class="canned-popup" data-testid="canned-popup">
          {matches.length > 0 ? (
            <div id={listId} role="listbox" aria-label={t('composer.cannedLabel')}>
              {matches.map((item, i) => (
                <div
                  key={item.id}
                  id={`${listId}-${item.id}`}
                  role="option"
                  tabIndex={-1}
                  aria-selected={i === active}
                  class={`canned-option${i === active ? ' active' : ''}`}
                  onMouseDown={(e) => {
                    e.preventDefault(); // keep the focus (and the caret) in the textarea
                    insert(item);
                  }}
                  onMouseEnter={() => setSelected(i)}
                  data-testid="canned-option"
                >
                  <span class="canned-shortcut">/{item.shortcut}</span>
                  <span class="canned-text">
                    {previewText(
                      fillPlaceholders(item.text, {
                        visitorName: chat.conversation.visitorName,
                        operatorName: myName,
                      }),
                      120,
                    )}
                  </span>
                  {item.operatorId === null && <span class="pill">{t('composer.shared')}</span>}
                </div>
              ))}
            </div>
          ) : (
            <p class="canned-empty">
              {canned.length === 0 ? (
                <>
                  {t('composer.noCanned')} <a href={routeHref({ page: 'canned' })}>{t('composer.addSome')}</a>
                </>
              ) : (
                t('composer.noMatch', { query: token?.query ?? '' })
              )}
            </p>
          )}
        </div>
      )}
      <textarea
        ref={ref}
        rows={2}
        value={chat.draft}
        placeholder={t(note ? 'composer.notePlaceholder' : 'composer.replyPlaceholder')}
        aria-label={t(note ? 'composer.note' : 'composer.reply')}
        aria-keyshortcuts="Alt+C"
        aria-controls={listOpen && matches.length > 0 ? listId : undefined}
        aria-activedescendant={
          listOpen && matches[active] ? `${listId}-${matches[active]?.id ?? ''}` : undefined
        }
        onInput={(e) => {
          const el = e.currentTarget;
          store.setDraft(id, el.value);
          const at = el.selectionStart ?? el.value.length;
          setCaret(at);
          if (!slashToken(el.value, at)) setDismissed(null);
        }}
        onKeyDown={onKeyDown}
        onKeyUp={(e) => {
          if (e.key.startsWith('Arrow') || e.key === 'Home' || e.key === 'End') trackCaret();
        }}
        onClick={trackCaret}
        onBlur={() => setDismissed(token?.start ?? null)}
        onFocus={() => setDismissed(null)}
        data-testid="composer"
      />
      <div class="composer-bar">
        <button
          type="button"
          class={`btn toggle${note ? ' on' : ''}`}
          aria-pressed={note}
          onClick={() => {
            store.setNoteMode(id, !note);
            ref.current?.focus();
          }}
          aria-keyshortcuts="Alt+N"
          data-testid="note-toggle"
        >
          {t('composer.note')}
        </button>
        <span class="hint">{t('composer.hint')}</span>
        <button
          type="submit"
          class="btn primary"
          disabled={chat.draft.trim() === ''}
          data-testid="send-button"
        >
          {t(note ? 'composer.addNote' : 'composer.send')}
        </button>
      </div>
    </form>
  );
}
