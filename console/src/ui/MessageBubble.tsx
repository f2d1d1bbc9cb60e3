import type { MessageAuthor } from '@beseda/shared/types';
import type { ComponentChildren } from 'preact';
import { formatClock } from '../format.js';
import { t } from '../i18n/index.js';

interface Props {
  author: MessageAuthor;
  /** Who wrote it, as shown above the text; system messages have none. */
  name: string | null;
  text: string;
  at: number;
  seq?: number;
  pending?: boolean;
  /** Continues a run of the same author: no name/time line (the time stays as a tooltip). */
  continued?: boolean;
  children?: ComponentChildren;
}

const AUTHOR_CLASS: Record<MessageAuthor, string> = {
  visitor: 'msg-visitor',
  operator: 'msg-operator',
  system: 'msg-system',
  note: 'msg-note',
};

/** One message, styled by author: visitor left, operator right, notes yellow, system lines centred. */
export function MessageBubble({ author, name, text, at, seq, pending, continued, children }: Props) {
  const clock = formatClock(at);
  return (
    <div
      class={`msg ${AUTHOR_CLASS[author]}${pending ? ' msg-pending' : ''}${continued ? ' msg-cont' : ''}`}
      title={continued ? clock : undefined}
      data-testid="msg"
      data-author={author}
      data-seq={seq}
      data-pending={pending ? 'true' : undefined}
    >
      {author !== 'system' && !continued && (
        <div class="msg-meta">
          {author === 'note' && <span class="note-tag">{t('chat.internalNote')}</span>}
          {name && <span class="msg-name">{name}</span>}
          <time dateTime={new Date(at).toISOString()}>{clock}</time>
        </div>
      )}
      <div class="msg-text">{text}</div>
      {children}
    </div>
  );
}
