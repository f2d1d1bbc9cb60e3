import { useEffect, useRef } from 'preact/hooks';
import type { ChatState } from '../state.js';
import { useStore } from './hooks.js';

/**
 * Enter sends, Shift+Enter breaks the line, Ctrl/Cmd+Enter sends this one message as an internal note.
 * The draft lives in the store per conversation, so switching chats never loses text.
 */
export function Composer({ chat }: { chat: ChatState }) {
  const store = useStore();
  const ref = useRef<HTMLTextAreaElement>(null);
  const id = chat.conversation.id;

  useEffect(() => ref.current?.focus(), [id]);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
    e.preventDefault();
    store.sendDraft(id, e.ctrlKey || e.metaKey ? true : undefined);
  }

  const note = chat.noteMode;
  return (
    <form
      class={`composer${note ? ' composer-note' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        store.sendDraft(id);
        ref.current?.focus();
      }}
    >
      <textarea
        ref={ref}
        rows={2}
        value={chat.draft}
        placeholder={note ? 'Internal note, only operators see it' : 'Reply to the visitor'}
        aria-label={note ? 'Internal note' : 'Reply'}
        onInput={(e) => store.setDraft(id, e.currentTarget.value)}
        onKeyDown={onKeyDown}
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
          data-testid="note-toggle"
        >
          Internal note
        </button>
        <span class="hint">Enter send · Shift+Enter new line · Ctrl+Enter send as note</span>
        <button
          type="submit"
          class="btn primary"
          disabled={chat.draft.trim() === ''}
          data-testid="send-button"
        >
          {note ? 'Add note' : 'Send'}
        </button>
      </div>
    </form>
  );
}
