import { useEffect, useRef, useState } from 'preact/hooks';
import type { Strings } from './i18n.js';

interface ComposerProps {
  t: Strings;
  disabled: boolean;
  autoFocus: boolean;
  /** The site shows operators the draft as it is typed: say so, right where the visitor types. */
  preview: boolean;
  onSend: (text: string) => void;
  onTyping: (draft: string) => void;
  onIdle: () => void;
}

/** Mirrors MAX_TEXT_LENGTH in shared/src/version.ts: longer text would be refused as `validation`. */
const MAX_TEXT = 4000;
const MAX_HEIGHT_PX = 120;

/** Enter sends, Shift+Enter adds a line; Enter while an IME is composing (CJK input) only confirms the candidate. */
export function Composer({ t, disabled, autoFocus, preview, onSend, onTyping, onIdle }: ComposerProps) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState('');

  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, [autoFocus]);

  const fit = () => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  };

  const submit = () => {
    if (disabled || !text.trim()) return;
    onSend(text);
    setText('');
    if (ref.current) ref.current.style.height = '';
  };

  return (
    <form
      class="c"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {preview && (
        <p class="pv" id="bs-pv">
          {t.preview}
        </p>
      )}
      <textarea
        ref={ref}
        class="i"
        rows={1}
        value={text}
        maxLength={MAX_TEXT}
        placeholder={t.placeholder}
        aria-label={t.placeholder}
        aria-describedby={preview ? 'bs-pv' : undefined}
        disabled={disabled}
        onInput={(e) => {
          const value = e.currentTarget.value;
          setText(value);
          fit();
          onTyping(value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
        onBlur={onIdle}
      />
      <button type="submit" class="sb" aria-label={t.send} title={t.send} disabled={disabled || !text.trim()}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M3.4 20.4 21.85 12.5a.55.55 0 0 0 0-1L3.4 3.6a.5.5 0 0 0-.7.46L2.7 9.5c0 .27.2.5.47.53L17 12 3.17 13.96a.54.54 0 0 0-.47.54l.01 5.44c0 .36.37.6.7.46z" />
        </svg>
      </button>
    </form>
  );
}
