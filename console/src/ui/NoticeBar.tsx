import type { ErrorCode } from '@beseda/shared/types';
import { type MessageKey, t } from '../i18n/index.js';
import type { Notice } from '../state.js';
import { useConsole, useStore } from './hooks.js';

/** Server errors the console says in the operator's language; others keep the server's English text. */
const TRANSLATED_ERRORS: Partial<Record<ErrorCode, MessageKey>> = {
  over_capacity: 'error.over_capacity',
  operator_unavailable: 'error.operator_unavailable',
  rate_limited: 'error.rate_limited',
  forbidden: 'error.forbidden',
  not_found: 'error.not_found',
  shutting_down: 'error.shutting_down',
};

export function noticeText(notice: Notice): string {
  if (notice.key) return t(notice.key, notice.params);
  const key = notice.code ? TRANSLATED_ERRORS[notice.code] : undefined;
  return key ? t(key) : notice.text;
}

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
      <span>{noticeText(notice)}</span>
      <button
        type="button"
        class="link"
        onClick={() => store.dismissNotice()}
        aria-label={t('notice.dismiss')}
      >
        ×
      </button>
    </div>
  );
}
