import type { ConversationView, Rating } from '@beseda/shared/types';
import { useState } from 'preact/hooks';
import type { Strings } from './i18n.js';

interface EndedProps {
  conversation: ConversationView | null;
  t: Strings;
  onRate: (rating: Rating, comment?: string) => boolean;
  onNew: () => void;
}

/** One thumb icon; "bad" is the same shape turned upside down (CSS), so no emoji font is needed. */
const Thumb = () => (
  <svg viewBox="0 0 24 24" aria-hidden="true">
    <path d="M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z" />
  </svg>
);

/**
 * Replaces the composer once the chat is over, whoever ended it: a good/bad rating (only if an operator
 * took part), sent at once, then an optional comment (sent as the same rating with the comment), then
 * "Start a new chat".
 */
export function Ended({ conversation, t, onRate, onNew }: EndedProps) {
  const [picked, setPicked] = useState<Rating | null>(null);
  const [comment, setComment] = useState('');
  const [done, setDone] = useState(false);
  const rateable = conversation?.status === 'ended' && conversation.operator !== null;
  const rating = picked ?? conversation?.rating ?? null;
  const pick = (r: Rating) => {
    if (onRate(r)) setPicked(r);
  };
  return (
    <div class="e">
      <p class="et" role="status">
        {t.ended}
      </p>
      {rateable &&
        (done || (rating && !picked) ? (
          <p role="status">{t.rateThanks}</p>
        ) : (
          <fieldset class="rt">
            <legend class="sr">{t.rateAsk}</legend>
            <span aria-hidden="true">{t.rateAsk}</span>
            {(['good', 'bad'] as const).map((r) => (
              <button
                key={r}
                type="button"
                class={`rb${r === 'bad' ? ' dn' : ''}`}
                aria-label={r === 'good' ? t.rateGood : t.rateBad}
                aria-pressed={rating === r}
                title={r === 'good' ? t.rateGood : t.rateBad}
                onClick={() => pick(r)}
              >
                <Thumb />
              </button>
            ))}
          </fieldset>
        ))}
      {rateable && picked && !done && (
        <form
          class="cm"
          onSubmit={(e) => {
            e.preventDefault();
            if (!comment.trim() || onRate(picked, comment)) setDone(true);
          }}
        >
          <label class="fl">
            {t.comment}
            <textarea
              class="fi"
              rows={2}
              maxLength={2000}
              value={comment}
              onInput={(e) => setComment(e.currentTarget.value)}
            />
          </label>
          <button type="submit" class="pb sm">
            {t.sendFeedback}
          </button>
        </form>
      )}
      <button type="button" class="pb" onClick={onNew}>
        {t.startNew}
      </button>
    </div>
  );
}
