import type { ConversationView, Rating } from '@beseda/shared/types';
import type { Strings } from './i18n.js';

interface EndedProps {
  conversation: ConversationView | null;
  t: Strings;
  onRate: (rating: Rating) => void;
  onNew: () => void;
}

/** One thumb icon; "bad" is the same shape turned upside down (CSS), so no emoji font is needed. */
const Thumb = () => (
  <svg viewBox="0 0 24 24" aria-hidden="true">
    <path d="M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z" />
  </svg>
);

/** Replaces the composer once the chat is over: rating (only if an operator took part), then "Start a new chat". */
export function Ended({ conversation, t, onRate, onNew }: EndedProps) {
  const rateable = conversation?.status === 'ended' && conversation.operator !== null;
  return (
    <div class="e">
      <p class="et" role="status">
        {t.ended}
      </p>
      {rateable &&
        (conversation.rating ? (
          <p>{t.rateThanks}</p>
        ) : (
          <div class="rt">
            <span>{t.rateAsk}</span>
            <button
              type="button"
              class="rb"
              aria-label={t.rateGood}
              title={t.rateGood}
              onClick={() => onRate('good')}
            >
              <Thumb />
            </button>
            <button
              type="button"
              class="rb dn"
              aria-label={t.rateBad}
              title={t.rateBad}
              onClick={() => onRate('bad')}
            >
              <Thumb />
            </button>
          </div>
        ))}
      <button type="button" class="pb" onClick={onNew}>
        {t.startNew}
      </button>
    </div>
  );
}
