import { useConsole, useStore } from './hooks.js';

/** The latest error or info (refused pick, chat ended…); dismissable, and it fades out by itself. */
export function NoticeBar() {
  const store = useStore();
  const notice = useConsole((s) => s.notice);
  if (!notice) return null;
  return (
    <div
      class={`notice notice-${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      data-testid="notice"
      data-code={notice.code ?? undefined}
    >
      <span>{notice.text}</span>
      <button type="button" class="link" onClick={() => store.dismissNotice()} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
